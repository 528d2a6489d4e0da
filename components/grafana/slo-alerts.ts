/**
 * The SLO rules of one catalogue system: errors per 1000 and p95 response time above objective for
 * every system (per database for databases and caches); access denied per 1000 where the catalogue
 * sets that objective; the cache hit ratio below objective; per provider for integrations; and per
 * queue the processing time and the wait between publish and consume.
 */
import { isDatastore, type TracedSystem } from "../platform/settings";
import { durationInHistogramUnit, queueWaitMetricNames, spanMetricLabels, spanMetricNames } from "../platform/span-metrics";
import { alertWindow, withEnoughTraffic, type AlertDefinition, type SystemObjective } from "./alert-definition";
import { byDatabase, byProvider, cacheLookupMatchers, cacheMissPercent, durationQuantile, errorsPer1000Of, providerMatchers } from "./breakdown-queries";
import { byQueue, queueMatchers, queueProcessingQuantile, queueWaitMatchers, queueWaitQuantile } from "./queue-queries";
import * as seed from "./slo-queries";
import { dashboardUids, stableUid } from "./uids";

/** The threshold a catalogue objective gives a rule that fires while its value is above it. */
export function objectiveThreshold(system: TracedSystem, objective: SystemObjective): number {
    const value = system[objective];
    if (value === undefined) throw new Error(`${system.id} sets no ${objective}`);
    switch (objective) {
        case "latencySloP95Ms":
        case "queueProcessingSloMs":
        case "queueWaitSloMs":
            return durationInHistogramUnit(value);
        case "cacheHitRatioSloPercent":
            // The rule watches misses: a hit ratio below the objective is a miss share above its complement.
            return 100 - value;
        case "errorsPer1000Slo":
        case "deniedPer1000Slo":
            return value;
    }
}

interface RuleSpec {
    readonly id: string;
    readonly name: string;
    readonly expr: string;
    readonly objective: SystemObjective;
    readonly breakdown: readonly string[];
    readonly for: string;
    readonly severity: AlertDefinition["severity"];
    readonly summary: string;
    readonly description: string;
}

function rule(system: TracedSystem, spec: RuleSpec): AlertDefinition {
    return {
        uid: stableUid("slo", system.id, spec.id),
        name: `${system.displayName}: ${spec.name}`,
        group: `slo-${system.id}`,
        expr: spec.expr,
        threshold: objectiveThreshold(system, spec.objective),
        thresholdSource: { kind: "system", systemId: system.id, objective: spec.objective },
        breakdown: spec.breakdown,
        for: spec.for,
        severity: spec.severity,
        labels: { system: system.id },
        summary: spec.summary,
        description: spec.description,
        dashboardUid: dashboardUids.system(system),
    };
}

/** Errors and p95 of the system's requests: per system, or per database for databases and caches. */
function requestRules(system: TracedSystem): AlertDefinition[] {
    const requests = seed.requestMatchers(system);
    const by = isDatastore(system) ? [...byDatabase] : [];
    const where = isDatastore(system) ? " on a database" : "";
    return [
        rule(system, {
            id: "errors",
            name: `errors per 1000 requests above objective${where}`,
            expr: withEnoughTraffic(seed.errorsPer1000(system, alertWindow, by), spanMetricNames.calls, requests, by),
            objective: "errorsPer1000Slo",
            breakdown: by,
            for: "5m",
            severity: "critical",
            summary: `${system.displayName} fails more than ${system.errorsPer1000Slo} requests per 1000.`,
            description: `Errors per 1000 requests over ${alertWindow} (HTTP 5xx, or span status ERROR without an HTTP status; span metrics, before sampling) exceeded the objective of ${system.errorsPer1000Slo} for 5 minutes. Open the system dashboard's error traces.`,
        }),
        rule(system, {
            id: "p95",
            name: `p95 response time above objective${where}`,
            expr: withEnoughTraffic(seed.latencyQuantile(system, 0.95, alertWindow, by), spanMetricNames.durationCount, requests, by),
            objective: "latencySloP95Ms",
            breakdown: by,
            for: "10m",
            severity: "warning",
            summary: `${system.displayName} p95 response time is above ${system.latencySloP95Ms} ms.`,
            description: `p95 of request span durations over ${alertWindow} exceeded ${system.latencySloP95Ms} ms for 10 minutes. Slow traces are always kept by tail sampling; open the system dashboard's slow traces.`,
        }),
    ];
}

function deniedRule(system: TracedSystem): AlertDefinition[] {
    if (system.deniedPer1000Slo === undefined) return [];
    return [
        rule(system, {
            id: "denied",
            name: "access denied (401/403) per 1000 requests above objective",
            expr: withEnoughTraffic(seed.deniedPer1000(system, alertWindow), spanMetricNames.calls, seed.requestMatchers(system)),
            objective: "deniedPer1000Slo",
            breakdown: [],
            for: "10m",
            severity: "warning",
            summary: `${system.displayName} refuses more than ${system.deniedPer1000Slo} requests per 1000 with 401 or 403.`,
            description: `Requests answered 401 or 403 over ${alertWindow} exceeded ${system.deniedPer1000Slo} per 1000 for 10 minutes: expired or revoked credentials, a misconfigured client, or someone probing. Check the access logs and recent permission changes.`,
        }),
    ];
}

function cacheRule(system: TracedSystem): AlertDefinition[] {
    if (system.kind !== "cache" || system.cacheHitRatioSloPercent === undefined) return [];
    const by = [...byDatabase];
    return [
        rule(system, {
            id: "cache-miss",
            name: "cache hit ratio below objective",
            expr: withEnoughTraffic(cacheMissPercent(system, alertWindow, by), spanMetricNames.calls, cacheLookupMatchers(system), by),
            objective: "cacheHitRatioSloPercent",
            breakdown: by,
            for: "15m",
            severity: "warning",
            summary: `A cache of ${system.displayName} hits fewer than ${system.cacheHitRatioSloPercent}% of lookups.`,
            description: `Lookups with cache.hit=false exceeded ${100 - system.cacheHitRatioSloPercent}% of the lookups that set cache.hit over ${alertWindow} for 15 minutes: keys expire too early, the cache is too small or was flushed.`,
        }),
    ];
}

function providerRules(system: TracedSystem): AlertDefinition[] {
    if (system.kind !== "integration") return [];
    const calls = providerMatchers(system);
    const by = [...byProvider];
    return [
        rule(system, {
            id: "provider-errors",
            name: "provider errors per 1000 calls above objective",
            expr: withEnoughTraffic(errorsPer1000Of(calls, alertWindow, by), spanMetricNames.calls, calls, by),
            objective: "errorsPer1000Slo",
            breakdown: by,
            for: "5m",
            severity: "critical",
            summary: `Calls from ${system.displayName} to a provider fail more than ${system.errorsPer1000Slo} per 1000.`,
            description: `Errors per 1000 CLIENT calls to one server.address over ${alertWindow} exceeded ${system.errorsPer1000Slo} for 5 minutes. The provider is failing or refusing the integration.`,
        }),
        rule(system, {
            id: "provider-p95",
            name: "provider p95 response time above objective",
            expr: withEnoughTraffic(durationQuantile(calls, 0.95, alertWindow, by), spanMetricNames.durationCount, calls, by),
            objective: "latencySloP95Ms",
            breakdown: by,
            for: "10m",
            severity: "warning",
            summary: `A provider called by ${system.displayName} answers slower than ${system.latencySloP95Ms} ms at p95.`,
            description: `p95 of CLIENT call durations to one server.address over ${alertWindow} exceeded ${system.latencySloP95Ms} ms for 10 minutes.`,
        }),
    ];
}

function queueRules(system: TracedSystem): AlertDefinition[] {
    if (system.kind !== "queue" || system.queueProcessingSloMs === undefined || system.queueWaitSloMs === undefined) return [];
    const by = [...byQueue];
    return [
        rule(system, {
            id: "queue",
            name: "message processing time above objective",
            expr: withEnoughTraffic(queueProcessingQuantile(system, 0.95, alertWindow), spanMetricNames.durationCount, queueMatchers(system), by),
            objective: "queueProcessingSloMs",
            breakdown: by,
            for: "10m",
            severity: "warning",
            summary: `p95 message processing time on a queue of ${system.displayName} is above ${system.queueProcessingSloMs} ms.`,
            description: `p95 of CONSUMER span durations per queue (${spanMetricLabels.queue}) over ${alertWindow} exceeded ${system.queueProcessingSloMs} ms for 10 minutes.`,
        }),
        rule(system, {
            id: "queue-wait",
            name: "message wait time above objective",
            expr: withEnoughTraffic(queueWaitQuantile(system, 0.95, alertWindow), queueWaitMetricNames.count, queueWaitMatchers(system), by),
            objective: "queueWaitSloMs",
            breakdown: by,
            for: "10m",
            severity: "warning",
            summary: `Messages on a queue of ${system.displayName} wait longer than ${system.queueWaitSloMs} ms (p95) before a consumer starts them.`,
            description: `p95 of the wait between publish and consume per queue over ${alertWindow} exceeded ${system.queueWaitSloMs} ms for 10 minutes: consumers are too few, stalled, or the queue is backed up.`,
        }),
    ];
}

export function systemAlerts(system: TracedSystem): AlertDefinition[] {
    return [...requestRules(system), ...deniedRule(system), ...cacheRule(system), ...providerRules(system), ...queueRules(system)];
}
