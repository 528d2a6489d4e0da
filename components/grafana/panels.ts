/**
 * Panel and dashboard builders the provisioned dashboards share: Prometheus and Tempo targets,
 * thresholds, the typed panel shells and the grid layout. Dashboard JSON is typed with
 * `@grafana/schema` (type-only imports: the schema package is a build-time contract, nothing of it
 * runs in the program).
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
import { datasourceTypes, datasourceUids } from "./datasources";
import { spanMetricsHistogramUnit } from "../platform/span-metrics";

/** Dashboard schema version of @grafana/schema 13.2 (its defaultDashboard.schemaVersion). */
export const dashboardSchemaVersion = 42;

/** The window dashboards rate over: Grafana's own, at least four scrape intervals. */
export const dashboardWindow = "$__rate_interval";

const metricsSource: DataSourceRef = { type: datasourceTypes.metrics, uid: datasourceUids.metrics };
const tracesSource: DataSourceRef = { type: datasourceTypes.tempo, uid: datasourceUids.tempo };

export interface PrometheusTarget {
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

export function promTarget(refId: string, expr: string, legendFormat: string, options: { instant?: boolean; exemplar?: boolean } = {}): PrometheusTarget {
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

export const durationUnit = spanMetricsHistogramUnit === "ms" ? "ms" : "s";

type ThresholdColor = "green" | "yellow" | "orange" | "red";

/** Thresholds from a base colour and ascending steps. */
export function thresholds(base: ThresholdColor, steps: readonly [number, ThresholdColor][]): ThresholdsConfig {
    return {
        mode: "absolute" as ThresholdsMode,
        steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))],
    };
}

/** Red at and above the objective. */
export function ceiling(objective: number): ThresholdsConfig {
    return thresholds("green", [[objective, "red"]]);
}

/** Red below the objective. */
export function floor(objective: number): ThresholdsConfig {
    return thresholds("red", [[objective, "green"]]);
}

export interface PanelSpec {
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

export function timeSeriesPanel(spec: PanelSpec, targets: PrometheusTarget[]): Panel {
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

export function statPanel(spec: PanelSpec, target: PrometheusTarget): Panel {
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

export function traceTablePanel(title: string, description: string, query: string): Panel {
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

export function row(title: string): RowPanel {
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

export function dashboard(uid: string, title: string, description: string, tags: string[], panels: (Panel | RowPanel)[]): Dashboard {
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

export function dashboardLink(title: string, uid: string): DashboardLink {
    return { title, type: "link", url: `/d/${uid}`, icon: "dashboard", asDropdown: false, includeVars: false, keepTime: true, targetBlank: false, tags: [], tooltip: "" };
}
