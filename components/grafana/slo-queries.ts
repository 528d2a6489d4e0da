/**
 * The seed's metrics for one traced system as PromQL over the span metrics: response time
 * (p50/p95/p99), % successful requests, errors per 1000 requests, Apdex from the latency objective,
 * queue message processing time per queue, and the request rate. Dashboards and alerts both take
 * their expressions from here, so a panel and the alert beside it always compute the same thing.
 *
 * Sampling: the span metrics are computed by the gateways before tail sampling but after the SDKs'
 * head sampling. Head sampling is per trace and random, so ratios (errors per 1000, % success,
 * Apdex) and latency quantiles are unbiased estimates; only absolute rates shrink by the kept
 * share, and those are scaled back by 100 / headSamplingPercent.
 */
import type { SystemKind, TracedSystem } from "../platform/settings";
import { equals, oneOf, promNumber, sumRate, type LabelMatcher } from "./promql";
import { durationInHistogramUnit, spanMetricLabels, spanMetricNames, spanMetricsBucketsMs, spanMetricValues } from "../platform/span-metrics";

/**
 * Span kinds that count as one handled request of a system: the entry spans it serves. A request
 * belongs to the system whose service handles it, so callers' CLIENT spans count for the caller,
 * and stores named in the catalogue (databases, caches) are measured by their own SERVER spans.
 */
export const requestSpanKinds: Readonly<Record<SystemKind, readonly string[]>> = {
    "http-api": [spanMetricValues.serverKind],
    worker: [spanMetricValues.serverKind, spanMetricValues.consumerKind],
    database: [spanMetricValues.serverKind],
    cache: [spanMetricValues.serverKind],
    queue: [spanMetricValues.consumerKind],
};

/** Matchers selecting a system's request spans. */
export function requestMatchers(system: TracedSystem): LabelMatcher[] {
    return [oneOf(spanMetricLabels.service, system.serviceNames), oneOf(spanMetricLabels.spanKind, requestSpanKinds[system.kind])];
}

/** Matchers selecting a queue system's message processing (CONSUMER spans) on its catalogued queues. */
export function queueMatchers(system: TracedSystem): LabelMatcher[] {
    if (system.queues.length === 0) throw new Error(`system ${system.id} lists no queues`);
    return [
        oneOf(spanMetricLabels.service, system.serviceNames),
        equals(spanMetricLabels.spanKind, spanMetricValues.consumerKind),
        oneOf(spanMetricLabels.queue, system.queues),
    ];
}

const errorMatcher = equals(spanMetricLabels.statusCode, spanMetricValues.errorStatus);

/** Sampled requests per second (what the span metrics saw). */
export function sampledRequestRate(system: TracedSystem, window: string): string {
    return sumRate(spanMetricNames.calls, requestMatchers(system), window);
}

/** Factor that turns a sampled rate back into the real rate, or undefined when nothing is sampled. */
export function headSamplingCorrection(system: TracedSystem): number | undefined {
    return system.headSamplingPercent > 0 ? 100 / system.headSamplingPercent : undefined;
}

/** Scales a sampled rate back to the real rate (unchanged when everything or nothing is sampled). */
function correctedForHeadSampling(system: TracedSystem, sampledRate: string): string {
    const correction = headSamplingCorrection(system);
    return correction === undefined || correction === 1 ? sampledRate : `${sampledRate} * ${promNumber(correction)}`;
}

/** Estimated real requests per second, corrected for head sampling. */
export function requestRate(system: TracedSystem, window: string): string {
    return correctedForHeadSampling(system, sampledRequestRate(system, window));
}

/** Failed requests as a share of all requests (0..1); 0 while requests flow without errors. */
function errorRatio(system: TracedSystem, window: string): string {
    const matchers = requestMatchers(system);
    const errors = sumRate(spanMetricNames.calls, [...matchers, errorMatcher], window);
    return `(${errors} or vector(0)) / ${sumRate(spanMetricNames.calls, matchers, window)}`;
}

/** Errors per 1000 requests. */
export function errorsPer1000(system: TracedSystem, window: string): string {
    return `1000 * ${errorRatio(system, window)}`;
}

/** Percentage of requests that did not end in an error status. */
export function successPercent(system: TracedSystem, window: string): string {
    return `100 * (1 - ${errorRatio(system, window)})`;
}

function quantile(q: number, matchers: readonly LabelMatcher[], window: string, by: readonly string[] = []): string {
    return `histogram_quantile(${promNumber(q)}, ${sumRate(spanMetricNames.durationBucket, matchers, window, ["le", ...by])})`;
}

/** Response-time quantile (in the histogram's unit) of the system's requests. */
export function latencyQuantile(system: TracedSystem, q: number, window: string): string {
    return quantile(q, requestMatchers(system), window);
}

/** Message processing time quantile per queue (label `messaging_destination_name`). */
export function queueProcessingQuantile(system: TracedSystem, q: number, window: string): string {
    return quantile(q, queueMatchers(system), window, [spanMetricLabels.queue]);
}

/** Estimated real messages processed per second per queue, corrected for head sampling. */
export function queueMessageRate(system: TracedSystem, window: string): string {
    return correctedForHeadSampling(system, sumRate(spanMetricNames.calls, queueMatchers(system), window, [spanMetricLabels.queue]));
}

/** The `le` label value the remote-write translator writes for a bucket bound (Go FormatFloat 'f', -1). */
export function leLabel(bound: number): string {
    return String(bound);
}

/** Histogram bounds in the histogram's unit. */
const bounds = spanMetricsBucketsMs.map((ms) => durationInHistogramUnit(ms));

/**
 * Where a duration falls among the histogram bounds: exactly on a bound, between two (linear
 * interpolation, the assumption histogram_quantile makes too), below the first bound (from zero),
 * or beyond the last finite bound (capped there, which can only under-count satisfied requests).
 */
export type BucketPosition =
    | { readonly kind: "bound"; readonly bound: number }
    | { readonly kind: "between"; readonly lower: number | undefined; readonly upper: number; readonly fraction: number }
    | { readonly kind: "capped"; readonly bound: number };

export function bucketPosition(durationMs: number): BucketPosition {
    const value = durationInHistogramUnit(durationMs);
    if (bounds.includes(value)) return { kind: "bound", bound: value };
    const upperIndex = bounds.findIndex((b) => b > value);
    if (upperIndex === -1) return { kind: "capped", bound: bounds[bounds.length - 1] };
    const lower = upperIndex === 0 ? undefined : bounds[upperIndex - 1];
    const upper = bounds[upperIndex];
    return { kind: "between", lower, upper, fraction: (value - (lower ?? 0)) / (upper - (lower ?? 0)) };
}

/** Requests per second that took at most `durationMs`, read (or interpolated) from the buckets. */
function rateAtMost(system: TracedSystem, durationMs: number, window: string): string {
    const matchers = requestMatchers(system);
    const bucket = (bound: number) => sumRate(spanMetricNames.durationBucket, [...matchers, equals("le", leLabel(bound))], window);
    const position = bucketPosition(durationMs);
    switch (position.kind) {
        case "bound":
        case "capped":
            return bucket(position.bound);
        case "between": {
            const f = promNumber(position.fraction);
            if (position.lower === undefined) return `(${bucket(position.upper)} * ${f})`;
            const lower = bucket(position.lower);
            return `(${lower} + (${bucket(position.upper)} - ${lower}) * ${f})`;
        }
    }
}

/** Apdex tolerance: a request is tolerated up to this multiple of the target. */
export const apdexToleratingFactor = 4;

/**
 * Apdex with the latency objective as target T: (satisfied + tolerating / 2) / total, satisfied
 * being requests at most T and tolerating those above T up to 4T. Rewritten as
 * (count(<= T) + count(<= 4T)) / 2 / total. Errors are not counted as frustrated here; the error
 * panels report them.
 */
export function apdex(system: TracedSystem, window: string): string {
    const target = system.latencySloP95Ms;
    const satisfiedOrBetter = rateAtMost(system, target, window);
    const toleratedOrBetter = rateAtMost(system, target * apdexToleratingFactor, window);
    const total = sumRate(spanMetricNames.durationCount, requestMatchers(system), window);
    return `(${satisfiedOrBetter} + ${toleratedOrBetter}) / 2 / ${total}`;
}
