/**
 * Titles of the panels that carry the decision record's metrics, the same on every system
 * dashboard, and which of them each kind of system shows. Docs, tests and alerts refer to the
 * panels by these keys.
 */
import { isDatastore, type TracedSystem } from "../platform/settings";

export const seedPanelTitles = {
    responseTime: "Response time (p50 / p95 / p99)",
    meanResponseTime: "Mean response time",
    successRate: "Successful requests (%)",
    errorsPer1000: "Errors per 1000 requests",
    clientErrorsPer1000: "Client errors (4xx) per 1000 requests",
    deniedPer1000: "Access denied (401/403) per 1000 requests",
    apdex: "Apdex (T = latency objective)",
    requestRate: "Requests per second (head sampling corrected)",
    serviceMeanResponseTime: "Mean response time per service",
    serviceP95ResponseTime: "p95 response time per service",
    datastoreMeanResponseTime: "Mean response time per database (system, namespace, server)",
    datastoreP95ResponseTime: "p95 response time per database (system, namespace, server)",
    datastoreCallRate: "Calls per second per database (head sampling corrected)",
    datastoreErrorsPer1000: "Errors per 1000 calls per database",
    cacheHitRatio: "Cache hit ratio per cache (%)",
    slowQueries: "Slow queries by query summary and operation",
    slowCacheCalls: "Slow cache calls by operation",
    providerP95ResponseTime: "p95 response time per provider",
    providerErrorsPer1000: "Errors per 1000 calls per provider",
    queueProcessingTime: "Queue message processing time per queue (p95)",
    queueProcessingMean: "Mean message processing time per queue",
    queueMessageRate: "Messages processed per second per queue (head sampling corrected)",
    queueWait: "Wait between publish and consume per queue (p95)",
    queueWaitMean: "Mean wait between publish and consume per queue",
    errorTraces: "Traces with errors",
    slowTraces: "Traces slower than the latency objective",
    slowMessages: "Messages processed slower than the queue objective",
    longWaits: "Messages that waited longer than the wait objective",
} as const;

export type SeedPanelKey = keyof typeof seedPanelTitles;

/** Panels that show a duration: each links to the slow traces behind it. */
export const latencyPanelKeys: readonly SeedPanelKey[] = [
    "responseTime",
    "meanResponseTime",
    "serviceMeanResponseTime",
    "serviceP95ResponseTime",
    "datastoreMeanResponseTime",
    "datastoreP95ResponseTime",
    "providerP95ResponseTime",
    "queueProcessingTime",
    "queueProcessingMean",
    "queueWait",
    "queueWaitMean",
];

/** The panels a system's dashboard shows, by kind. */
export function seedPanelsFor(system: TracedSystem): SeedPanelKey[] {
    const keys: SeedPanelKey[] = ["responseTime", "meanResponseTime", "successRate", "errorsPer1000", "apdex", "requestRate"];
    keys.push("serviceMeanResponseTime", "serviceP95ResponseTime");
    if (!isDatastore(system) && system.kind !== "queue") keys.push("clientErrorsPer1000");
    if (system.deniedPer1000Slo !== undefined) keys.push("deniedPer1000");
    if (isDatastore(system)) keys.push("datastoreMeanResponseTime", "datastoreP95ResponseTime", "datastoreCallRate", "datastoreErrorsPer1000");
    if (system.kind === "database") keys.push("slowQueries");
    if (system.kind === "cache") keys.push("cacheHitRatio", "slowCacheCalls");
    if (system.kind === "integration") keys.push("providerP95ResponseTime", "providerErrorsPer1000");
    if (system.kind === "queue") keys.push("queueProcessingTime", "queueProcessingMean", "queueMessageRate", "queueWait", "queueWaitMean", "slowMessages", "longWaits");
    keys.push("errorTraces", "slowTraces");
    return keys;
}
