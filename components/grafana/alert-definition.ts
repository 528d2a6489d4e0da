/**
 * The shape every alert rule is defined in, once, before it is rendered for Grafana and for the
 * Prometheus rule engine: expression, threshold and where the threshold comes from.
 */
import { sumIncrease, type LabelMatcher } from "./promql";
import type { platformAlertThresholds } from "./platform-queries";

/** Window the SLO rules rate over: twenty flushes of the span metrics. */
export const alertWindow = "5m";

/**
 * Sampled requests a system (or queue, database, provider) must have served in the window before
 * its SLO rules judge it: below about ten a minute one slow or failed request swings any ratio
 * past its objective.
 */
export const minimumSampledRequests = 50;

/** Catalogue objectives a rule's threshold can come from. */
export type SystemObjective =
    | "errorsPer1000Slo"
    | "latencySloP95Ms"
    | "queueProcessingSloMs"
    | "queueWaitSloMs"
    | "deniedPer1000Slo"
    | "cacheHitRatioSloPercent";

/** Where a rule's threshold comes from: a catalogue objective of a system, or a platform constant. */
export type ThresholdSource =
    | { readonly kind: "system"; readonly systemId: string; readonly objective: SystemObjective }
    | { readonly kind: "platform"; readonly threshold: keyof typeof platformAlertThresholds };

export interface AlertDefinition {
    /** Stable uid (Grafana rule uid). */
    readonly uid: string;
    /** Alert name (Prometheus `alert`, Grafana title). */
    readonly name: string;
    /** Rule group: one per system, one for the platform. */
    readonly group: string;
    /** The value the threshold applies to. */
    readonly expr: string;
    /** Fires while expr > threshold (for `for`). */
    readonly threshold: number;
    readonly thresholdSource: ThresholdSource;
    /** Labels an SLO rule fires per (a queue, a database, a provider); empty for a system-wide SLO rule and for platform rules. */
    readonly breakdown: readonly string[];
    readonly for: string;
    readonly severity: "critical" | "warning";
    readonly labels: Readonly<Record<string, string>>;
    readonly summary: string;
    readonly description: string;
    /** Dashboard the alert links to. */
    readonly dashboardUid: string;
}

/** `value and on(...) (sampled requests in the window >= minimum)` */
export function withEnoughTraffic(value: string, countMetric: string, matchers: readonly LabelMatcher[], by: readonly string[] = []): string {
    const traffic = sumIncrease(countMetric, matchers, alertWindow, by);
    return `(${value}) and on(${by.join(", ")}) (${traffic} >= ${minimumSampledRequests})`;
}
