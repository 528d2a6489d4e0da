/**
 * promtool scenarios for the SLO rules of catalogue systems: for every rule a series set that must
 * fire (the objective broken, with the breakdown labels of the one queue, database or provider
 * that breaks it) and one that must stay quiet (within the objective, plus noise the selectors
 * must ignore: other services, span kinds that are not requests, outcomes the rule does not count).
 */
import type { AlertDefinition } from "../../components/grafana/alerts";
import { requestSpanKinds } from "../../components/grafana/slo-queries";
import { isDatastore, type TracedSystem } from "../../components/platform/settings";
import { outcomeValues, spanMetricLabels, spanMetricValues } from "../../components/platform/span-metrics";
import type { PromtoolTestCase } from "./promtool";
import { boundAtOrBelow, bucketEntirelyAbove, evalTime, spanCounter, spanHistogram, waitBoundsMs, waitHistogram, type InputSeries } from "./synthetic-series";

/** Spans that never count as requests of a service system. */
export const notARequestKind = spanMetricValues.clientKind;
export const unrelatedService = "unrelated-service";
/** The database, cache or provider a breakdown scenario breaks. */
export const sampleDatabase = { [spanMetricLabels.dbNamespace]: "orders", [spanMetricLabels.serverAddress]: "orders-db.internal" };
export const sampleProvider = "api.payments.example.com";
/** A service calling the datastores in scenarios (any service can). */
export const sampleCaller = "order-service";

/** Labels of one request of the system: its service and entry kind, or a caller's CLIENT call to the datastore. */
export function requestLabels(system: TracedSystem, extra: Record<string, string> = {}): Record<string, string> {
    const identity = isDatastore(system)
        ? { [spanMetricLabels.service]: sampleCaller, [spanMetricLabels.dbSystem]: system.dbSystems[0], ...sampleDatabase }
        : { [spanMetricLabels.service]: system.serviceNames[0] };
    return { ...identity, [spanMetricLabels.spanKind]: requestSpanKinds[system.kind][0], ...extra };
}

/** Labels of a call an integration makes to a provider. */
export function providerLabels(system: TracedSystem, provider = sampleProvider, extra: Record<string, string> = {}): Record<string, string> {
    return { [spanMetricLabels.service]: system.serviceNames[0], [spanMetricLabels.spanKind]: spanMetricValues.clientKind, [spanMetricLabels.serverAddress]: provider, ...extra };
}

/** Labels of one message a queue consumer processes. */
export function consumerLabels(system: TracedSystem, queue: string, kind: string = spanMetricValues.consumerKind): Record<string, string> {
    return { [spanMetricLabels.service]: system.serviceNames[0], [spanMetricLabels.spanKind]: kind, [spanMetricLabels.queue]: queue };
}

/** Labels that make a request no longer the system's: another service, or (service systems) a non-request kind. */
function foreignLabels(system: TracedSystem): Record<string, string>[] {
    if (isDatastore(system)) {
        return [
            requestLabels(system, { [spanMetricLabels.dbSystem]: "other_sql" }),
            requestLabels(system, { [spanMetricLabels.spanKind]: spanMetricValues.serverKind }),
        ];
    }
    return [requestLabels(system, { [spanMetricLabels.service]: unrelatedService }), requestLabels(system, { [spanMetricLabels.spanKind]: notARequestKind })];
}

/** Expect the alert at evalTime with exactly these extra labels (beyond the rule's own), or expect silence. */
export function expectation(alert: AlertDefinition, firing: readonly Record<string, string>[]): PromtoolTestCase["alert_rule_test"] {
    return [
        {
            eval_time: evalTime,
            alertname: alert.name,
            exp_alerts: firing.map((labels) => ({
                exp_labels: { ...alert.labels, severity: alert.severity, ...labels },
                exp_annotations: { summary: alert.summary },
            })),
        },
    ];
}

export function scenario(name: string, alert: AlertDefinition, series: InputSeries[], firing: readonly Record<string, string>[]): PromtoolTestCase {
    return { name: `${alert.name}: ${name}`, interval: "1m", input_series: series, alert_rule_test: expectation(alert, firing) };
}

/** The labels an alert carries beyond the rule's: the breakdown labels' values of the broken series. */
export function breakdownOf(alert: AlertDefinition, labels: Record<string, string>): Record<string, string> {
    return Object.fromEntries(alert.breakdown.map((label) => [label, labels[label]]));
}

/** `perMinute` calls, `shares` of them with these outcomes and the rest successful. */
export function outcomeSeries(labels: Record<string, string>, perMinute: number, shares: Partial<Record<keyof typeof outcomeValues, number>>): InputSeries[] {
    const counted = Object.values(shares).reduce((a, b) => a + (b ?? 0), 0);
    return [
        ...spanCounter({ ...labels, [spanMetricLabels.outcome]: outcomeValues.success }, perMinute * (1 - counted)),
        ...Object.entries(shares).flatMap(([key, share]) =>
            spanCounter({ ...labels, [spanMetricLabels.outcome]: outcomeValues[key as keyof typeof outcomeValues] }, perMinute * (share ?? 0)),
        ),
    ];
}

/** Histogram per minute: `slowShare` of observations in a bucket entirely above `slowAboveMs`, the rest at or below `fastAtMostMs`. */
export function latencySeries(labels: Record<string, string>, fastAtMostMs: number, slowAboveMs: number, slowShare: number, wait = false): InputSeries[] {
    const perMinute = 200;
    const bounds = wait ? waitBoundsMs : undefined;
    const distribution = new Map([
        [boundAtOrBelow(fastAtMostMs, bounds), perMinute * (1 - slowShare)],
        [bucketEntirelyAbove(slowAboveMs, bounds), perMinute * slowShare],
    ]);
    return wait ? waitHistogram(labels, distribution) : spanHistogram(labels, distribution);
}

/** Error-style rules (errors, denied, provider errors): a per-1000 count of one outcome above its objective. */
function per1000Scenarios(alert: AlertDefinition, base: Record<string, string>, foreign: Record<string, string>[], counted: "error" | "denied", objective: number): PromtoolTestCase[] {
    const fire = Math.max(2 * objective, 1) / 1000;
    // Outcomes that must not count: a 4xx is not an error, a 404 is not a denial.
    const other = counted === "error" ? { clientError: 0.2, denied: 0.1 } : { clientError: 0.3 };
    const noise = foreign.flatMap((labels) => outcomeSeries(labels, 6000, { [counted]: 1 }));
    return [
        scenario(`${counted} at ${fire * 1000} per 1000 fire`, alert, outcomeSeries(base, 6000, { [counted]: fire }), [breakdownOf(alert, base)]),
        scenario(`${counted} at ${objective / 2} per 1000, other outcomes and other spans stay quiet`, alert, [
            ...outcomeSeries(base, 6000, { [counted]: objective / 2 / 1000, ...other }),
            ...noise,
        ], []),
    ];
}

export function systemScenarios(alert: AlertDefinition, system: TracedSystem, isFirstSystem: boolean): PromtoolTestCase[] {
    if (alert.thresholdSource.kind !== "system") throw new Error("not a system rule");
    // Provider rules fire per server.address alone (datastore rules per system, namespace and server).
    const provider = alert.breakdown.length === 1 && alert.breakdown[0] === spanMetricLabels.serverAddress;
    const base = provider ? providerLabels(system) : requestLabels(system);
    const foreign = provider ? [providerLabels(system, sampleProvider, { [spanMetricLabels.service]: unrelatedService })] : foreignLabels(system);
    switch (alert.thresholdSource.objective) {
        case "errorsPer1000Slo": {
            const cases = per1000Scenarios(alert, base, foreign, "error", system.errorsPer1000Slo);
            if (isFirstSystem) {
                // Half the requests failing, but too few requests in the window to judge.
                cases.push(scenario("a trickle of requests is not judged", alert, outcomeSeries(base, 5, { error: 0.5 }), []));
            }
            return cases;
        }
        case "deniedPer1000Slo":
            return per1000Scenarios(alert, base, foreign, "denied", system.deniedPer1000Slo!);
        case "latencySloP95Ms": {
            const slo = system.latencySloP95Ms;
            const noise = foreign.flatMap((labels) => latencySeries(labels, slo, slo, 1));
            return [
                scenario(`12% beyond ${slo} ms fire`, alert, latencySeries(base, slo, slo, 0.12), [breakdownOf(alert, base)]),
                scenario(`all within ${slo} ms stay quiet`, alert, [...latencySeries(base, slo, slo, 0), ...noise], []),
            ];
        }
        case "cacheHitRatioSloPercent": {
            const slo = system.cacheHitRatioSloPercent!;
            const lookups = (hitPercent: number) => [
                ...spanCounter({ ...base, [spanMetricLabels.cacheHit]: "true" }, 60 * hitPercent),
                ...spanCounter({ ...base, [spanMetricLabels.cacheHit]: "false" }, 60 * (100 - hitPercent)),
            ];
            return [
                scenario(`hit ratio ${slo - 20}% fires`, alert, lookups(slo - 20), [breakdownOf(alert, base)]),
                // Calls that do not say whether they hit (writes, deletes) are not lookups.
                scenario(`hit ratio ${Math.min(99, slo + 10)}% stays quiet`, alert, [...lookups(Math.min(99, slo + 10)), ...spanCounter(base, 6000)], []),
            ];
        }
        case "queueProcessingSloMs":
        case "queueWaitSloMs": {
            const wait = alert.thresholdSource.objective === "queueWaitSloMs";
            const slo = wait ? system.queueWaitSloMs! : system.queueProcessingSloMs!;
            const [slowQueue, ...others] = system.queues;
            const labels = (queue: string) => (wait ? { [spanMetricLabels.service]: system.serviceNames[0], [spanMetricLabels.queue]: queue } : consumerLabels(system, queue));
            const fastOthers = others.flatMap((q) => latencySeries(labels(q), slo, slo, 0, wait));
            const noise = wait
                ? latencySeries(labels("uncatalogued.queue"), slo, slo, 1, wait)
                : [
                      // Slow, but publishing rather than processing, or on a queue the catalogue does not list.
                      ...latencySeries(consumerLabels(system, slowQueue, spanMetricValues.producerKind), slo, slo, 1),
                      ...latencySeries(consumerLabels(system, "uncatalogued.queue"), slo, slo, 1),
                  ];
            return [
                scenario(`${slowQueue} beyond ${slo} ms fires for that queue only`, alert, [...latencySeries(labels(slowQueue), slo, slo, 0.12, wait), ...fastOthers], [
                    { [spanMetricLabels.queue]: slowQueue },
                ]),
                scenario(`every queue within ${slo} ms stays quiet`, alert, [...latencySeries(labels(slowQueue), slo, slo, 0, wait), ...fastOthers, ...noise], []),
            ];
        }
    }
}
