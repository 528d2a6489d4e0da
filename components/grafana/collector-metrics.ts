/**
 * The collectors' own telemetry (`otelcol_*`) as it lands in the metrics workspace, so that the
 * platform dashboard and the platform alerts never retype a self-metric name.
 *
 * Names are the Prometheus series names after the gateways' remote-write translation, the same
 * path the span metrics take (see span-metrics.ts): OTLP counters (monotonic sums) gain `_total`,
 * curly-brace units such as `{span}` or `{batch}` are annotations and add no suffix, gauges keep
 * their name.
 *
 * Sources (read 2026-11):
 * - open-telemetry/opentelemetry-collector `exporter/exporterhelper/documentation.md`,
 *   `receiver/receiverhelper/documentation.md`, `processor/memorylimiterprocessor/documentation.md`
 *   (v1.65.0/v0.159.0): metric names, types (Sum monotonic / Gauge) and units.
 * - open-telemetry/opentelemetry-collector-contrib `processor/tailsamplingprocessor/documentation.md`.
 * - opentelemetry.io `docs/collector/internal-telemetry.md` ("`_total` suffix"): Prometheus exposes
 *   sums as e.g. `otelcol_exporter_send_failed_spans_total`.
 * - collector-contrib `pkg/translator/prometheusremotewrite/helper.go`: remote write names via
 *   BuildCompliantName with metric suffixes.
 * - exporterhelper `internal/obs_report_sender.go`, `internal/queue/obs_queue.go`: the `exporter`
 *   and `data_type` attributes; receiverhelper `internal/obsmetrics.go`: `receiver`, `transport`.
 * - exporterhelper `internal/base_exporter.go`: the obsreport sender wraps the retry sender, so
 *   `send_failed` counts items given up after retries (lost), not individual failed attempts.
 */

/** Series names in the metrics workspace. */
export const collectorSelfMetricNames = {
    /** Spans a receiver accepted into the pipeline. */
    receiverAcceptedSpans: "otelcol_receiver_accepted_spans_total",
    /** Spans a receiver could not push into the pipeline (memory limiter, downstream refusal): the sender got an error. */
    receiverRefusedSpans: "otelcol_receiver_refused_spans_total",
    /** Spans the memory limiter refused. */
    memoryLimiterRefusedSpans: "otelcol_processor_memory_limiter_refused_spans_total",
    /** Spans an exporter delivered. */
    exporterSentSpans: "otelcol_exporter_sent_spans_total",
    /** Spans an exporter gave up on after its retries: lost. */
    exporterSendFailedSpans: "otelcol_exporter_send_failed_spans_total",
    /** Spans dropped because the sending queue was full. */
    exporterEnqueueFailedSpans: "otelcol_exporter_enqueue_failed_spans_total",
    /** Metric points (the span metrics themselves) an exporter delivered. */
    exporterSentMetricPoints: "otelcol_exporter_sent_metric_points_total",
    /** Metric points an exporter gave up on after its retries. */
    exporterSendFailedMetricPoints: "otelcol_exporter_send_failed_metric_points_total",
    /** Metric points dropped because the sending queue was full. */
    exporterEnqueueFailedMetricPoints: "otelcol_exporter_enqueue_failed_metric_points_total",
    /** Current sending-queue size (batches). */
    exporterQueueSize: "otelcol_exporter_queue_size",
    /** Fixed sending-queue capacity (batches). */
    exporterQueueCapacity: "otelcol_exporter_queue_capacity",
    /** Traces evicted from the tail sampler before their decision wait ended (num_traces too small). */
    tailSamplingTracesDroppedTooEarly: "otelcol_processor_tail_sampling_sampling_trace_dropped_too_early_total",
    /** Traces the tail sampler currently holds in memory. */
    tailSamplingTracesOnMemory: "otelcol_processor_tail_sampling_sampling_traces_on_memory",
    /** Traces decided by the tail sampler, by `sampled` (true/false). */
    tailSamplingTracesDecided: "otelcol_processor_tail_sampling_global_count_traces_sampled_total",
} as const;

/** Attribute labels the helpers attach. */
export const collectorSelfMetricLabels = {
    exporter: "exporter",
    receiver: "receiver",
    dataType: "data_type",
    sampled: "sampled",
} as const;

/**
 * Component id of the gateways' OTLP exporter to Tempo. The collector config builder must give its
 * Tempo exporter this id: the Tempo-ingestion alert and dashboard panels select on it.
 */
export const tempoExporterId = "otlp_grpc/tempo";
