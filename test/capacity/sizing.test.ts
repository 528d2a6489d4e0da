import { strict as assert } from "assert";
import { ConfigValidationError, parseSettings, type Settings } from "../../components/platform/settings";
import { spanMetricsBucketsMs, spanMetricsFlushSeconds, minimumFlushesPerWindow } from "../../components/platform/span-metrics";
import { capacityAssumptions as a, planCapacity, type CapacityPlan, type PodResources } from "../../components/capacity/plan";
import { planCosts, spanMetricSeries } from "../../components/capacity/costs";
import { spanMetricsBySystem } from "../../components/capacity/span-metric-series";
import { scaledLoad } from "../../components/capacity/sweep";
import { alertWindow } from "../../components/grafana/alerts";
import { stackConfig } from "../harness/stack-config";
import { shippedStacks } from "../harness/program";

const settingsOf = (stack: string, overrides: Record<string, unknown> = {}): Settings => parseSettings(stackConfig(stack, overrides), stack);

const cores = (r: PodResources) => Number(r.requests.cpu.replace(/m$/, "")) / 1000;
const mib = (r: PodResources) => Number(r.requests.memory.replace(/Mi$/, ""));

/** The peak stored bytes/s twice over: what every Tempo request is sized for. */
const sizedLoad = (plan: CapacityPlan) => plan.load.storedBytesPerSecond * a.peakToAverage.value * a.headroom.value;

function refusedKeys(settings: Settings): string[] {
    try {
        planCapacity(settings);
        return [];
    } catch (e) {
        if (e instanceof ConfigValidationError) return e.problems.map((p) => p.key);
        throw e;
    }
}

describe("capacity plan: requests sized from the load with twice the peak", () => {
    for (const stack of shippedStacks) {
        for (const factor of [0.1, 1, 10]) {
            it(`${stack} at ${factor}x: every Tempo request covers its documented need for twice the peak, limits twice the requests`, () => {
                const plan = planCapacity(scaledLoad(settingsOf(stack), factor));
                const load = sizedLoad(plan);
                const need = (bytesPerSecond: number, docCores: number, docGb: number) => ({ cores: docCores * bytesPerSecond, mib: (docGb * 1e9 * bytesPerSecond) / 2 ** 20 });
                const covers = (resources: PodResources, needed: { cores: number; mib: number }, what: string) => {
                    assert.ok(cores(resources) >= needed.cores - 1e-3, `${what}: ${resources.requests.cpu} < ${needed.cores} cores`);
                    assert.ok(mib(resources) >= needed.mib - 1, `${what}: ${resources.requests.memory} < ${needed.mib} MiB`);
                    assert.ok(cores(resources) >= a.tempoFloorCores.value - 1e-3 && mib(resources) >= a.tempoFloorMiB.value, `${what}: at least an idle process`);
                    assert.equal(resources.limits.memory, `${mib(resources) * 2}Mi`, `${what}: memory limit twice the request`);
                };
                const d = plan.tempo.distributed;
                if (d) {
                    covers(d.resources.distributor, need(load / d.distributor / a.distributorBytesPerSecond.value, 2, 2), "distributor");
                    covers(d.resources.liveStore, need(load / d.liveStore / a.liveStoreBytesPerSecond.value, 1, 4), "live-store");
                    covers(d.resources.blockBuilder, need(load / d.blockBuilder / a.blockBuilderBytesPerSecond.value, 0.5, 5), "block-builder");
                    covers(d.resources.querier, need(load / d.querier / a.querierBytesPerSecond.value, 1, 4), "querier");
                    assert.ok(d.distributor >= 2 && d.querier >= 2, "stateless paths survive one pod, node or zone");
                    assert.ok(d.volumeGb.liveStore * 2 ** 30 >= (load / d.liveStore) * a.tempoLocalSeconds.value, "live-store volume holds 20 min of its partition");
                    assert.ok(d.volumeGb.blockBuilder * 2 ** 30 >= (load / d.blockBuilder) * a.blockBuilderCycleSeconds.value, "block-builder volume holds a consume cycle");
                }
                const m = plan.tempo.monolith;
                if (m) {
                    const n = (docBps: number, c: number, g: number) => need(load / docBps, c, g);
                    const parts = [n(a.distributorBytesPerSecond.value, 2, 2), n(a.liveStoreBytesPerSecond.value, 1, 4), n(a.querierBytesPerSecond.value, 1, 4), n(a.backendWorkerBytesPerSecond.value, 1, 2)];
                    covers(m.resources, { cores: parts.reduce((s, p) => s + p.cores, 0), mib: parts.reduce((s, p) => s + p.mib, 0) }, "monolith");
                    assert.ok(m.volumeGb * 2 ** 30 >= load * a.tempoLocalSeconds.value, "the monolith's volume holds 20 min of twice the peak");
                }
            });
        }

        it(`${stack}: collectors cover twice the peak, and the gateway queues a Tempo outage at twice the peak`, () => {
            const plan = planCapacity(settingsOf(stack));
            const peak = plan.load.ingestSpansPerSecond * a.peakToAverage.value;
            assert.ok(cores(plan.agent.resources) >= (peak * a.headroom.value * a.agentNodeShare.value) / a.agentSpansPerCore.value - 1e-3);
            const gateways = plan.gateway.replicas;
            assert.ok(cores(plan.gateway.resources) * gateways >= (peak * a.headroom.value) / a.gatewaySpansPerCore.value - 1e-3, "the fleet carries twice the peak");
            const queued = (plan.load.storedBytesPerSecond * a.peakToAverage.value * a.headroom.value * a.queueOutageHours.value * 3600) / Math.max(1, gateways - 1);
            assert.ok(plan.gateway.queueVolumeGb * 2 ** 30 * a.queueVolumeShare.value >= queued, "queue volume holds the outage window");
        });
    }

    it("scales requests with the load instead of holding fixed minimums", () => {
        const at = (factor: number) => planCapacity(scaledLoad(settingsOf("prod"), factor));
        const [small, seed, large] = [at(0.2), at(1), at(10)];
        for (const key of ["liveStore", "querier", "blockBuilder"] as const) {
            const [x, y] = [small.tempo.distributed!.resources[key], seed.tempo.distributed!.resources[key]];
            assert.ok(mib(x) < mib(y), `${key} memory shrinks with the load`);
        }
        assert.ok(cores(small.agent.resources) < cores(seed.agent.resources));
        assert.ok(small.gateway.queueVolumeGb < seed.gateway.queueVolumeGb && seed.gateway.queueVolumeGb < large.gateway.queueVolumeGb);
        assert.ok(seed.tempo.distributed!.msk.volumeGb < large.tempo.distributed!.msk.volumeGb);
    });

    it("refuses configured sizes the load does not fit, each naming its key, before any resource exists", () => {
        assert.deepEqual(refusedKeys(settingsOf("prod", { "tracing-platform:gatewayQueueVolumeGb": 1 })), ["tracing-platform:gatewayQueueVolumeGb"]);
        assert.deepEqual(refusedKeys(settingsOf("prod", { "tracing-platform:mskVolumeGb": 1 })), ["tracing-platform:mskVolumeGb"]);
        assert.deepEqual(refusedKeys(scaledLoad(settingsOf("dev", { "tracing-platform:tempoVolumeGb": 1 }), 100)), ["tracing-platform:tempoVolumeGb"]);
        assert.deepEqual(refusedKeys(settingsOf("prod", { "tracing-platform:mskBrokerCount": 3, "tracing-platform:mskInstanceType": "kafka.m7g.large", "tracing-platform:mskVolumeGb": 500 })), []);
        const kept = planCapacity(settingsOf("prod", { "tracing-platform:gatewayQueueVolumeGb": 50 }));
        assert.equal(kept.gateway.queueVolumeGb, 50, "a configured size that fits is used as given");
    });
});

describe("span metrics: fewer samples, the same meaning", () => {
    it("keeps every alert window at least four flushes long", () => {
        const minutes = Number(/^(\d+)m$/.exec(alertWindow)![1]);
        assert.ok((minutes * 60) / spanMetricsFlushSeconds >= minimumFlushesPerWindow, `${alertWindow} over ${spanMetricsFlushSeconds} s flushes`);
        assert.ok(minimumFlushesPerWindow >= 4);
    });

    it("has a bucket bound at every latency and queue objective of the shipped catalogue, with fewer buckets than before", () => {
        for (const system of settingsOf("prod").systems) {
            assert.ok((spanMetricsBucketsMs as readonly number[]).includes(system.latencySloP95Ms), `${system.id} p95 objective ${system.latencySloP95Ms} ms`);
            if (system.queueProcessingSloMs !== undefined) assert.ok((spanMetricsBucketsMs as readonly number[]).includes(system.queueProcessingSloMs));
        }
        assert.ok(spanMetricsBucketsMs.length < 19);
    });

    it("counts series and samples per system, summing to what Managed Prometheus bills", () => {
        const settings = settingsOf("prod");
        const plan = planCapacity(settings);
        const rows = spanMetricsBySystem(settings, plan.gateway.replicas);
        assert.deepEqual(rows.map((r) => r.id), settings.systems.map((s) => s.id));
        const series = rows.reduce((s, r) => s + r.series, 0);
        assert.equal(series, spanMetricSeries(settings, plan.gateway.replicas));
        const amp = planCosts(settings, plan).lines.find((l) => l.id === "amp-ingest")!;
        assert.ok(Math.abs(amp.quantity - rows.reduce((s, r) => s + r.samplesPerMonth, 0)) < 1e-3);
        const rabbit = rows.find((r) => r.id === "rabbitmq")!;
        const cache = rows.find((r) => r.id === "caches")!;
        assert.ok(rabbit.series > cache.series, "queues and more services mean more series");
    });
});
