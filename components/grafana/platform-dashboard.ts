/** The platform dashboard: the collectors' own telemetry, with the platform alerts' thresholds drawn in. */
import type { Dashboard, Panel, RowPanel } from "@grafana/schema";
import { collectorSelfMetricLabels, collectorSelfMetricNames as otelcol, tempoExporterId } from "./collector-metrics";
import { equals, sumRate } from "./promql";
import { byExporter, platformAlertThresholds, queueFill, refusedShare } from "./platform-queries";
import { ceiling, dashboard, dashboardWindow, promTarget, row, timeSeriesPanel, type PrometheusTarget } from "./panels";
import { dashboardUids } from "./uids";

export function platformDashboard(): Dashboard {
    const t = platformAlertThresholds;
    const tempoExporter = [equals(collectorSelfMetricLabels.exporter, tempoExporterId)];
    const panel = (title: string, description: string, unit: string, targets: PrometheusTarget[], threshold?: number) =>
        timeSeriesPanel({ title, description, unit, min: 0, width: 12, height: 8, ...(threshold !== undefined ? { thresholds: ceiling(threshold) } : {}) }, targets);
    const w = dashboardWindow;
    const panels: (Panel | RowPanel)[] = [
        row("Ingest: what the collectors accept and refuse"),
        panel("Spans accepted and refused per second", "Receivers of agents and gateways. Refused spans were not taken into the pipeline (memory limiter or a full downstream); the sender got an error.", "ops", [
            promTarget("A", sumRate(otelcol.receiverAcceptedSpans, [], w), "accepted"),
            promTarget("B", sumRate(otelcol.receiverRefusedSpans, [], w), "refused"),
            promTarget("C", sumRate(otelcol.memoryLimiterRefusedSpans, [], w), "refused by memory limiter"),
        ]),
        panel("Refused share of received spans", "Alert threshold as a red line.", "percentunit", [
            promTarget("A", refusedShare(w), "refused share"),
        ], t.refusedShare),
        row("Export: Tempo, span metrics, sending queues"),
        panel("Spans sent and lost per exporter", "Lost = given up after retries (send failed) or dropped because the sending queue was full (enqueue failed).", "ops", [
            promTarget("A", sumRate(otelcol.exporterSentSpans, [], w, byExporter), "{{exporter}} sent"),
            promTarget("B", sumRate(otelcol.exporterSendFailedSpans, [], w, byExporter), "{{exporter}} send failed"),
            promTarget("C", sumRate(otelcol.exporterEnqueueFailedSpans, [], w, byExporter), "{{exporter}} dropped (queue full)"),
        ]),
        panel("Sending queue fill per exporter", "Queue size over capacity; a filling queue means the destination is slow or down.", "percentunit", [
            promTarget("A", queueFill(), "{{exporter}}"),
        ], t.queueFill),
        panel("Tempo ingestion failures", `Spans the gateways' ${tempoExporterId} exporter could not deliver to Tempo after retries.`, "ops", [
            promTarget("A", sumRate(otelcol.exporterSendFailedSpans, tempoExporter, w), "failed"),
            promTarget("B", sumRate(otelcol.exporterEnqueueFailedSpans, tempoExporter, w), "dropped (queue full)"),
            promTarget("C", sumRate(otelcol.exporterSentSpans, tempoExporter, w), "sent"),
        ]),
        panel("Span metrics remote write", "Metric points (the span metrics behind every dashboard) sent to and lost on the way to the metrics workspace.", "ops", [
            promTarget("A", sumRate(otelcol.exporterSentMetricPoints, [], w, byExporter), "{{exporter}} sent"),
            promTarget("B", sumRate(otelcol.exporterSendFailedMetricPoints, [], w, byExporter), "{{exporter}} send failed"),
            promTarget("C", sumRate(otelcol.exporterEnqueueFailedMetricPoints, [], w, byExporter), "{{exporter}} dropped (queue full)"),
        ]),
        row("Tail sampling"),
        panel("Traces dropped before their decision", "Traces evicted before decision_wait ended (num_traces too small for the load): their spans were lost unsampled.", "ops", [
            promTarget("A", sumRate(otelcol.tailSamplingTracesDroppedTooEarly, [], w), "dropped too early"),
        ], t.droppedTooEarlyPerSecond),
        panel("Traces held and decided", "Traces buffered in the gateways, and decisions per second by outcome.", "short", [
            promTarget("A", `sum(${otelcol.tailSamplingTracesOnMemory})`, "in memory"),
            promTarget("B", sumRate(otelcol.tailSamplingTracesDecided, [], w, [collectorSelfMetricLabels.sampled]), "decided, sampled={{sampled}}"),
        ]),
    ];
    return dashboard(
        dashboardUids.platform,
        "Tracing platform: collector health",
        "The collectors' own telemetry (otelcol_* metrics): refused and dropped spans, exporter failures, sending queues, tail sampling and Tempo ingestion.",
        ["platform"],
        panels,
    );
}
