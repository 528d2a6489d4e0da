/**
 * Provisioned data sources: Tempo over mutual TLS (service map, node graph, traces-to-metrics) and
 * the span-metrics workspace through the Amazon Managed Service for Prometheus plugin with SigV4
 * signing by the pod's workload identity, its exemplars linking to Tempo.
 *
 * Format: grafana/grafana docs/sources/administration/provisioning (apiVersion 1, prune since
 * 11.1); Tempo keys: docs/sources/datasources/tempo/configure-tempo-data-source/provision-data-source.md;
 * plugin keys: grafana-amazonprometheus-datasource docs/sources/configure.md. Provisioning files
 * expand `$VAR` and `$__file{path}` (pkg/services/provisioning/values/values.go); a literal `$`
 * is written `$$`.
 */
import * as yaml from "yaml";
import { ports, serviceDnsNames } from "../platform/names";
import { amazonPrometheusPlugin, grafanaPaths, tlsFileNames } from "./ini";
import { spanMetricLabels, spanMetricNames, spanMetricsFlushSeconds, spanMetricValues } from "../platform/span-metrics";

/** Stable data source uids every dashboard, alert and link refers to. */
export const datasourceUids = { tempo: "tracing-tempo", metrics: "tracing-span-metrics" } as const;

/** Plugin type of each provisioned data source. */
export const datasourceTypes = { tempo: "tempo", metrics: amazonPrometheusPlugin.id } as const;

/** Grafana's uid for server-side expressions in alert rules (not a provisioned data source). */
export const expressionDatasourceUid = "__expr__";

/** Exemplar label the remote-write translator writes the trace id under. */
export const exemplarTraceIdLabel = "trace_id";

export interface ProvisionedDatasource {
    readonly name: string;
    readonly type: string;
    readonly uid: string;
    readonly access: "proxy";
    readonly url: string;
    readonly isDefault: boolean;
    readonly editable: boolean;
    readonly version: number;
    readonly jsonData: Readonly<Record<string, unknown>>;
    readonly secureJsonData?: Readonly<Record<string, string>>;
}

export interface DatasourceProvisioning {
    readonly apiVersion: 1;
    readonly prune: boolean;
    readonly datasources: readonly ProvisionedDatasource[];
}

export interface DatasourcesInput {
    /** Query endpoint of the metrics workspace (https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/). */
    readonly prometheusEndpoint: string;
    /** Region of the workspace, used to sign requests. */
    readonly region: string;
}

/** Tempo's query API over HTTPS, by the Service name its server certificate carries. */
export function tempoQueryHost(): string {
    return serviceDnsNames("tempoQuery").at(-1)!;
}

/** Reads a mounted file at provisioning time (Grafana's `$__file{}` expander). */
function mountedFile(path: string): string {
    return `$__file{${path}}`;
}

/** A literal `$` in a provisioning file (Grafana expands `$...` as environment variables). */
function literalDollar(text: string): string {
    return text.replaceAll("$", () => "$$");
}

/** Queries the Tempo data source offers from a span ("Related metrics"); `$__tags` holds the span's tags. */
export function tracesToMetricsQueries(): { readonly name: string; readonly query: string }[] {
    const errors = `${spanMetricLabels.statusCode}="${spanMetricValues.errorStatus}"`;
    return [
        { name: "Request rate", query: `sum(rate(${spanMetricNames.calls}{$__tags}[5m]))` },
        { name: "Error rate", query: `sum(rate(${spanMetricNames.calls}{$__tags, ${errors}}[5m]))` },
        { name: "p95 duration", query: `histogram_quantile(0.95, sum by (le) (rate(${spanMetricNames.durationBucket}{$__tags}[5m])))` },
    ];
}

export function grafanaDatasources(input: DatasourcesInput): DatasourceProvisioning {
    const tempoHost = tempoQueryHost();
    const tempo: ProvisionedDatasource = {
        name: "Tempo (traces)",
        type: datasourceTypes.tempo,
        uid: datasourceUids.tempo,
        access: "proxy",
        url: `https://${tempoHost}:${ports.tempoHttp}`,
        isDefault: false,
        editable: false,
        version: 1,
        jsonData: {
            tlsAuth: true,
            tlsAuthWithCACert: true,
            tlsSkipVerify: false,
            serverName: tempoHost,
            timeout: 60,
            serviceMap: { datasourceUid: datasourceUids.metrics },
            nodeGraph: { enabled: true },
            search: { hide: false },
            traceQuery: { timeShiftEnabled: true, spanStartTimeShift: "-30m", spanEndTimeShift: "30m" },
            // Streams results over the HTTPS port; Tempo's config sets stream_over_http_enabled.
            streamingEnabled: { search: true, metrics: true },
            tracesToMetrics: {
                datasourceUid: datasourceUids.metrics,
                spanStartTimeShift: "-5m",
                spanEndTimeShift: "5m",
                tags: [{ key: "service.name", value: spanMetricLabels.service }],
                queries: tracesToMetricsQueries().map((q) => ({ name: q.name, query: literalDollar(q.query) })),
            },
        },
        secureJsonData: {
            tlsCACert: mountedFile(`${grafanaPaths.caBundle}/${tlsFileNames.ca}`),
            tlsClientCert: mountedFile(`${grafanaPaths.clientTls}/${tlsFileNames.certificate}`),
            tlsClientKey: mountedFile(`${grafanaPaths.clientTls}/${tlsFileNames.privateKey}`),
        },
    };
    const metrics: ProvisionedDatasource = {
        name: "Span metrics (Amazon Managed Prometheus)",
        type: datasourceTypes.metrics,
        uid: datasourceUids.metrics,
        access: "proxy",
        // Grafana appends /api/v1/...; a trailing slash would double it.
        url: input.prometheusEndpoint.replace(/\/+$/, ""),
        isDefault: true,
        editable: false,
        version: 1,
        jsonData: {
            httpMethod: "POST",
            sigV4Auth: true,
            sigV4AuthType: "default",
            sigV4Region: input.region,
            sigv4Service: "aps",
            manageAlerts: false,
            // One sample per span-metric series per connector flush: rate windows start from it.
            timeInterval: `${spanMetricsFlushSeconds}s`,
            exemplarTraceIdDestinations: [{ name: exemplarTraceIdLabel, datasourceUid: datasourceUids.tempo }],
        },
    };
    return { apiVersion: 1, prune: true, datasources: [tempo, metrics] };
}

export function renderDatasources(provisioning: DatasourceProvisioning): string {
    return yaml.stringify(provisioning, { lineWidth: 0 });
}
