/**
 * The platform watching itself: PromQL over the collectors' own telemetry, and the thresholds the
 * platform alerts fire at. The platform dashboard draws the same expressions with these thresholds
 * as red lines.
 */
import { collectorSelfMetricLabels, collectorSelfMetricNames as otelcol, tempoExporterId } from "./collector-metrics";
import { maxBy, notEquals, sumRate } from "./promql";

/** Alert thresholds of the platform rules, and why each sits where it does. */
export const platformAlertThresholds = {
    /** Share of offered spans the receivers refuse; any sustained refusal is data the senders must retry or lose. */
    refusedShare: 0.001,
    /** Spans per second dropped because a sending queue was full: every one is lost. */
    droppedPerSecond: 0,
    /** Fill of the fullest sending queue; above this a destination outage is minutes from dropping data. */
    queueFill: 0.8,
    /** Share of items an exporter gives up on after retries. */
    exporterFailureShare: 0.01,
    /** Traces evicted before their sampling decision per second: any means num_traces is too small. */
    droppedTooEarlyPerSecond: 0,
    /** Spans per second the Tempo exporter fails to deliver after retries. */
    tempoFailedPerSecond: 0,
    /** absent_over_time() is 1 while no span metrics arrive: the SLO rules are blind. */
    spanMetricsMissing: 0,
} as const;

export const byExporter = [collectorSelfMetricLabels.exporter] as const;

/** Refused spans as a share of everything offered to the receivers. */
export function refusedShare(window: string): string {
    const refused = sumRate(otelcol.receiverRefusedSpans, [], window);
    return `${refused} / (${sumRate(otelcol.receiverAcceptedSpans, [], window)} + ${refused})`;
}

/** Fullest sending queue per exporter (0..1). */
export function queueFill(): string {
    return maxBy(byExporter, `${otelcol.exporterQueueSize} / ${otelcol.exporterQueueCapacity}`);
}

/** Share of items an exporter other than Tempo's (which has its own rule) gives up on after retries. */
export function exporterFailureShare(kind: "spans" | "metricPoints", window: string): string {
    const [sent, failed] =
        kind === "spans"
            ? [otelcol.exporterSentSpans, otelcol.exporterSendFailedSpans]
            : [otelcol.exporterSentMetricPoints, otelcol.exporterSendFailedMetricPoints];
    const notTempo = [notEquals(collectorSelfMetricLabels.exporter, tempoExporterId)];
    const failedRate = sumRate(failed, notTempo, window, byExporter);
    return `${failedRate} / (${sumRate(sent, notTempo, window, byExporter)} + ${failedRate})`;
}
