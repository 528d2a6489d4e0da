/**
 * `npm run capacity -- --sweep`: the plan and its cost at multiples of the catalogue's load, for both
 * durability settings, so a reviewer sees how replicas, the Kafka log and dollars grow with load and
 * that a stored span does not get dearer as there are more of them.
 */
import { traceDurabilities, type Settings, type TraceDurability } from "../platform/settings";
import { secondsPerMonth } from "./cost-assumptions";
import { priceDurability } from "./durability";
import { number, plural, table, usd } from "./markdown";
import { keptShare, type CapacityPlan } from "./plan";
import { round } from "./sizing";

/** The multiples of the catalogue's spans/s the sweep plans for. */
export const sweepFactors = [1, 10, 100] as const;

/** The stack with every system producing `factor` times its catalogue spans/s. */
export function scaledLoad(settings: Settings, factor: number): Settings {
    return { ...settings, systems: settings.systems.map((s) => ({ ...s, spansPerSecond: s.spansPerSecond * factor })) };
}

export interface SweepPoint {
    readonly factor: number;
    readonly durability: TraceDurability;
    readonly storedSpansPerSecond: number;
    /** Absent when the setting cannot carry the load. */
    readonly plan?: CapacityPlan;
    readonly traceBackendUsd?: number;
    readonly totalUsd?: number;
    readonly traceBackendUsdPerMillionSpans?: number;
    readonly totalUsdPerMillionSpans?: number;
    readonly problem?: string;
}

/** Spans/s the gateways keep, as the plan computes them, for a load no plan fits. */
function storedSpansPerSecond(settings: Settings): number {
    return round(settings.systems.reduce((sum, s) => sum + s.spansPerSecond * (s.headSamplingPercent / 100) * keptShare(s), 0));
}

export function sweep(settings: Settings, factors: readonly number[] = sweepFactors): SweepPoint[] {
    return traceDurabilities.flatMap((durability) =>
        factors.map((factor) => {
            const scaled = scaledLoad(settings, factor);
            const priced = priceDurability(scaled, durability);
            if (!priced.plan || !priced.costs) return { factor, durability, storedSpansPerSecond: storedSpansPerSecond(scaled), problem: priced.problem };
            const millions = (priced.plan.load.storedSpansPerSecond * secondsPerMonth) / 1e6;
            return {
                factor,
                durability,
                storedSpansPerSecond: priced.plan.load.storedSpansPerSecond,
                plan: priced.plan,
                traceBackendUsd: priced.costs.subtotals.traceBackend,
                totalUsd: priced.costs.totalUsdPerMonth,
                traceBackendUsdPerMillionSpans: priced.costs.subtotals.traceBackend / millions,
                totalUsdPerMillionSpans: priced.costs.totalUsdPerMonth / millions,
            };
        }),
    );
}

function tempoCell(plan: CapacityPlan): string {
    const { monolith, distributed } = plan.tempo;
    if (monolith) return `monolith (${monolith.resources.requests.cpu}, ${monolith.resources.requests.memory}, ${monolith.volumeGb} GiB)`;
    if (!distributed) return "—";
    const d = distributed;
    return `${d.distributor} dist, ${d.liveStore} live, ${d.blockBuilder} bb, ${d.querier} q, ${d.queryFrontend} qf, ${d.backendScheduler} sched, ${d.backendWorker} worker`;
}

function kafkaCell(plan: CapacityPlan): string {
    const d = plan.tempo.distributed;
    return d ? `${d.msk.brokerCount} x ${d.msk.instanceType}, ${d.msk.volumeGb} GiB each, ${plural(d.kafkaPartitions, "partition")}` : "none";
}

export function renderSweep(settings: Settings, points: readonly SweepPoint[]): string {
    const cents = (value?: number) => (value === undefined ? "—" : usd(value));
    return [
        `Load sweep for the ${settings.stack} stack: its catalogue at ${sweepFactors.map((f) => `${f}x`).join(", ")}, both durability settings, ` +
            "monthly cost and cost per million stored spans (us-east-1 list prices).",
        "",
        ...table(
            ["Load", "Durability", "Stored spans/s", "Gateways", "Tempo", "Kafka log", "Trace backend USD/month", "Platform USD/month", "Backend USD per M spans", "Platform USD per M spans"],
            ["right", "left", "right", "right", "left", "left", "right", "right", "right", "right"],
            points.map((p) => [
                `${p.factor}x`,
                `\`${p.durability}\``,
                number(p.storedSpansPerSecond),
                p.plan ? String(p.plan.gateway.replicas) : "—",
                p.plan ? tempoCell(p.plan) : `does not fit: ${p.problem}`,
                p.plan ? kafkaCell(p.plan) : "—",
                cents(p.traceBackendUsd),
                cents(p.totalUsd),
                p.traceBackendUsdPerMillionSpans === undefined ? "—" : `$${number(p.traceBackendUsdPerMillionSpans, 3)}`,
                p.totalUsdPerMillionSpans === undefined ? "—" : `$${number(p.totalUsdPerMillionSpans, 3)}`,
            ]),
        ),
        "",
    ].join("\n");
}
