/**
 * Alert behaviour under the real Prometheus rule engine: the alert expressions, rendered as a
 * Prometheus rules file, are run by `promtool test rules` against synthetic span-metrics and
 * collector series. Every rule must fire above its threshold and stay quiet below it; selectors
 * must ignore other systems' services, non-request span kinds and uncatalogued queues. The seed's
 * dashboard expressions are evaluated the same way and compared with independently computed values.
 */
import { strict as assert } from "assert";
import { collectorSelfMetricNames as otelcol, tempoExporterId } from "../../components/grafana/collector-metrics";
import { allAlerts, prometheusRules, type AlertDefinition } from "../../components/grafana/alerts";
import { apdexToleratingFactor, apdex, errorsPer1000, requestRate, successPercent } from "../../components/grafana/slo-queries";
import { parseSettings } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";
import { outcomeSeries, requestLabels, systemScenarios, scenario } from "./alert-scenarios";
import { componentScenarios } from "./platform-scenarios";
import { promtoolBinary, testRuleUnits, testRules, type PromtoolTestCase } from "./promtool";
import { substituteGrafanaMacros } from "./query-languages";
import { boundsMs, counter, evalTime, gauge, spanCounter, spanHistogram, type InputSeries } from "./synthetic-series";

const settings = parseSettings(stackConfig("prod"), "prod");
const alerts = allAlerts(settings.systems);

/**
 * Runs each rule's scenarios against that rule alone (promtool evaluates every rule of a file at
 * every step of every scenario, and an alert_rule_test reads only its own alert), all in one run.
 */
async function testByRule(definitions: readonly AlertDefinition[], cases: readonly PromtoolTestCase[]): Promise<{ ok: boolean; output: string }> {
    const owner = (c: PromtoolTestCase) => definitions.filter((alert) => c.name.startsWith(`${alert.name}:`));
    const orphan = cases.find((c) => owner(c).length !== 1);
    if (orphan) throw new Error(`scenario "${orphan.name}" belongs to ${owner(orphan).length} rules, not one`);
    return testRuleUnits(definitions.map((alert) => ({ rules: prometheusRules([alert]), cases: cases.filter((c) => owner(c)[0] === alert) })));
}

const systemOf = (alert: AlertDefinition) =>
    settings.systems.find((s) => alert.thresholdSource.kind === "system" && s.id === alert.thresholdSource.systemId)!;

// ---- platform scenarios ------------------------------------------------------------------------

const receiver = { receiver: "otlp", transport: "grpc" };

function platformScenarios(alert: AlertDefinition): PromtoolTestCase[] {
    if (alert.thresholdSource.kind !== "platform") throw new Error("not a platform rule");
    const component = componentScenarios(alert);
    if (component) return component;
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
                quiet("span metrics arriving stay quiet", spanCounter(requestLabels(system), 100)),
            ];
        }
        default:
            throw new Error(`no scenarios for ${alert.name}`);
    }
}

function scenariosFor(alert: AlertDefinition): PromtoolTestCase[] {
    if (alert.thresholdSource.kind === "platform") return platformScenarios(alert);
    const system = systemOf(alert);
    return systemScenarios(alert, system, system === settings.systems[0]);
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
        const result = await testByRule(alerts, cases);
        assert.ok(result.ok, result.output);
    });

    it("a rule with its threshold loosened no longer fires in the firing scenarios (the test can fail)", async () => {
        const loosened = alerts.map((a) => ({ ...a, threshold: a.threshold * 1000 + 1e9 }));
        const firing = alerts.flatMap(scenariosFor).filter((c) => c.alert_rule_test![0].exp_alerts.length > 0);
        const result = await testByRule(loosened, firing);
        assert.ok(!result.ok, "loosened rules still fired");
        for (const alert of alerts) assert.ok(result.output.includes(alert.name), `${alert.name} did not fail when loosened`);
    });

    it("the dashboards' seed expressions compute the documented values", async () => {
        const httpApi = settings.systems.find((s) => s.kind === "http-api" && s.headSamplingPercent === 100)!;
        // The default catalogue records every trace; a system that head-samples a quarter of them.
        const sampled = { ...settings.systems.find((s) => s.kind === "worker")!, headSamplingPercent: 25 };
        const window = "$__rate_interval";
        // Apdex over a spread distribution: T and 4T fall inside buckets for the default catalogue's first API.
        const distribution = new Map<number, number>();
        boundsMs.forEach((bound, index) => distribution.set(bound, index < 10 ? 20 : 4));
        const total = [...distribution.values()].reduce((a, b) => a + b, 0);
        const t = httpApi.latencySloP95Ms;
        const expectedApdex = (interpolatedAtMost(distribution, t) + interpolatedAtMost(distribution, apdexToleratingFactor * t)) / 2 / total;
        const cases: PromtoolTestCase[] = [
            {
                name: "errors per 1000 and success share (4xx neither)",
                interval: "1m",
                input_series: outcomeSeries(requestLabels(httpApi), 6000, { error: 0.01, clientError: 0.02 }),
                promql_expr_test: [approximately(errorsPer1000(httpApi, window), 10), approximately(successPercent(httpApi, window), 97)],
            },
            {
                name: "request rate corrected for head sampling",
                interval: "1m",
                input_series: spanCounter(requestLabels(sampled), 600),
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
