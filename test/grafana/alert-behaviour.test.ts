/**
 * Alert behaviour under the real Prometheus rule engine: the alert expressions, rendered as a
 * Prometheus rules file, are run by `promtool test rules` against synthetic span-metrics and
 * collector series. Every rule must fire above its threshold and stay quiet below it; selectors
 * must ignore other systems' services, non-request span kinds and uncatalogued queues. The seed's
 * dashboard expressions are evaluated the same way and compared with independently computed values.
 */
import { strict as assert } from "assert";
import { collectorSelfMetricNames as otelcol, tempoExporterId } from "../../components/grafana/collector-metrics";
import { allAlerts, minimumSampledRequests, prometheusRules, type AlertDefinition } from "../../components/grafana/alerts";
import { apdexToleratingFactor, apdex, errorsPer1000, requestRate, requestSpanKinds, successPercent } from "../../components/grafana/slo-queries";
import { spanMetricLabels, spanMetricValues } from "../../components/platform/span-metrics";
import { parseSettings, type TracedSystem } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";
import { promtoolBinary, testRules, type PromtoolTestCase } from "./promtool";
import { substituteGrafanaMacros } from "./query-languages";
import {
    boundAtOrBelow,
    boundsMs,
    bucketEntirelyAbove,
    counter,
    evalTime,
    gauge,
    spanCounter,
    spanHistogram,
    type InputSeries,
} from "./synthetic-series";

const settings = parseSettings(stackConfig("prod"), "prod");
const alerts = allAlerts(settings.systems);

/**
 * Runs each rule group's scenarios against that group's rules only (promtool evaluates every rule
 * of the file in every scenario), the groups in parallel.
 */
async function testByGroup(definitions: readonly AlertDefinition[], cases: readonly PromtoolTestCase[]): Promise<{ ok: boolean; output: string }> {
    const groups = [...new Set(definitions.map((a) => a.group))];
    const results = await Promise.all(
        groups.map((group) => {
            const members = definitions.filter((a) => a.group === group);
            const mine = cases.filter((c) => members.some((a) => c.name.startsWith(`${a.name}:`)));
            return testRules(prometheusRules(members), mine);
        }),
    );
    return { ok: results.every((r) => r.ok), output: results.map((r) => r.output).join("\n") };
}

const ok = "STATUS_CODE_UNSET";
/** Spans that never count as requests of any system kind. */
const notARequestKind = spanMetricValues.clientKind;
const unrelatedService = "unrelated-service";

function requestLabels(system: TracedSystem, extra: Record<string, string> = {}): Record<string, string> {
    return { [spanMetricLabels.service]: system.serviceNames[0], [spanMetricLabels.spanKind]: requestSpanKinds[system.kind][0], ...extra };
}

/** Expect the alert at evalTime with exactly these extra labels (beyond the rule's own), or expect silence. */
function expectation(alert: AlertDefinition, firing: readonly Record<string, string>[]): PromtoolTestCase["alert_rule_test"] {
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

function scenario(name: string, alert: AlertDefinition, series: InputSeries[], firing: readonly Record<string, string>[]): PromtoolTestCase {
    return { name: `${alert.name}: ${name}`, interval: "1m", input_series: series, alert_rule_test: expectation(alert, firing) };
}

const systemOf = (alert: AlertDefinition) =>
    settings.systems.find((s) => alert.thresholdSource.kind === "system" && s.id === alert.thresholdSource.systemId)!;

// ---- per-system scenarios ----------------------------------------------------------------------

/** Requests per minute with `errorShare` failing, plus noise that must not count. */
function errorSeries(system: TracedSystem, perMinute: number, errorShare: number): InputSeries[] {
    const errors = perMinute * errorShare;
    return [
        ...spanCounter(requestLabels(system, { [spanMetricLabels.statusCode]: ok }), perMinute - errors),
        ...spanCounter(requestLabels(system, { [spanMetricLabels.statusCode]: spanMetricValues.errorStatus }), errors),
        // Everything failing elsewhere: another service, and the system's own outgoing (client) calls.
        ...spanCounter({ ...requestLabels(system), [spanMetricLabels.service]: unrelatedService, [spanMetricLabels.statusCode]: spanMetricValues.errorStatus }, perMinute),
        ...spanCounter({ ...requestLabels(system), [spanMetricLabels.spanKind]: notARequestKind, [spanMetricLabels.statusCode]: spanMetricValues.errorStatus }, perMinute),
    ];
}

function errorScenarios(alert: AlertDefinition): PromtoolTestCase[] {
    const system = systemOf(alert);
    const slo = system.errorsPer1000Slo;
    const cases = [
        scenario(`errors at ${Math.max(2 * slo, 1)} per 1000 fire`, alert, errorSeries(system, 6000, Math.max(2 * slo, 1) / 1000), [{}]),
        scenario(`errors at ${slo / 2} per 1000 stay quiet`, alert, errorSeries(system, 6000, slo / 2 / 1000), []),
    ];
    if (system === settings.systems[0]) {
        // Half the requests failing, but too few requests in the window to judge.
        const perMinute = (minimumSampledRequests / 5) * 0.5;
        cases.push(scenario("a trickle of requests is not judged", alert, errorSeries(system, perMinute, 0.5), []));
    }
    return cases;
}

/** Histogram per minute: `slowShare` of requests in a bucket entirely above `slowAboveMs`, the rest at or below `fastAtMostMs`. */
function latencySeries(labels: Record<string, string>, fastAtMostMs: number, slowAboveMs: number, slowShare: number): InputSeries[] {
    const perMinute = 200;
    return spanHistogram(
        labels,
        new Map([
            [boundAtOrBelow(fastAtMostMs), perMinute * (1 - slowShare)],
            [bucketEntirelyAbove(slowAboveMs), perMinute * slowShare],
        ]),
    );
}

function latencyScenarios(alert: AlertDefinition): PromtoolTestCase[] {
    const system = systemOf(alert);
    const slo = system.latencySloP95Ms;
    const noise = [
        ...latencySeries({ ...requestLabels(system), [spanMetricLabels.service]: unrelatedService }, slo, slo, 1),
        ...latencySeries({ ...requestLabels(system), [spanMetricLabels.spanKind]: notARequestKind }, slo, slo, 1),
    ];
    return [
        scenario(`12% of requests beyond ${slo} ms fire`, alert, latencySeries(requestLabels(system), slo, slo, 0.12), [{}]),
        scenario(`all requests within ${slo} ms stay quiet`, alert, [...latencySeries(requestLabels(system), slo, slo, 0), ...noise], []),
    ];
}

function queueScenarios(alert: AlertDefinition): PromtoolTestCase[] {
    const system = systemOf(alert);
    const slo = system.queueProcessingSloMs!;
    const [slowQueue, ...others] = system.queues;
    const consumer = (queue: string, kind: string = spanMetricValues.consumerKind) => ({
        [spanMetricLabels.service]: system.serviceNames[0],
        [spanMetricLabels.spanKind]: kind,
        [spanMetricLabels.queue]: queue,
    });
    const fastOthers = others.flatMap((q) => latencySeries(consumer(q), slo, slo, 0));
    return [
        scenario(`${slowQueue} processing beyond ${slo} ms fires for that queue only`, alert, [...latencySeries(consumer(slowQueue), slo, slo, 0.12), ...fastOthers], [
            { [spanMetricLabels.queue]: slowQueue },
        ]),
        scenario(`every queue within ${slo} ms stays quiet`, alert, [
            ...latencySeries(consumer(slowQueue), slo, slo, 0),
            ...fastOthers,
            // Slow, but publishing rather than processing, or on a queue the catalogue does not list.
            ...latencySeries(consumer(slowQueue, spanMetricValues.producerKind), slo, slo, 1),
            ...latencySeries(consumer("uncatalogued.queue"), slo, slo, 1),
        ], []),
    ];
}

// ---- platform scenarios ------------------------------------------------------------------------

const receiver = { receiver: "otlp", transport: "grpc" };

function platformScenarios(alert: AlertDefinition): PromtoolTestCase[] {
    if (alert.thresholdSource.kind !== "platform") throw new Error("not a platform rule");
    const otherExporter = "load_balancing";
    const remoteWrite = "prometheus_remote_write/span_metrics";
    const fire = (name: string, series: InputSeries[], labels: Record<string, string> = {}) => scenario(name, alert, series, [labels]);
    const quiet = (name: string, series: InputSeries[]) => scenario(name, alert, series, []);
    switch (alert.thresholdSource.threshold) {
        case "refusedShare":
            return [
                fire("1% refused fires", [counter(otelcol.receiverAcceptedSpans, receiver, 60000), counter(otelcol.receiverRefusedSpans, receiver, 600)]),
                quiet("0.01% refused stays quiet", [counter(otelcol.receiverAcceptedSpans, receiver, 60000), counter(otelcol.receiverRefusedSpans, receiver, 6)]),
            ];
        case "droppedPerSecond":
            return [
                fire("spans dropped at a full queue fire", [counter(otelcol.exporterEnqueueFailedSpans, { exporter: tempoExporterId }, 10)], { exporter: tempoExporterId }),
                quiet("no drops stay quiet", [counter(otelcol.exporterEnqueueFailedSpans, { exporter: tempoExporterId }, 0)]),
            ];
        case "queueFill": {
            const labels = { exporter: tempoExporterId, data_type: "traces" };
            return [
                fire("a queue 90% full fires", [gauge(otelcol.exporterQueueSize, labels, 900), gauge(otelcol.exporterQueueCapacity, labels, 1000)], { exporter: tempoExporterId }),
                quiet("a queue 50% full stays quiet", [gauge(otelcol.exporterQueueSize, labels, 500), gauge(otelcol.exporterQueueCapacity, labels, 1000)]),
            ];
        }
        case "exporterFailureShare": {
            const spans = alert.expr.includes(otelcol.exporterSendFailedSpans);
            const [sent, failed, exporter] = spans
                ? [otelcol.exporterSentSpans, otelcol.exporterSendFailedSpans, otherExporter]
                : [otelcol.exporterSentMetricPoints, otelcol.exporterSendFailedMetricPoints, remoteWrite];
            return [
                fire("5% lost after retries fires", [counter(sent, { exporter }, 10000), counter(failed, { exporter }, 500)], { exporter }),
                quiet("0.1% lost stays quiet, and Tempo's exporter is left to its own rule", [
                    counter(sent, { exporter }, 10000),
                    counter(failed, { exporter }, 10),
                    counter(sent, { exporter: tempoExporterId }, 100),
                    counter(failed, { exporter: tempoExporterId }, 10000),
                ]),
            ];
        }
        case "droppedTooEarlyPerSecond":
            return [
                fire("traces evicted before their decision fire", [counter(otelcol.tailSamplingTracesDroppedTooEarly, {}, 5)]),
                quiet("no early evictions stay quiet", [counter(otelcol.tailSamplingTracesDroppedTooEarly, {}, 0)]),
            ];
        case "tempoFailedPerSecond":
            return [
                fire("spans Tempo never received fire", [counter(otelcol.exporterSendFailedSpans, { exporter: tempoExporterId }, 20)]),
                quiet("another exporter failing is not a Tempo ingestion error", [
                    counter(otelcol.exporterSendFailedSpans, { exporter: tempoExporterId }, 0),
                    counter(otelcol.exporterSendFailedSpans, { exporter: otherExporter }, 20),
                ]),
            ];
        case "spanMetricsMissing": {
            const system = settings.systems[0];
            return [
                fire("no span metrics at all fire", [counter(otelcol.receiverAcceptedSpans, receiver, 100)]),
                quiet("span metrics arriving stay quiet", spanCounter(requestLabels(system, { [spanMetricLabels.statusCode]: ok }), 100)),
            ];
        }
    }
}

function scenariosFor(alert: AlertDefinition): PromtoolTestCase[] {
    const source = alert.thresholdSource;
    if (source.kind === "platform") return platformScenarios(alert);
    switch (source.objective) {
        case "errorsPer1000Slo":
            return errorScenarios(alert);
        case "latencySloP95Ms":
            return latencyScenarios(alert);
        case "queueProcessingSloMs":
            return queueScenarios(alert);
    }
}

// ---- dashboard expressions ---------------------------------------------------------------------

/** `abs(expr - expected) < 1e-9` as 1/0, so float formatting never decides the outcome. */
function approximately(expr: string, expected: number, evalAt = evalTime): NonNullable<PromtoolTestCase["promql_expr_test"]>[number] {
    return { expr: `abs((${substituteGrafanaMacros(expr)}) - ${expected}) < bool 1e-9`, eval_time: evalAt, exp_samples: [{ labels: "{}", value: 1 }] };
}

/** Requests at most `ms` per minute from a (non-cumulative) bucket distribution, interpolating linearly inside a bucket. */
function interpolatedAtMost(distribution: ReadonlyMap<number, number>, ms: number): number {
    let cumulative = 0;
    let lower = 0;
    for (const bound of boundsMs) {
        const inBucket = distribution.get(bound) ?? 0;
        if (ms <= bound) return cumulative + (inBucket * (ms - lower)) / (bound - lower);
        cumulative += inBucket;
        lower = bound;
    }
    return cumulative;
}

describe("alert behaviour under the Prometheus rule engine (promtool test rules)", function () {
    this.timeout(120000);

    it("promtool (Debian package prometheus) is installed: its absence fails, never skips", () => {
        assert.ok(promtoolBinary());
    });

    it("every rule has scenarios; each fires above its threshold and stays quiet below it", async () => {
        const cases = alerts.flatMap(scenariosFor);
        for (const alert of alerts) {
            const mine = cases.filter((c) => c.name.startsWith(`${alert.name}:`));
            assert.ok(mine.some((c) => c.alert_rule_test![0].exp_alerts.length > 0), `${alert.name}: no firing scenario`);
            assert.ok(mine.some((c) => c.alert_rule_test![0].exp_alerts.length === 0), `${alert.name}: no quiet scenario`);
        }
        const result = await testByGroup(alerts, cases);
        assert.ok(result.ok, result.output);
    });

    it("a rule with its threshold loosened no longer fires in the firing scenarios (the test can fail)", async () => {
        const loosened = alerts.map((a) => ({ ...a, threshold: a.threshold * 1000 + 1e9 }));
        const firing = alerts.flatMap(scenariosFor).filter((c) => c.alert_rule_test![0].exp_alerts.length > 0);
        const result = await testByGroup(loosened, firing);
        assert.ok(!result.ok, "loosened rules still fired");
        for (const alert of alerts) assert.ok(result.output.includes(alert.name), `${alert.name} did not fail when loosened`);
    });

    it("the dashboards' seed expressions compute the documented values", async () => {
        const httpApi = settings.systems.find((s) => s.kind === "http-api" && s.headSamplingPercent === 100)!;
        const sampled = settings.systems.find((s) => s.headSamplingPercent > 0 && s.headSamplingPercent < 100)!;
        const window = "$__rate_interval";
        // Apdex over a spread distribution: T and 4T fall inside buckets for the default catalogue's first API.
        const distribution = new Map<number, number>();
        boundsMs.forEach((bound, index) => distribution.set(bound, index < 10 ? 20 : 4));
        const total = [...distribution.values()].reduce((a, b) => a + b, 0);
        const t = httpApi.latencySloP95Ms;
        const expectedApdex = (interpolatedAtMost(distribution, t) + interpolatedAtMost(distribution, apdexToleratingFactor * t)) / 2 / total;
        const cases: PromtoolTestCase[] = [
            {
                name: "errors per 1000 and success share",
                interval: "1m",
                input_series: errorSeries(httpApi, 6000, 0.01),
                promql_expr_test: [approximately(errorsPer1000(httpApi, window), 10), approximately(successPercent(httpApi, window), 99)],
            },
            {
                name: "request rate corrected for head sampling",
                interval: "1m",
                input_series: spanCounter(requestLabels(sampled, { [spanMetricLabels.statusCode]: ok }), 600),
                promql_expr_test: [approximately(requestRate(sampled, window), (600 / 60) * (100 / sampled.headSamplingPercent))],
            },
            {
                name: "Apdex from the duration buckets",
                interval: "1m",
                input_series: spanHistogram(requestLabels(httpApi), distribution),
                promql_expr_test: [approximately(apdex(httpApi, window), expectedApdex)],
            },
        ];
        assert.ok(expectedApdex > 0 && expectedApdex < 1);
        const result = await testRules("groups: []\n", cases);
        assert.ok(result.ok, result.output);
    });
});
