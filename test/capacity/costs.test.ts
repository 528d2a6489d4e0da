import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { capacityAssumptions, planCapacity, type CapacityPlan } from "../../components/capacity/plan";
import { costAssumptions } from "../../components/capacity/cost-assumptions";
import { costGroups, type PriceKey } from "../../components/capacity/cost-lines";
import { planCosts, spanMetricSeries, type CostEstimate } from "../../components/capacity/costs";
import { ampSamplesIngested, freeAllowances, mskBrokerHour, prices, tieredCost } from "../../components/capacity/prices";
import { capacitySummary, renderCapacityTable } from "../../components/capacity/report";
import { projectRoot, stackConfig } from "../harness/stack-config";
import { shippedStacks } from "../harness/program";

function settingsOf(stack: string): Settings {
    return parseSettings(stackConfig(stack), stack);
}

function scaledLoad(settings: Settings, factor: number): Settings {
    return { ...settings, systems: settings.systems.map((s) => ({ ...s, spansPerSecond: s.spansPerSecond * factor })) };
}

function withRetention(settings: Settings, traceDays: number): Settings {
    return { ...settings, retention: { ...settings.retention, traceDays } };
}

function planAndCosts(settings: Settings): { plan: CapacityPlan; costs: CostEstimate } {
    const plan = planCapacity(settings);
    return { plan, costs: planCosts(settings, plan) };
}

/** Every number that must not shrink when load grows, by name. */
function loadSensitiveFigures({ plan, costs }: { plan: CapacityPlan; costs: CostEstimate }): Record<string, number> {
    const figures: Record<string, number> = {
        ingestSpansPerSecond: plan.load.ingestSpansPerSecond,
        storedSpansPerSecond: plan.load.storedSpansPerSecond,
        ingestBytesPerSecond: plan.load.ingestBytesPerSecond,
        gatewayReplicas: plan.gateway.replicas,
        gatewayMaxReplicas: plan.gateway.maxReplicas,
        gatewayNumTraces: plan.gateway.numTraces,
        storedGbPerDay: plan.storage.storedGbPerDay,
        traceBucketGb: plan.storage.traceBucketGb,
        totalUsd: costs.totalUsdPerMonth,
        xrayUsd: costs.comparison.xray.usdPerMonth,
        hostedUsd: costs.comparison.hostedPerGb.usdPerMonth,
    };
    const d = plan.tempo.distributed;
    if (d) {
        Object.assign(figures, {
            kafkaPartitions: d.kafkaPartitions,
            distributor: d.distributor,
            liveStore: d.liveStore,
            blockBuilder: d.blockBuilder,
            querier: d.querier,
            backendWorker: d.backendWorker,
        });
    }
    if (plan.tempo.monolith) figures.monolithUtilisation = plan.tempo.monolith.peakUtilisation;
    for (const line of costs.lines) figures[`line:${line.id}`] = line.usdPerMonth;
    return figures;
}

function assertNeverDecreases(series: Record<string, number>[], what: string): void {
    for (let i = 1; i < series.length; i++) {
        for (const [name, value] of Object.entries(series[i - 1])) {
            assert.ok(name in series[i], `${name} disappeared at step ${i} of ${what}`);
            assert.ok(series[i][name] >= value - 1e-9, `${name} fell from ${value} to ${series[i][name]} at step ${i} of ${what}`);
        }
    }
}

describe("capacity and cost model", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            const settings = settingsOf(stack);

            it("never plans less (replicas, partitions, storage, dollars) when spans/s grow", () => {
                const steps = [0.1, 0.5, 1, 2, 5, 20, 100].map((f) => loadSensitiveFigures(planAndCosts(scaledLoad(settings, f))));
                assertNeverDecreases(steps, "load growth");
                const first = steps[0];
                const last = steps[steps.length - 1];
                assert.ok(last.ingestBytesPerSecond > first.ingestBytesPerSecond * 100, "ingest grows with load");
                assert.ok(last.gatewayReplicas > first.gatewayReplicas, "gateways scale out with load");
                assert.ok(last["line:s3-trace-storage"] > first["line:s3-trace-storage"], "S3 cost grows with load");
                assert.ok(last.totalUsd > first.totalUsd, "total cost grows with load");
                if (settings.tempo.mode === "distributed") assert.ok(last.kafkaPartitions > first.kafkaPartitions, "partitions grow with load");
            });

            it("stores more and pays more for S3 the longer traces are retained", () => {
                const steps = [1, 7, 14, 30, 90, 400].map((days) => planAndCosts(withRetention(settings, days)));
                for (let i = 1; i < steps.length; i++) {
                    const [before, after] = [steps[i - 1], steps[i]];
                    assert.ok(after.plan.storage.traceBucketGb > before.plan.storage.traceBucketGb);
                    const s3 = (e: CostEstimate) => e.lines.find((l) => l.id === "s3-trace-storage")!.usdPerMonth;
                    assert.ok(s3(after.costs) > s3(before.costs), `S3 $ grows from ${before.plan.storage.retentionDays} days`);
                    assert.ok(after.costs.totalUsdPerMonth > before.costs.totalUsdPerMonth);
                    assert.equal(after.plan.load.ingestBytesPerSecond, before.plan.load.ingestBytesPerSecond, "retention does not change ingest");
                }
            });

            it("adds lines up to group subtotals and the total", () => {
                const { costs } = planAndCosts(settings);
                const groups = Object.keys(costGroups) as (keyof typeof costGroups)[];
                for (const group of groups) {
                    const expected = costs.lines.filter((l) => l.group === group).reduce((a, l) => a + l.usdPerMonth, 0);
                    assert.ok(Math.abs(costs.subtotals[group] - expected) < 1e-9, group);
                }
                const byGroup = groups.reduce((a, g) => a + costs.subtotals[g], 0);
                assert.ok(Math.abs(costs.totalUsdPerMonth - byGroup) < 1e-9);
                assert.ok(Math.abs(costs.comparison.selfHostedUsdPerMonth - costs.subtotals.traceBackend) < 1e-9);
                for (const alternative of [costs.comparison.xray, costs.comparison.hostedPerGb]) {
                    assert.ok(Math.abs(alternative.usdPerMonth - alternative.lines.reduce((a, l) => a + l.usdPerMonth, 0)) < 1e-9);
                }
                assert.equal(new Set(costs.lines.map((l) => l.id)).size, costs.lines.length, "line ids are unique");
                for (const line of costs.lines) {
                    assert.ok(Number.isFinite(line.usdPerMonth) && line.usdPerMonth >= 0, `${line.id} is a non-negative amount`);
                    assert.equal(line.unpriced, undefined, `${line.id} is priced for the shipped config`);
                }
            });

            it("prices X-Ray and the hosted service for exactly the stored load of the plan", () => {
                const { plan, costs } = planAndCosts(settings);
                const seconds = costAssumptions.hoursPerMonth.value * 3600;
                const traces = (plan.load.storedSpansPerSecond / capacityAssumptions.spansPerTrace.value) * seconds;
                const gb = (plan.load.storedBytesPerSecond * seconds) / 1e9;
                const { load, xray, hostedPerGb } = costs.comparison;
                assert.ok(Math.abs(load.storedTracesPerMonth - traces) < 1e-6);
                assert.ok(Math.abs(load.storedGbPerMonth - gb) < 1e-9);
                assert.equal(load.retentionDays, plan.storage.retentionDays);
                const recorded = xray.lines.find((l) => l.id === "xray-recorded")!;
                assert.ok(Math.abs(recorded.quantity - (traces - freeAllowances.xrayTracesRecorded.value)) < 1e-6);
                assert.ok(Math.abs(recorded.usdPerMonth - (recorded.quantity / 1e6) * prices.xrayTracesRecordedPerMillion.value) < 1e-9);
                const processed = hostedPerGb.lines.find((l) => l.id === "hosted-processed")!;
                assert.ok(Math.abs(processed.quantity - gb) < 1e-9);
                const written = hostedPerGb.lines.find((l) => l.id === "hosted-written")!;
                assert.ok(Math.abs(written.quantity - Math.max(0, gb - freeAllowances.grafanaCloudTracesGb.value)) < 1e-9);
                // the self-hosted side stores the same spans: S3 holds the compressed bytes of that load
                const storedGbPerDay = (plan.load.storedBytesPerSecond * 86_400 * capacityAssumptions.compressionRatio.value) / 1e9;
                assert.ok(Math.abs(plan.storage.storedGbPerDay - storedGbPerDay) < 0.01);
            });

            it("counts span-metric series from the catalogue, per gateway", () => {
                const { plan } = planAndCosts(settings);
                const one = spanMetricSeries(settings, 1);
                assert.equal(spanMetricSeries(settings, plan.gateway.replicas), one * plan.gateway.replicas);
                const fewerServices = { ...settings, systems: settings.systems.slice(1) };
                assert.ok(spanMetricSeries(fewerServices, 1) < one);
                const amp = planCosts(settings, plan).lines.find((l) => l.id === "amp-ingest")!;
                const samples = one * plan.gateway.replicas * ((costAssumptions.hoursPerMonth.value * 3600) / costAssumptions.spanMetricsFlushSeconds.value);
                assert.ok(Math.abs(amp.quantity - samples) < 1e-3);
            });
        });
    }

    it("prices Managed Prometheus ingestion by its tiers", () => {
        assert.ok(Math.abs(tieredCost(ampSamplesIngested, 1e7) - 0.9) < 1e-9);
        assert.ok(Math.abs(tieredCost(ampSamplesIngested, 2e9) - 180) < 1e-9);
        assert.ok(Math.abs(tieredCost(ampSamplesIngested, 3e9) - (180 + 35)) < 1e-9);
        assert.ok(Math.abs(tieredCost(ampSamplesIngested, 262e9) - (180 + 250e9 * 0.35e-7 + 10e9 * 0.16e-7)) < 1e-6);
        assert.equal(tieredCost(ampSamplesIngested, 0), 0);
    });

    it("flags an MSK broker type it has no price for instead of pricing it at zero silently", () => {
        const prod = settingsOf("prod");
        const exotic = { ...prod, tempo: { ...prod.tempo, msk: { ...prod.tempo.msk, instanceType: "kafka.m5.24xlarge" } } };
        const line = planCosts(exotic, planCapacity(exotic)).lines.find((l) => l.id === "msk-brokers")!;
        assert.match(line.unpriced ?? "", /kafka\.m5\.24xlarge.*prices\.ts/);
        assert.match(renderCapacityTable(planCapacity(exotic), planCosts(exotic, planCapacity(exotic))), /unpriced: no price for kafka\.m5\.24xlarge/);
        assert.ok(prod.tempo.msk.instanceType in mskBrokerHour, "the shipped prod broker type is priced");
    });

    it("gives every price, allowance and assumption a unit and a non-empty source", () => {
        const entries: [string, { unit: string; source: string }][] = [
            ...Object.entries(prices),
            ...Object.entries(mskBrokerHour),
            ...Object.entries(freeAllowances),
            ["ampSamplesIngested", ampSamplesIngested],
            ...Object.entries(capacityAssumptions),
            ...Object.entries(costAssumptions),
        ];
        for (const [name, entry] of entries) {
            assert.ok(entry.source.trim().length > 10, `${name} has a source`);
            assert.ok(entry.unit.trim().length > 0, `${name} has a unit`);
        }
        for (const [name, price] of [...Object.entries(prices), ...Object.entries(mskBrokerHour)]) {
            assert.ok(Number.isFinite(price.value) && price.value >= 0, `${name} is a price`);
            assert.ok(price.region.trim().length > 0, `${name} says which region it was read for`);
        }
    });

    it("traces every cost line to prices and assumptions that exist", () => {
        const known = new Set<string>([...Object.keys(prices), ...Object.keys(freeAllowances), "mskBrokerHour", "ampSamplesIngested"]);
        for (const stack of shippedStacks) {
            const { costs } = planAndCosts(settingsOf(stack));
            for (const line of [...costs.lines, ...costs.comparison.xray.lines, ...costs.comparison.hostedPerGb.lines]) {
                assert.ok(line.prices.length > 0, `${line.id} names its price`);
                for (const key of line.prices as readonly PriceKey[]) assert.ok(known.has(key), `${line.id}: unknown price ${key}`);
                for (const key of line.assumptions) assert.ok(key in costAssumptions, `${line.id}: unknown assumption ${key}`);
            }
        }
    });

    it("summarises the plan and cost as a plain, JSON-safe stack output", () => {
        const { plan, costs } = planAndCosts(settingsOf("prod"));
        const summary = capacitySummary(plan, costs);
        assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
        assert.equal(summary.gateway.replicas, plan.gateway.replicas);
        assert.equal(summary.tempo.distributed?.kafkaPartitions, plan.tempo.distributed?.kafkaPartitions);
        assert.equal(summary.costUsdPerMonth.total, Math.round(costs.totalUsdPerMonth * 100) / 100);
    });

    describe("capacity tables in docs/capacity.md", () => {
        const doc = path.join(projectRoot, "docs", "capacity.md");
        const block = (text: string, stack: string): string | undefined => {
            const match = new RegExp(`<!-- capacity:${stack}:start -->\\n([\\s\\S]*?)<!-- capacity:${stack}:end -->`).exec(text);
            return match?.[1];
        };

        it("match `npm run capacity` for every shipped stack", () => {
            const text = fs.readFileSync(doc, "utf8");
            for (const stack of shippedStacks) {
                const shown = block(text, stack);
                assert.ok(shown !== undefined, `docs/capacity.md shows the ${stack} table between <!-- capacity:${stack}:start --> and <!-- capacity:${stack}:end -->`);
                const { plan, costs } = planAndCosts(settingsOf(stack));
                assert.equal(shown.trim(), renderCapacityTable(plan, costs).trim(), `docs/capacity.md ${stack} table is stale: paste \`npm run capacity -- --stack ${stack}\``);
            }
        });

        it("finds a stale table (the comparison above can fail)", () => {
            const { plan, costs } = planAndCosts(settingsOf("prod"));
            const rendered = renderCapacityTable(plan, costs);
            const text = `intro\n<!-- capacity:prod:start -->\n${rendered}<!-- capacity:prod:end -->\n`;
            assert.equal(block(text, "prod")!.trim(), rendered.trim());
            const other = planAndCosts(scaledLoad(settingsOf("prod"), 2));
            assert.notEqual(block(text, "prod")!.trim(), renderCapacityTable(other.plan, other.costs).trim());
        });
    });
});
