/**
 * Series of the platform's other components as they land in the metrics workspace: Tempo's and
 * Grafana's (scraped by the agents, `job` tempo or grafana) and MSK's Open Monitoring exporters
 * (scraped by the first gateway, `job` msk-jmx or msk-node), so the platform dashboard and alerts
 * never retype a name.
 *
 * Sources (read 2026-12):
 * - grafana/tempo docs/sources/tempo/set-up-for-tracing/setup-tempo/configure-kafka.md ("Collect
 *   at least these Tempo metrics"): tempo_distributor_produce_failures_total{reason},
 *   tempo_ingest_group_partition_lag_seconds{group,partition}, tempo_block_builder_fetch_errors_total.
 * - grafana/tempo operations/tempo-mixin/alerts.libsonnet: tempodb_compaction_errors_total
 *   (TempoCompactionsFailing), tempo_request_duration_seconds by route (TempoRequestLatency, 3 s
 *   p99), tempo_ingest_group_partition_lag_seconds (TempoBlockBuilderPartitionLag*).
 * - Tempo's distributor: tempo_discarded_spans_total{reason} counts spans refused at ingest
 *   (rate limits, trace too large).
 * - grafana/grafana pkg/api/http_server.go: /metrics is served before the domain check;
 *   grafana_datasource_request_total{datasource,code} counts data source proxy requests.
 * - Amazon MSK Open Monitoring (JMX exporter): kafka_server_ReplicaManager_Value{name=
 *   "UnderReplicatedPartitions"}; node exporter: node_filesystem_avail_bytes / _size_bytes.
 */
export const tempoMetricNames = {
    /** Spans Tempo's distributor refused (rate limits, oversize traces): data the gateways sent and lost. */
    discardedSpans: "tempo_discarded_spans_total",
    /** Records the distributors failed to write to Kafka (distributed mode). */
    kafkaProduceFailures: "tempo_distributor_produce_failures_total",
    /** How far a consumer group (live-store, block-builder) is behind the Kafka topic, in seconds. */
    partitionLagSeconds: "tempo_ingest_group_partition_lag_seconds",
    /** Failed fetches of the block-builders from Kafka. */
    blockBuilderFetchErrors: "tempo_block_builder_fetch_errors_total",
    /** Failed compactions (backend workers; the monolith's own worker). */
    compactionErrors: "tempodb_compaction_errors_total",
    /** Request latency histogram by route; the API routes are the queries Grafana sends. */
    requestDurationBucket: "tempo_request_duration_seconds_bucket",
} as const;

export const grafanaMetricNames = {
    /** Requests Grafana's data source proxy made, by data source and HTTP status code. */
    datasourceRequests: "grafana_datasource_request_total",
} as const;

export const kafkaMetricNames = {
    /** JMX gauge per broker; `name` selects the attribute (UnderReplicatedPartitions). */
    replicaManager: "kafka_server_ReplicaManager_Value",
    filesystemAvailable: "node_filesystem_avail_bytes",
    filesystemSize: "node_filesystem_size_bytes",
} as const;

/** Scrape health per target (Prometheus' synthetic series). */
export const scrapeHealth = "up";

/**
 * `job` labels of the scraped components. The collectors' scrape configs give their jobs these
 * names (collectors/platform-scrape.ts, collectors/kafka-scrape.ts; a test compares them).
 */
export const platformJobs = { tempo: "tempo", grafana: "grafana", mskJmx: "msk-jmx", mskNode: "msk-node" } as const;
