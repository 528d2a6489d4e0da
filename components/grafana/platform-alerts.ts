/**
 * The platform's own rules: the collectors' telemetry (refused, dropped and lost spans, queues,
 * sampling, Tempo ingestion), Tempo's (ingest, Kafka, lag, blocks and compaction, query latency),
 * Grafana's (up, failing data source queries) and MSK's (under-replicated partitions, disk).
 */
import { collectorSelfMetricLabels, collectorSelfMetricNames as otelcol, tempoExporterId } from "./collector-metrics";
import { alertWindow, type AlertDefinition } from "./alert-definition";
import {
    componentDown,
    exporterFailureShare,
    grafanaDatasourceFailureShare,
    mskDiskUsed,
    mskUnderReplicated,
    platformAlertThresholds,
    queueFill,
    refusedShare,
    tempoBackendErrors,
    tempoIngestFailures,
    tempoPartitionLag,
    tempoQueryP99,
} from "./platform-queries";
import { equals, sumRate } from "./promql";
import { spanMetricNames } from "../platform/span-metrics";
import { dashboardUids, stableUid } from "./uids";

export function platformAlerts(): AlertDefinition[] {
    const group = "platform";
    const dashboardUid = dashboardUids.platform;
    const t = platformAlertThresholds;
    const tempoExporter = [equals(collectorSelfMetricLabels.exporter, tempoExporterId)];
    const rule = (
        id: string,
        name: string,
        expr: string,
        threshold: keyof typeof t,
        forDuration: string,
        severity: AlertDefinition["severity"],
        summary: string,
        description: string,
    ): AlertDefinition => ({
        uid: stableUid("platform", id),
        name,
        group,
        expr,
        threshold: t[threshold],
        thresholdSource: { kind: "platform", threshold },
        breakdown: [],
        for: forDuration,
        severity,
        labels: { system: "tracing-platform" },
        summary,
        description,
        dashboardUid,
    });
    return [
        rule("refused-spans", "Collectors refuse spans", refusedShare(alertWindow), "refusedShare", "5m", "critical",
            "Collectors refuse incoming spans.",
            "Receivers refused more than 0.1% of offered spans for 5 minutes (memory limiter or a full pipeline). Senders see errors and lose spans they cannot retry. Scale the gateways or raise their memory."),
        rule("dropped-spans", "Collectors drop spans (sending queue full)", sumRate(otelcol.exporterEnqueueFailedSpans, [], alertWindow, [collectorSelfMetricLabels.exporter]), "droppedPerSecond", "2m", "critical",
            "A collector exporter drops spans because its sending queue is full.",
            "Spans are being discarded at the sending queue: the destination has been down or slow for longer than the queue can buffer."),
        rule("queue-filling", "Collector sending queue filling up", queueFill(), "queueFill", "5m", "warning",
            "A collector sending queue is more than 80% full.",
            "The destination behind this exporter is slow or unavailable; once the queue is full, spans are dropped."),
        rule("exporter-span-failures", "Collector exporter failing to send spans", exporterFailureShare("spans", alertWindow), "exporterFailureShare", "5m", "critical",
            "An exporter gives up on more than 1% of spans after retries.",
            "Spans given up after retries are lost. Check the exporter's destination and credentials."),
        rule("exporter-metric-failures", "Span metrics remote write failing", exporterFailureShare("metricPoints", alertWindow), "exporterFailureShare", "5m", "critical",
            "An exporter gives up on more than 1% of metric points (the span metrics) after retries.",
            "Dashboards and SLO alerts read these metrics: while remote write fails they go blind. Check the workspace, SigV4 role and throttling."),
        rule("tail-sampling-dropped-too-early", "Tail sampling drops traces before deciding", sumRate(otelcol.tailSamplingTracesDroppedTooEarly, [], alertWindow), "droppedTooEarlyPerSecond", "5m", "warning",
            "Gateways evict traces before their sampling decision.",
            "num_traces is too small for the load: traces are dropped unsampled, errors and slow traces included. Raise num_traces or add gateways."),
        rule("tempo-ingestion", "Tempo ingestion failing", sumRate(otelcol.exporterSendFailedSpans, tempoExporter, alertWindow), "tempoFailedPerSecond", "2m", "critical",
            "The gateways cannot deliver spans to Tempo.",
            `The ${tempoExporterId} exporter gives up on spans after retries: Tempo rejects or cannot be reached, and the traces are lost. Check Tempo's ingest, its certificates and the NetworkPolicy.`),
        rule("span-metrics-missing", "Span metrics missing", `absent_over_time(${spanMetricNames.calls}[10m])`, "spanMetricsMissing", "5m", "critical",
            "No span metrics have reached the metrics workspace for 10 minutes.",
            "Every SLO alert is silent while span metrics are missing. Check the gateways' remote write and the workspace."),
        rule("component-down", "Tempo or Grafana not answering", componentDown(), "componentDown", "5m", "critical",
            "A Tempo or Grafana pod does not answer its metrics scrape.",
            "The agent on the pod's node cannot scrape it: the pod is down, not ready, or its certificate or NetworkPolicy changed. Check the pod's events and logs."),
        rule("tempo-discarded-spans", "Tempo refuses spans", tempoIngestFailures("discarded", alertWindow), "tempoDiscardedPerSecond", "5m", "critical",
            "Tempo's distributor discards spans the gateways sent.",
            "Tempo refuses spans over its ingestion limits or beyond the per-trace size: they are lost after the gateways' retries. See tempo_discarded_spans_total by reason; raise the limits or Tempo's capacity."),
        rule("tempo-kafka-failures", "Tempo cannot write to Kafka", tempoIngestFailures("kafka", alertWindow), "tempoKafkaFailuresPerSecond", "5m", "critical",
            "Tempo's distributors fail to produce records to MSK.",
            "Ingest fails while Kafka refuses writes: check MSK broker health, the SCRAM secret and the NetworkPolicy to the brokers."),
        rule("tempo-partition-lag", "Tempo consumers behind Kafka", tempoPartitionLag(), "tempoPartitionLagSeconds", "10m", "warning",
            "A Tempo live-store or block-builder group is more than ten minutes behind its Kafka partitions.",
            "Recent traces are missing from queries (live-stores) or not yet in S3 (block-builders). Add resources or replicas to the lagging group before the lag approaches the topic's retention."),
        rule("tempo-backend-errors", "Tempo blocks not built or compacted", tempoBackendErrors(alertWindow), "tempoBackendErrorsPerSecond", "15m", "warning",
            "Block-builders fail to fetch from Kafka or compactions fail, continuously for 15 minutes.",
            "Blocks stop reaching S3 or pile up uncompacted, slowing every search. Check the block-builders' and backend workers' logs, S3 and KMS permissions."),
        rule("tempo-query-latency", "Tempo queries slow", tempoQueryP99(alertWindow), "tempoQueryP99Seconds", "15m", "warning",
            "p99 latency of a Tempo query route is above 3 seconds.",
            "Searches and trace lookups from Grafana are slow: add queriers, or look for expensive TraceQL (dashboards over long ranges)."),
        rule("grafana-datasource-failures", "Grafana data source queries failing", grafanaDatasourceFailureShare(alertWindow), "grafanaDatasourceFailureShare", "10m", "critical",
            "More than 5% of Grafana's data source requests fail.",
            "Dashboards and alert rules query Tempo or the metrics workspace and get errors: check Grafana's workload identity, the plugin, Tempo's certificates and the workspace."),
        rule("msk-under-replicated", "MSK partitions under-replicated", mskUnderReplicated(), "mskUnderReplicatedPartitions", "10m", "critical",
            "MSK reports under-replicated partitions.",
            "Losing one more broker would lose Tempo's unflushed spans. Check broker health and disk, and the MSK console for maintenance."),
        rule("msk-disk", "MSK broker disk filling", mskDiskUsed(), "mskDiskUsedShare", "15m", "warning",
            "An MSK broker's data volume is more than 80% full.",
            "Raise mskVolumeGb (broker storage can only grow) or shorten the topic's retention before the broker stops accepting writes."),
    ];
}
