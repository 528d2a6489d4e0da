/**
 * Synthetic series in promtool's input format, shaped like what the gateways remote-write: span
 * metrics counters and cumulative duration histograms (one `le` series per bound plus `+Inf` and
 * `_count`), split across two gateway instances as the collectors really write them.
 */
import { leLabel } from "../../components/grafana/slo-queries";
import {
    durationInHistogramUnit,
    queueWaitBucketsMs,
    queueWaitMetricNames,
    spanMetricLabels,
    spanMetricNames,
    spanMetricsBucketsMs,
} from "../../components/platform/span-metrics";

export interface InputSeries {
    readonly series: string;
    readonly values: string;
}

/** Minutes of history every scenario carries (1m interval). */
export const historyMinutes = 24;
/** When scenarios are judged: after every rule's window (5m, 10m for absence) plus `for` (at most 10m). */
export const evalTime = "22m";

export const gatewayInstances = ["gateway-0", "gateway-1"] as const;

export function seriesName(metric: string, labels: Readonly<Record<string, string>>): string {
    const text = Object.entries(labels)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(", ");
    return `${metric}{${text}}`;
}

/** A counter growing by `perMinute` every minute. */
export function counter(metric: string, labels: Readonly<Record<string, string>>, perMinute: number): InputSeries {
    return { series: seriesName(metric, labels), values: `0+${perMinute}x${historyMinutes}` };
}

/** A gauge holding one value. */
export function gauge(metric: string, labels: Readonly<Record<string, string>>, value: number): InputSeries {
    return { series: seriesName(metric, labels), values: `${value}+0x${historyMinutes}` };
}

/** The same counter on every gateway instance, the per-minute total split evenly. */
export function spanCounter(labels: Readonly<Record<string, string>>, perMinute: number): InputSeries[] {
    return gatewayInstances.map((instance) =>
        counter(spanMetricNames.calls, { ...labels, [spanMetricLabels.collectorInstance]: instance }, perMinute / gatewayInstances.length),
    );
}

/** Histogram bounds in milliseconds, as the connector is configured. */
export const boundsMs: readonly number[] = spanMetricsBucketsMs;

/** Bounds of the queue-wait histogram. */
export const waitBoundsMs: readonly number[] = queueWaitBucketsMs;

/** The series names of one histogram. */
interface HistogramNames {
    readonly bucket: string;
    readonly count: string;
    readonly sum?: string;
}

const durationNames: HistogramNames = { bucket: spanMetricNames.durationBucket, count: spanMetricNames.durationCount, sum: spanMetricNames.durationSum };
const waitNames: HistogramNames = { bucket: queueWaitMetricNames.bucket, count: queueWaitMetricNames.count, sum: queueWaitMetricNames.sum };

/**
 * A histogram: `perMinuteByUpperBound` maps a bucket's upper bound (ms, or Infinity) to the
 * observations per minute that fall in that bucket (not cumulative); written cumulatively per
 * `le`, with `_count` and (when `valueOf` says what each bucket's observations measure) `_sum`,
 * on every gateway instance.
 */
function histogram(
    names: HistogramNames,
    bounds: readonly number[],
    labels: Readonly<Record<string, string>>,
    perMinuteByUpperBound: ReadonlyMap<number, number>,
    valueOf?: (upperBound: number) => number,
): InputSeries[] {
    for (const bound of perMinuteByUpperBound.keys()) {
        if (bound !== Infinity && !bounds.includes(bound)) throw new Error(`${bound} is not a bucket bound`);
    }
    const series: InputSeries[] = [];
    for (const instance of gatewayInstances) {
        const withInstance = { ...labels, [spanMetricLabels.collectorInstance]: instance };
        let cumulative = 0;
        let sum = 0;
        for (const bound of [...bounds, Infinity]) {
            const observations = (perMinuteByUpperBound.get(bound) ?? 0) / gatewayInstances.length;
            cumulative += observations;
            if (valueOf && observations > 0) sum += observations * durationInHistogramUnit(valueOf(bound));
            const le = bound === Infinity ? "+Inf" : leLabel(durationInHistogramUnit(bound));
            series.push(counter(names.bucket, { ...withInstance, le }, cumulative));
        }
        series.push(counter(names.count, withInstance, cumulative));
        if (valueOf && names.sum) series.push(counter(names.sum, withInstance, sum));
    }
    return series;
}

/** A span duration histogram (see `histogram`); with `valueOf`, also `_sum`. */
export function spanHistogram(
    labels: Readonly<Record<string, string>>,
    perMinuteByUpperBound: ReadonlyMap<number, number>,
    valueOf?: (upperBound: number) => number,
): InputSeries[] {
    return histogram(durationNames, boundsMs, labels, perMinuteByUpperBound, valueOf);
}

/** A queue-wait histogram (see `histogram`). */
export function waitHistogram(
    labels: Readonly<Record<string, string>>,
    perMinuteByUpperBound: ReadonlyMap<number, number>,
    valueOf?: (upperBound: number) => number,
): InputSeries[] {
    return histogram(waitNames, waitBoundsMs, labels, perMinuteByUpperBound, valueOf);
}

/** The largest bound at or below `ms` (the first bound when none is). */
export function boundAtOrBelow(ms: number, bounds: readonly number[] = boundsMs): number {
    return [...bounds].reverse().find((b) => b <= ms) ?? bounds[0];
}

/** The upper bound of the first bucket lying entirely above `ms`, so any quantile in it exceeds `ms`. */
export function bucketEntirelyAbove(ms: number, bounds: readonly number[] = boundsMs): number {
    const lowerIndex = bounds.findIndex((b) => b >= ms);
    const upper = bounds[lowerIndex + 1];
    if (lowerIndex === -1 || upper === undefined) throw new Error(`no finite bucket lies entirely above ${ms} ms`);
    return upper;
}
