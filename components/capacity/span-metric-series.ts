/**
 * The span-metric series the gateways remote-write, counted per traced system: RED metrics for
 * every operation and status, and the service-graph edges, each once per gateway (the instance
 * label gives every series exactly one writer). Samples follow from the flush interval.
 */
import { isDatastore, type Settings, type TracedSystem } from "../platform/settings";
import { spanMetricSeriesPerGateway, spanMetricsBucketsMs } from "../platform/span-metrics";
import { costAssumptions as c, secondsPerMonth } from "./cost-assumptions";

export interface SystemSeries {
    readonly id: string;
    /** Series across all gateways. */
    readonly series: number;
    readonly samplesPerMonth: number;
}

/** request and failed-request counters, then client and server duration histograms. */
const graphSeriesPerEdge = 2 + 2 * (spanMetricsBucketsMs.length + 1 + 2);

/**
 * RED series from the connector contract (platform/span-metrics.ts: histograms per status, calls
 * per outcome and cache hit, queue waits), plus the service-graph edges of the system's services,
 * or of the callers' edges to a database or cache.
 */
function seriesPerGateway(system: TracedSystem): number {
    const red = spanMetricSeriesPerGateway(system, { operationsPerService: c.operationsPerService.value, statusCodesPerOperation: c.statusCodesPerOperation.value });
    const sources = isDatastore(system) ? system.dbSystems.length : system.serviceNames.length;
    return red + sources * c.serviceGraphEdgesPerService.value * graphSeriesPerEdge;
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
