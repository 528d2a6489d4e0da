/**
 * Provisioned dashboards, generated from the systems catalogue: an overview of every system, one
 * dashboard per system with the seed's metrics and TraceQL drill-down, and a platform dashboard
 * from the collectors' own telemetry. Dashboard JSON is typed with `@grafana/schema` (type-only
 * imports: the schema package is a build-time contract, nothing of it runs in the program).
 */
import type {
    Dashboard,
    DashboardLink,
    DataSourceRef,
    FieldColorModeId,
    FieldConfigSource,
    GraphThresholdsStyleMode,
    Panel,
    RowPanel,
    ThresholdsConfig,
    ThresholdsMode,
    BigValueColorMode,
    BigValueGraphMode,
    BigValueJustifyMode,
    BigValueTextMode,
    PercentChangeColorMode,
    SortOrder,
    TooltipDisplayMode,
    VizOrientation,
    LegendDisplayMode,
} from "@grafana/schema";
import type { Options as StatOptions } from "@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen";
import type { Options as TableOptions } from "@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen";
import type {
    FieldConfig as TimeSeriesFieldConfig,
    Options as TimeSeriesOptions,
} from "@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen";
import * as yaml from "yaml";
import type { TracedSystem } from "../platform/settings";
import { collectorSelfMetricLabels, collectorSelfMetricNames as otelcol, tempoExporterId } from "./collector-metrics";
import { datasourceTypes, datasourceUids } from "./datasources";
import { grafanaPaths } from "./ini";
import { equals, sumRate } from "./promql";
import * as seed from "./slo-queries";
import { durationInHistogramUnit, spanMetricLabels, spanMetricsHistogramUnit } from "../platform/span-metrics";
import { byExporter, platformAlertThresholds, queueFill, refusedShare } from "./platform-queries";

/** Dashboard schema version of @grafana/schema 13.2 (its defaultDashboard.schemaVersion). */
export const dashboardSchemaVersion = 42;

/** Folder the dashboards (and alert rules) are provisioned into. */
export const grafanaFolder = { title: "Tracing platform", uid: "tracing-platform" } as const;

/** Grafana's limit on dashboard and alert-rule uids. */
export const maxUidLength = 40;

/** The window dashboards rate over: Grafana's own, at least four scrape intervals. */
const dashboardWindow = "$__rate_interval";

/** A uid from readable parts, shortened with a stable hash when it would exceed Grafana's limit. */
export function stableUid(...parts: string[]): string {
    const uid = parts.join("-");
    if (uid.length <= maxUidLength) return uid;
    let hash = 0x811c9dc5;
    for (const char of uid) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    const suffix = hash.toString(16).padStart(8, "0");
    return `${uid.slice(0, maxUidLength - suffix.length - 1)}-${suffix}`;
}

export const dashboardUids = {
    overview: "tracing-overview",
    platform: "tracing-platform-health",
    system: (system: TracedSystem) => stableUid("tracing-system", system.id),
} as const;

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

// ---- targets -------------------------------------------------------------------------------

const metricsSource: DataSourceRef = { type: datasourceTypes.metrics, uid: datasourceUids.metrics };
const tracesSource: DataSourceRef = { type: datasourceTypes.tempo, uid: datasourceUids.tempo };

interface PrometheusTarget {
    readonly [key: string]: unknown;
    readonly refId: string;
    readonly datasource: DataSourceRef;
    readonly expr: string;
    readonly legendFormat: string;
    readonly range: boolean;
    readonly instant: boolean;
    readonly exemplar: boolean;
}

interface TempoTarget {
    readonly [key: string]: unknown;
    readonly refId: string;
    readonly datasource: DataSourceRef;
    readonly queryType: "traceql";
    readonly query: string;
    readonly limit: number;
    readonly tableType: "traces";
}

function promTarget(refId: string, expr: string, legendFormat: string, options: { instant?: boolean; exemplar?: boolean } = {}): PrometheusTarget {
    return {
        refId,
        datasource: metricsSource,
        expr,
        legendFormat,
        range: !options.instant,
        instant: options.instant ?? false,
        exemplar: options.exemplar ?? false,
    };
}

function traceTarget(query: string): TempoTarget {
    return { refId: "A", datasource: tracesSource, queryType: "traceql", query, limit: 20, tableType: "traces" };
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

// ---- panels --------------------------------------------------------------------------------

const durationUnit = spanMetricsHistogramUnit === "ms" ? "ms" : "s";

type ThresholdColor = "green" | "yellow" | "orange" | "red";

/** Thresholds from a base colour and ascending steps. */
function thresholds(base: ThresholdColor, steps: readonly [number, ThresholdColor][]): ThresholdsConfig {
    return {
        mode: "absolute" as ThresholdsMode,
        steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))],
    };
}

/** Red at and above the objective. */
function ceiling(objective: number): ThresholdsConfig {
    return thresholds("green", [[objective, "red"]]);
}

/** Red below the objective. */
function floor(objective: number): ThresholdsConfig {
    return thresholds("red", [[objective, "green"]]);
}

interface PanelSpec {
    readonly title: string;
    readonly description: string;
    readonly unit: string;
    readonly thresholds?: ThresholdsConfig;
    readonly min?: number;
    readonly max?: number;
    readonly width: number;
    readonly height: number;
    readonly links?: DashboardLink[];
}

/**
 * Panel options and custom field config are plain records in the dashboard schema; the panel
 * plugins' own types (TimeSeries, Stat, Table) check them where they are written, and this hands
 * the checked object over.
 */
function schemaRecord<T extends object>(value: T): Record<string, unknown> {
    return value as Record<string, unknown>;
}

function fieldConfig(spec: PanelSpec, custom?: Record<string, unknown>): FieldConfigSource {
    return {
        defaults: {
            unit: spec.unit,
            ...(spec.min !== undefined ? { min: spec.min } : {}),
            ...(spec.max !== undefined ? { max: spec.max } : {}),
            ...(spec.thresholds ? { thresholds: spec.thresholds } : {}),
            color: { mode: (spec.thresholds ? "thresholds" : "palette-classic") as FieldColorModeId },
            ...(custom ? { custom } : {}),
        },
        overrides: [],
    };
}

/** The shell every metrics panel shares; options and custom field config come typed by the panel plugin. */
function metricsPanel(type: "timeseries" | "stat", spec: PanelSpec, targets: PrometheusTarget[], options: object, custom?: object): Panel {
    return {
        type,
        title: spec.title,
        description: spec.description,
        datasource: metricsSource,
        gridPos: { x: 0, y: 0, w: spec.width, h: spec.height },
        targets,
        options: schemaRecord(options),
        fieldConfig: fieldConfig(spec, custom ? schemaRecord(custom) : undefined),
        ...(spec.links ? { links: spec.links } : {}),
    };
}

function timeSeriesPanel(spec: PanelSpec, targets: PrometheusTarget[]): Panel {
    const options: TimeSeriesOptions = {
        legend: { showLegend: true, displayMode: "list" as LegendDisplayMode, placement: "bottom", calcs: [] },
        tooltip: { mode: "multi" as TooltipDisplayMode, sort: "desc" as SortOrder },
    };
    const custom: TimeSeriesFieldConfig = {
        lineWidth: 1,
        fillOpacity: 10,
        thresholdsStyle: { mode: (spec.thresholds ? "line" : "off") as GraphThresholdsStyleMode },
    };
    return metricsPanel("timeseries", spec, targets, options, custom);
}

function statPanel(spec: PanelSpec, target: PrometheusTarget): Panel {
    const options: StatOptions = {
        reduceOptions: { calcs: ["lastNotNull"], values: false, fields: "" },
        orientation: "auto" as VizOrientation,
        colorMode: "background" as BigValueColorMode,
        graphMode: "area" as BigValueGraphMode,
        justifyMode: "auto" as BigValueJustifyMode,
        textMode: "auto" as BigValueTextMode,
        wideLayout: true,
        showPercentChange: false,
        percentChangeColorMode: "standard" as PercentChangeColorMode,
    };
    return metricsPanel("stat", spec, [target], options);
}

function traceTablePanel(title: string, description: string, query: string): Panel {
    const options: TableOptions = { showHeader: true, frameIndex: 0 };
    return {
        type: "table",
        title,
        description,
        datasource: tracesSource,
        gridPos: { x: 0, y: 0, w: 12, h: 9 },
        targets: [traceTarget(query)],
        options: schemaRecord(options),
        fieldConfig: { defaults: {}, overrides: [] },
    };
}

function row(title: string): RowPanel {
    return { type: "row", title, collapsed: false, id: 0, panels: [], gridPos: { x: 0, y: 0, w: 24, h: 1 } };
}

/** Assigns ids and flows panels left to right, wrapping at 24 columns; rows start a new line. */
function layout(panels: (Panel | RowPanel)[]): (Panel | RowPanel)[] {
    let x = 0;
    let y = 0;
    let lineHeight = 0;
    return panels.map((panel, index) => {
        const { w, h } = panel.gridPos!;
        if (panel.type === "row" || x + w > 24) {
            y += lineHeight;
            x = 0;
            lineHeight = 0;
        }
        const placed = { ...panel, id: index + 1, gridPos: { x, y, w, h } };
        x += w;
        lineHeight = Math.max(lineHeight, h);
        if (panel.type === "row") {
            y += h;
            x = 0;
            lineHeight = 0;
        }
        return placed;
    });
}

function dashboard(uid: string, title: string, description: string, tags: string[], panels: (Panel | RowPanel)[]): Dashboard {
    return {
        uid,
        title,
        description,
        tags: ["tracing-platform", ...tags],
        editable: false,
        graphTooltip: 1,
        schemaVersion: dashboardSchemaVersion,
        version: 1,
        refresh: "1m",
        time: { from: "now-6h", to: "now" },
        timezone: "browser",
        panels: layout(panels),
        links: [
            { title: "Tracing platform", type: "dashboards", tags: ["tracing-platform"], asDropdown: true, icon: "external link", includeVars: false, keepTime: true, targetBlank: false, tooltip: "" },
        ],
    };
}

function dashboardLink(title: string, uid: string): DashboardLink {
    return { title, type: "link", url: `/d/${uid}`, icon: "dashboard", asDropdown: false, includeVars: false, keepTime: true, targetBlank: false, tags: [], tooltip: "" };
}

// ---- system dashboards ---------------------------------------------------------------------

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

// ---- platform dashboard --------------------------------------------------------------------

export function platformDashboard(): Dashboard {
    const t = platformAlertThresholds;
    const tempoExporter = [equals(collectorSelfMetricLabels.exporter, tempoExporterId)];
    const panel = (title: string, description: string, unit: string, targets: PrometheusTarget[], threshold?: number) =>
        timeSeriesPanel({ title, description, unit, min: 0, width: 12, height: 8, ...(threshold !== undefined ? { thresholds: ceiling(threshold) } : {}) }, targets);
    const w = dashboardWindow;
    const panels: (Panel | RowPanel)[] = [
        row("Ingest: what the collectors accept and refuse"),
        panel("Spans accepted and refused per second", "Receivers of agents and gateways. Refused spans were not taken into the pipeline (memory limiter or a full downstream); the sender got an error.", "ops", [
            promTarget("A", sumRate(otelcol.receiverAcceptedSpans, [], w), "accepted"),
            promTarget("B", sumRate(otelcol.receiverRefusedSpans, [], w), "refused"),
            promTarget("C", sumRate(otelcol.memoryLimiterRefusedSpans, [], w), "refused by memory limiter"),
        ]),
        panel("Refused share of received spans", "Alert threshold as a red line.", "percentunit", [
            promTarget("A", refusedShare(w), "refused share"),
        ], t.refusedShare),
        row("Export: Tempo, span metrics, sending queues"),
        panel("Spans sent and lost per exporter", "Lost = given up after retries (send failed) or dropped because the sending queue was full (enqueue failed).", "ops", [
            promTarget("A", sumRate(otelcol.exporterSentSpans, [], w, byExporter), "{{exporter}} sent"),
            promTarget("B", sumRate(otelcol.exporterSendFailedSpans, [], w, byExporter), "{{exporter}} send failed"),
            promTarget("C", sumRate(otelcol.exporterEnqueueFailedSpans, [], w, byExporter), "{{exporter}} dropped (queue full)"),
        ]),
        panel("Sending queue fill per exporter", "Queue size over capacity; a filling queue means the destination is slow or down.", "percentunit", [
            promTarget("A", queueFill(), "{{exporter}}"),
        ], t.queueFill),
        panel("Tempo ingestion failures", `Spans the gateways' ${tempoExporterId} exporter could not deliver to Tempo after retries.`, "ops", [
            promTarget("A", sumRate(otelcol.exporterSendFailedSpans, tempoExporter, w), "failed"),
            promTarget("B", sumRate(otelcol.exporterEnqueueFailedSpans, tempoExporter, w), "dropped (queue full)"),
            promTarget("C", sumRate(otelcol.exporterSentSpans, tempoExporter, w), "sent"),
        ]),
        panel("Span metrics remote write", "Metric points (the span metrics behind every dashboard) sent to and lost on the way to the metrics workspace.", "ops", [
            promTarget("A", sumRate(otelcol.exporterSentMetricPoints, [], w, byExporter), "{{exporter}} sent"),
            promTarget("B", sumRate(otelcol.exporterSendFailedMetricPoints, [], w, byExporter), "{{exporter}} send failed"),
            promTarget("C", sumRate(otelcol.exporterEnqueueFailedMetricPoints, [], w, byExporter), "{{exporter}} dropped (queue full)"),
        ]),
        row("Tail sampling"),
        panel("Traces dropped before their decision", "Traces evicted before decision_wait ended (num_traces too small for the load): their spans were lost unsampled.", "ops", [
            promTarget("A", sumRate(otelcol.tailSamplingTracesDroppedTooEarly, [], w), "dropped too early"),
        ], t.droppedTooEarlyPerSecond),
        panel("Traces held and decided", "Traces buffered in the gateways, and decisions per second by outcome.", "short", [
            promTarget("A", `sum(${otelcol.tailSamplingTracesOnMemory})`, "in memory"),
            promTarget("B", sumRate(otelcol.tailSamplingTracesDecided, [], w, [collectorSelfMetricLabels.sampled]), "decided, sampled={{sampled}}"),
        ]),
    ];
    return dashboard(
        dashboardUids.platform,
        "Tracing platform: collector health",
        "The collectors' own telemetry (otelcol_* metrics): refused and dropped spans, exporter failures, sending queues, tail sampling and Tempo ingestion.",
        ["platform"],
        panels,
    );
}

// ---- provisioning --------------------------------------------------------------------------

/** Every provisioned dashboard, keyed by its file name. */
export function grafanaDashboards(systems: readonly TracedSystem[]): Record<string, Dashboard> {
    const all = [overviewDashboard(systems), platformDashboard(), ...systems.map(systemDashboard)];
    return Object.fromEntries(all.map((d) => [`${d.uid}.json`, d]));
}

export function renderDashboards(dashboards: Record<string, Dashboard>): Record<string, string> {
    return Object.fromEntries(Object.entries(dashboards).map(([file, d]) => [file, JSON.stringify(d)]));
}

/** The file provider that loads the dashboards, read-only in the UI. */
export function dashboardProvider(): string {
    return yaml.stringify({
        apiVersion: 1,
        providers: [
            {
                name: "tracing-platform",
                orgId: 1,
                folder: grafanaFolder.title,
                folderUid: grafanaFolder.uid,
                type: "file",
                disableDeletion: true,
                allowUiUpdates: false,
                updateIntervalSeconds: 60,
                options: { path: grafanaPaths.dashboards, foldersFromFilesStructure: false },
            },
        ],
    });
}
