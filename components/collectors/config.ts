/**
 * The collector fleet's configuration as typed objects, rendered to YAML for the ConfigMaps.
 *
 * Agents (one per node, otelcol-k8s): OTLP over TLS from applications -> memory_limiter ->
 * k8s_attributes -> resource_detection -> PII scrubbing -> batch -> load_balancing by trace id to
 * the gateways over mutual TLS.
 *
 * Gateways (StatefulSet, otelcol-contrib): OTLP over mutual TLS -> memory_limiter -> PII scrubbing
 * (again: senders that bypass the agents, and idempotent for those that did not) -> fan-out:
 * one branch stamps the gateway instance and feeds span_metrics, so RED metrics see every span;
 * the other runs tail_sampling -> batch -> otlp_grpc to Tempo over mutual TLS with a persistent,
 * never-expiring retry queue. Span metrics and the fleet's own otelcol_* metrics go to Amazon
 * Managed Prometheus by remote write signed with SigV4.
 *
 * Every file path, port, env var and component id is a constant here, so the pod specs that mount
 * and set them are built from the same names the config reads.
 */
import * as yaml from "yaml";
import { capacityAssumptions } from "../capacity/plan";
import { ottlString, piiTraceStatements, type TransformStatementGroup } from "./pii-scrubbing";
import {
    collectorInstanceAttribute,
    spanMetricsBucketsMs,
    spanMetricsExtraDimensions,
    spanMetricsHistogramUnit,
    spanMetricsNamespace,
} from "../platform/span-metrics";
import { buildTailSampling, type TailSamplingConfig, type TailSamplingInput } from "./tail-sampling";
import { assertImageSupportsConfig } from "./components";
import { ports, serviceDnsNames, services, workloads } from "../platform/names";
import type { CapacityPlan } from "../capacity/plan";
import type { ImageRef, Settings } from "../platform/settings";

/** Where the pod specs mount what the config reads. */
export const collectorPaths = {
    configDir: "/conf",
    configFileName: "config.yaml",
    serverTlsDir: "/tls/server",
    clientTlsDir: "/tls/client",
    caDir: "/tls/ca",
    queueDir: "/var/lib/otelcol/queue",
    scratchDir: "/tmp",
} as const;

/** Environment variables the config expands (`${env:NAME}`) and the pod specs set. */
export const collectorEnv = {
    podIp: "MY_POD_IP",
    podName: "MY_POD_NAME",
    nodeName: "K8S_NODE_NAME",
    /** Remote-write URL of the metrics workspace; an env var so the rendered config is known before the workspace exists. */
    remoteWriteUrl: "PROMETHEUS_REMOTE_WRITE_URL",
    /** Read by resource_detection's env detector: cluster, environment and cloud attributes. */
    resourceAttributes: "OTEL_RESOURCE_ATTRIBUTES",
} as const;

/** Loopback address of the collectors' own Prometheus endpoint: scraped in-pod, reachable from nowhere else. */
export const selfMetricsAddress = { host: "127.0.0.1", port: ports.collectorMetrics } as const;

/** `job` label of each tier's otelcol_* series in the metrics workspace (`instance` is the pod name). */
export const selfMetricsJobs = { agent: workloads.agent.name, gateway: workloads.gateway.name } as const;

/** TLS 1.3 on every hop: every SDK and collector in the platform supports it, and it drops legacy suites. */
export const tlsMinVersion = "1.3";

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

/** Batch size in spans; also the largest request the persistent queue stores. */
export const batchSpans = 8192;

/** Share of the queue volume the persistent queue may fill (the rest: bbolt compaction headroom). */
export const queueVolumeShare = 0.8;

type TlsVersion = "1.2" | "1.3";

export interface TlsServerSettings {
    readonly cert_file: string;
    readonly key_file: string;
    /** Present: clients must present a certificate signed by this CA (mutual TLS). */
    readonly client_ca_file?: string;
    readonly client_ca_file_reload?: boolean;
    readonly min_version: TlsVersion;
    readonly reload_interval: string;
}

export interface TlsClientSettings {
    readonly insecure: false;
    readonly ca_file?: string;
    readonly cert_file?: string;
    readonly key_file?: string;
    readonly min_version: TlsVersion;
    readonly server_name_override?: string;
    readonly reload_interval?: string;
}

export interface OtlpReceiverConfig {
    readonly protocols: {
        readonly grpc: { readonly endpoint: string; readonly tls: TlsServerSettings };
        readonly http: { readonly endpoint: string; readonly tls: TlsServerSettings };
    };
}

export interface PrometheusReceiverConfig {
    readonly config: {
        readonly scrape_configs: readonly {
            readonly job_name: string;
            readonly scrape_interval: string;
            readonly static_configs: readonly { readonly targets: readonly string[] }[];
            readonly relabel_configs: readonly { readonly target_label: string; readonly replacement: string }[];
        }[];
    };
}

export interface MemoryLimiterConfig {
    readonly check_interval: string;
    readonly limit_percentage: number;
    readonly spike_limit_percentage: number;
}

export interface BatchConfig {
    readonly send_batch_size: number;
    readonly send_batch_max_size: number;
    readonly timeout: string;
}

export interface K8sAttributesConfig {
    readonly auth_type: "serviceAccount";
    readonly passthrough: false;
    readonly wait_for_metadata: boolean;
    readonly wait_for_metadata_timeout: string;
    readonly filter: { readonly node_from_env_var: string };
    readonly pod_association: readonly { readonly sources: readonly { readonly from: "resource_attribute" | "connection"; readonly name?: string }[] }[];
    readonly extract: { readonly metadata: readonly string[] };
}

export interface ResourceDetectionConfig {
    readonly detectors: readonly string[];
    readonly timeout: string;
    readonly override: boolean;
}

export interface TransformConfig {
    readonly error_mode: "ignore";
    readonly trace_statements?: readonly TransformStatementGroup[];
    readonly metric_statements?: readonly TransformStatementGroup[];
}

export interface ResourceProcessorConfig {
    readonly attributes: readonly { readonly key: string; readonly value: string; readonly action: "upsert" }[];
}

export interface FilterConfig {
    readonly error_mode: "ignore";
    /** A metric is dropped when any condition is true. */
    readonly metrics: { readonly metric: readonly string[] };
}

export interface QueueSettings {
    readonly enabled: boolean;
    readonly queue_size?: number;
    readonly num_consumers?: number;
    readonly storage?: string;
    readonly block_on_overflow?: boolean;
}

export interface RetrySettings {
    readonly enabled: boolean;
    readonly initial_interval?: string;
    readonly max_interval?: string;
    /** 0s: retry for ever (with a persistent queue nothing is dropped while the backend is down). */
    readonly max_elapsed_time?: string;
}

export interface OtlpGrpcExporterConfig {
    readonly endpoint?: string;
    readonly tls: TlsClientSettings;
    readonly compression: "gzip";
    readonly timeout: string;
    readonly sending_queue: QueueSettings;
    readonly retry_on_failure: RetrySettings;
}

export interface LoadBalancingExporterConfig {
    readonly routing_key: "traceID" | "resource";
    readonly protocol: { readonly otlp: OtlpGrpcExporterConfig };
    readonly resolver: {
        readonly k8s: { readonly service: string; readonly ports: readonly number[]; readonly timeout: string; readonly return_hostnames: boolean };
    };
    readonly timeout: string;
    readonly sending_queue: QueueSettings;
    readonly retry_on_failure: RetrySettings;
}

export interface PrometheusRemoteWriteExporterConfig {
    readonly endpoint: string;
    readonly auth: { readonly authenticator: string };
    readonly tls: TlsClientSettings;
    readonly timeout: string;
    readonly resource_to_telemetry_conversion: { readonly enabled: false };
    readonly remote_write_queue: { readonly enabled: true; readonly queue_size: number; readonly num_consumers: number };
    readonly retry_on_failure: RetrySettings;
}

export interface SpanMetricsConnectorConfig {
    readonly namespace: string;
    readonly histogram: { readonly unit: string; readonly explicit: { readonly buckets: readonly string[] } };
    readonly dimensions: readonly { readonly name: string }[];
    readonly aggregation_temporality: "AGGREGATION_TEMPORALITY_CUMULATIVE";
    readonly metrics_flush_interval: string;
    readonly metrics_expiration: string;
    readonly resource_metrics_key_attributes: readonly string[];
    readonly aggregation_cardinality_limit: number;
}

/** service_graph connector: request, failure and latency series per client -> server edge. */
export interface ServiceGraphConnectorConfig {
    readonly latency_histogram_buckets: readonly string[];
    readonly dimensions: readonly string[];
    readonly store: { readonly ttl: string; readonly max_items: number };
    readonly metrics_flush_interval: string;
}

export interface HealthCheckConfig {
    readonly endpoint: string;
}

export interface FileStorageConfig {
    readonly directory: string;
    readonly create_directory: false;
    readonly timeout: string;
    readonly fsync: true;
    readonly compaction: {
        readonly directory: string;
        readonly on_start: true;
        readonly on_rebound: true;
        readonly rebound_needed_threshold_mib: number;
        readonly rebound_trigger_threshold_mib: number;
    };
}

export interface SigV4AuthConfig {
    readonly region: string;
    readonly service: "aps";
}

export interface Pipeline {
    readonly receivers: readonly string[];
    readonly processors: readonly string[];
    readonly exporters: readonly string[];
}

export interface TelemetryConfig {
    readonly logs: { readonly level: "info"; readonly encoding: "json" };
    readonly metrics: {
        readonly level: "normal";
        readonly readers: readonly { readonly pull: { readonly exporter: { readonly prometheus: { readonly host: string; readonly port: number } } } }[];
    };
}

export type ReceiverConfig = OtlpReceiverConfig | PrometheusReceiverConfig;
export type ProcessorConfig =
    | MemoryLimiterConfig
    | BatchConfig
    | K8sAttributesConfig
    | ResourceDetectionConfig
    | TransformConfig
    | ResourceProcessorConfig
    | FilterConfig
    | TailSamplingConfig;
export type ExporterConfig = OtlpGrpcExporterConfig | LoadBalancingExporterConfig | PrometheusRemoteWriteExporterConfig;
export type ConnectorConfig = SpanMetricsConnectorConfig | ServiceGraphConnectorConfig | Record<string, never>;
export type ExtensionConfig = HealthCheckConfig | FileStorageConfig | SigV4AuthConfig;

export interface CollectorConfig {
    readonly extensions: Readonly<Record<string, ExtensionConfig>>;
    readonly receivers: Readonly<Record<string, ReceiverConfig>>;
    readonly processors: Readonly<Record<string, ProcessorConfig>>;
    readonly exporters: Readonly<Record<string, ExporterConfig>>;
    readonly connectors?: Readonly<Record<string, ConnectorConfig>>;
    readonly service: {
        readonly extensions: readonly string[];
        readonly telemetry: TelemetryConfig;
        readonly pipelines: Readonly<Record<string, Pipeline>>;
    };
}

const env = (name: string) => `\${env:${name}}`;
const podAddress = (port: number) => `${env(collectorEnv.podIp)}:${port}`;

function serverTls(mutual: boolean): TlsServerSettings {
    return {
        cert_file: `${collectorPaths.serverTlsDir}/tls.crt`,
        key_file: `${collectorPaths.serverTlsDir}/tls.key`,
        ...(mutual ? { client_ca_file: `${collectorPaths.caDir}/ca.crt`, client_ca_file_reload: true } : {}),
        min_version: tlsMinVersion,
        // Certificates are rotated by `pulumi up` before they expire; the kubelet refreshes the files.
        reload_interval: "1h",
    };
}

function mutualClientTls(serverName?: string): TlsClientSettings {
    return {
        insecure: false,
        ca_file: `${collectorPaths.caDir}/ca.crt`,
        cert_file: `${collectorPaths.clientTlsDir}/tls.crt`,
        key_file: `${collectorPaths.clientTlsDir}/tls.key`,
        min_version: tlsMinVersion,
        ...(serverName ? { server_name_override: serverName } : {}),
        reload_interval: "1h",
    };
}

function otlpReceiver(mutual: boolean): OtlpReceiverConfig {
    return {
        protocols: {
            // Bound to the pod IP: not loopback (kubelet and peers reach it), not 0.0.0.0 (no other interface).
            grpc: { endpoint: podAddress(ports.otlpGrpc), tls: serverTls(mutual) },
            http: { endpoint: podAddress(ports.otlpHttp), tls: serverTls(mutual) },
        },
    };
}

/** Scrapes the collector's own loopback metrics endpoint; `instance` becomes the pod name. */
function selfMetricsReceiver(job: string): PrometheusReceiverConfig {
    return {
        config: {
            scrape_configs: [
                {
                    job_name: job,
                    scrape_interval: "30s",
                    static_configs: [{ targets: [`${selfMetricsAddress.host}:${selfMetricsAddress.port}`] }],
                    relabel_configs: [{ target_label: "instance", replacement: env(collectorEnv.podName) }],
                },
            ],
        },
    };
}

const memoryLimiter: MemoryLimiterConfig = {
    // Limits follow the container's cgroup limit; GOMEMLIMIT (80%) makes the Go GC work before the soft limit.
    check_interval: "1s",
    limit_percentage: 80,
    spike_limit_percentage: 20,
};

const batch: BatchConfig = { send_batch_size: batchSpans, send_batch_max_size: batchSpans, timeout: "200ms" };

const telemetry: TelemetryConfig = {
    logs: { level: "info", encoding: "json" },
    // `normal` includes batch and exporter queue metrics; served on loopback only and pushed by the self-metrics pipeline.
    metrics: { level: "normal", readers: [{ pull: { exporter: { prometheus: { ...selfMetricsAddress } } } }] },
};

const healthCheck: HealthCheckConfig = { endpoint: podAddress(ports.collectorHealth) };

/** Exporter-level queue and retry: a failed batch is re-routed to a live gateway, not retried against a departed one. */
function loadBalancing(routingKey: LoadBalancingExporterConfig["routing_key"]): LoadBalancingExporterConfig {
    const gateway = services.gatewayHeadless;
    return {
        routing_key: routingKey,
        protocol: {
            otlp: {
                tls: mutualClientTls(),
                compression: "gzip",
                timeout: "10s",
                sending_queue: { enabled: false },
                retry_on_failure: { enabled: false },
            },
        },
        // EndpointSlices of the headless Service (RBAC in the agent component), so scaling is seen at once.
        resolver: { k8s: { service: `${gateway.name}.${gateway.namespace}`, ports: [ports.otlpGrpc], timeout: "1s", return_hostnames: true } },
        timeout: "10s",
        sending_queue: { enabled: true, queue_size: 1000, num_consumers: 10 },
        retry_on_failure: { enabled: true, initial_interval: "1s", max_interval: "30s", max_elapsed_time: "300s" },
    };
}

/** The agent's pipelines and processors, named once so tests and policies can look for them. */
export const agentIds = {
    k8sAttributes: "k8s_attributes",
    resourceDetection: "resource_detection",
    pii: "transform/pii",
    tracesExporter: "load_balancing",
    selfMetricsReceiver: "prometheus/self",
    selfMetricsExporter: "load_balancing/self_metrics",
} as const;

export interface AgentConfigInput {
    /** The agent image (config collectorImage); the config is checked against it. */
    readonly image: ImageRef;
    /** Drop client.address and related attributes (config piiDropClientAddress). */
    readonly dropClientAddress: boolean;
}

export function buildAgentConfig(input: AgentConfigInput): CollectorConfig {
    const config: CollectorConfig = {
        extensions: { health_check: healthCheck },
        receivers: { otlp: otlpReceiver(false), [agentIds.selfMetricsReceiver]: selfMetricsReceiver(selfMetricsJobs.agent) },
        processors: {
            memory_limiter: memoryLimiter,
            [agentIds.k8sAttributes]: {
                auth_type: "serviceAccount",
                passthrough: false,
                // Spans are tagged correctly from the first request, or the agent is not ready.
                wait_for_metadata: true,
                wait_for_metadata_timeout: "10s",
                // Each agent watches only the pods of its own node.
                filter: { node_from_env_var: collectorEnv.nodeName },
                pod_association: [
                    { sources: [{ from: "resource_attribute", name: "k8s.pod.ip" }] },
                    { sources: [{ from: "resource_attribute", name: "k8s.pod.uid" }] },
                    { sources: [{ from: "connection" }] },
                ],
                extract: {
                    metadata: [
                        "k8s.namespace.name",
                        "k8s.pod.name",
                        "k8s.pod.uid",
                        "k8s.node.name",
                        "k8s.deployment.name",
                        "k8s.statefulset.name",
                        "k8s.daemonset.name",
                        "k8s.job.name",
                        "k8s.cronjob.name",
                    ],
                },
            },
            // Only the env detector: cluster and cloud attributes come from settings, so the agent needs
            // no instance metadata service (blocked for pods) and no extra RBAC.
            [agentIds.resourceDetection]: { detectors: ["env"], timeout: "2s", override: false },
            [agentIds.pii]: { error_mode: "ignore", trace_statements: piiTraceStatements({ dropClientAddress: input.dropClientAddress }) },
            batch,
        },
        exporters: { [agentIds.tracesExporter]: loadBalancing("traceID"), [agentIds.selfMetricsExporter]: loadBalancing("resource") },
        service: {
            extensions: ["health_check"],
            telemetry,
            pipelines: {
                traces: {
                    receivers: ["otlp"],
                    processors: ["memory_limiter", agentIds.k8sAttributes, agentIds.resourceDetection, agentIds.pii, "batch"],
                    exporters: [agentIds.tracesExporter],
                },
                "metrics/self": {
                    receivers: [agentIds.selfMetricsReceiver],
                    processors: ["memory_limiter", "batch"],
                    exporters: [agentIds.selfMetricsExporter],
                },
            },
        },
    };
    assertImageSupportsConfig(config, input.image, "collectorImage");
    return config;
}

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
            [ids.gatewayInstance]: { attributes: [{ key: collectorInstanceAttribute, value: env(collectorEnv.podName), action: "upsert" }] },
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
                metrics_flush_interval: "15s",
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
                metrics_flush_interval: "15s",
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
                endpoint: env(collectorEnv.remoteWriteUrl),
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

/**
 * Cluster-wide resource attributes the agents' env detector adds to every span (never overriding
 * what an SDK set): which cluster, environment, cloud account and region a trace came from.
 */
export function clusterResourceAttributes(input: { environment: string; clusterName: string; region: string; accountId: string }): string {
    const attributes: Record<string, string> = {
        "deployment.environment.name": input.environment,
        "k8s.cluster.name": input.clusterName,
        "cloud.provider": "aws",
        "cloud.platform": "aws_eks",
        "cloud.region": input.region,
        "cloud.account.id": input.accountId,
    };
    return Object.entries(attributes)
        .map(([key, value]) => `${key}=${value}`)
        .join(",");
}

/** The config as the collector reads it: plain YAML, no anchors, long OTTL statements on one line. */
export function renderCollectorConfig(config: CollectorConfig): string {
    return yaml.stringify(config, { aliasDuplicateObjects: false, lineWidth: 0 });
}
