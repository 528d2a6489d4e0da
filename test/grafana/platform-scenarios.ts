/**
 * promtool scenarios for the rules over Tempo's, Grafana's and MSK's own metrics: each fires on
 * the failure it names and stays quiet on healthy series and on look-alike noise (another job, a
 * non-query route, a tmpfs filesystem, another ReplicaManager attribute).
 */
import type { AlertDefinition } from "../../components/grafana/alerts";
import { grafanaMetricNames, kafkaMetricNames, platformJobs, scrapeHealth, tempoMetricNames } from "../../components/grafana/platform-metrics";
import { scenario } from "./alert-scenarios";
import type { PromtoolTestCase } from "./promtool";
import { counter, gauge, type InputSeries } from "./synthetic-series";

/** A seconds histogram per minute: observations per upper bound (s, or Infinity), written cumulatively per `le`. */
function secondsHistogram(metric: string, labels: Record<string, string>, perMinuteByBound: ReadonlyMap<number, number>): InputSeries[] {
    const bounds = [0.1, 0.5, 1, 2.5, 5, 10, Infinity];
    let cumulative = 0;
    return bounds.map((bound) => {
        cumulative += perMinuteByBound.get(bound) ?? 0;
        return counter(metric, { ...labels, le: bound === Infinity ? "+Inf" : String(bound) }, cumulative);
    });
}

/** Scenarios for the component rules, or undefined for a rule over the collectors' own metrics. */
export function componentScenarios(alert: AlertDefinition): PromtoolTestCase[] | undefined {
    if (alert.thresholdSource.kind !== "platform") return undefined;
    const fire = (name: string, series: InputSeries[], labels: Record<string, string> = {}) => scenario(name, alert, series, [labels]);
    const quiet = (name: string, series: InputSeries[]) => scenario(name, alert, series, []);
    const t = tempoMetricNames;
    switch (alert.thresholdSource.threshold) {
        case "componentDown": {
            const tempo = { job: platformJobs.tempo, instance: "tempo-0" };
            const grafana = { job: platformJobs.grafana, instance: "grafana-7d9f" };
            return [
                fire("a Tempo pod not answering fires for that pod", [gauge(scrapeHealth, tempo, 0), gauge(scrapeHealth, grafana, 1)], tempo),
                fire("Grafana not answering fires", [gauge(scrapeHealth, tempo, 1), gauge(scrapeHealth, grafana, 0)], grafana),
                quiet("both answering, and another job down, stay quiet", [gauge(scrapeHealth, tempo, 1), gauge(scrapeHealth, grafana, 1), gauge(scrapeHealth, { job: "otel-agent", instance: "x" }, 0)]),
            ];
        }
        case "tempoDiscardedPerSecond":
            return [
                fire("spans discarded over the rate limit fire", [counter(t.discardedSpans, { reason: "rate_limited" }, 600)]),
                quiet("nothing discarded stays quiet", [counter(t.discardedSpans, { reason: "rate_limited" }, 0)]),
            ];
        case "tempoKafkaFailuresPerSecond":
            return [
                fire("Kafka write failures fire", [counter(t.kafkaProduceFailures, { reason: "timeout" }, 30)]),
                quiet("no failures stay quiet", [counter(t.kafkaProduceFailures, { reason: "timeout" }, 0)]),
            ];
        case "tempoPartitionLagSeconds":
            return [
                fire("block-builders 15 minutes behind fire", [gauge(t.partitionLagSeconds, { group: "block-builder", partition: "0" }, 900), gauge(t.partitionLagSeconds, { group: "live-store", partition: "0" }, 2)], {
                    group: "block-builder",
                }),
                quiet("a minute behind stays quiet", [gauge(t.partitionLagSeconds, { group: "block-builder", partition: "0" }, 60)]),
            ];
        case "tempoBackendErrorsPerSecond":
            return [
                fire("failing compactions fire", [counter(t.compactionErrors, {}, 2)]),
                fire("block-builder fetch errors fire", [counter(t.blockBuilderFetchErrors, {}, 5), counter(t.compactionErrors, {}, 0)]),
                quiet("no errors stay quiet", [counter(t.blockBuilderFetchErrors, {}, 0), counter(t.compactionErrors, {}, 0)]),
            ];
        case "tempoQueryP99Seconds": {
            const search = { route: "api_search" };
            return [
                fire("searches answered in 5-10 s fire for that route", secondsHistogram(t.requestDurationBucket, search, new Map([[10, 100]])), search),
                quiet("fast queries stay quiet, slow ingest is not a query", [
                    ...secondsHistogram(t.requestDurationBucket, search, new Map([[0.5, 100]])),
                    ...secondsHistogram(t.requestDurationBucket, { route: "/tempopb.Pusher/PushBytesV2" }, new Map([[Infinity, 100]])),
                ]),
            ];
        }
        case "grafanaDatasourceFailureShare": {
            const requests = (code: string, perMinute: number) => counter(grafanaMetricNames.datasourceRequests, { datasource: "Tempo (traces)", code, method: "POST" }, perMinute);
            return [
                fire("10% of data source requests failing fire", [requests("200", 900), requests("500", 100)]),
                quiet("1% failing stays quiet", [requests("200", 990), requests("502", 10)]),
            ];
        }
        case "mskUnderReplicatedPartitions": {
            const replica = (name: string, value: number) => gauge(kafkaMetricNames.replicaManager, { job: platformJobs.mskJmx, instance: "b-1:11001", name }, value);
            return [
                fire("under-replicated partitions fire", [replica("UnderReplicatedPartitions", 3), replica("PartitionCount", 50)]),
                quiet("none under-replicated stay quiet", [replica("UnderReplicatedPartitions", 0), replica("PartitionCount", 50)]),
            ];
        }
        case "mskDiskUsedShare": {
            const fs = (instance: string, fstype: string, available: number) => {
                const labels = { job: platformJobs.mskNode, instance, fstype, mountpoint: fstype === "tmpfs" ? "/run" : "/kafka/datalogs" };
                return [gauge(kafkaMetricNames.filesystemAvailable, labels, available), gauge(kafkaMetricNames.filesystemSize, labels, 100)];
            };
            return [
                fire("a broker's data volume 90% full fires for that broker", [...fs("b-1:11002", "xfs", 10), ...fs("b-2:11002", "xfs", 60)], { instance: "b-1:11002" }),
                quiet("half full stays quiet, a full tmpfs is not the data volume", [...fs("b-1:11002", "xfs", 50), ...fs("b-1:11002", "tmpfs", 1)]),
            ];
        }
        default:
            return undefined;
    }
}
