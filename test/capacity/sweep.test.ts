import { strict as assert } from "assert";
import { ConfigValidationError, parseSettings, type Settings } from "../../components/platform/settings";
import { capacityAssumptions as a, planCapacity } from "../../components/capacity/plan";
import { brokerNetworkBytesPerSecond, mskBrokerClasses, replicatedLog, requiredBrokerVolumeGb, type MskBrokerClass } from "../../components/capacity/kafka-log";
import { mskBrokerHour, prices } from "../../components/capacity/prices";
import { hoursPerMonth } from "../../components/capacity/cost-assumptions";
import { renderSweep, scaledLoad, sweep, sweepFactors } from "../../components/capacity/sweep";
import { stackConfig } from "../harness/stack-config";

const prod = () => parseSettings(stackConfig("prod"), "prod");

describe("load sweep (npm run capacity -- --sweep)", () => {
    const points = sweep(prod());

    it("plans 1x, 10x and 100x the catalogue for both durability settings", () => {
        assert.deepEqual([...sweepFactors], [1, 10, 100]);
        for (const durability of ["replicated", "single-node"]) {
            assert.deepEqual(points.filter((p) => p.durability === durability).map((p) => p.factor), [1, 10, 100]);
        }
        const stored = (factor: number) => points.find((p) => p.factor === factor && p.durability === "replicated")!.storedSpansPerSecond;
        assert.ok(Math.abs(stored(10) - 10 * stored(1)) < 1 && Math.abs(stored(100) - 100 * stored(1)) < 10);
    });

    it("never makes a stored span dearer as the load grows (trace backend and platform, per million stored spans)", () => {
        for (const durability of ["replicated", "single-node"] as const) {
            const priced = points.filter((p) => p.durability === durability && p.plan);
            assert.ok(priced.length >= 2, durability);
            for (let i = 1; i < priced.length; i++) {
                const [before, after] = [priced[i - 1], priced[i]];
                assert.ok(after.traceBackendUsdPerMillionSpans! <= before.traceBackendUsdPerMillionSpans! + 1e-9, `${durability} backend per M spans grew at ${after.factor}x`);
                assert.ok(after.totalUsdPerMillionSpans! <= before.totalUsdPerMillionSpans! + 1e-9, `${durability} platform per M spans grew at ${after.factor}x`);
                assert.ok(after.totalUsd! > before.totalUsd!, "the bill itself grows");
            }
        }
    });

    it("shows where one monolith stops: single-node does not fit 100x, replicated does", () => {
        const single = points.find((p) => p.factor === 100 && p.durability === "single-node")!;
        assert.equal(single.plan, undefined);
        assert.match(single.problem ?? "", /exceeds what one monolithic Tempo sustains/);
        assert.ok(points.find((p) => p.factor === 100 && p.durability === "replicated")!.plan);
        assert.match(renderSweep(prod(), points), /\| 100x \| `single-node` \| [\d,]+ \| — \| does not fit: /);
    });

    it("sizes the Kafka log at every load: partitions, brokers that carry twice the peak, volumes for the retention, the cheapest such MSK", () => {
        const settings = prod();
        const zones = settings.network.privateSubnetIds.length;
        for (const point of points.filter((p) => p.durability === "replicated")) {
            const d = point.plan!.tempo.distributed!;
            const storedPeak = point.plan!.load.storedBytesPerSecond * a.peakToAverage.value;
            assert.equal(d.kafkaPartitions, Math.max(1, Math.ceil((storedPeak * a.headroom.value) / a.kafkaPartitionBytesPerSecond.value)), `${point.factor}x partitions`);
            assert.equal(d.liveStore, d.kafkaPartitions);
            assert.equal(d.blockBuilder, d.kafkaPartitions);
            const { msk, log } = d;
            assert.ok(msk.brokerCount >= replicatedLog.replicationFactor && msk.brokerCount % zones === 0, `${point.factor}x brokers in every zone`);
            const written = log.peakBytesPerSecond * a.headroom.value;
            const capacity = (mskBrokerClasses[msk.instanceType].baselineGbps * 1e9) / 8;
            assert.ok(brokerNetworkBytesPerSecond(written, msk.brokerCount) <= capacity, `${point.factor}x brokers carry twice the peak`);
            assert.ok(msk.volumeGb >= (msk.retainedGbPerBroker / replicatedLog.volumeMaxFill) - 1e-9, `${point.factor}x volume holds the retention half full`);
            // No cheaper MSK configuration fits.
            const usd = (type: MskBrokerClass, n: number) => n * (hoursPerMonth * mskBrokerHour[type].value + requiredBrokerVolumeGb(log.averageBytesPerSecond, n) * prices.mskStorageGbMonth.value);
            const chosen = usd(msk.instanceType, msk.brokerCount);
            for (const type of Object.keys(mskBrokerClasses) as MskBrokerClass[]) {
                for (let n = zones; n <= 30; n += zones) {
                    if (n < 3) continue;
                    const fits = brokerNetworkBytesPerSecond(written, n) <= (mskBrokerClasses[type].baselineGbps * 1e9) / 8 &&
                        (d.kafkaPartitions * 3) / n <= mskBrokerClasses[type].maxPartitionsPerBroker;
                    if (fits) assert.ok(usd(type, n) >= chosen - 1e-9, `${point.factor}x: ${n} x ${type} would be cheaper than ${msk.brokerCount} x ${msk.instanceType}`);
                }
            }
        }
        const sizes = points.filter((p) => p.durability === "replicated").map((p) => p.plan!.tempo.distributed!.msk);
        assert.ok(sizes[2].brokerCount * mskBrokerHour[sizes[2].instanceType].value > sizes[0].brokerCount * mskBrokerHour[sizes[0].instanceType].value, "bigger brokers at 100x");
    });

    it("refuses a configured broker class and count that cannot carry twice the peak, naming mskInstanceType", () => {
        const fixed = (overrides: Record<string, unknown>): Settings => scaledLoad(parseSettings(stackConfig("prod", overrides), "prod"), 100);
        assert.throws(
            () => planCapacity(fixed({ "tracing-platform:mskInstanceType": "kafka.t3.small", "tracing-platform:mskBrokerCount": 3 })),
            (e: unknown) => e instanceof ConfigValidationError && e.problems.some((p) => p.key === "tracing-platform:mskInstanceType" && /carry twice the peak/.test(p.allowed)),
        );
        // With only the class fixed, the plan adds brokers of that class until they carry the load.
        const more = planCapacity(fixed({ "tracing-platform:mskInstanceType": "kafka.t3.small" })).tempo.distributed!.msk;
        assert.equal(more.instanceType, "kafka.t3.small");
        assert.ok(more.brokerCount > 3 && more.brokerCount % 3 === 0 && more.networkUtilisation <= 1);
        assert.equal(planCapacity(scaledLoad(prod(), 100)).tempo.distributed!.msk.brokerCount % 3, 0);
    });
});
