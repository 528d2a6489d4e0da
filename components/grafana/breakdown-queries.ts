/**
 * The record's metrics broken down below the system: per service (response time of each service),
 * per database or cache (system, namespace, server), per external provider (server.address), and a
 * cache's hit ratio. Same span metrics, same outcome rules as the system-level queries.
 */
import type { TracedSystem } from "../platform/settings";
import { cacheHitAttribute, outcomeValues, spanMetricLabels, spanMetricNames, spanMetricValues } from "../platform/span-metrics";
import { equals, histogramQuantile, meanOf, notEquals, oneOf, shareOf, sumRate, type LabelMatcher } from "./promql";
import { correctedForHeadSampling, outcomeShare, requestMatchers } from "./slo-queries";

/** One service of a system per series. */
export const byService = [spanMetricLabels.service] as const;

/** One database (or cache) per series: which system, which database on it, which server. */
export const byDatabase = [spanMetricLabels.dbSystem, spanMetricLabels.dbNamespace, spanMetricLabels.serverAddress] as const;

/** One external provider per series: the server a call reached. */
export const byProvider = [spanMetricLabels.serverAddress] as const;

/** Legend of a series per database, as Grafana formats it. */
export const databaseLegend = `{{${spanMetricLabels.dbSystem}}} {{${spanMetricLabels.dbNamespace}}} @ {{${spanMetricLabels.serverAddress}}}`;

/** Mean and quantile of any selection of spans, grouped. */
export function meanDuration(matchers: readonly LabelMatcher[], window: string, by: readonly string[]): string {
    return meanOf(spanMetricNames.durationSum, spanMetricNames.durationCount, matchers, window, by);
}

export function durationQuantile(matchers: readonly LabelMatcher[], q: number, window: string, by: readonly string[]): string {
    return histogramQuantile(q, spanMetricNames.durationBucket, matchers, window, by);
}

/** Errors per 1000 of any selection of spans, grouped. */
export function errorsPer1000Of(matchers: readonly LabelMatcher[], window: string, by: readonly string[]): string {
    return `1000 * ${outcomeShare(matchers, [outcomeValues.error], window, by)}`;
}

/** Calls per second of any selection of a system's spans, grouped, corrected for head sampling. */
export function callRate(system: TracedSystem, matchers: readonly LabelMatcher[], window: string, by: readonly string[]): string {
    return correctedForHeadSampling(system, sumRate(spanMetricNames.calls, matchers, window, by));
}

/**
 * An integration's calls out to its providers: CLIENT spans of its services that name the server
 * they reached (HTTP clients set server.address; so can a client for `service.peer.name`-only
 * peers by setting both).
 */
export function providerMatchers(system: TracedSystem): LabelMatcher[] {
    return [
        oneOf(spanMetricLabels.service, system.serviceNames),
        equals(spanMetricLabels.spanKind, spanMetricValues.clientKind),
        notEquals(spanMetricLabels.serverAddress, ""),
    ];
}

/** Cache lookups that reported whether they hit: the denominator of the hit ratio. */
export function cacheLookupMatchers(system: TracedSystem): LabelMatcher[] {
    return [...requestMatchers(system), { label: spanMetricLabels.cacheHit, op: "=~", value: "true|false" }];
}

/** Cache hit ratio in percent (lookups with cache.hit=true over lookups that set cache.hit), grouped. */
export function cacheHitPercent(system: TracedSystem, window: string, by: readonly string[] = []): string {
    const lookups = cacheLookupMatchers(system);
    const hits = sumRate(spanMetricNames.calls, [...requestMatchers(system), equals(spanMetricLabels.cacheHit, "true")], window, by);
    return `100 * ${shareOf(hits, sumRate(spanMetricNames.calls, lookups, window, by))}`;
}

/** Cache misses in percent of lookups (100 − hit ratio): what the hit-ratio alert compares, as it fires above. */
export function cacheMissPercent(system: TracedSystem, window: string, by: readonly string[] = []): string {
    const misses = sumRate(spanMetricNames.calls, [...requestMatchers(system), equals(spanMetricLabels.cacheHit, "false")], window, by);
    return `100 * ${shareOf(misses, sumRate(spanMetricNames.calls, cacheLookupMatchers(system), window, by))}`;
}

/** The attribute cache clients set, for the descriptions that tell teams what to set. */
export const cacheHitSpanAttribute = cacheHitAttribute;
