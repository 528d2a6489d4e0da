/**
 * The RED-metrics contract between the collector gateways (which compute span metrics before tail
 * sampling) and everything that queries them (dashboards, alerts, capacity estimates). The
 * connector settings and the Prometheus names derived from them live here, once, so a query can
 * never name a metric the connector does not emit.
 */

/** Connector namespace; Prometheus names start with it, dots turned to underscores. */
export const spanMetricsNamespace = "traces.span.metrics";

/**
 * Histogram unit, pinned: the connector's default is moving from ms to s behind a feature gate, and
 * an unpinned unit would silently rename every duration series.
 */
export const spanMetricsHistogramUnit = "ms" as const;

/**
 * Explicit histogram buckets (ms). Every latency and queue-processing objective of the shipped
 * catalogue is a bound, so "p95 above the objective" is read exactly from one bucket rather than
 * interpolated; Apdex's tolerated bound (4T) is interpolated inside a bucket, as histogram_quantile
 * does. Each bucket is one series per operation, status and gateway: twelve instead of nineteen.
 */
export const spanMetricsBucketsMs = [5, 50, 150, 200, 300, 500, 800, 1000, 1500, 2000, 5000, 10000] as const;

/**
 * Seconds between span-metric flushes (connector and service graph), each writing one sample per
 * series. Alert windows must span at least four flushes (`minimumFlushesPerWindow`) so a rate over
 * them always has enough points; Grafana's data source takes the same figure as its interval.
 */
export const spanMetricsFlushSeconds = 60;

/** Fewest flushes a rate window over the span metrics may cover. */
export const minimumFlushesPerWindow = 4;

/** Span attributes added as metric dimensions beyond the defaults (service, span name, kind, status). */
export const spanMetricsExtraDimensions = ["messaging.system", "messaging.destination.name"] as const;

/**
 * Resource attribute each gateway stamps on the spans it handles, carried into the metrics so that
 * every series has exactly one writer (agents route by trace id, so one service's spans reach
 * every gateway).
 */
export const collectorInstanceAttribute = "otelcol.gateway.instance";

function promName(attribute: string): string {
    return attribute.replace(/[^A-Za-z0-9_]/g, "_");
}

const unitSuffix = { ms: "milliseconds", s: "seconds" }[spanMetricsHistogramUnit];
const prefix = promName(spanMetricsNamespace);

/** Prometheus series names after remote write translation (counter `_total`, unit suffix). */
export const spanMetricNames = {
    calls: `${prefix}_calls_total`,
    durationBucket: `${prefix}_duration_${unitSuffix}_bucket`,
    durationSum: `${prefix}_duration_${unitSuffix}_sum`,
    durationCount: `${prefix}_duration_${unitSuffix}_count`,
} as const;

/** Prometheus label names of the dimensions. */
export const spanMetricLabels = {
    service: promName("service.name"),
    spanName: promName("span.name"),
    spanKind: promName("span.kind"),
    statusCode: promName("status.code"),
    messagingSystem: promName("messaging.system"),
    queue: promName("messaging.destination.name"),
    collectorInstance: promName(collectorInstanceAttribute),
} as const;

/** Label values the connector writes. */
export const spanMetricValues = {
    serverKind: "SPAN_KIND_SERVER",
    consumerKind: "SPAN_KIND_CONSUMER",
    producerKind: "SPAN_KIND_PRODUCER",
    clientKind: "SPAN_KIND_CLIENT",
    errorStatus: "STATUS_CODE_ERROR",
} as const;

/** Duration values in the histogram's unit, so thresholds in ms from the catalogue map 1:1. */
export function durationInHistogramUnit(milliseconds: number): number {
    return spanMetricsHistogramUnit === "ms" ? milliseconds : milliseconds / 1000;
}
