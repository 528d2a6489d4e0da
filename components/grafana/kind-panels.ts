/**
 * The panels below a system's headline metrics: response time per service, per database or cache,
 * per external provider and per queue, the cache hit ratio, client errors and access denials.
 * Every panel showing a duration links to the slow traces behind it in Tempo.
 */
import type { Panel, RowPanel } from "@grafana/schema";
import type { TracedSystem } from "../platform/settings";
import { durationInHistogramUnit, spanMetricLabels } from "../platform/span-metrics";
import {
    byDatabase,
    byProvider,
    byService,
    cacheHitPercent,
    cacheLookupMatchers,
    callRate,
    databaseLegend,
    durationQuantile,
    errorsPer1000Of,
    meanDuration,
    providerMatchers,
} from "./breakdown-queries";
import { ceiling, dashboardWindow, durationUnit, floor, promTarget, row, timeSeriesPanel, traceTablePanel, type PanelSpec, type PrometheusTarget } from "./panels";
import { seedPanelTitles } from "./panel-titles";
import { queueMessageRate, queueProcessingMean, queueProcessingQuantile, queueWaitMean, queueWaitQuantile } from "./queue-queries";
import * as seed from "./slo-queries";
import { queueQuery, slowDatabaseQuery, slowProviderQuery, slowServiceQuery, slowTracesLink, traceQueries } from "./trace-links";
import { queueTimeAttribute } from "../platform/span-metrics";

const provenance = "From the gateways' span metrics, computed before tail sampling.";
const w = dashboardWindow;

function panel(spec: Omit<PanelSpec, "width" | "height"> & { width?: number }, targets: PrometheusTarget[]): Panel {
    return timeSeriesPanel({ min: 0, height: 8, ...spec, width: spec.width ?? 12 }, targets);
}

/** A duration panel with its objective drawn in and the slow traces behind it one click away. */
function latencyPanel(title: string, description: string, objectiveMs: number, targets: PrometheusTarget[], traceql: string): Panel {
    return panel(
        {
            title,
            description: `${description} Click a point for the traces slower than ${objectiveMs} ms in this time range.`,
            unit: durationUnit,
            thresholds: ceiling(durationInHistogramUnit(objectiveMs)),
            dataLinks: [slowTracesLink(`Traces slower than ${objectiveMs} ms`, traceql)],
        },
        targets,
    );
}

/** The record's "response time at the level of individual services": mean and p95 per service.name. */
export function servicePanels(system: TracedSystem): Panel[] {
    const matchers = seed.requestMatchers(system);
    const legend = `{{${spanMetricLabels.service}}}`;
    const callers = system.kind === "database" || system.kind === "cache" ? " (the calling services)" : "";
    return [
        latencyPanel(seedPanelTitles.serviceMeanResponseTime, `${provenance} Mean duration of request spans per service${callers}.`, system.latencySloP95Ms, [
            promTarget("A", meanDuration(matchers, w, byService), legend),
        ], slowServiceQuery(system)),
        latencyPanel(seedPanelTitles.serviceP95ResponseTime, `${provenance} p95 of request span durations per service${callers}.`, system.latencySloP95Ms, [
            promTarget("A", durationQuantile(matchers, 0.95, w, byService), legend),
        ], slowServiceQuery(system)),
    ];
}

/** Client errors for HTTP systems; the access-denied rate where the catalogue sets an objective for it. */
export function outcomePanels(system: TracedSystem, keys: readonly string[]): Panel[] {
    const panels: Panel[] = [];
    if (keys.includes("clientErrorsPer1000")) {
        panels.push(
            panel(
                {
                    title: seedPanelTitles.clientErrorsPer1000,
                    description: `${provenance} HTTP 4xx answers (401 and 403 included): neither successes nor errors in the record's definition, shown apart.`,
                    unit: "short",
                },
                [promTarget("A", seed.clientErrorsPer1000(system, w), "4xx / 1000")],
            ),
        );
    }
    if (system.deniedPer1000Slo !== undefined) {
        panels.push(
            panel(
                {
                    title: seedPanelTitles.deniedPer1000,
                    description: `${provenance} Requests refused with HTTP 401 or 403: problems with access. Objective: at most ${system.deniedPer1000Slo} per 1000.`,
                    unit: "short",
                    thresholds: ceiling(system.deniedPer1000Slo),
                },
                [promTarget("A", seed.deniedPer1000(system, w), "401+403 / 1000")],
            ),
        );
    }
    return panels;
}

/** Databases and caches, from their callers' CLIENT spans: per database latency, calls, errors; caches add the hit ratio. */
export function datastorePanels(system: TracedSystem): (Panel | RowPanel)[] {
    const matchers = seed.requestMatchers(system);
    const calls = `${provenance} Callers' CLIENT spans with db.system.name ${system.dbSystems.join(", ")}, by db.system.name, db.namespace and server.address.`;
    const traces = traceQueries(system);
    const panels: (Panel | RowPanel)[] = [
        row(`${system.displayName}: per database (callers' CLIENT spans)`),
        latencyPanel(seedPanelTitles.datastoreMeanResponseTime, calls, system.latencySloP95Ms, [
            promTarget("A", meanDuration(matchers, w, byDatabase), databaseLegend),
        ], slowDatabaseQuery(system)),
        latencyPanel(seedPanelTitles.datastoreP95ResponseTime, calls, system.latencySloP95Ms, [
            promTarget("A", durationQuantile(matchers, 0.95, w, byDatabase), databaseLegend),
        ], slowDatabaseQuery(system)),
        panel({ title: seedPanelTitles.datastoreCallRate, description: calls, unit: "ops" }, [promTarget("A", callRate(system, matchers, w, byDatabase), databaseLegend)]),
        panel(
            { title: seedPanelTitles.datastoreErrorsPer1000, description: `${calls} Errors are calls whose span status is ERROR.`, unit: "short", thresholds: ceiling(system.errorsPer1000Slo) },
            [promTarget("A", errorsPer1000Of(matchers, w, byDatabase), databaseLegend)],
        ),
    ];
    if (system.kind === "cache" && system.cacheHitRatioSloPercent !== undefined) {
        panels.push(
            panel(
                {
                    title: seedPanelTitles.cacheHitRatio,
                    description: `${provenance} Lookups with cache.hit = true over lookups that set cache.hit (the boolean attribute cache clients set on their CLIENT span). Objective: at least ${system.cacheHitRatioSloPercent}%.`,
                    unit: "percent",
                    max: 100,
                    thresholds: floor(system.cacheHitRatioSloPercent),
                },
                [promTarget("A", cacheHitPercent(system, w, byDatabase), databaseLegend), promTarget("B", callRate(system, cacheLookupMatchers(system), w, []), "lookups/s")],
            ),
            traceTablePanel(seedPanelTitles.slowCacheCalls, `Sampled traces: cache calls slower than ${system.latencySloP95Ms} ms, with the operation and whether they hit.`, traces.slowCalls!, "spans"),
        );
    } else {
        panels.push(
            traceTablePanel(
                seedPanelTitles.slowQueries,
                `Sampled traces (every call slower than ${system.latencySloP95Ms} ms is kept): slow queries with db.query.summary and db.operation.name, the sanitised summary instrumentation writes, never the query text.`,
                traces.slowCalls!,
                "spans",
            ),
        );
    }
    return panels;
}

/** External integrations by provider: the server each CLIENT call reached. */
export function providerPanels(system: TracedSystem): (Panel | RowPanel)[] {
    const matchers = providerMatchers(system);
    const legend = `{{${spanMetricLabels.serverAddress}}}`;
    const description = `${provenance} The adapters' CLIENT spans by server.address (the provider's host).`;
    return [
        row(`${system.displayName}: per provider`),
        latencyPanel(seedPanelTitles.providerP95ResponseTime, description, system.latencySloP95Ms, [
            promTarget("A", durationQuantile(matchers, 0.95, w, byProvider), legend),
        ], slowProviderQuery(system)),
        panel(
            { title: seedPanelTitles.providerErrorsPer1000, description: `${description} Errors: HTTP 5xx, or span status ERROR without an HTTP status.`, unit: "short", thresholds: ceiling(system.errorsPer1000Slo) },
            [promTarget("A", errorsPer1000Of(matchers, w, byProvider), legend)],
        ),
    ];
}

/** Queues: processing time (mean and p95), messages per second, and the wait between publish and consume. */
export function queuePanels(system: TracedSystem, headNote: string): (Panel | RowPanel)[] {
    const legend = `{{${spanMetricLabels.queue}}}`;
    const processing = `${provenance} Duration of the consumer's processing span per messaging.destination.name.`;
    const wait =
        `Time between publish and the consumer starting, from the ${queueTimeAttribute} attribute consumers set on their CONSUMER span ` +
        "(the AMQP timestamp property to the consumer span's start), every message counted before sampling.";
    return [
        row("RabbitMQ: message processing and wait per queue (CONSUMER spans)"),
        latencyPanel(seedPanelTitles.queueProcessingTime, `${processing} Objective: ${system.queueProcessingSloMs} ms.`, system.queueProcessingSloMs!, [
            promTarget("A", queueProcessingQuantile(system, 0.95, w), legend),
        ], queueQuery(system, "processing")),
        latencyPanel(seedPanelTitles.queueProcessingMean, processing, system.queueProcessingSloMs!, [
            promTarget("A", queueProcessingMean(system, w), legend),
        ], queueQuery(system, "processing")),
        panel({ title: seedPanelTitles.queueMessageRate, description: `${provenance} ${headNote}`, unit: "ops" }, [promTarget("A", queueMessageRate(system, w), legend)]),
        latencyPanel(seedPanelTitles.queueWait, `${wait} Objective: p95 at most ${system.queueWaitSloMs} ms.`, system.queueWaitSloMs!, [
            promTarget("A", queueWaitQuantile(system, 0.95, w), legend),
        ], queueQuery(system, "wait")),
        latencyPanel(seedPanelTitles.queueWaitMean, wait, system.queueWaitSloMs!, [promTarget("A", queueWaitMean(system, w), legend)], queueQuery(system, "wait")),
    ];
}
