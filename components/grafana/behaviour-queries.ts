/**
 * User behaviour from what the scrubbing keeps: routes (the span names of HTTP server spans, which
 * carry the route template, never the concrete URL) and the pseudonymous session id (salted
 * SHA-256). Route counts come from the span metrics; anything per session comes from the sampled
 * traces in Tempo, because a session id as a metric label would export one series per visitor.
 */
import type { TracedSystem } from "../platform/settings";
import { outcomeValues, spanMetricLabels, spanMetricNames, spanMetricValues } from "../platform/span-metrics";
import { equals, oneOf, promNumber, sumRate, type LabelMatcher } from "./promql";
import { correctedForHeadSampling, outcomeShare } from "./slo-queries";
import { identityFilter } from "./trace-links";

/** Systems users talk to: HTTP APIs. */
export function userFacing(systems: readonly TracedSystem[]): TracedSystem[] {
    return systems.filter((s) => s.kind === "http-api");
}

/** One route (and the service serving it) per series. */
export const byRoute = [spanMetricLabels.service, spanMetricLabels.spanName] as const;

/** Routes shown per panel: the busiest, so a long tail of rare routes does not drown the chart. */
export const topRoutes = 15;

export function routeMatchers(system: TracedSystem): LabelMatcher[] {
    return [oneOf(spanMetricLabels.service, system.serviceNames), equals(spanMetricLabels.spanKind, spanMetricValues.serverKind)];
}

/** Requests per second per route, corrected for head sampling, the busiest routes. */
export function requestsPerRoute(system: TracedSystem, window: string): string {
    return `topk(${promNumber(topRoutes)}, ${correctedForHeadSampling(system, sumRate(spanMetricNames.calls, routeMatchers(system), window, byRoute))})`;
}

/** Errors per 1000 requests per route (the record's error definition), the worst routes. */
export function errorsPer1000PerRoute(system: TracedSystem, window: string): string {
    return `topk(${promNumber(topRoutes)}, 1000 * ${outcomeShare(routeMatchers(system), [outcomeValues.error], window, byRoute)})`;
}

/** Client errors (4xx, denials included) per 1000 requests per route: where users get lost or locked out. */
export function clientErrorsPer1000PerRoute(system: TracedSystem, window: string): string {
    return `topk(${promNumber(topRoutes)}, 1000 * ${outcomeShare(routeMatchers(system), [outcomeValues.clientError, outcomeValues.denied], window, byRoute)})`;
}

/** Sampled traces: each session's requests (pseudonymous session, route, method), to read a journey in time order. */
export function sessionJourneys(system: TracedSystem): string {
    return `{ ${identityFilter(system)} && kind = server && span.session.id != nil } | select(span.session.id, span.http.route, span.http.request.method)`;
}

/** Sampled traces: the server routes an entry route of the system leads to, downstream in the same trace. */
export function routeFlow(system: TracedSystem): string {
    return `{ ${identityFilter(system)} && kind = server } >> { kind = server } | select(span.http.route, resource.service.name)`;
}
