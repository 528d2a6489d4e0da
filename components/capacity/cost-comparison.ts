/**
 * What the same stored load would cost on AWS X-Ray and on a per-GB hosted tracing service: the
 * same collectors in front (so the same tail-sampled, stored load), a different backend behind.
 * Span metrics, VPN and audit stay the same whichever backend stores the traces.
 */
import type { Settings } from "../platform/settings";
import { capacityAssumptions, type CapacityPlan } from "./plan";
import { freeAllowances } from "./prices";
import { costAssumptions as c, secondsPerMonth } from "./cost-assumptions";
import { priced, total, type CostLine } from "./cost-lines";

export interface AlternativeCost {
    readonly label: string;
    readonly lines: readonly CostLine[];
    readonly usdPerMonth: number;
    readonly note: string;
}

export interface CostComparison {
    readonly load: {
        readonly storedTracesPerMonth: number;
        readonly storedGbPerMonth: number;
        readonly retentionDays: number;
    };
    readonly selfHostedUsdPerMonth: number;
    readonly xray: AlternativeCost;
    readonly hostedPerGb: AlternativeCost;
}

function storedTracesPerMonth(plan: CapacityPlan): number {
    return (plan.load.storedSpansPerSecond / capacityAssumptions.spansPerTrace.value) * secondsPerMonth;
}

function storedRawGbPerMonth(plan: CapacityPlan): number {
    return (plan.load.storedBytesPerSecond * secondsPerMonth) / 1e9;
}

export function compareBackends(settings: Settings, plan: CapacityPlan, selfHostedUsdPerMonth: number): CostComparison {
    const traces = storedTracesPerMonth(plan);
    const gb = storedRawGbPerMonth(plan);
    const retentionDays = settings.retention.traceDays;

    const recorded = Math.max(0, traces - freeAllowances.xrayTracesRecorded.value);
    const scanned = Math.max(0, traces * c.xrayScannedShare.value - freeAllowances.xrayTracesRetrieved.value);
    const group = "traceBackend" as const;
    const xrayLines: CostLine[] = [
        priced("xrayTracesRecordedPerMillion", {
            id: "xray-recorded",
            label: "X-Ray traces recorded",
            group,
            quantity: recorded,
            unit: "traces",
            allowances: ["xrayTracesRecorded"],
        }),
        priced("xrayTracesRetrievedPerMillion", {
            id: "xray-scanned",
            label: "X-Ray traces retrieved or scanned",
            group,
            quantity: scanned,
            unit: "traces",
            assumptions: ["xrayScannedShare"],
            allowances: ["xrayTracesRetrieved"],
        }),
    ];

    const extraIncrements = Math.max(0, Math.ceil((retentionDays - 30) / 30));
    const hostedLines: CostLine[] = [
        priced("grafanaCloudTracesProcessedGb", { id: "hosted-processed", label: "Grafana Cloud Traces GB processed", group, quantity: gb, unit: "GB" }),
        priced("grafanaCloudTracesWrittenGb", {
            id: "hosted-written",
            label: "Grafana Cloud Traces GB written (30 days included)",
            group,
            quantity: Math.max(0, gb - freeAllowances.grafanaCloudTracesGb.value),
            unit: "GB",
            allowances: ["grafanaCloudTracesGb"],
        }),
        priced("grafanaCloudTracesRetentionGbPer30Days", {
            id: "hosted-retention",
            label: `Grafana Cloud Traces retention beyond 30 days (${extraIncrements} x 30 days)`,
            group,
            quantity: gb * extraIncrements,
            unit: "GB x 30 days",
        }),
    ];

    return {
        load: { storedTracesPerMonth: traces, storedGbPerMonth: gb, retentionDays },
        selfHostedUsdPerMonth,
        xray: {
            label: "AWS X-Ray",
            lines: xrayLines,
            usdPerMonth: total(xrayLines),
            note: "30 days retention included, not configurable",
        },
        hostedPerGb: {
            label: "Grafana Cloud Traces (per GB)",
            lines: hostedLines,
            usdPerMonth: total(hostedLines),
            note: "billed on uncompressed GB received",
        },
    };
}
