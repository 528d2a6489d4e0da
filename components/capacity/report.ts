/**
 * How the capacity plan and its costs are shown: Markdown (docs/capacity.md, `npm run capacity`) and a
 * plain-object summary (the `capacityPlan` stack output). Both come from the same plan and estimate,
 * so the docs, the CLI and `pulumi stack output` cannot disagree.
 */
import type { Settings } from "../platform/settings";
import { capacityAssumptions, type Assumption, type CapacityPlan, type PodResources } from "./plan";
import { costAssumptions } from "./cost-assumptions";
import { costGroups, type CostGroup, type CostLine } from "./cost-lines";
import { planCosts, type CostEstimate } from "./costs";
import { durabilityGuarantees } from "./durability";
import { amount, megabytes, number, percent, plural, row, usd } from "./markdown";
import { comparisonSection, durabilitySection, fixedCostsSection, kafkaSection, spanMetricsSection } from "./report-sections";

function requestsAndLimits(resources: PodResources): [string, string] {
    return [
        `${resources.requests.cpu} / ${resources.limits.cpu}`,
        `${resources.requests.memory} / ${resources.limits.memory}`,
    ];
}

function loadTables(plan: CapacityPlan): string[] {
    const { load } = plan;
    const peak = load.peakIngestBytesPerSecond / load.ingestBytesPerSecond;
    return [
        row(["System", "Spans/s after head sampling", "Kept by tail sampling", "Spans/s stored"]),
        row(["---", "--:", "--:", "--:"]),
        ...load.perSystem.map((s) => row([s.id, amount(s.ingestSpansPerSecond), percent(s.keptShare), amount(s.storedSpansPerSecond)])),
        row([
            `**All ${load.perSystem.length} systems** (${amount(load.producedSpansPerSecond)} spans/s produced)`,
            `**${amount(load.ingestSpansPerSecond)}**`,
            percent(load.storedSpansPerSecond / load.ingestSpansPerSecond),
            `**${amount(load.storedSpansPerSecond)}**`,
        ]),
        "",
        row(["Throughput", "Average", "Planned peak"]),
        row(["---", "--:", "--:"]),
        row(["Ingest MB/s (OTLP, uncompressed)", megabytes(load.ingestBytesPerSecond), megabytes(load.peakIngestBytesPerSecond)]),
        row(["Stored MB/s (before compression)", megabytes(load.storedBytesPerSecond), megabytes(load.storedBytesPerSecond * peak)]),
        row(["Traces/s ingested", amount(load.ingestTracesPerSecond), amount(load.ingestTracesPerSecond * peak)]),
    ];
}

function workloadTable(plan: CapacityPlan): string[] {
    const rows: string[][] = [
        ["Collector agent", "DaemonSet, one per node", ...requestsAndLimits(plan.agent.resources), "—"],
        ["Collector log agent", "DaemonSet, one per node", ...requestsAndLimits(plan.logAgent.resources), "—"],
        [
            "Collector gateway",
            `${plan.gateway.replicas} (HPA up to ${plan.gateway.maxReplicas}); num_traces ${number(plan.gateway.numTraces)} each`,
            ...requestsAndLimits(plan.gateway.resources),
            `${plan.gateway.queueVolumeGb} GB queue each`,
        ],
    ];
    const { monolith, distributed } = plan.tempo;
    if (monolith) {
        rows.push([
            "Tempo (monolithic)",
            `1; planned peak uses ${percent(monolith.peakUtilisation)} of its ingest ceiling`,
            ...requestsAndLimits(monolith.resources),
            `${monolith.volumeGb} GB`,
        ]);
    }
    if (distributed) {
        const components: [string, keyof typeof distributed.resources, number][] = [
            ["Tempo distributor", "distributor", distributed.distributor],
            ["Tempo live-store", "liveStore", distributed.liveStore],
            ["Tempo block-builder", "blockBuilder", distributed.blockBuilder],
            ["Tempo querier", "querier", distributed.querier],
            ["Tempo query-frontend", "queryFrontend", distributed.queryFrontend],
            ["Tempo backend-scheduler", "backendScheduler", distributed.backendScheduler],
            ["Tempo backend-worker", "backendWorker", distributed.backendWorker],
        ];
        const volumes: Partial<Record<keyof typeof distributed.resources, number>> = distributed.volumeGb;
        for (const [label, key, replicas] of components) {
            const volume = volumes[key];
            const disk = volume ? `${volume} GB volume each` : `${distributed.scratchMiB} MiB scratch`;
            rows.push([label, String(replicas), ...requestsAndLimits(distributed.resources[key]), disk]);
        }
        const { msk } = distributed;
        rows.push([
            "Kafka log (MSK)",
            `${msk.brokerCount} x ${msk.instanceType}; ${plural(distributed.kafkaPartitions, "partition")}, replication factor 3`,
            "—",
            "—",
            `${msk.volumeGb} GB each`,
        ]);
    }
    return [
        row(["Workload", "Replicas", "CPU request / limit", "Memory request / limit", "Volume"]),
        row(["---", "---", "---", "---", "---"]),
        ...rows.map(row),
    ];
}

function lineRow(line: CostLine): string {
    return row([line.label, `${amount(line.quantity)} ${line.unit}`, usd(line.usdPerMonth)]);
}

function costTable(costs: CostEstimate): string[] {
    const groups = Object.keys(costGroups) as CostGroup[];
    return [
        row(["Cost line", "Quantity per month", "USD per month"]),
        row(["---", "--:", "--:"]),
        ...groups.flatMap((group) => [
            ...costs.lines.filter((line) => line.group === group).map(lineRow),
            row([`*${costGroups[group]}*`, "", `*${usd(costs.subtotals[group])}*`]),
        ]),
        row(["**Total**", "", `**${usd(costs.totalUsdPerMonth)}**`]),
    ];
}

function assumptionRows(assumptions: Readonly<Record<string, Assumption>>): string[] {
    return Object.entries(assumptions).map(([name, a]) => row([name, `${number(a.value, Number.isInteger(a.value) ? 0 : 3)} ${a.unit}`, a.source]));
}

function assumptionTable(): string[] {
    return [
        "<details><summary>Assumptions behind these numbers</summary>",
        "",
        row(["Assumption", "Value", "Source"]),
        row(["---", "---", "---"]),
        ...assumptionRows(capacityAssumptions),
        ...assumptionRows(costAssumptions),
        "",
        "</details>",
    ];
}

/**
 * The capacity plan and its monthly cost as Markdown. Deterministic (no dates, fixed locale), so
 * the docs copy can be compared with it in a test.
 */
export function renderCapacityTable(settings: Settings, plan: CapacityPlan, costs: CostEstimate): string {
    return [
        ...loadTables(plan),
        "",
        ...workloadTable(plan),
        "",
        `Trace storage: ${number(plan.storage.storedGbPerDay, 2)} GB/day after compression x ${plan.storage.retentionDays} days = ` +
            `${number(plan.storage.traceBucketGb, 2)} GB in the trace bucket.`,
        "",
        `Durability \`${plan.tempo.durability}\`: ${durabilityGuarantees[plan.tempo.durability]}.`,
        "",
        "Monthly cost, us-east-1 list prices (each price with its pricing page in components/capacity/prices.ts, each assumption listed below):",
        "",
        ...costTable(costs),
        "",
        ...comparisonSection(settings, costs),
        "",
        ...durabilitySection(settings),
        "",
        ...kafkaSection(settings, plan),
        "",
        ...spanMetricsSection(settings, plan),
        "",
        ...fixedCostsSection(settings, plan),
        "",
        ...assumptionTable(),
        "",
    ].join("\n");
}

const cents = (value: number) => Math.round(value * 100) / 100;

/** Plain-object summary of the plan and its cost, exported as the `capacityPlan` stack output. */
export function capacitySummary(plan: CapacityPlan, costs: CostEstimate) {
    return {
        load: {
            ingestSpansPerSecond: plan.load.ingestSpansPerSecond,
            storedSpansPerSecond: plan.load.storedSpansPerSecond,
            ingestBytesPerSecond: plan.load.ingestBytesPerSecond,
            peakIngestBytesPerSecond: plan.load.peakIngestBytesPerSecond,
            ingestTracesPerSecond: plan.load.ingestTracesPerSecond,
        },
        gateway: {
            replicas: plan.gateway.replicas,
            maxReplicas: plan.gateway.maxReplicas,
            numTraces: plan.gateway.numTraces,
            resources: plan.gateway.resources,
        },
        agent: { resources: plan.agent.resources },
        logAgent: { resources: plan.logAgent.resources },
        tempo: plan.tempo,
        durability: { setting: plan.tempo.durability, guarantee: durabilityGuarantees[plan.tempo.durability] },
        storage: plan.storage,
        costUsdPerMonth: {
            total: cents(costs.totalUsdPerMonth),
            byGroup: Object.fromEntries(Object.entries(costs.subtotals).map(([group, value]) => [group, cents(value)])),
            byLine: Object.fromEntries(costs.lines.map((line) => [line.id, cents(line.usdPerMonth)])),
            sameLoadTraceBackend: {
                selfHosted: cents(costs.comparison.selfHostedUsdPerMonth),
                xray: cents(costs.comparison.xray.usdPerMonth),
                xrayTransactionSearch: cents(costs.comparison.xrayTransactionSearch.usdPerMonth),
                hostedPerGb: cents(costs.comparison.hostedPerGb.usdPerMonth),
            },
        },
    };
}

/** The stack output: the plan the components were sized from, its cost and summary. */
export function capacityPlanOutput(settings: Settings, plan: CapacityPlan): ReturnType<typeof capacitySummary> {
    return capacitySummary(plan, planCosts(settings, plan));
}
