/**
 * The span-metric series the gateways remote-write, counted per traced system: RED metrics for
 * every operation and status, and the service-graph edges, each once per gateway (the instance
 * label gives every series exactly one writer). Samples follow from the flush interval.
 */
import type { Settings, TracedSystem } from "../platform/settings";
import { spanMetricsBucketsMs } from "../platform/span-metrics";
import { costAssumptions as c, secondsPerMonth } from "./cost-assumptions";

export interface SystemSeries {
    readonly id: string;
    /** Series across all gateways. */
    readonly series: number;
    readonly samplesPerMonth: number;
}

/** calls counter, one series per bucket and +Inf, then _sum and _count of the duration histogram. */
const redSeriesPerCombination = 1 + spanMetricsBucketsMs.length + 1 + 2;
/** request and failed-request counters, then client and server duration histograms. */
const graphSeriesPerEdge = 2 + 2 * (spanMetricsBucketsMs.length + 1 + 2);

function seriesPerGateway(system: TracedSystem): number {
    // consumer spans carry messaging.destination.name, one extra combination per queue
    const operations = system.serviceNames.length * c.operationsPerService.value + system.queues.length;
    const edges = system.serviceNames.length * c.serviceGraphEdgesPerService.value;
    return operations * c.statusCodesPerOperation.value * redSeriesPerCombination + edges * graphSeriesPerEdge;
}

export function spanMetricsBySystem(settings: Settings, gatewayReplicas: number): SystemSeries[] {
    return settings.systems.map((system) => {
        const series = seriesPerGateway(system) * gatewayReplicas;
        return { id: system.id, series, samplesPerMonth: series * (secondsPerMonth / c.spanMetricsFlushSeconds.value) };
    });
}

/** Span-metric series of the whole catalogue, per gateway (instance label) times the gateways. */
export function spanMetricSeries(settings: Settings, gatewayReplicas: number): number {
    return spanMetricsBySystem(settings, gatewayReplicas).reduce((sum, s) => sum + s.series, 0);
}
