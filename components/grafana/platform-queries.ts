/**
 * The platform watching itself: PromQL over the collectors', Tempo's, Grafana's and MSK's own
 * telemetry, and the thresholds the platform alerts fire at. The platform dashboard draws the same expressions with these thresholds
 * as red lines.
 */
import { collectorSelfMetricLabels, collectorSelfMetricNames as otelcol, tempoExporterId } from "./collector-metrics";
import { equals, maxBy, notEquals, oneOf, selector, shareOf, sumRate, type LabelMatcher } from "./promql";
import { grafanaMetricNames, kafkaMetricNames, platformJobs, scrapeHealth, tempoMetricNames } from "./platform-metrics";

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
    /** Tempo or Grafana targets that do not answer their scrape (1 - up): any is a component down. */
    componentDown: 0,
    /** Spans per second Tempo's distributor refuses (limits, oversize traces): every one is lost. */
    tempoDiscardedPerSecond: 0,
    /** Records per second the distributors fail to write to Kafka: ingest is failing. */
    tempoKafkaFailuresPerSecond: 0,
    /** Seconds a consumer group is behind Kafka: ten minutes is far from the 24 h retention but queries miss recent traces. */
    tempoPartitionLagSeconds: 600,
    /** Block-builder fetch errors or failed compactions per second, sustained: blocks stop reaching S3 or piling up. */
    tempoBackendErrorsPerSecond: 0,
    /** p99 seconds of Tempo's query API (the Tempo mixin's TempoRequestLatency threshold). */
    tempoQueryP99Seconds: 3,
    /** Share of Grafana's data source requests that fail (non-2xx): dashboards and alerts go blank. */
    grafanaDatasourceFailureShare: 0.05,
    /** Under-replicated partitions on any MSK broker: one more broker loss loses data. */
    mskUnderReplicatedPartitions: 0,
    /** Fill of the fullest broker filesystem: past this, MSK throttles and then stops accepting writes. */
    mskDiskUsedShare: 0.8,
} as const;

const job = (name: string): LabelMatcher => equals("job", name);

/** 1 per scrape target that does not answer, per job (Tempo's pods, Grafana). */
export function componentDown(): string {
    return maxBy(["job", "instance"], `1 - ${selector(scrapeHealth, [oneOf("job", [platformJobs.tempo, platformJobs.grafana])])}`);
}

/** Tempo's ingest refusals and Kafka write failures per second. */
export function tempoIngestFailures(kind: "discarded" | "kafka", window: string): string {
    return sumRate(kind === "discarded" ? tempoMetricNames.discardedSpans : tempoMetricNames.kafkaProduceFailures, [], window);
}

/** How far each Kafka consumer group (live-stores, block-builders) is behind, worst partition. */
export function tempoPartitionLag(): string {
    return maxBy(["group"], tempoMetricNames.partitionLagSeconds);
}

/** Block-builder fetch errors and failed compactions per second: blocks not built or not compacted. */
export function tempoBackendErrors(window: string): string {
    return `(${sumRate(tempoMetricNames.blockBuilderFetchErrors, [], window)} or vector(0)) + (${sumRate(tempoMetricNames.compactionErrors, [], window)} or vector(0))`;
}

/** p99 of Tempo's query API by route (the HTTP API routes Grafana calls are named api_*). */
export function tempoQueryP99(window: string): string {
    return `histogram_quantile(0.99, ${sumRate(tempoMetricNames.requestDurationBucket, [{ label: "route", op: "=~", value: "api_.*" }], window, ["le", "route"])})`;
}

/** Share of Grafana's data source requests that did not succeed. */
export function grafanaDatasourceFailureShare(window: string): string {
    const failed = sumRate(grafanaMetricNames.datasourceRequests, [{ label: "code", op: "!~", value: "2.." }], window);
    return shareOf(failed, sumRate(grafanaMetricNames.datasourceRequests, [], window));
}

/** Under-replicated partitions, worst broker. */
export function mskUnderReplicated(): string {
    return maxBy([], selector(kafkaMetricNames.replicaManager, [equals("name", "UnderReplicatedPartitions")]));
}

/** Fill of each broker's fullest real filesystem (the data volume). */
export function mskDiskUsed(): string {
    const real: LabelMatcher[] = [job(platformJobs.mskNode), { label: "fstype", op: "!~", value: "tmpfs|overlay|rootfs" }];
    return maxBy(["instance"], `1 - ${selector(kafkaMetricNames.filesystemAvailable, real)} / ${selector(kafkaMetricNames.filesystemSize, real)}`);
}

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
