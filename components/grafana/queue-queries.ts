/**
 * Queue metrics per queue (`messaging.destination.name`): message processing time (CONSUMER span
 * durations, mean and p95), messages per second, and the time messages wait between publish and
 * consume (the queue-wait histogram the gateways build from the consumers' queue-time attribute).
 */
import type { TracedSystem } from "../platform/settings";
import { queueWaitMetricNames, spanMetricLabels, spanMetricNames, spanMetricValues } from "../platform/span-metrics";
import { equals, histogramQuantile, meanOf, oneOf, sumRate, type LabelMatcher } from "./promql";
import { correctedForHeadSampling } from "./slo-queries";

/** One queue per series. */
export const byQueue = [spanMetricLabels.queue] as const;

/** Matchers selecting a queue system's message processing (CONSUMER spans) on its catalogued queues. */
export function queueMatchers(system: TracedSystem): LabelMatcher[] {
    if (system.queues.length === 0) throw new Error(`system ${system.id} lists no queues`);
    return [
        oneOf(spanMetricLabels.service, system.serviceNames),
        equals(spanMetricLabels.spanKind, spanMetricValues.consumerKind),
        oneOf(spanMetricLabels.queue, system.queues),
    ];
}

/** The queue-wait series carry only service and queue (the branch keeps CONSUMER spans alone). */
export function queueWaitMatchers(system: TracedSystem): LabelMatcher[] {
    return [oneOf(spanMetricLabels.service, system.serviceNames), oneOf(spanMetricLabels.queue, system.queues)];
}

/** Message processing time quantile per queue. */
export function queueProcessingQuantile(system: TracedSystem, q: number, window: string): string {
    return histogramQuantile(q, spanMetricNames.durationBucket, queueMatchers(system), window, byQueue);
}

/** Mean message processing time per queue: the record's "average time to process messages". */
export function queueProcessingMean(system: TracedSystem, window: string): string {
    return meanOf(spanMetricNames.durationSum, spanMetricNames.durationCount, queueMatchers(system), window, byQueue);
}

/** Estimated real messages processed per second per queue, corrected for head sampling. */
export function queueMessageRate(system: TracedSystem, window: string): string {
    return correctedForHeadSampling(system, sumRate(spanMetricNames.calls, queueMatchers(system), window, byQueue));
}

/** Wait (publish to consume) quantile per queue. */
export function queueWaitQuantile(system: TracedSystem, q: number, window: string): string {
    return histogramQuantile(q, queueWaitMetricNames.bucket, queueWaitMatchers(system), window, byQueue);
}

/** Mean wait per queue. */
export function queueWaitMean(system: TracedSystem, window: string): string {
    return meanOf(queueWaitMetricNames.sum, queueWaitMetricNames.count, queueWaitMatchers(system), window, byQueue);
}
