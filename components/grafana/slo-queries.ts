/**
 * The decision record's metrics for one traced system as PromQL over the span metrics: response
 * time (mean and p50/p95/p99), % successful requests, errors per 1000 requests, client errors and
 * denied access per 1000, Apdex from the latency objective, and the request rate. Dashboards and
 * alerts both take their expressions from here, so a panel and the alert beside it always compute
 * the same thing.
 *
 * Success and errors follow the record: the gateways label every call with its outcome (HTTP
 * 2xx/3xx success, 5xx error, 401/403 denied, other 4xx client error; span status ERROR for work
 * without an HTTP status), so a share is one selector over the calls counter.
 *
 * Sampling: the span metrics are computed by the gateways before tail sampling but after the SDKs'
 * head sampling. Head sampling is per trace and random, so ratios (errors per 1000, % success,
 * Apdex) and latency quantiles are unbiased estimates; only absolute rates shrink by the kept
 * share, and those are scaled back by 100 / headSamplingPercent.
 */
import { isDatastore, type SystemKind, type TracedSystem } from "../platform/settings";
import { equals, histogramQuantile, meanOf, oneOf, promNumber, shareOf, sumRate, type LabelMatcher } from "./promql";
import {
    durationInHistogramUnit,
    outcomeValues,
    spanMetricLabels,
    spanMetricNames,
    spanMetricsBucketsMs,
    spanMetricValues,
    type Outcome,
} from "../platform/span-metrics";

/**
 * Span kinds that count as one handled request of a system: the entry spans it serves. A request
 * belongs to the system whose service handles it, so callers' CLIENT spans count for the caller;
 * databases and caches run no SDK, so their requests are their callers' CLIENT spans.
 */
export const requestSpanKinds: Readonly<Record<SystemKind, readonly string[]>> = {
    "http-api": [spanMetricValues.serverKind],
    worker: [spanMetricValues.serverKind, spanMetricValues.consumerKind],
    integration: [spanMetricValues.serverKind],
    database: [spanMetricValues.clientKind],
    cache: [spanMetricValues.clientKind],
    queue: [spanMetricValues.consumerKind],
};

/** Matchers selecting a system's own spans: its services, or the calls its callers make to it. */
export function identityMatchers(system: TracedSystem): LabelMatcher[] {
    return isDatastore(system) ? [oneOf(spanMetricLabels.dbSystem, system.dbSystems)] : [oneOf(spanMetricLabels.service, system.serviceNames)];
}

/** Matchers selecting a system's request spans. */
export function requestMatchers(system: TracedSystem): LabelMatcher[] {
    return [...identityMatchers(system), oneOf(spanMetricLabels.spanKind, requestSpanKinds[system.kind])];
}

/** Sampled requests per second (what the span metrics saw). */
export function sampledRequestRate(system: TracedSystem, window: string, by: readonly string[] = []): string {
    return sumRate(spanMetricNames.calls, requestMatchers(system), window, by);
}

/** Factor that turns a sampled rate back into the real rate, or undefined when nothing is sampled. */
export function headSamplingCorrection(system: TracedSystem): number | undefined {
    return system.headSamplingPercent > 0 ? 100 / system.headSamplingPercent : undefined;
}

/** Scales a sampled rate back to the real rate (unchanged when everything or nothing is sampled). */
export function correctedForHeadSampling(system: TracedSystem, sampledRate: string): string {
    const correction = headSamplingCorrection(system);
    return correction === undefined || correction === 1 ? sampledRate : `${sampledRate} * ${promNumber(correction)}`;
}

/** Estimated real requests per second, corrected for head sampling. */
export function requestRate(system: TracedSystem, window: string, by: readonly string[] = []): string {
    return correctedForHeadSampling(system, sampledRequestRate(system, window, by));
}

/** Share (0..1) of the selected calls whose outcome is one of `outcomes`; 0 while calls flow without them. */
export function outcomeShare(matchers: readonly LabelMatcher[], outcomes: readonly Outcome[], window: string, by: readonly string[] = []): string {
    const part = sumRate(spanMetricNames.calls, [...matchers, oneOf(spanMetricLabels.outcome, outcomes)], window, by);
    return shareOf(part, sumRate(spanMetricNames.calls, matchers, window, by));
}

/** Errors per 1000 requests: HTTP 5xx, or span status ERROR for work without an HTTP status. */
export function errorsPer1000(system: TracedSystem, window: string, by: readonly string[] = []): string {
    return `1000 * ${outcomeShare(requestMatchers(system), [outcomeValues.error], window, by)}`;
}

/** Percentage of requests that succeeded: HTTP 2xx/3xx, or no ERROR status for work without one. */
export function successPercent(system: TracedSystem, window: string, by: readonly string[] = []): string {
    return `100 * ${outcomeShare(requestMatchers(system), [outcomeValues.success], window, by)}`;
}

/** Client errors (HTTP 4xx, access denials included) per 1000 requests: neither success nor error. */
export function clientErrorsPer1000(system: TracedSystem, window: string, by: readonly string[] = []): string {
    return `1000 * ${outcomeShare(requestMatchers(system), [outcomeValues.clientError, outcomeValues.denied], window, by)}`;
}

/** Requests refused access (HTTP 401/403) per 1000. */
export function deniedPer1000(system: TracedSystem, window: string, by: readonly string[] = []): string {
    return `1000 * ${outcomeShare(requestMatchers(system), [outcomeValues.denied], window, by)}`;
}

/** Response-time quantile (in the histogram's unit) of the system's requests. */
export function latencyQuantile(system: TracedSystem, q: number, window: string, by: readonly string[] = []): string {
    return histogramQuantile(q, spanMetricNames.durationBucket, requestMatchers(system), window, by);
}

/** Mean response time (in the histogram's unit) of the system's requests. */
export function meanLatency(system: TracedSystem, window: string, by: readonly string[] = []): string {
    return meanOf(spanMetricNames.durationSum, spanMetricNames.durationCount, requestMatchers(system), window, by);
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
