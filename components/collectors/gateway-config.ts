/**
 * The gateways' config (StatefulSet, otelcol-contrib): OTLP over mutual TLS -> memory_limiter -> PII scrubbing
 * (again: senders that bypass the agents, and idempotent for those that did not) -> fan-out:
 * one branch stamps the gateway instance and feeds span_metrics, so RED metrics see every span;
 * the other runs tail_sampling -> batch -> otlp_grpc to Tempo over mutual TLS with a persistent,
 * never-expiring retry queue. Span metrics and the fleet's own otelcol_* metrics go to Amazon
 * Managed Prometheus by remote write signed with SigV4.
 */
import { capacityAssumptions } from "../capacity/plan";
import { ottlString, piiTraceStatements } from "./pii-scrubbing";
import {
    collectorInstanceAttribute,
    spanMetricsBucketsMs,
    spanMetricsExtraDimensions,
    spanMetricsFlushSeconds,
    spanMetricsHistogramUnit,
    spanMetricsNamespace,
} from "../platform/span-metrics";
import { buildTailSampling, type TailSamplingInput } from "./tail-sampling";
import { assertImageSupportsConfig } from "./components";
import { ports, serviceDnsNames } from "../platform/names";
import type { CapacityPlan } from "../capacity/plan";
import type { ImageRef, Settings } from "../platform/settings";
import {
    batch,
    batchSpans,
    collectorEnv,
    collectorPaths,
    envRef,
    healthCheck,
    memoryLimiter,
    mutualClientTls,
    otlpReceiver,
    selfMetricsJobs,
    selfMetricsReceiver,
    telemetry,
} from "./config";
import type { CollectorConfig } from "./config-types";

/**
 * Server names the TLS clients verify (certificates carry the Services' DNS names). The gateways
 * need none: the agents' resolver returns each pod's stable hostname
 * (`otel-gateway-<n>.otel-gateway-headless.<ns>`), which the gateway certificate lists, so every
 * connection verifies the very pod it reaches and the trace-ID ring survives pod restarts.
 */
export const tlsServerNames = {
    tempo: serviceDnsNames("tempoIngest").at(-1)!,
} as const;

/**
 * Id of the Tempo exporter. Its persistent queue's files on the gateway volume are named after it,
 * so renaming it would orphan whatever is queued (collector#14988).
 */
export const tempoExporterId = "otlp_grpc/tempo";

/** Share of the queue volume the persistent queue may fill (the rest: bbolt compaction headroom). */
export const queueVolumeShare = capacityAssumptions.queueVolumeShare.value;

/** The gateway's component ids and pipeline names. */
export const gatewayIds = {
    pii: "transform/pii",
    fanout: "forward/fanout",
    gatewayInstance: "resource/gateway_instance",
    spanMetrics: "span_metrics",
    serviceGraph: "service_graph",
    spanMetricsResource: "transform/span_metrics_resource",
    tailSampling: "tail_sampling",
    queueStorage: "file_storage/queue",
    remoteWrite: "prometheus_remote_write",
    selfMetricsReceiver: "prometheus/self",
    selfMetricsFilter: "filter/self_metrics",
    tracesIngest: "traces/ingest",
    tracesSpanMetrics: "traces/span_metrics",
    tracesSampling: "traces/sampling",
    metricsSpanMetrics: "metrics/span_metrics",
    metricsSelf: "metrics/self",
} as const;

/** Self metrics the gateways forward: otelcol_* series and scrape health (`up`), nothing an agent could inject. */
export const selfMetricsKeptPrefix = "^otelcol_";

/** Persistent-queue capacity in requests that fits the volume (each request at most one batch). */
export function persistentQueueRequests(queueVolumeGb: number): number {
    const requestBytes = batchSpans * capacityAssumptions.bytesPerSpan.value;
    return Math.max(100, Math.floor((queueVolumeGb * 2 ** 30 * queueVolumeShare) / requestBytes));
}

export interface GatewayConfigInput {
    /** The gateway image (config collectorGatewayImage); the config is checked against it. */
    readonly image: ImageRef;
    /** AWS region of the metrics workspace (SigV4 signing region). */
    readonly region: string;
    /** Drop client.address and related attributes (config piiDropClientAddress). */
    readonly dropClientAddress: boolean;
    /** Systems, buffer sizes and replica floor for tail sampling. */
    readonly tailSampling: TailSamplingInput;
    /** Size of each gateway's queue volume in GiB (capacity plan). */
    readonly queueVolumeGb: number;
}

/** The gateway inputs a stack's settings and capacity plan determine. */
export function gatewayConfigInput(settings: Settings, plan: CapacityPlan, region: string): GatewayConfigInput {
    return {
        image: settings.images.collectorGateway,
        region,
        dropClientAddress: settings.collectors.dropClientAddress,
        tailSampling: {
            systems: settings.systems,
            numTraces: plan.gateway.numTraces,
            expectedNewTracesPerSecond: plan.gateway.expectedNewTracesPerSecond,
            gatewayMinReplicas: settings.collectors.gatewayMinReplicas,
        },
        queueVolumeGb: plan.gateway.queueVolumeGb,
    };
}

export function buildGatewayConfig(input: GatewayConfigInput): CollectorConfig {
    const ids = gatewayIds;
    const config: CollectorConfig = {
        extensions: {
            health_check: healthCheck,
            [ids.queueStorage]: {
                directory: collectorPaths.queueDir,
                create_directory: false,
                timeout: "1s",
                fsync: true,
                compaction: {
                    directory: collectorPaths.queueDir,
                    on_start: true,
                    on_rebound: true,
                    rebound_needed_threshold_mib: 100,
                    rebound_trigger_threshold_mib: 10,
                },
            },
            sigv4auth: { region: input.region, service: "aps" },
        },
        receivers: { otlp: otlpReceiver(true), [ids.selfMetricsReceiver]: selfMetricsReceiver(selfMetricsJobs.gateway) },
        processors: {
            memory_limiter: memoryLimiter,
            [ids.pii]: { error_mode: "ignore", trace_statements: piiTraceStatements({ dropClientAddress: input.dropClientAddress }) },
            [ids.gatewayInstance]: { attributes: [{ key: collectorInstanceAttribute, value: envRef(collectorEnv.podName), action: "upsert" }] },
            [ids.spanMetricsResource]: {
                error_mode: "ignore",
                // One resource per service per gateway: series differ by labels only, never by app pod identity.
                metric_statements: [{ statements: ['keep_keys(resource.attributes, ["service.name"])'] }],
            },
            [ids.tailSampling]: buildTailSampling(input.tailSampling),
            [ids.selfMetricsFilter]: {
                error_mode: "ignore",
                metrics: { metric: [`not IsMatch(name, ${ottlString(selfMetricsKeptPrefix)}) and name != "up"`] },
            },
            batch,
        },
        connectors: {
            [ids.fanout]: {},
            [ids.spanMetrics]: {
                namespace: spanMetricsNamespace,
                histogram: { unit: spanMetricsHistogramUnit, explicit: { buckets: spanMetricsBucketsMs.map((ms) => `${ms}ms`) } },
                dimensions: [...spanMetricsExtraDimensions, collectorInstanceAttribute].map((name) => ({ name })),
                aggregation_temporality: "AGGREGATION_TEMPORALITY_CUMULATIVE",
                metrics_flush_interval: `${spanMetricsFlushSeconds}s`,
                // Series of vanished span names stop being written instead of lingering for ever.
                metrics_expiration: "5m",
                resource_metrics_key_attributes: ["service.name"],
                // Beyond this a gateway folds new label sets into one overflow series rather than growing without bound.
                aggregation_cardinality_limit: 50_000,
            },
            // Grafana's service map (traces_service_graph_*), computed like the RED metrics from every span
            // before sampling. Agents route by trace id, so both spans of an edge reach the same gateway; the
            // store waits long enough for a consumer to pick a message up after its producer finished.
            [ids.serviceGraph]: {
                latency_histogram_buckets: spanMetricsBucketsMs.map((ms) => `${ms}ms`),
                dimensions: [collectorInstanceAttribute],
                store: { ttl: "10s", max_items: 50_000 },
                metrics_flush_interval: `${spanMetricsFlushSeconds}s`,
            },
        },
        exporters: {
            [tempoExporterId]: {
                endpoint: `${tlsServerNames.tempo}:${ports.otlpGrpc}`,
                tls: mutualClientTls(),
                compression: "gzip",
                timeout: "10s",
                sending_queue: {
                    enabled: true,
                    storage: ids.queueStorage,
                    queue_size: persistentQueueRequests(input.queueVolumeGb),
                    num_consumers: 10,
                    block_on_overflow: false,
                },
                retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "60s", max_elapsed_time: "0s" },
            },
            [ids.remoteWrite]: {
                endpoint: envRef(collectorEnv.remoteWriteUrl),
                auth: { authenticator: "sigv4auth" },
                tls: { insecure: false, min_version: "1.2" },
                timeout: "30s",
                // Span metrics keep only the connector's dimensions as labels; resource attributes stay out of the series.
                resource_to_telemetry_conversion: { enabled: false },
                remote_write_queue: { enabled: true, queue_size: 10_000, num_consumers: 5 },
                retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "30s", max_elapsed_time: "600s" },
            },
        },
        service: {
            extensions: ["health_check", ids.queueStorage, "sigv4auth"],
            telemetry,
            pipelines: {
                // Scrub once, then fan out: RED metrics from every span, sampling on the same scrubbed data.
                [ids.tracesIngest]: { receivers: ["otlp"], processors: ["memory_limiter", ids.pii], exporters: [ids.fanout] },
                [ids.tracesSpanMetrics]: { receivers: [ids.fanout], processors: [ids.gatewayInstance], exporters: [ids.spanMetrics, ids.serviceGraph] },
                [ids.tracesSampling]: { receivers: [ids.fanout], processors: [ids.tailSampling, "batch"], exporters: [tempoExporterId] },
                [ids.metricsSpanMetrics]: {
                    receivers: [ids.spanMetrics, ids.serviceGraph],
                    processors: [ids.spanMetricsResource, "batch"],
                    exporters: [ids.remoteWrite],
                },
                [ids.metricsSelf]: {
                    receivers: ["otlp", ids.selfMetricsReceiver],
                    processors: ["memory_limiter", ids.selfMetricsFilter, "batch"],
                    exporters: [ids.remoteWrite],
                },
            },
        },
    };
    assertImageSupportsConfig(config, input.image, "collectorGatewayImage");
    return config;
}
