/**
 * The two durability settings priced side by side at the same load, what each promises, and the
 * targets the trace backend is held to: with `replicated`, half of Grafana Cloud Traces and a fifth
 * of the cheaper X-Ray path; with `single-node`, a fifth of Grafana Cloud Traces.
 */
import { ConfigValidationError, tempoModeFor, traceDurabilities, type Settings, type TraceDurability } from "../platform/settings";
import { capacityAssumptions } from "./assumptions";
import { cheaperXray, type CostComparison } from "./cost-comparison";
import { planCosts, type CostEstimate } from "./costs";
import { replicatedLog } from "./kafka-log";
import { planCapacity, type CapacityPlan } from "./plan";

/** What each setting promises about spans Tempo has acknowledged, in the words the docs and the review use. */
export const durabilityGuarantees: Readonly<Record<TraceDurability, string>> = {
    replicated:
        `no acknowledged span is lost on any single pod, node or zone failure: distributors acknowledge once the Kafka log holds a span ` +
        `on ${replicatedLog.minInsyncReplicas} of ${replicatedLog.replicationFactor} brokers in three zones`,
    "single-node":
        `a crash, OOM kill or node loss of the monolith loses at most the last ${capacityAssumptions.maxTraceLiveSeconds.value} s ` +
        `(max_trace_live) of acknowledged spans, which were still in memory; its WAL on an encrypted volume survives restarts, ` +
        `and the gateways' persistent queues cannot resend what Tempo already acknowledged`,
};

/** The same stack with the other durability (and the Tempo mode that delivers it). */
export function withDurability(settings: Settings, durability: TraceDurability): Settings {
    return { ...settings, tempo: { ...settings.tempo, durability, mode: tempoModeFor[durability] } };
}

export interface PricedDurability {
    readonly durability: TraceDurability;
    readonly guarantee: string;
    /** Absent when the load does not fit the setting (a monolith has a throughput ceiling). */
    readonly plan?: CapacityPlan;
    readonly costs?: CostEstimate;
    readonly problem?: string;
}

export function priceDurability(settings: Settings, durability: TraceDurability): PricedDurability {
    const guarantee = durabilityGuarantees[durability];
    try {
        const variant = withDurability(settings, durability);
        const plan = planCapacity(variant);
        return { durability, guarantee, plan, costs: planCosts(variant, plan) };
    } catch (error) {
        if (!(error instanceof ConfigValidationError)) throw error;
        return { durability, guarantee, problem: error.problems.map((p) => p.allowed).join("; ") };
    }
}

/** Both settings at the stack's load, the stack's own first. */
export function priceDurabilities(settings: Settings): PricedDurability[] {
    const own = settings.tempo.durability;
    return [own, ...traceDurabilities.filter((d) => d !== own)].map((d) => priceDurability(settings, d));
}

export interface CostTarget {
    readonly label: string;
    readonly limitUsd: number;
    readonly actualUsd: number;
    readonly met: boolean;
}

function target(label: string, limitUsd: number, actualUsd: number): CostTarget {
    return { label, limitUsd, actualUsd, met: actualUsd <= limitUsd + 1e-9 };
}

/** The trace-backend targets for the stack's durability, against the same load on the alternatives. */
export function backendTargets(durability: TraceDurability, comparison: CostComparison): CostTarget[] {
    const actual = comparison.selfHostedUsdPerMonth;
    const hosted = comparison.hostedPerGb.usdPerMonth;
    if (durability === "single-node") return [target("at most a fifth of Grafana Cloud Traces", hosted / 5, actual)];
    const xray = cheaperXray(comparison);
    return [target("at most half of Grafana Cloud Traces", hosted / 2, actual), target(`at most a fifth of the cheaper X-Ray path (${xray.label})`, xray.usdPerMonth / 5, actual)];
}

/** What the whole prod platform may cost a month. */
export const prodPlatformBudgetUsd = 700;
