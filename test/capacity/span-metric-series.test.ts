/**
 * The series the capacity model bills for are the series the connector contract writes: when a
 * dimension, a calls-only dimension, a bucket or a queue is added, the count per system and the
 * Managed Prometheus sample line move with it.
 */
import { strict as assert } from "assert";
import { costAssumptions } from "../../components/capacity/cost-assumptions";
import { planCapacity } from "../../components/capacity/plan";
import { planCosts, spanMetricSeries } from "../../components/capacity/costs";
import { spanMetricsBySystem } from "../../components/capacity/span-metric-series";
import { secondsPerMonth } from "../../components/capacity/cost-assumptions";
import { isDatastore, parseSettings, type Settings } from "../../components/platform/settings";
import {
    callsDimensionValues,
    queueWaitBucketsMs,
    spanMetricsBucketsMs,
    spanMetricsCallsDimensions,
} from "../../components/platform/span-metrics";
import { stackConfig } from "../harness/stack-config";

const settings: Settings = parseSettings(stackConfig("prod"), "prod");
const ops = costAssumptions.operationsPerService.value;
const statuses = costAssumptions.statusCodesPerOperation.value;
const edges = costAssumptions.serviceGraphEdgesPerService.value;
/** Request and failed-request counters, client and server duration histograms, per service-graph edge. */
const graphSeriesPerEdge = 2 + 2 * (spanMetricsBucketsMs.length + 1 + 2);

/** Series of each system on one gateway. */
function spanMetricSeriesBySystem(of: Settings): Record<string, number> {
    return Object.fromEntries(spanMetricsBySystem(of, 1).map((row) => [row.id, row.series]));
}

describe("capacity: span-metric series follow the connector contract", () => {
    it("counts per system: duration histograms per status, calls per outcome (and per hit or miss on caches), queue waits, service-graph edges", () => {
        const histogram = spanMetricsBucketsMs.length + 1 + 2;
        const waitHistogram = queueWaitBucketsMs.length + 1 + 2;
        assert.deepEqual([...spanMetricsCallsDimensions], ["tracing.outcome", "cache.hit"]);
        const bySystem = spanMetricSeriesBySystem(settings);
        for (const system of settings.systems) {
            const sources = isDatastore(system) ? system.dbSystems.length : system.serviceNames.length;
            const calls = callsDimensionValues.outcomes * (system.kind === "cache" ? 2 : 1);
            const operations = sources * ops + system.queues.length;
            const waits = system.kind === "queue" ? system.queues.length * (1 + waitHistogram) : 0;
            assert.equal(bySystem[system.id], operations * (statuses * histogram + calls) + waits + sources * edges * graphSeriesPerEdge, system.id);
        }
        assert.equal(callsDimensionValues.outcomes, 4, "success, client error, denied, error");
    });

    it("databases and caches are counted by the datastores their callers reach, not by service names they never had", () => {
        const bySystem = spanMetricSeriesBySystem(settings);
        const databases = settings.systems.find((s) => s.kind === "database")!;
        assert.equal(databases.serviceNames.length, 0);
        assert.ok(bySystem[databases.id] > 0);
        const cache = settings.systems.find((s) => s.kind === "cache")!;
        const asDatabase = spanMetricSeriesBySystem({ ...settings, systems: [{ ...cache, kind: "database" as const }] })[cache.id];
        assert.ok(bySystem[cache.id] > asDatabase, "cache.hit doubles a cache's calls counters");
    });

    it("the total is every system's series on every gateway, and the sample line bills it each flush", () => {
        const plan = planCapacity(settings);
        const perGateway = Object.values(spanMetricSeriesBySystem(settings)).reduce((a: number, b: number) => a + b, 0);
        assert.equal(spanMetricSeries(settings, plan.gateway.replicas), perGateway * plan.gateway.replicas);
        const line = planCosts(settings, plan).lines.find((l) => l.id === "amp-ingest")!;
        assert.equal(line.quantity, perGateway * plan.gateway.replicas * (secondsPerMonth / costAssumptions.spanMetricsFlushSeconds.value));
    });

    it("a queue more costs its processing operation and its wait histogram", () => {
        const queue = settings.systems.find((s) => s.kind === "queue")!;
        const more = { ...settings, systems: settings.systems.map((s) => (s.id === queue.id ? { ...s, queues: [...s.queues, "returns.created"] } : s)) };
        const delta = spanMetricSeriesBySystem(more)[queue.id] - spanMetricSeriesBySystem(settings)[queue.id];
        assert.equal(delta, statuses * (spanMetricsBucketsMs.length + 3) + callsDimensionValues.outcomes + (1 + queueWaitBucketsMs.length + 3));
    });
});
