/**
 * The collector config's typed shapes: the subset of each component's settings the fleet uses,
 * named as the collector reads them, so a misspelt key fails the type check instead of the pod.
 */
import type { TransformStatementGroup } from "./pii-scrubbing";
import type { TailSamplingConfig } from "./tail-sampling";

export type TlsVersion = "1.2" | "1.3";

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

/** A Prometheus relabel rule (the subset used: copy a label, set one, keep matching targets). */
export interface RelabelConfig {
    readonly source_labels?: readonly string[];
    readonly target_label?: string;
    readonly replacement?: string;
    readonly regex?: string;
    readonly action?: "keep";
}

/** One Prometheus scrape job, as the prometheus receiver reads it (Prometheus' own configuration format). */
export interface PrometheusScrapeConfig {
    readonly job_name: string;
    readonly scrape_interval: string;
    readonly scheme?: "https";
    readonly tls_config?: {
        readonly ca_file: string;
        readonly cert_file?: string;
        readonly key_file?: string;
        readonly server_name: string;
        readonly min_version: "TLS13";
        readonly insecure_skip_verify: false;
    };
    readonly static_configs?: readonly { readonly targets: readonly string[] }[];
    readonly kubernetes_sd_configs?: readonly {
        readonly role: "pod";
        readonly namespaces: { readonly names: readonly string[] };
        readonly selectors: readonly { readonly role: "pod"; readonly field: string }[];
    }[];
    readonly relabel_configs: readonly RelabelConfig[];
    /** Applied to the scraped samples: which series to keep. */
    readonly metric_relabel_configs?: readonly RelabelConfig[];
}

export interface PrometheusReceiverConfig {
    readonly config: { readonly scrape_configs: readonly PrometheusScrapeConfig[] };
}

/** A stanza operator of the file_log receiver: the container log parser or a JSON parser. */
export type StanzaOperator =
    | { readonly type: "container"; readonly id: string }
    | {
          readonly type: "json_parser";
          readonly id: string;
          /** An expr-lang condition; the operator passes other entries on untouched. */
          readonly if: string;
          readonly parse_from: string;
          readonly parse_to: string;
          readonly on_error: "send_quiet";
      };

/** file_log receiver: tails files matching `include`, with offsets in a storage extension. */
export interface FileLogReceiverConfig {
    readonly include: readonly string[];
    readonly start_at: "end" | "beginning";
    readonly include_file_path: boolean;
    readonly include_file_name: boolean;
    readonly storage: string;
    readonly retry_on_failure: { readonly enabled: boolean };
    readonly operators: readonly StanzaOperator[];
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
    readonly log_statements?: readonly TransformStatementGroup[];
}

export interface ResourceProcessorConfig {
    readonly attributes: readonly { readonly key: string; readonly value: string; readonly action: "upsert" }[];
}

/**
 * The filter processor's current form (v0.146.0 on): OTTL conditions per signal with path
 * prefixes (`metric.name`, `span.kind`); telemetry is dropped when any condition is true. The
 * legacy `metrics.metric` / `traces.span` sections are deprecated.
 */
export interface FilterConfig {
    readonly error_mode: "ignore";
    readonly metric_conditions?: readonly string[];
    readonly trace_conditions?: readonly string[];
    readonly log_conditions?: readonly string[];
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

/**
 * Where load_balancing finds its backends: the k8s resolver watches a Service's EndpointSlices
 * through the Kubernetes API; the dns resolver looks up a headless Service's name every
 * `interval` and dials the addresses (port as a string, as the exporter's config declares it).
 */
export type LoadBalancingResolver =
    | { readonly k8s: { readonly service: string; readonly ports: readonly number[]; readonly timeout: string; readonly return_hostnames: boolean } }
    | { readonly dns: { readonly hostname: string; readonly port: string; readonly interval: string; readonly timeout: string } };

export interface LoadBalancingExporterConfig {
    readonly routing_key: "traceID" | "resource";
    readonly protocol: { readonly otlp: OtlpGrpcExporterConfig };
    readonly resolver: LoadBalancingResolver;
    readonly timeout: string;
    readonly sending_queue: QueueSettings;
    readonly retry_on_failure: RetrySettings;
}

/**
 * HTTP client settings nested under `http:`: the flat top-level form is deprecated, and fatal once
 * the gate exporter.prometheusremotewritexporter.removeTopLevelHTTPSettings is enabled.
 */
export interface PrometheusRemoteWriteExporterConfig {
    readonly http: {
        readonly endpoint: string;
        readonly auth: { readonly authenticator: string };
        readonly tls: TlsClientSettings;
        readonly timeout: string;
    };
    /** With the HTTP settings nested, this is the exporter helper's timeout alone. */
    readonly timeout: string;
    readonly resource_to_telemetry_conversion: { readonly enabled: false };
    readonly remote_write_queue: { readonly enabled: true; readonly queue_size: number; readonly num_consumers: number };
    readonly retry_on_failure: RetrySettings;
}

/**
 * awscloudwatchlogs exporter: records to one log group, a stream per `log_stream_name` (its
 * `{Placeholder}`s read resource attributes); credentials from the AWS SDK's default chain.
 */
export interface AwsCloudWatchLogsExporterConfig {
    readonly log_group_name: string;
    readonly log_stream_name: string;
    readonly region: string;
    readonly endpoint: string;
    readonly raw_log: false;
    readonly sending_queue: { readonly queue_size: number; readonly num_consumers: number };
}

export interface SpanMetricsConnectorConfig {
    readonly namespace: string;
    readonly histogram: { readonly unit: string; readonly explicit: { readonly buckets: readonly string[] } };
    readonly dimensions: readonly { readonly name: string }[];
    /** Dimensions of the calls counter only. */
    readonly calls_dimensions?: readonly { readonly name: string }[];
    /** Default dimensions not to add (collector.instance.id, or span name and kind on narrow histograms). */
    readonly exclude_dimensions: readonly string[];
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

/** file_storage for small state (file offsets): no queue, so no compaction. */
export interface OffsetStorageConfig {
    readonly directory: string;
    readonly create_directory: false;
    readonly timeout: string;
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

export type ReceiverConfig = OtlpReceiverConfig | PrometheusReceiverConfig | FileLogReceiverConfig;
export type ProcessorConfig =
    | MemoryLimiterConfig
    | BatchConfig
    | K8sAttributesConfig
    | ResourceDetectionConfig
    | TransformConfig
    | ResourceProcessorConfig
    | FilterConfig
    | TailSamplingConfig;
export type ExporterConfig = OtlpGrpcExporterConfig | LoadBalancingExporterConfig | PrometheusRemoteWriteExporterConfig | AwsCloudWatchLogsExporterConfig;
export type ConnectorConfig = SpanMetricsConnectorConfig | ServiceGraphConnectorConfig | Record<string, never>;
export type ExtensionConfig = HealthCheckConfig | FileStorageConfig | OffsetStorageConfig | SigV4AuthConfig;

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
