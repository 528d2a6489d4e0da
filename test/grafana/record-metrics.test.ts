/**
 * Every metric the decision record names, as the dashboards compute it, evaluated by Prometheus'
 * own engine (`promtool test rules`) over synthetic series shaped like the gateways' remote write,
 * and compared with the value computed here independently: response time (mean, percentiles, per
 * service), success and errors per 1000 as the record defines them (4xx apart, denied access),
 * per database and cache (latency, calls, errors, hit ratio), per provider, queue processing and
 * wait per queue, and the user-behaviour routes.
 */
import { strict as assert } from "assert";
import {
    byDatabase,
    byProvider,
    byService,
    cacheHitPercent,
    callRate,
    durationQuantile,
    errorsPer1000Of,
    meanDuration,
    providerMatchers,
} from "../../components/grafana/breakdown-queries";
import { errorsPer1000PerRoute, requestsPerRoute } from "../../components/grafana/behaviour-queries";
import { queueProcessingMean, queueProcessingQuantile, queueWaitMean, queueWaitQuantile } from "../../components/grafana/queue-queries";
import { clientErrorsPer1000, deniedPer1000, errorsPer1000, meanLatency, requestMatchers, successPercent } from "../../components/grafana/slo-queries";
import { parseSettings, type TracedSystem } from "../../components/platform/settings";
import { spanMetricLabels, spanMetricValues } from "../../components/platform/span-metrics";
import { stackConfig } from "../harness/stack-config";
import { consumerLabels, outcomeSeries, providerLabels, requestLabels, sampleDatabase } from "./alert-scenarios";
import { testRules, type PromtoolTestCase } from "./promtool";
import { substituteGrafanaMacros } from "./query-languages";
import { boundsMs, evalTime, spanCounter, spanHistogram, waitBoundsMs, waitHistogram, type InputSeries } from "./synthetic-series";

const settings = parseSettings(stackConfig("prod"), "prod");
const system = (predicate: (s: TracedSystem) => boolean) => settings.systems.find(predicate)!;
const window = "$__rate_interval";

type Distribution = ReadonlyMap<number, number>;

/** histogram_quantile's estimate, computed here: linear interpolation inside the bucket holding the rank. */
function quantileOf(distribution: Distribution, q: number, bounds: readonly number[] = boundsMs): number {
    const total = [...distribution.values()].reduce((a, b) => a + b, 0);
    const rank = q * total;
    let below = 0;
    let lower = 0;
    for (const bound of bounds) {
        const inBucket = distribution.get(bound) ?? 0;
        if (below + inBucket >= rank && inBucket > 0) return lower + ((bound - lower) * (rank - below)) / inBucket;
        below += inBucket;
        lower = bound;
    }
    throw new Error("rank beyond the last finite bound");
}

/** Mean when every observation sits at its bucket's upper bound (what valueOf below records as _sum). */
function meanOf(distribution: Distribution): number {
    let sum = 0;
    let count = 0;
    for (const [bound, n] of distribution) {
        sum += bound * n;
        count += n;
    }
    return sum / count;
}
const atUpperBound = (bound: number) => bound;

function labelText(labels: Record<string, string>): string {
    const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}}`;
}

/**
 * `abs(expr - expected) < bool 1e-9` for the one series of `group` (its labels kept), so float
 * formatting never decides and other groups in the input are ignored.
 */
function expect(expr: string, expected: number, group: Record<string, string> = {}): NonNullable<PromtoolTestCase["promql_expr_test"]>[number] {
    const selector = Object.entries(group).reduce((vector, [label, value]) => `label_replace(${vector}, "${label}", "${value}", "", "")`, "vector(1)");
    const only = Object.keys(group).length === 0 ? expr : `(${expr}) * on(${Object.keys(group).join(", ")}) group_left() ${selector}`;
    return { expr: `abs((${substituteGrafanaMacros(only)}) - ${expected}) < bool 1e-9`, eval_time: evalTime, exp_samples: [{ labels: labelText(group), value: 1 }] };
}

function testCase(name: string, input: InputSeries[], tests: NonNullable<PromtoolTestCase["promql_expr_test"]>): PromtoolTestCase {
    return { name, interval: "1m", input_series: input, promql_expr_test: tests };
}

const fast: Distribution = new Map([
    [5, 60],
    [50, 30],
    [150, 10],
]);
const slow: Distribution = new Map([
    [300, 50],
    [500, 40],
    [1000, 10],
]);

describe("the decision record's metrics compute their documented values (promtool)", function () {
    this.timeout(120000);
    const api = system((s) => s.id === "online-store-api");
    const auth = system((s) => s.deniedPer1000Slo !== undefined);
    const databases = system((s) => s.kind === "database");
    const caches = system((s) => s.kind === "cache");
    const integration = system((s) => s.kind === "integration");
    const queue = system((s) => s.kind === "queue");

    it("response time: mean of the system, and mean and p95 per service", async () => {
        const [first, second] = api.serviceNames;
        const service = (name: string) => ({ [spanMetricLabels.service]: name });
        // The two services' buckets do not overlap, so the system's distribution is their union.
        const both: Distribution = new Map([...fast, ...slow]);
        const input = [
            ...spanHistogram(requestLabels(api, { [spanMetricLabels.service]: first }), fast, atUpperBound),
            ...spanHistogram(requestLabels(api, { [spanMetricLabels.service]: second }), slow, atUpperBound),
            // Client calls of the same services are not requests of the system.
            ...spanHistogram(requestLabels(api, { [spanMetricLabels.spanKind]: spanMetricValues.clientKind }), slow, atUpperBound),
        ];
        const matchers = requestMatchers(api);
        const result = await testRules("groups: []\n", [
            testCase("response time", input, [
                expect(meanLatency(api, window), meanOf(both)),
                expect(meanDuration(matchers, window, byService), meanOf(fast), service(first)),
                expect(meanDuration(matchers, window, byService), meanOf(slow), service(second)),
                expect(durationQuantile(matchers, 0.95, window, byService), quantileOf(fast, 0.95), service(first)),
                expect(durationQuantile(matchers, 0.95, window, byService), quantileOf(slow, 0.95), service(second)),
            ]),
        ]);
        assert.ok(result.ok, result.output);
    });

    it("success %, errors, client errors and denied access per 1000 as the record defines them", async () => {
        const input = [
            ...outcomeSeries(requestLabels(auth), 6000, { clientError: 0.05, denied: 0.03, error: 0.02 }),
            ...outcomeSeries(requestLabels(auth, { [spanMetricLabels.spanKind]: spanMetricValues.clientKind }), 6000, { error: 1 }),
        ];
        const result = await testRules("groups: []\n", [
            testCase("outcomes", input, [
                expect(successPercent(auth, window), 90),
                expect(errorsPer1000(auth, window), 20),
                expect(clientErrorsPer1000(auth, window), 80),
                expect(deniedPer1000(auth, window), 30),
            ]),
        ]);
        assert.ok(result.ok, result.output);
    });

    it("databases: mean and p95 response time, calls per second and errors per 1000 per database", async () => {
        const other = { [spanMetricLabels.dbNamespace]: "crm", [spanMetricLabels.serverAddress]: "crm-db.internal" };
        const orders = { [spanMetricLabels.dbSystem]: databases.dbSystems[0], ...sampleDatabase };
        const input = [
            ...spanHistogram(requestLabels(databases), fast, atUpperBound),
            ...spanHistogram(requestLabels(databases, other), slow, atUpperBound),
            ...outcomeSeries(requestLabels(databases), 1200, { error: 0.005 }),
            ...outcomeSeries(requestLabels(databases, other), 600, { error: 0.5 }),
        ];
        const matchers = requestMatchers(databases);
        const result = await testRules("groups: []\n", [
            testCase("per database", input, [
                expect(meanDuration(matchers, window, byDatabase), meanOf(fast), orders),
                expect(durationQuantile(matchers, 0.95, window, byDatabase), quantileOf(fast, 0.95), orders),
                expect(callRate(databases, matchers, window, byDatabase), (1200 / 60) * (100 / databases.headSamplingPercent), orders),
                expect(errorsPer1000Of(matchers, window, byDatabase), 5, orders),
            ]),
        ]);
        assert.ok(result.ok, result.output);
    });

    it("caches: hit ratio over the lookups that report one", async () => {
        const lookup = (hit: string) => requestLabels(caches, { [spanMetricLabels.cacheHit]: hit });
        const input = [...spanCounter(lookup("true"), 600), ...spanCounter(lookup("false"), 200), ...spanCounter(requestLabels(caches), 500)];
        const cache = { [spanMetricLabels.dbSystem]: caches.dbSystems[0], ...sampleDatabase };
        const result = await testRules("groups: []\n", [testCase("hit ratio", input, [expect(cacheHitPercent(caches, window, byDatabase), 75, cache)])]);
        assert.ok(result.ok, result.output);
    });

    it("external integrations: p95 and errors per 1000 per provider", async () => {
        const [payments, delivery] = ["api.payments.example.com", "api.delivery.example.com"];
        const input = [
            ...spanHistogram(providerLabels(integration, payments), slow),
            ...spanHistogram(providerLabels(integration, delivery), fast),
            ...outcomeSeries(providerLabels(integration, payments), 3000, { error: 0.01, clientError: 0.1 }),
            ...outcomeSeries(providerLabels(integration, delivery), 3000, { error: 0.2 }),
            // The adapters' own SERVER spans are requests, not provider calls.
            ...outcomeSeries(requestLabels(integration, { [spanMetricLabels.serverAddress]: payments }), 3000, { error: 1 }),
        ];
        const matchers = providerMatchers(integration);
        const provider = (host: string) => ({ [spanMetricLabels.serverAddress]: host });
        const result = await testRules("groups: []\n", [
            testCase("per provider", input, [
                expect(durationQuantile(matchers, 0.95, window, byProvider), quantileOf(slow, 0.95), provider(payments)),
                expect(errorsPer1000Of(matchers, window, byProvider), 10, provider(payments)),
                expect(errorsPer1000Of(matchers, window, byProvider), 200, provider(delivery)),
            ]),
        ]);
        assert.ok(result.ok, result.output);
    });

    it("queues: mean and p95 processing time and wait between publish and consume per queue", async () => {
        const [first] = queue.queues;
        const waits: Distribution = new Map([
            [100, 40],
            [1000, 40],
            [10000, 20],
        ]);
        const waitLabels = { [spanMetricLabels.service]: queue.serviceNames[0], [spanMetricLabels.queue]: first };
        const input = [
            ...spanHistogram(consumerLabels(queue, first), slow, atUpperBound),
            ...spanHistogram(consumerLabels(queue, first, spanMetricValues.producerKind), fast, atUpperBound),
            ...waitHistogram(waitLabels, waits, atUpperBound),
        ];
        const onQueue = { [spanMetricLabels.queue]: first };
        const result = await testRules("groups: []\n", [
            testCase("per queue", input, [
                expect(queueProcessingMean(queue, window), meanOf(slow), onQueue),
                expect(queueProcessingQuantile(queue, 0.95, window), quantileOf(slow, 0.95), onQueue),
                expect(queueWaitMean(queue, window), meanOf(waits), onQueue),
                expect(queueWaitQuantile(queue, 0.95, window), quantileOf(waits, 0.95, waitBoundsMs), onQueue),
            ]),
        ]);
        assert.ok(result.ok, result.output);
    });

    it("user behaviour: requests and errors per route", async () => {
        const route = (name: string) => requestLabels(api, { [spanMetricLabels.spanName]: name });
        const input = [...outcomeSeries(route("GET /api/products/{id}"), 1200, { error: 0.01 }), ...outcomeSeries(route("POST /api/cart"), 60, { error: 0.5 })];
        const cart = { [spanMetricLabels.service]: api.serviceNames[0], [spanMetricLabels.spanName]: "POST /api/cart" };
        const products = { [spanMetricLabels.service]: api.serviceNames[0], [spanMetricLabels.spanName]: "GET /api/products/{id}" };
        const result = await testRules("groups: []\n", [
            testCase("routes", input, [
                expect(requestsPerRoute(api, window), (1200 / 60) * (100 / api.headSamplingPercent), products),
                expect(errorsPer1000PerRoute(api, window), 500, cart),
                expect(errorsPer1000PerRoute(api, window), 10, products),
            ]),
        ]);
        assert.ok(result.ok, result.output);
    });

    it("the comparisons above can fail: a wrong expected value is caught", async () => {
        const input = outcomeSeries(requestLabels(auth), 6000, { error: 0.02 });
        const result = await testRules("groups: []\n", [testCase("wrong", input, [expect(errorsPer1000(auth, window), 21)])]);
        assert.ok(!result.ok);
    });
});
