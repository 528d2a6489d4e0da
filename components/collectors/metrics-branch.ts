/**
 * What the gateways do to their copy of the spans on the metrics branch, before the connectors
 * count them. Nothing here reaches Tempo: the fan-out hands this branch its own copy.
 *
 * 1. The request outcome, as the decision record defines success and errors: HTTP 2xx/3xx success,
 *    5xx error, 401/403 denied, other 4xx client error; work without an HTTP status fails when
 *    its span status is ERROR. One calls-counter dimension, so a ratio is one selector.
 * 2. The queue-wait branch: CONSUMER spans that carry the message's time in the queue become
 *    spans whose duration is that wait, so a second span_metrics connector histograms the wait
 *    per queue exactly as the first histograms processing time.
 */
import { ottlString } from "./pii-scrubbing";
import {
    collectorInstanceAttribute,
    httpStatusAttribute,
    outcomeAttribute,
    outcomeValues,
    queueTimeAttribute,
    queueWaitBucketsMs,
    queueWaitDimensions,
    queueWaitExcludedDimensions,
    queueWaitNamespace,
    spanMetricsFlushSeconds,
    spanMetricsHistogramUnit,
} from "../platform/span-metrics";
import type { TracedSystem } from "../platform/settings";
import type { FilterConfig, SpanMetricsConnectorConfig, TransformConfig } from "./config-types";

const attribute = (key: string) => `span.attributes[${ottlString(key)}]`;

/**
 * OTTL statements (span context) that set the outcome on every span. The HTTP rules run first;
 * whatever they left unset (no HTTP status, or one that is not an integer) falls back to the span
 * status. A value an application set itself is discarded: the outcome is the platform's verdict.
 */
export function outcomeStatements(): string[] {
    const outcome = attribute(outcomeAttribute);
    const status = attribute(httpStatusAttribute);
    const set = (value: string, condition: string) => `set(${outcome}, ${ottlString(value)}) where ${condition}`;
    return [
        `delete_key(span.attributes, ${ottlString(outcomeAttribute)})`,
        set(outcomeValues.success, `IsInt(${status}) and ${status} < 400`),
        set(outcomeValues.clientError, `IsInt(${status}) and ${status} >= 400 and ${status} < 500`),
        set(outcomeValues.denied, `IsInt(${status}) and (${status} == 401 or ${status} == 403)`),
        set(outcomeValues.error, `IsInt(${status}) and ${status} >= 500`),
        set(outcomeValues.error, `${outcome} == nil and span.status.code == STATUS_CODE_ERROR`),
        set(outcomeValues.success, `${outcome} == nil`),
    ];
}

export function outcomeProcessor(): TransformConfig {
    return { error_mode: "ignore", trace_statements: [{ statements: outcomeStatements() }] };
}

/** Spans the queue-wait branch drops: all but CONSUMER spans with a non-negative integer wait. */
export function queueWaitFilter(): FilterConfig {
    const wait = attribute(queueTimeAttribute);
    return { error_mode: "ignore", trace_conditions: [`span.kind != SPAN_KIND_CONSUMER or not IsInt(${wait}) or ${wait} < 0`] };
}

/**
 * Moves the span to the interval the message waited: it ends where processing started and starts
 * the wait earlier. The connector's duration histogram then measures the wait.
 */
export function queueWaitStatements(): string[] {
    const wait = attribute(queueTimeAttribute);
    return [
        "set(span.end_time_unix_nano, span.start_time_unix_nano)",
        `set(span.start_time_unix_nano, span.start_time_unix_nano - ${wait} * 1000000)`,
    ];
}

export function queueWaitProcessor(): TransformConfig {
    return { error_mode: "ignore", trace_statements: [{ statements: queueWaitStatements() }] };
}

/** The second span_metrics connector: one histogram of message wait per consumer service and queue. */
export function queueWaitConnector(): SpanMetricsConnectorConfig {
    return {
        namespace: queueWaitNamespace,
        histogram: { unit: spanMetricsHistogramUnit, explicit: { buckets: queueWaitBucketsMs.map((ms) => `${ms}ms`) } },
        dimensions: [...queueWaitDimensions, collectorInstanceAttribute].map((name) => ({ name })),
        exclude_dimensions: [...queueWaitExcludedDimensions],
        aggregation_temporality: "AGGREGATION_TEMPORALITY_CUMULATIVE",
        metrics_flush_interval: `${spanMetricsFlushSeconds}s`,
        metrics_expiration: "5m",
        resource_metrics_key_attributes: ["service.name"],
        aggregation_cardinality_limit: 10_000,
    };
}

/** Floor of the service graph's pairing store, the connector's documented default for Tempo's generator. */
export const serviceGraphMinimumTtlSeconds = 10;

/** How many times a queue's wait objective the store keeps a producer span waiting for its consumer. */
export const serviceGraphWaitCoverage = 4;

/**
 * Seconds the service graph keeps one side of an edge waiting for the other. A PRODUCER span is
 * paired with its CONSUMER span only if the consumer starts within this time, so it covers the
 * slowest queue's wait objective several times over; a message that waits longer still counts in
 * the wait histogram, only its service-map edge is lost.
 */
export function serviceGraphTtlSeconds(systems: readonly TracedSystem[]): number {
    const waits = systems.flatMap((s) => (s.queueWaitSloMs !== undefined ? [s.queueWaitSloMs] : []));
    const longest = Math.max(0, ...waits);
    return Math.max(serviceGraphMinimumTtlSeconds, Math.ceil((longest * serviceGraphWaitCoverage) / 1000));
}
