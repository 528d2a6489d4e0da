/** The platform's own rules: the collectors' telemetry (refused, dropped and lost spans, queues, sampling, Tempo ingestion). */
import { collectorSelfMetricLabels, collectorSelfMetricNames as otelcol, tempoExporterId } from "./collector-metrics";
import { alertWindow, type AlertDefinition } from "./alert-definition";
import { exporterFailureShare, platformAlertThresholds, queueFill, refusedShare } from "./platform-queries";
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
    ];
}
