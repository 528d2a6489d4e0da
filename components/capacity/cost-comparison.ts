/**
 * What the same stored load would cost on AWS X-Ray and on a per-GB hosted tracing service: the
 * same collectors in front (so the same tail-sampled, stored load), a different backend behind.
 * Span metrics, VPN and audit stay the same whichever backend stores the traces.
 */
import type { Settings } from "../platform/settings";
import { capacityAssumptions, type CapacityPlan } from "./plan";
import { freeAllowances, tieredCost, transactionSearchSpansIngested } from "./prices";
import { costAssumptions as c, daysPerMonth, secondsPerMonth } from "./cost-assumptions";
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
    /** X-Ray's classic per-trace pricing. */
    readonly xray: AlternativeCost;
    /** X-Ray's OTLP path: spans stored by CloudWatch Transaction Search, billed per GB. */
    readonly xrayTransactionSearch: AlternativeCost;
    readonly hostedPerGb: AlternativeCost;
}

/** The cheaper of the two X-Ray paths at this load. */
export function cheaperXray(comparison: CostComparison): AlternativeCost {
    return comparison.xrayTransactionSearch.usdPerMonth < comparison.xray.usdPerMonth ? comparison.xrayTransactionSearch : comparison.xray;
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

    // Transaction Search keeps spans in the aws/spans log group for the same retention.
    const searchLines: CostLine[] = [
        {
            id: "xray-search-spans",
            label: "Transaction Search spans ingested",
            group,
            quantity: gb,
            unit: "GB",
            usdPerMonth: tieredCost(transactionSearchSpansIngested, gb),
            prices: ["transactionSearchSpansIngested"],
            assumptions: [],
        },
        priced("cloudWatchLogsStorageGbMonth", {
            id: "xray-search-storage",
            label: `aws/spans log group storage (${retentionDays} days)`,
            group,
            quantity: gb * c.gzipRatio.value * (retentionDays / daysPerMonth),
            unit: "GB-month",
            assumptions: ["gzipRatio"],
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
            label: "AWS X-Ray (classic, per trace)",
            lines: xrayLines,
            usdPerMonth: total(xrayLines),
            note: "30 days retention included, not configurable",
        },
        xrayTransactionSearch: {
            label: "AWS X-Ray via Transaction Search (OTLP, per GB)",
            lines: searchLines,
            usdPerMonth: total(searchLines),
            note: "spans stored as structured logs in CloudWatch, 1% indexed as trace summaries free; GB taken as the uncompressed OTLP bytes",
        },
        hostedPerGb: {
            label: "Grafana Cloud Traces (per GB)",
            lines: hostedLines,
            usdPerMonth: total(hostedLines),
            note: "billed on uncompressed GB received",
        },
    };
}
