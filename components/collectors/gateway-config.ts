/**
 * The gateways' config (StatefulSet, otelcol-contrib): OTLP over mutual TLS -> memory_limiter -> PII scrubbing
 * (again: senders that bypass the agents, and idempotent for those that did not) -> fan-out:
 * one branch stamps the gateway instance and the request outcome and feeds span_metrics, so RED
 * metrics see every span; a second turns consumer spans into their queue wait for another
 * span_metrics instance;
 * the other runs tail_sampling -> batch -> otlp_grpc to Tempo over mutual TLS with a persistent,
 * never-expiring retry queue. Span metrics and the fleet's own otelcol_* metrics go to Amazon
 * Managed Prometheus by remote write signed with SigV4. The platform's own logs, which the agents
 * forward, are scrubbed and written to the workload log group in CloudWatch Logs.
 */
import { capacityAssumptions } from "../capacity/plan";
import { ottlString, piiLogStatements, piiTraceStatements } from "./pii-scrubbing";
import { logStreamProcessor, platformLogsFilter, workloadLogExporter } from "./platform-logs";
import {
    collectorInstanceAttribute,
    spanMetricsBucketsMs,
    spanMetricsCallsDimensions,
    spanMetricsExcludedDimensions,
    spanMetricsExtraDimensions,
    spanMetricsFlushSeconds,
    spanMetricsHistogramUnit,
    spanMetricsNamespace,
} from "../platform/span-metrics";
import { outcomeProcessor, queueWaitConnector, queueWaitFilter, queueWaitProcessor, serviceGraphTtlSeconds } from "./metrics-branch";
import { buildTailSampling, type TailSamplingInput } from "./tail-sampling";
import { assertImageSupportsConfig } from "./components";
import { platformMetricPrefixes } from "./platform-scrape";
import { kafkaMetricPrefixes, kafkaScrapeReceiver } from "./kafka-scrape";
import { awsResourceNames, ports, serviceDnsNames } from "../platform/names";
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
    queueWait: "span_metrics/queue_wait",
    serviceGraph: "service_graph",
    outcome: "transform/outcome",
    queueWaitFilter: "filter/queue_wait",
    queueWaitShift: "transform/queue_wait",
    spanMetricsResource: "transform/span_metrics_resource",
    tailSampling: "tail_sampling",
    queueStorage: "file_storage/queue",
    remoteWrite: "prometheus_remote_write",
    selfMetricsReceiver: "prometheus/self",
    kafkaReceiver: "prometheus/kafka",
    selfMetricsFilter: "filter/self_metrics",
    tracesIngest: "traces/ingest",
    tracesSpanMetrics: "traces/span_metrics",
    tracesQueueWait: "traces/queue_wait",
    tracesSampling: "traces/sampling",
    metricsSpanMetrics: "metrics/span_metrics",
    metricsSelf: "metrics/self",
    logsFilter: "filter/platform_logs",
    logsPii: "transform/pii_logs",
    logStream: "transform/log_stream",
    logsExporter: "awscloudwatchlogs",
    logsPipeline: "logs/platform",
} as const;

/**
 * Platform metrics the gateways forward: the collectors' otelcol_*, Tempo's, Grafana's and MSK's
 * series and scrape health (`up`), nothing else an agent could inject.
 */
export const selfMetricsKeptPattern = `^(otelcol_|${[...platformMetricPrefixes, ...kafkaMetricPrefixes].join("|")})`;

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
    /** MSK brokers whose metrics one gateway scrapes (distributed Tempo); 0: no MSK. */
    readonly kafkaBrokerCount: number;
    /** The workload log group the platform's logs are shipped to (created by the data plane). */
    readonly workloadLogGroup: string;
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
        // The brokers the capacity plan gives MSK (distributed Tempo only).
        kafkaBrokerCount: plan.tempo.distributed?.msk.brokerCount ?? 0,
        workloadLogGroup: awsResourceNames(settings.environment, settings.aws.accountId, region).workloadLogGroup,
    };
}

export function buildGatewayConfig(input: GatewayConfigInput): CollectorConfig {
    const ids = gatewayIds;
    const kafka = input.kafkaBrokerCount > 0;
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
        receivers: {
            otlp: otlpReceiver(true),
            [ids.selfMetricsReceiver]: selfMetricsReceiver(selfMetricsJobs.gateway),
            ...(kafka ? { [ids.kafkaReceiver]: kafkaScrapeReceiver(input.kafkaBrokerCount, selfMetricsJobs.gateway) } : {}),
        },
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
            [ids.outcome]: outcomeProcessor(),
            [ids.queueWaitFilter]: queueWaitFilter(),
            [ids.queueWaitShift]: queueWaitProcessor(),
            [ids.selfMetricsFilter]: {
                error_mode: "ignore",
                metric_conditions: [`not IsMatch(metric.name, ${ottlString(selfMetricsKeptPattern)}) and metric.name != "up"`],
            },
            [ids.logsFilter]: platformLogsFilter(),
            [ids.logsPii]: { error_mode: "ignore", log_statements: piiLogStatements() },
            [ids.logStream]: logStreamProcessor(),
            batch,
        },
        connectors: {
            [ids.fanout]: {},
            [ids.spanMetrics]: {
                namespace: spanMetricsNamespace,
                histogram: { unit: spanMetricsHistogramUnit, explicit: { buckets: spanMetricsBucketsMs.map((ms) => `${ms}ms`) } },
                dimensions: [...spanMetricsExtraDimensions, collectorInstanceAttribute].map((name) => ({ name })),
                calls_dimensions: spanMetricsCallsDimensions.map((name) => ({ name })),
                exclude_dimensions: [...spanMetricsExcludedDimensions],
                aggregation_temporality: "AGGREGATION_TEMPORALITY_CUMULATIVE",
                metrics_flush_interval: `${spanMetricsFlushSeconds}s`,
                // Series of vanished span names stop being written instead of lingering for ever.
                metrics_expiration: "5m",
                resource_metrics_key_attributes: ["service.name"],
                // Beyond this a gateway folds new label sets into one overflow series rather than growing without bound.
                aggregation_cardinality_limit: 50_000,
            },
            [ids.queueWait]: queueWaitConnector(),
            // Grafana's service map (traces_service_graph_*), computed like the RED metrics from every span
            // before sampling. Agents route by trace id, so both spans of an edge reach the same gateway; the
            // store waits long enough for a consumer to pick a message up after its producer finished.
            [ids.serviceGraph]: {
                latency_histogram_buckets: spanMetricsBucketsMs.map((ms) => `${ms}ms`),
                dimensions: [collectorInstanceAttribute],
                store: { ttl: `${serviceGraphTtlSeconds(input.tailSampling.systems)}s`, max_items: 50_000 },
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
                http: {
                    endpoint: envRef(collectorEnv.remoteWriteUrl),
                    auth: { authenticator: "sigv4auth" },
                    tls: { insecure: false, min_version: "1.2" },
                    timeout: "30s",
                },
                timeout: "30s",
                // Span metrics keep only the connector's dimensions as labels; resource attributes stay out of the series.
                resource_to_telemetry_conversion: { enabled: false },
                remote_write_queue: { enabled: true, queue_size: 10_000, num_consumers: 5 },
                retry_on_failure: { enabled: true, initial_interval: "5s", max_interval: "30s", max_elapsed_time: "600s" },
            },
            [ids.logsExporter]: workloadLogExporter({ logGroupName: input.workloadLogGroup, region: input.region }),
        },
        service: {
            extensions: ["health_check", ids.queueStorage, "sigv4auth"],
            telemetry,
            pipelines: {
                // Scrub once, then fan out: RED metrics from every span, sampling on the same scrubbed data.
                [ids.tracesIngest]: { receivers: ["otlp"], processors: ["memory_limiter", ids.pii], exporters: [ids.fanout] },
                [ids.tracesSpanMetrics]: {
                    receivers: [ids.fanout],
                    processors: [ids.gatewayInstance, ids.outcome],
                    exporters: [ids.spanMetrics, ids.serviceGraph],
                },
                [ids.tracesQueueWait]: {
                    receivers: [ids.fanout],
                    processors: [ids.queueWaitFilter, ids.queueWaitShift, ids.gatewayInstance],
                    exporters: [ids.queueWait],
                },
                [ids.tracesSampling]: { receivers: [ids.fanout], processors: [ids.tailSampling, "batch"], exporters: [tempoExporterId] },
                [ids.metricsSpanMetrics]: {
                    receivers: [ids.spanMetrics, ids.queueWait, ids.serviceGraph],
                    processors: [ids.spanMetricsResource, "batch"],
                    exporters: [ids.remoteWrite],
                },
                [ids.metricsSelf]: {
                    receivers: ["otlp", ids.selfMetricsReceiver, ...(kafka ? [ids.kafkaReceiver] : [])],
                    processors: ["memory_limiter", ids.selfMetricsFilter, "batch"],
                    exporters: [ids.remoteWrite],
                },
                // Only the platform's namespaces, scrubbed, one stream per container.
                [ids.logsPipeline]: {
                    receivers: ["otlp"],
                    processors: ["memory_limiter", ids.logsFilter, ids.logsPii, ids.logStream, "batch"],
                    exporters: [ids.logsExporter],
                },
            },
        },
    };
    assertImageSupportsConfig(config, input.image, "collectorGatewayImage");
    return config;
}
