/**
 * A cost line: a month's usage of one billed item, priced with the unit prices in prices.ts, and
 * the compute line that turns the pods' requests into node-hours.
 */
import type { PodResources } from "./sizing";
import { freeAllowances, prices, type UnitPrice } from "./prices";
import { costAssumptions as c, hoursPerMonth as hours, type CostAssumptionKey } from "./cost-assumptions";

export type PriceKey = keyof typeof prices | "mskBrokerHour" | "ampSamplesIngested" | "transactionSearchSpansIngested" | keyof typeof freeAllowances;

/** What a line pays for; the comparison swaps the trace backend only. */
export const costGroups = {
    traceBackend: "Trace backend (Tempo, S3, MSK)",
    collection: "Collection (agents, log agents, gateways)",
    metrics: "Span metrics (Managed Prometheus)",
    accessAudit: "Access and audit (VPN, CloudTrail, KMS, logs, Grafana)",
} as const;
export type CostGroup = keyof typeof costGroups;

export interface CostLine {
    /** Stable id, used by tests and the stack output. */
    readonly id: string;
    readonly label: string;
    readonly group: CostGroup;
    /** Billed quantity per month, after free allowances. */
    readonly quantity: number;
    readonly unit: string;
    readonly usdPerMonth: number;
    /** Keys in prices.ts this line is priced with. */
    readonly prices: readonly PriceKey[];
    readonly assumptions: readonly CostAssumptionKey[];
    /** Set when no price exists for the configured option; the line then counts as 0. */
    readonly unpriced?: string;
}

function cpuCores(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

function memoryGib(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(quantity);
    if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
    return match[2] === "Gi" ? Number(match[1]) : Number(match[1]) / 1024;
}

/** Requests of `count` pods, as the scheduler reserves them. */
export function requested(resources: PodResources, count: number): { cores: number; gib: number } {
    return { cores: cpuCores(resources.requests.cpu) * count, gib: memoryGib(resources.requests.memory) * count };
}

export function sum(parts: readonly { cores: number; gib: number }[]): { cores: number; gib: number } {
    return parts.reduce((a, b) => ({ cores: a.cores + b.cores, gib: a.gib + b.gib }), { cores: 0, gib: 0 });
}

/** Node-hours of cluster capacity the pods reserve, priced as m7g.large nodes (CPU or memory, whichever binds). */
export function computeLine(
    id: string,
    label: string,
    group: CostGroup,
    reserved: { cores: number; gib: number },
    extraAssumptions: readonly CostAssumptionKey[] = [],
): CostLine {
    const nodes = Math.max(reserved.cores / c.nodeVcpus.value, reserved.gib / c.nodeMemoryGib.value);
    return {
        id,
        label: `${label}: ${round(reserved.cores, 1)} vCPU, ${round(reserved.gib, 1)} GiB requested`,
        group,
        quantity: nodes * hours,
        unit: "m7g.large node-hours",
        usdPerMonth: nodes * hours * prices.ec2M7gLargeHour.value,
        prices: ["ec2M7gLargeHour"],
        assumptions: [...extraAssumptions, "nodeVcpus", "nodeMemoryGib", "hoursPerMonth"],
    };
}

export function round(value: number, digits: number): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

/** What a line uses; `priced` turns it into dollars with one price from prices.ts. */
interface Usage {
    readonly id: string;
    readonly label: string;
    readonly group: CostGroup;
    readonly quantity: number;
    readonly unit: string;
    readonly assumptions?: readonly CostAssumptionKey[];
    /** Free allowances already subtracted from `quantity`. */
    readonly allowances?: readonly (keyof typeof freeAllowances)[];
}

export function priced(price: keyof typeof prices, usage: Usage): CostLine {
    const unitPrice: UnitPrice = prices[price];
    return {
        id: usage.id,
        label: usage.label,
        group: usage.group,
        quantity: usage.quantity,
        unit: usage.unit,
        usdPerMonth: (usage.quantity / (unitPrice.per ?? 1)) * unitPrice.value,
        prices: [price, ...(usage.allowances ?? [])],
        assumptions: usage.assumptions ?? [],
    };
}

export function ebsLine(id: string, label: string, group: CostGroup, gb: number): CostLine {
    return priced("ebsGp3GbMonth", { id, label, group, quantity: gb, unit: "GB-month gp3" });
}

export function total(lines: readonly CostLine[]): number {
    return lines.reduce((acc, line) => acc + line.usdPerMonth, 0);
}
