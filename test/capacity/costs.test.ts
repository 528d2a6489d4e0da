import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { capacityAssumptions, planCapacity, type CapacityPlan } from "../../components/capacity/plan";
import { costAssumptions } from "../../components/capacity/cost-assumptions";
import { costGroups, type PriceKey } from "../../components/capacity/cost-lines";
import { planCosts, spanMetricSeries, type CostEstimate } from "../../components/capacity/costs";
import { ampSamplesIngested, freeAllowances, mskBrokerHour, prices, tieredCost, transactionSearchSpansIngested } from "../../components/capacity/prices";
import { capacitySummary, renderCapacityTable } from "../../components/capacity/report";
import { renderSweep, scaledLoad, sweep } from "../../components/capacity/sweep";
import { priceDurabilities } from "../../components/capacity/durability";
import { ConfigValidationError } from "../../components/platform/settings";
import { projectRoot, stackConfig } from "../harness/stack-config";
import { shippedStacks } from "../harness/program";

function settingsOf(stack: string): Settings {
    return parseSettings(stackConfig(stack), stack);
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
        // Per gateway, num_traces follows its share, which drops as gateways are added; the fleet's buffer never shrinks.
        gatewayBufferedTraces: plan.gateway.numTraces * plan.gateway.replicas,
        storedGbPerDay: plan.storage.storedGbPerDay,
        traceBucketGb: plan.storage.traceBucketGb,
        totalUsd: costs.totalUsdPerMonth,
        xrayUsd: costs.comparison.xray.usdPerMonth,
        hostedUsd: costs.comparison.hostedPerGb.usdPerMonth,
        transactionSearchUsd: costs.comparison.xrayTransactionSearch.usdPerMonth,
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
            mskBrokerCount: d.msk.brokerCount,
            mskFleetVolumeGb: d.msk.brokerCount * d.msk.volumeGb,
        });
    }
    if (plan.tempo.monolith) {
        figures.monolithUtilisation = plan.tempo.monolith.peakUtilisation;
        figures.monolithVolumeGb = plan.tempo.monolith.volumeGb;
    }
    figures.gatewayQueueVolumeGb = plan.gateway.queueVolumeGb;
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
                // Up to the largest load the stack's durability carries (one monolith has a ceiling).
                const factors = settings.tempo.mode === "monolithic" ? [0.1, 0.5, 1, 2, 5, 10] : [0.1, 0.5, 1, 2, 5, 20, 100];
                const steps = factors.map((f) => loadSensitiveFigures(planAndCosts(scaledLoad(settings, f))));
                assertNeverDecreases(steps, "load growth");
                const first = steps[0];
                const last = steps[steps.length - 1];
                assert.ok(last.ingestBytesPerSecond > first.ingestBytesPerSecond * 99, "ingest grows with load");
                assert.ok(last.gatewayReplicas > first.gatewayReplicas, "gateways scale out with load");
                assert.ok(last["line:s3-trace-storage"] > first["line:s3-trace-storage"], "S3 cost grows with load");
                assert.ok(last.totalUsd > first.totalUsd, "total cost grows with load");
                if (settings.tempo.mode === "distributed") assert.ok(last.kafkaPartitions > first.kafkaPartitions, "partitions grow with load");
            });

            it("buffers on every gateway the traces of twice its share of the peak over decision_wait, with one gateway down", () => {
                for (const factor of [0.1, 1, 2, 5, 10]) {
                    const { plan } = planAndCosts(scaledLoad(settings, factor));
                    const { gateway, load } = plan;
                    const share = (load.ingestTracesPerSecond * capacityAssumptions.peakToAverage.value) / Math.max(1, gateway.replicas - 1);
                    const needed = share * capacityAssumptions.decisionWaitSeconds.value * capacityAssumptions.headroom.value;
                    assert.ok(gateway.numTraces >= needed, `${factor}x: num_traces ${gateway.numTraces} < ${needed}`);
                    assert.ok(gateway.numTraces <= Math.max(10_000, needed + 1000), `${factor}x: num_traces ${gateway.numTraces} sized from the load, not a fixed amount`);
                }
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
                for (const alternative of [costs.comparison.xray, costs.comparison.xrayTransactionSearch, costs.comparison.hostedPerGb]) {
                    assert.ok(Math.abs(alternative.usdPerMonth - alternative.lines.reduce((a, l) => a + l.usdPerMonth, 0)) < 1e-9);
                }
                assert.equal(new Set(costs.lines.map((l) => l.id)).size, costs.lines.length, "line ids are unique");
                for (const line of costs.lines) {
                    assert.ok(Number.isFinite(line.usdPerMonth) && line.usdPerMonth >= 0, `${line.id} is a non-negative amount`);
                    assert.ok(line.usdPerMonth > 0 || line.id === "cloudtrail-management", `${line.id} is priced for the shipped config`);
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

    it("refuses an MSK broker type it has no throughput or price for, naming the key, instead of pricing it at zero", () => {
        const prod = settingsOf("prod");
        const exotic = { ...prod, tempo: { ...prod.tempo, msk: { ...prod.tempo.msk, instanceType: "kafka.m5.24xlarge" } } };
        assert.throws(
            () => planCapacity(exotic),
            (e: unknown) =>
                e instanceof ConfigValidationError &&
                e.problems.some((p) => p.key === "tracing-platform:mskInstanceType" && p.value.includes("kafka.m5.24xlarge") && p.allowed.includes("kafka.t3.small")),
        );
        assert.ok(planCapacity(prod).tempo.distributed!.msk.instanceType in mskBrokerHour, "the planned prod broker type is priced");
    });

    it("gives every price, allowance and assumption a unit and a non-empty source", () => {
        const entries: [string, { unit: string; source: string }][] = [
            ...Object.entries(prices),
            ...Object.entries(mskBrokerHour),
            ...Object.entries(freeAllowances),
            ["ampSamplesIngested", ampSamplesIngested],
            ["transactionSearchSpansIngested", transactionSearchSpansIngested],
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
        const known = new Set<string>([...Object.keys(prices), ...Object.keys(freeAllowances), "mskBrokerHour", "ampSamplesIngested", "transactionSearchSpansIngested"]);
        for (const stack of shippedStacks) {
            const { costs } = planAndCosts(settingsOf(stack));
            const { xray, xrayTransactionSearch, hostedPerGb } = costs.comparison;
            for (const line of [...costs.lines, ...xray.lines, ...xrayTransactionSearch.lines, ...hostedPerGb.lines]) {
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

    describe("docs/capacity.md tables", () => {
        const docs = path.join(projectRoot, "docs", "capacity.md");
        const block = (text: string, name: string): string | undefined => {
            const match = new RegExp(`<!-- capacity:${name}:start -->\\n([\\s\\S]*?)<!-- capacity:${name}:end -->`).exec(text);
            return match?.[1];
        };

        it("match `npm run capacity` for every shipped stack", () => {
            const text = fs.readFileSync(docs, "utf8");
            for (const stack of shippedStacks) {
                const shown = block(text, stack);
                assert.ok(shown !== undefined, `docs/capacity.md shows the ${stack} table between <!-- capacity:${stack}:start --> and <!-- capacity:${stack}:end -->`);
                const settings = settingsOf(stack);
                const { plan, costs } = planAndCosts(settings);
                assert.equal(shown.trim(), renderCapacityTable(settings, plan, costs).trim(), `docs/capacity.md ${stack} table is stale: paste \`npm run capacity -- --stack ${stack}\``);
            }
        });

        it("match `npm run capacity -- --sweep` for prod", () => {
            const text = fs.readFileSync(docs, "utf8");
            const shown = block(text, "sweep");
            assert.ok(shown !== undefined, "docs/capacity.md shows the sweep between <!-- capacity:sweep:start --> and <!-- capacity:sweep:end -->");
            const settings = settingsOf("prod");
            assert.equal(shown.trim(), renderSweep(settings, sweep(settings)).trim(), "docs/capacity.md sweep is stale: paste `npm run capacity -- --sweep`");
        });

        it("quote the prod figures the tables give in their before-and-after summary", () => {
            const text = fs.readFileSync(docs, "utf8");
            const settings = settingsOf("prod");
            const [replicated, single] = priceDurabilities(settings);
            const dollars = (value: number) => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
            const rowOf = (label: string) => text.split("\n").find((line) => line.startsWith(`| ${label} |`)) ?? "";
            const after = (label: string, values: number[]) => {
                const cells = rowOf(label).split("|").map((c) => c.trim());
                assert.deepEqual(cells.slice(-values.length - 1, -1), values.map(dollars), `docs row "${label}"`);
            };
            after("Trace backend (Tempo, S3, Kafka log)", [replicated.costs!.subtotals.traceBackend, single.costs!.subtotals.traceBackend]);
            after("Whole prod platform", [replicated.costs!.totalUsdPerMonth, single.costs!.totalUsdPerMonth]);
            after("AWS X-Ray via Transaction Search (per GB)", [replicated.costs!.comparison.xrayTransactionSearch.usdPerMonth, single.costs!.comparison.xrayTransactionSearch.usdPerMonth]);
        });

        it("finds a stale table (the comparison above can fail)", () => {
            const settings = settingsOf("prod");
            const { plan, costs } = planAndCosts(settings);
            const rendered = renderCapacityTable(settings, plan, costs);
            const text = `intro\n<!-- capacity:prod:start -->\n${rendered}<!-- capacity:prod:end -->\n`;
            assert.equal(block(text, "prod")!.trim(), rendered.trim());
            const doubled = scaledLoad(settings, 2);
            const other = planAndCosts(doubled);
            assert.notEqual(block(text, "prod")!.trim(), renderCapacityTable(doubled, other.plan, other.costs).trim());
        });
    });
});
