import { isDatastore, type TracedSystem } from "./settings/types";

/**
 * The RED-metrics contract between the collector gateways (which compute span metrics before tail
 * sampling) and everything that queries them (dashboards, alerts, capacity estimates). The
 * connector settings and the Prometheus names derived from them live here, once, so a query can
 * never name a metric the connector does not emit, and the capacity model counts the series the
 * connector really writes.
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

/**
 * Span attributes (OpenTelemetry semantic conventions) the applications' SDKs set and the
 * dashboards break down by. A dimension is omitted from a series whose span lacks the attribute,
 * so each costs series only where it is set:
 * - `messaging.*`: queue processing per queue (CONSUMER spans);
 * - `db.system.name`, `db.namespace`: which database a CLIENT call went to (PostgreSQL, Redis);
 * - `server.address`: which server a CLIENT call reached (the database host, the payment provider).
 * A CLIENT operation (span name) almost always reaches one database or provider, so these label a
 * series rather than multiply it.
 */
export const spanMetricsExtraDimensions = [
    "messaging.system",
    "messaging.destination.name",
    "db.system.name",
    "db.namespace",
    "server.address",
] as const;

/**
 * The outcome of a request as the decision record defines it, derived on the gateways (metrics
 * branch only, never stored with the trace): HTTP 2xx/3xx success, 5xx error, 401/403 denied,
 * other 4xx client error; work without an HTTP status fails when its span status is ERROR.
 */
export const outcomeAttribute = "tracing.outcome";
export const outcomeValues = { success: "success", clientError: "client_error", denied: "denied", error: "error" } as const;
export type Outcome = (typeof outcomeValues)[keyof typeof outcomeValues];

/** HTTP status attribute the outcome reads (stable semantic conventions; an int). */
export const httpStatusAttribute = "http.response.status_code";

/**
 * Whether a cache lookup found its key. No semantic convention defines a cache hit, so the platform
 * defines this one boolean span attribute; cache clients set it on their CLIENT span.
 */
export const cacheHitAttribute = "cache.hit";

/**
 * Dimensions of the calls counter only (the duration histogram does not need them): the outcome
 * and the cache hit. Counting them on the histogram would multiply every one of its bucket series.
 */
export const spanMetricsCallsDimensions = [outcomeAttribute, cacheHitAttribute] as const;

/**
 * Resource attribute each gateway stamps on the spans it handles, carried into the metrics so that
 * every series has exactly one writer (agents route by trace id, so one service's spans reach
 * every gateway). Stable across restarts: it is the StatefulSet pod name.
 */
export const collectorInstanceAttribute = "otelcol.gateway.instance";

/**
 * Default dimensions the connector must not add: `collector.instance.id` (beta gate
 * connector.spanmetrics.includeCollectorInstanceID) is a fresh UUID per process, so every gateway
 * restart would start a new set of series; the stable gateway instance label above does its job.
 */
export const spanMetricsExcludedDimensions = ["collector.instance.id"] as const;

/**
 * Message wait: the time a message sat in the queue before its consumer started, in milliseconds,
 * on the CONSUMER span. The OpenTelemetry Java agent's RabbitMQ instrumentation sets it (with
 * experimental span attributes on) from the message's AMQP `timestamp` property, which the
 * producer or the broker's message-timestamp plugin writes; other consumers set it the same way.
 */
export const queueTimeAttribute = "rabbitmq.record.queue_time_ms";

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
    dbSystem: promName("db.system.name"),
    dbNamespace: promName("db.namespace"),
    serverAddress: promName("server.address"),
    outcome: promName(outcomeAttribute),
    cacheHit: promName(cacheHitAttribute),
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

// ---- the queue-wait histogram -------------------------------------------------------------------

/** Namespace of the second connector, whose "duration" is the message wait. */
export const queueWaitNamespace = "traces.queue.wait";

/** Buckets (ms) from a message picked up at once to one left an hour in the queue. */
export const queueWaitBucketsMs = [10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000] as const;

/** The queue-wait connector keeps only these dimensions (service, queue, gateway instance). */
export const queueWaitDimensions = ["messaging.system", "messaging.destination.name"] as const;

/** Default dimensions the queue-wait connector drops: one series per consumer service and queue. */
export const queueWaitExcludedDimensions = ["span.name", "span.kind", "status.code", "collector.instance.id"] as const;

const waitPrefix = promName(queueWaitNamespace);

export const queueWaitMetricNames = {
    bucket: `${waitPrefix}_duration_${unitSuffix}_bucket`,
    sum: `${waitPrefix}_duration_${unitSuffix}_sum`,
    count: `${waitPrefix}_duration_${unitSuffix}_count`,
} as const;

// ---- what the series cost -------------------------------------------------------------------------

/** Series one duration histogram writes per label set: a bucket per bound, +Inf, _sum and _count. */
export function histogramSeries(bounds: number): number {
    return bounds + 1 + 2;
}

/**
 * Label values a calls-only dimension adds per operation at most: every outcome, and a hit and a
 * miss on cache calls. The outcome follows the span status (error <-> ERROR), so it replaces the
 * status split rather than multiplying it.
 */
export const callsDimensionValues = { outcomes: Object.keys(outcomeValues).length, cacheHit: 2 } as const;

/**
 * Series one operation (service, span name, kind, and the database, provider or queue it reaches)
 * writes per gateway: the duration histogram per status code, and the calls counter per outcome
 * (and per hit or miss for cache calls).
 */
export function seriesPerOperation(statusCodes: number, cacheCalls: boolean): number {
    const calls = callsDimensionValues.outcomes * (cacheCalls ? callsDimensionValues.cacheHit : 1);
    return statusCodes * histogramSeries(spanMetricsBucketsMs.length) + calls;
}

/** Series the queue-wait connector writes per consumer service and queue, per gateway. */
export function queueWaitSeriesPerQueue(): number {
    // One calls counter and the histogram; the default dimensions it keeps are service.name and the queue.
    return 1 + histogramSeries(queueWaitBucketsMs.length);
}

/** What the capacity model assumes about the spans a system's services produce. */
export interface OperationAssumptions {
    /** Span names (routes, RPC methods, queries, queue operations) per service, or per datastore its callers reach. */
    readonly operationsPerService: number;
    /** Status codes one operation shows (unset or OK, and ERROR). */
    readonly statusCodesPerOperation: number;
}

/**
 * Series one system makes each gateway write. Services write their operations; a database or cache
 * runs no SDK, so the operations its callers run against it (queries, cache commands) are counted
 * with it, per db.system.name. Queue consumers add one processing operation per queue and the
 * queue-wait histogram of each queue.
 */
export function spanMetricSeriesPerGateway(system: TracedSystem, assume: OperationAssumptions): number {
    const sources = isDatastore(system) ? system.dbSystems.length : system.serviceNames.length;
    const operations = sources * assume.operationsPerService + system.queues.length;
    const wait = system.kind === "queue" ? system.queues.length * queueWaitSeriesPerQueue() : 0;
    return operations * seriesPerOperation(assume.statusCodesPerOperation, system.kind === "cache") + wait;
}
