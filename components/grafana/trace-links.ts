/**
 * From a number to the traces behind it, without exemplars (Amazon Managed Prometheus does not
 * store them): TraceQL queries for a system's slow, failed and long-waiting work, and data links
 * that open such a query in Explore on Tempo for the same system or service, the panel's time
 * range and the objective as duration threshold. Tempo holds the tail-sampled traces, in which
 * every error and every span slower than its system's objective is kept.
 */
import { isDatastore, type TracedSystem } from "../platform/settings";
import { queueTimeAttribute, spanMetricLabels } from "../platform/span-metrics";
import { datasourceTypes, datasourceUids } from "./datasources";
import { requestSpanKinds } from "./slo-queries";

/** A Grafana data link (field config `links`). */
export interface DataLink {
    readonly title: string;
    readonly url: string;
    readonly targetBlank: boolean;
}

const traceqlKinds: Readonly<Record<string, string>> = {
    SPAN_KIND_SERVER: "server",
    SPAN_KIND_CONSUMER: "consumer",
    SPAN_KIND_PRODUCER: "producer",
    SPAN_KIND_CLIENT: "client",
};

export const traceqlString = (value: string) => JSON.stringify(value);
const traceqlMs = (ms: number) => `${ms}ms`;

function anyOf(field: string, values: readonly string[], quote: (v: string) => string = traceqlString): string {
    const terms = values.map((v) => `${field} = ${quote(v)}`);
    return terms.length === 1 ? terms[0] : `(${terms.join(" || ")})`;
}

/** The TraceQL filter selecting a system's own spans: its services, or its callers' CLIENT calls to it. */
export function identityFilter(system: TracedSystem): string {
    return isDatastore(system)
        ? `kind = client && ${anyOf("span.db.system.name", system.dbSystems)}`
        : anyOf("resource.service.name", system.serviceNames);
}

function requestKinds(system: TracedSystem): string {
    return anyOf("kind", requestSpanKinds[system.kind].map((k) => traceqlKinds[k]), (v) => v);
}

/** Attributes a database's slow-query table shows: the sanitised query summary and operation, never the query text. */
export const slowQueryColumns = ["span.db.query.summary", "span.db.operation.name", "span.db.namespace", "span.server.address"] as const;

/** Attributes a cache's slow-call table shows. */
export const slowCacheCallColumns = ["span.db.operation.name", "span.cache.hit", "span.db.namespace", "span.server.address"] as const;

export interface SystemTraceQueries {
    readonly errors: string;
    readonly slow: string;
    /** Databases: slow queries by query summary and operation; caches: slow cache calls. */
    readonly slowCalls?: string;
    readonly slowMessages?: string;
    readonly longWaits?: string;
}

/** TraceQL drill-down queries of a system. */
export function traceQueries(system: TracedSystem): SystemTraceQueries {
    const identity = identityFilter(system);
    const slowerThanObjective = `duration > ${traceqlMs(system.latencySloP95Ms)}`;
    const queries: SystemTraceQueries = {
        errors: `{ ${identity} && status = error }`,
        slow: `{ ${identity} && ${requestKinds(system)} && ${slowerThanObjective} }`,
    };
    if (isDatastore(system)) {
        const columns = system.kind === "database" ? slowQueryColumns : slowCacheCallColumns;
        return { ...queries, slowCalls: `{ ${identity} && ${slowerThanObjective} } | select(${columns.join(", ")})` };
    }
    if (system.kind !== "queue" || system.queueProcessingSloMs === undefined || system.queueWaitSloMs === undefined) return queries;
    const queues = anyOf("span.messaging.destination.name", system.queues);
    return {
        ...queries,
        slowMessages: `{ ${identity} && kind = consumer && ${queues} && duration > ${traceqlMs(system.queueProcessingSloMs)} }`,
        longWaits: `{ ${identity} && kind = consumer && ${queues} && span.${queueTimeAttribute} > ${system.queueWaitSloMs} }`,
    };
}

/** A Grafana template expression for a series label of the clicked point, for data links. */
export function labelOfClickedSeries(label: string): string {
    return `\${__field.labels.${label}}`;
}

/** TraceQL for the slow request spans of one service of a system (the per-service panels' link). */
export function slowServiceQuery(system: TracedSystem): string {
    return `{ resource.service.name = "${labelOfClickedSeries(spanMetricLabels.service)}" && ${requestKinds(system)} && duration > ${traceqlMs(system.latencySloP95Ms)} }`;
}

/** TraceQL for the slow calls to one database or cache (the per-database panels' link). */
export function slowDatabaseQuery(system: TracedSystem): string {
    const database = ["span.db.system.name", "span.db.namespace", "span.server.address"]
        .map((field, i) => `${field} = "${labelOfClickedSeries([spanMetricLabels.dbSystem, spanMetricLabels.dbNamespace, spanMetricLabels.serverAddress][i])}"`)
        .join(" && ");
    return `{ kind = client && ${database} && duration > ${traceqlMs(system.latencySloP95Ms)} }`;
}

/** TraceQL for the slow calls of an integration to one provider (the per-provider panels' link). */
export function slowProviderQuery(system: TracedSystem): string {
    const provider = `span.server.address = "${labelOfClickedSeries(spanMetricLabels.serverAddress)}"`;
    return `{ ${identityFilter(system)} && kind = client && ${provider} && duration > ${traceqlMs(system.latencySloP95Ms)} }`;
}

/** TraceQL for one queue's slow processing or long waits (the per-queue panels' links). */
export function queueQuery(system: TracedSystem, what: "processing" | "wait"): string {
    const queue = `span.messaging.destination.name = "${labelOfClickedSeries(spanMetricLabels.queue)}"`;
    const condition =
        what === "processing" ? `duration > ${traceqlMs(system.queueProcessingSloMs ?? 0)}` : `span.${queueTimeAttribute} > ${system.queueWaitSloMs ?? 0}`;
    return `{ ${identityFilter(system)} && kind = consumer && ${queue} && ${condition} }`;
}

/** Grafana template variables kept unencoded so Grafana fills them in when the link is followed. */
const templateVariable = /\$\{[A-Za-z0-9_.:]+\}/g;

/**
 * An Explore URL running `traceql` on Tempo over the dashboard's time range. The pane state is
 * URL-encoded JSON; Grafana's template variables stay literal so the link interpolates them.
 */
export function exploreUrl(traceql: string): string {
    const panes = {
        traces: {
            datasource: datasourceUids.tempo,
            queries: [{ refId: "A", datasource: { type: datasourceTypes.tempo, uid: datasourceUids.tempo }, queryType: "traceql", query: traceql, limit: 20, tableType: "traces" }],
            range: { from: "${__from}", to: "${__to}" },
        },
    };
    const json = JSON.stringify(panes);
    let encoded = "";
    let last = 0;
    for (const match of json.matchAll(templateVariable)) {
        encoded += encodeURIComponent(json.slice(last, match.index)) + match[0];
        last = match.index! + match[0].length;
    }
    encoded += encodeURIComponent(json.slice(last));
    return `/explore?schemaVersion=1&orgId=1&panes=${encoded}`;
}

/** The data link a latency panel carries: its slow traces in Tempo. */
export function slowTracesLink(title: string, traceql: string): DataLink {
    return { title, url: exploreUrl(traceql), targetBlank: false };
}
