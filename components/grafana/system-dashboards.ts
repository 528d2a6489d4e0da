/**
 * Dashboards generated from the systems catalogue: one per system with the seed's metrics and
 * TraceQL drill-down, and an overview with every system's headline panels linking to them.
 */
import type { Panel, RowPanel, Dashboard } from "@grafana/schema";
import type { TracedSystem } from "../platform/settings";
import * as seed from "./slo-queries";
import { durationInHistogramUnit, spanMetricLabels } from "../platform/span-metrics";
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
import { dashboardUids } from "./uids";

/** Titles of the panels that carry the seed's metrics; the same on every system dashboard. */
export const seedPanelTitles = {
    responseTime: "Response time (p50 / p95 / p99)",
    successRate: "Successful requests (%)",
    errorsPer1000: "Errors per 1000 requests",
    apdex: "Apdex (T = latency objective)",
    requestRate: "Requests per second (head sampling corrected)",
    queueProcessingTime: "Queue message processing time per queue (p95)",
    queueMessageRate: "Messages processed per second per queue (head sampling corrected)",
    errorTraces: "Traces with errors",
    slowTraces: "Traces slower than the latency objective",
    slowMessages: "Messages processed slower than the queue objective",
} as const;

export type SeedPanelKey = keyof typeof seedPanelTitles;

/** The seed's metrics every system shows; queue systems add the per-queue ones. */
export function seedPanelsFor(system: TracedSystem): SeedPanelKey[] {
    const common: SeedPanelKey[] = ["responseTime", "successRate", "errorsPer1000", "apdex", "requestRate", "errorTraces", "slowTraces"];
    return system.kind === "queue" ? [...common, "queueProcessingTime", "queueMessageRate", "slowMessages"] : common;
}

// ---- TraceQL -------------------------------------------------------------------------------

const traceqlKinds: Readonly<Record<string, string>> = {
    SPAN_KIND_SERVER: "server",
    SPAN_KIND_CONSUMER: "consumer",
    SPAN_KIND_PRODUCER: "producer",
    SPAN_KIND_CLIENT: "client",
};

function anyOf(field: string, values: readonly string[], quote: (v: string) => string): string {
    const terms = values.map((v) => `${field} = ${quote(v)}`);
    return terms.length === 1 ? terms[0] : `(${terms.join(" || ")})`;
}

const traceqlString = (value: string) => JSON.stringify(value);
const traceqlMs = (ms: number) => `${ms}ms`;

function serviceFilter(system: TracedSystem): string {
    return anyOf("resource.service.name", system.serviceNames, traceqlString);
}

/** TraceQL drill-down queries of a system. */
export function traceQueries(system: TracedSystem): { errors: string; slow: string; slowMessages?: string } {
    const kinds = anyOf("kind", seed.requestSpanKinds[system.kind].map((k) => traceqlKinds[k]), (v) => v);
    const queries = {
        errors: `{ ${serviceFilter(system)} && status = error }`,
        slow: `{ ${serviceFilter(system)} && ${kinds} && duration > ${traceqlMs(system.latencySloP95Ms)} }`,
    };
    if (system.kind !== "queue" || system.queueProcessingSloMs === undefined) return queries;
    const queues = anyOf("span.messaging.destination.name", system.queues, traceqlString);
    return {
        ...queries,
        slowMessages: `{ ${serviceFilter(system)} && kind = consumer && ${queues} && duration > ${traceqlMs(system.queueProcessingSloMs)} }`,
    };
}

const provenance = "From the gateways' span metrics, computed before tail sampling.";

/** Success-rate objective implied by the error objective. */
export function successObjectivePercent(system: TracedSystem): number {
    return 100 - system.errorsPer1000Slo / 10;
}

function seedPanels(system: TracedSystem, compact: boolean): Record<"responseTime" | "successRate" | "errorsPer1000" | "apdex", Panel> {
    const slo = durationInHistogramUnit(system.latencySloP95Ms);
    const width = compact ? 6 : 12;
    const height = compact ? 5 : 8;
    const links = compact ? [dashboardLink(`${system.displayName} dashboard`, dashboardUids.system(system))] : undefined;
    const quantiles = compact
        ? [promTarget("A", seed.latencyQuantile(system, 0.95, dashboardWindow), "p95")]
        : [0.5, 0.95, 0.99].map((q, i) =>
              promTarget(String.fromCharCode(65 + i), seed.latencyQuantile(system, q, dashboardWindow), `p${q * 100}`, { exemplar: q === 0.95 }),
          );
    const responseTime: PanelSpec = {
        title: compact ? `${system.displayName}: p95 response time` : seedPanelTitles.responseTime,
        description: `${provenance} Objective: p95 at most ${system.latencySloP95Ms} ms (red line).`,
        unit: durationUnit,
        thresholds: ceiling(slo),
        min: 0,
        width,
        height,
        links,
    };
    const success: PanelSpec = {
        title: compact ? `${system.displayName}: successful requests` : seedPanelTitles.successRate,
        description: `${provenance} Share of requests without an error status; a ratio, so head sampling does not bias it.`,
        unit: "percent",
        thresholds: floor(successObjectivePercent(system)),
        max: 100,
        width,
        height,
        links,
    };
    const errors: PanelSpec = {
        title: compact ? `${system.displayName}: errors per 1000` : seedPanelTitles.errorsPer1000,
        description: `${provenance} Objective: at most ${system.errorsPer1000Slo} failed requests per 1000.`,
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
        successRate: single(success, seed.successPercent(system, dashboardWindow), "success %"),
        errorsPer1000: single(errors, seed.errorsPer1000(system, dashboardWindow), "errors / 1000"),
        apdex: statPanel(apdex, promTarget("A", seed.apdex(system, dashboardWindow), "Apdex")),
    };
}

export function systemDashboard(system: TracedSystem): Dashboard {
    const core = seedPanels(system, false);
    const headNote =
        system.headSamplingPercent === 100
            ? "Every trace is recorded (no head sampling)."
            : system.headSamplingPercent === 0
              ? "Head sampling keeps no traces of this system; rates cannot be estimated."
              : `The SDKs keep ${system.headSamplingPercent}% of traces; the sampled rate is multiplied by ${seed.headSamplingCorrection(system)}.`;
    const panels: (Panel | RowPanel)[] = [
        row(`${system.displayName}: the seed's metrics`),
        core.responseTime,
        core.apdex,
        core.successRate,
        core.errorsPer1000,
        timeSeriesPanel(
            { title: seedPanelTitles.requestRate, description: `${provenance} ${headNote}`, unit: "reqps", min: 0, width: 24, height: 7 },
            [promTarget("A", seed.requestRate(system, dashboardWindow), "requests/s")],
        ),
    ];
    const traces = traceQueries(system);
    if (system.kind === "queue" && system.queueProcessingSloMs !== undefined) {
        panels.push(
            row("RabbitMQ: message processing per queue (CONSUMER spans)"),
            timeSeriesPanel(
                {
                    title: seedPanelTitles.queueProcessingTime,
                    description: `${provenance} Duration of the consumer's processing span per messaging.destination.name. Objective: ${system.queueProcessingSloMs} ms.`,
                    unit: durationUnit,
                    thresholds: ceiling(durationInHistogramUnit(system.queueProcessingSloMs)),
                    min: 0,
                    width: 12,
                    height: 8,
                },
                [promTarget("A", seed.queueProcessingQuantile(system, 0.95, dashboardWindow), `{{${spanMetricLabels.queue}}}`, { exemplar: true })],
            ),
            timeSeriesPanel(
                { title: seedPanelTitles.queueMessageRate, description: `${provenance} ${headNote}`, unit: "ops", min: 0, width: 12, height: 8 },
                [promTarget("A", seed.queueMessageRate(system, dashboardWindow), `{{${spanMetricLabels.queue}}}`)],
            ),
        );
    }
    panels.push(
        row("Drill down: traces in Tempo (tail-sampled: errors and slow traces are always kept)"),
        traceTablePanel(seedPanelTitles.errorTraces, "TraceQL search for spans with an error status in this system.", traces.errors),
        traceTablePanel(seedPanelTitles.slowTraces, `TraceQL search for request spans slower than ${system.latencySloP95Ms} ms.`, traces.slow),
    );
    if (traces.slowMessages) {
        panels.push(
            traceTablePanel(seedPanelTitles.slowMessages, `TraceQL search for consumer spans slower than ${system.queueProcessingSloMs} ms on the catalogued queues.`, traces.slowMessages),
        );
    }
    return dashboard(
        dashboardUids.system(system),
        `Tracing: ${system.displayName}`,
        `The seed's metrics for ${system.displayName} (services: ${system.serviceNames.join(", ")}).`,
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
