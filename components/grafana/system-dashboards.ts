/**
 * Dashboards generated from the systems catalogue: one per system with the decision record's
 * metrics (headline panels, breakdowns by service, database, provider or queue) and TraceQL
 * drill-down, and an overview with every system's headline panels linking to them.
 */
import type { Panel, RowPanel, Dashboard } from "@grafana/schema";
import { isDatastore, type TracedSystem } from "../platform/settings";
import * as seed from "./slo-queries";
import { durationInHistogramUnit } from "../platform/span-metrics";
import {
    ceiling,
    dashboard,
    dashboardLink,
    dashboardWindow,
    durationUnit,
    floor,
    promTarget,
    row,
    statPanel,
    thresholds,
    timeSeriesPanel,
    traceTablePanel,
    type PanelSpec,
} from "./panels";
import { datastorePanels, outcomePanels, providerPanels, queuePanels, servicePanels } from "./kind-panels";
import { seedPanelTitles, seedPanelsFor } from "./panel-titles";
import { slowTracesLink, traceQueries } from "./trace-links";
import { dashboardUids } from "./uids";

export { seedPanelTitles, seedPanelsFor, latencyPanelKeys, type SeedPanelKey } from "./panel-titles";
export { traceQueries } from "./trace-links";

const provenance = "From the gateways' span metrics, computed before tail sampling.";

/** Success-rate objective implied by the error objective. */
export function successObjectivePercent(system: TracedSystem): number {
    return 100 - system.errorsPer1000Slo / 10;
}

type SeedPanels = Record<"responseTime" | "meanResponseTime" | "successRate" | "errorsPer1000" | "apdex", Panel>;

function seedPanels(system: TracedSystem, compact: boolean): SeedPanels {
    const slo = durationInHistogramUnit(system.latencySloP95Ms);
    const width = compact ? 6 : 12;
    const height = compact ? 5 : 8;
    const links = compact ? [dashboardLink(`${system.displayName} dashboard`, dashboardUids.system(system))] : undefined;
    const slowTraces = [slowTracesLink(`Traces slower than ${system.latencySloP95Ms} ms`, traceQueries(system).slow)];
    const quantiles = compact
        ? [promTarget("A", seed.latencyQuantile(system, 0.95, dashboardWindow), "p95")]
        : [0.5, 0.95, 0.99].map((q, i) => promTarget(String.fromCharCode(65 + i), seed.latencyQuantile(system, q, dashboardWindow), `p${q * 100}`));
    const responseTime: PanelSpec = {
        title: compact ? `${system.displayName}: p95 response time` : seedPanelTitles.responseTime,
        description: `${provenance} Objective: p95 at most ${system.latencySloP95Ms} ms (red line). Click a point for the traces slower than the objective.`,
        unit: durationUnit,
        thresholds: ceiling(slo),
        min: 0,
        width,
        height,
        links,
        dataLinks: slowTraces,
    };
    const meanResponseTime: PanelSpec = {
        title: seedPanelTitles.meanResponseTime,
        description: `${provenance} The record's average response time: sum of request durations over their count.`,
        unit: durationUnit,
        thresholds: ceiling(slo),
        min: 0,
        width,
        height,
        dataLinks: slowTraces,
    };
    const success: PanelSpec = {
        title: compact ? `${system.displayName}: successful requests` : seedPanelTitles.successRate,
        description:
            `${provenance} Share of requests that succeeded as the record defines it: HTTP 2xx/3xx, or no ERROR status for work without ` +
            "an HTTP status (4xx are neither, see client errors); a ratio, so head sampling does not bias it.",
        unit: "percent",
        thresholds: floor(successObjectivePercent(system)),
        max: 100,
        width,
        height,
        links,
    };
    const errors: PanelSpec = {
        title: compact ? `${system.displayName}: errors per 1000` : seedPanelTitles.errorsPer1000,
        description: `${provenance} HTTP 5xx, or span status ERROR for work without an HTTP status. Objective: at most ${system.errorsPer1000Slo} per 1000.`,
        unit: "short",
        thresholds: ceiling(system.errorsPer1000Slo),
        min: 0,
        width,
        height,
        links,
    };
    const apdex: PanelSpec = {
        title: compact ? `${system.displayName}: Apdex` : seedPanelTitles.apdex,
        description:
            `Customer satisfaction is not in traces; Apdex is the nearest technical signal. T = ${system.latencySloP95Ms} ms ` +
            `(the latency objective): satisfied <= T, tolerating <= ${seed.apdexToleratingFactor}T, counted from the duration buckets ` +
            `(linear interpolation between bucket bounds, as histogram_quantile does).`,
        unit: "none",
        thresholds: thresholds("red", [
            [0.5, "orange"],
            [0.7, "yellow"],
            [0.85, "green"],
        ]),
        min: 0,
        max: 1,
        width,
        height,
        links,
    };
    const single = (spec: PanelSpec, expr: string, legend: string) =>
        compact ? statPanel(spec, promTarget("A", expr, legend)) : timeSeriesPanel(spec, [promTarget("A", expr, legend)]);
    return {
        responseTime: compact ? statPanel(responseTime, quantiles[0]) : timeSeriesPanel(responseTime, quantiles),
        meanResponseTime: timeSeriesPanel(meanResponseTime, [promTarget("A", seed.meanLatency(system, dashboardWindow), "mean")]),
        successRate: single(success, seed.successPercent(system, dashboardWindow), "success %"),
        errorsPer1000: single(errors, seed.errorsPer1000(system, dashboardWindow), "errors / 1000"),
        apdex: statPanel(apdex, promTarget("A", seed.apdex(system, dashboardWindow), "Apdex")),
    };
}

export function systemDashboard(system: TracedSystem): Dashboard {
    const core = seedPanels(system, false);
    const keys = seedPanelsFor(system);
    const headNote =
        system.headSamplingPercent === 100
            ? "Every trace is recorded (no head sampling)."
            : system.headSamplingPercent === 0
              ? "Head sampling keeps no traces of this system; rates cannot be estimated."
              : `The SDKs keep ${system.headSamplingPercent}% of traces; the sampled rate is multiplied by ${seed.headSamplingCorrection(system)}.`;
    const panels: (Panel | RowPanel)[] = [
        row(`${system.displayName}: the decision record's metrics`),
        core.responseTime,
        core.meanResponseTime,
        core.successRate,
        core.errorsPer1000,
        ...outcomePanels(system, keys),
        core.apdex,
        timeSeriesPanel(
            { title: seedPanelTitles.requestRate, description: `${provenance} ${headNote}`, unit: "reqps", min: 0, width: 12, height: 8 },
            [promTarget("A", seed.requestRate(system, dashboardWindow), "requests/s")],
        ),
        row(`${system.displayName}: response time per service`),
        ...servicePanels(system),
    ];
    if (isDatastore(system)) panels.push(...datastorePanels(system));
    if (system.kind === "integration") panels.push(...providerPanels(system));
    if (system.kind === "queue") panels.push(...queuePanels(system, headNote));
    const traces = traceQueries(system);
    panels.push(
        row("Drill down: traces in Tempo (tail-sampled: errors and slow traces are always kept)"),
        traceTablePanel(seedPanelTitles.errorTraces, "TraceQL search for spans with an error status in this system.", traces.errors),
        traceTablePanel(seedPanelTitles.slowTraces, `TraceQL search for request spans slower than ${system.latencySloP95Ms} ms.`, traces.slow),
    );
    if (traces.slowMessages && traces.longWaits) {
        panels.push(
            traceTablePanel(seedPanelTitles.slowMessages, `TraceQL search for consumer spans slower than ${system.queueProcessingSloMs} ms on the catalogued queues.`, traces.slowMessages),
            traceTablePanel(seedPanelTitles.longWaits, `TraceQL search for consumer spans whose message waited more than ${system.queueWaitSloMs} ms in the queue.`, traces.longWaits),
        );
    }
    const identity = isDatastore(system) ? `db.system.name: ${system.dbSystems.join(", ")}, measured from the callers' CLIENT spans` : `services: ${system.serviceNames.join(", ")}`;
    return dashboard(
        dashboardUids.system(system),
        `Tracing: ${system.displayName}`,
        `The decision record's metrics for ${system.displayName} (${identity}).`,
        ["system", system.id],
        panels,
    );
}

export function overviewDashboard(systems: readonly TracedSystem[]): Dashboard {
    const panels: (Panel | RowPanel)[] = [];
    for (const system of systems) {
        const compact = seedPanels(system, true);
        panels.push(row(system.displayName), compact.responseTime, compact.successRate, compact.errorsPer1000, compact.apdex);
    }
    return dashboard(
        dashboardUids.overview,
        "Tracing: all systems",
        "p95 response time, successful requests, errors per 1000 and Apdex of every traced system; each panel links to the system's dashboard.",
        ["overview"],
        panels,
    );
}
