import { strict as assert } from "assert";
import { defaultDashboard, type Dashboard, type Panel } from "@grafana/schema";
import * as yaml from "yaml";
import { collectorSelfMetricNames } from "../../components/grafana/collector-metrics";
import { dashboardProvider, grafanaDashboards, renderDashboards } from "../../components/grafana/dashboards";
import { dashboardSchemaVersion } from "../../components/grafana/panels";
import { seedPanelTitles, seedPanelsFor, traceQueries } from "../../components/grafana/system-dashboards";
import { dashboardUids, maxUidLength, stableUid } from "../../components/grafana/uids";
import { datasourceUids, grafanaDatasources } from "../../components/grafana/datasources";
import { grafanaPaths } from "../../components/grafana/ini";
import { requestSpanKinds } from "../../components/grafana/slo-queries";
import { spanMetricLabels, spanMetricNames, spanMetricValues } from "../../components/platform/span-metrics";
import { parseSettings, type TracedSystem } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";
import { matcherAccepts, parsePromQL, parseTraceQL, substituteGrafanaMacros, type ParsedPromQL } from "./query-languages";

const stacks = ["dev", "prod"] as const;
const settingsOf = (stack: string) => parseSettings(stackConfig(stack), stack);

/** Dashboards as Grafana reads them: the rendered JSON files, parsed back. */
function renderedDashboards(systems: readonly TracedSystem[]): Record<string, Dashboard> {
    return Object.fromEntries(Object.entries(renderDashboards(grafanaDashboards(systems))).map(([file, json]) => [file, JSON.parse(json) as Dashboard]));
}

const panelsOf = (dashboard: Dashboard) => (dashboard.panels ?? []).filter((p): p is Panel => p.type !== "row");
const targetsOf = (panel: Panel) => (panel.targets ?? []) as Record<string, any>[];
const promTargets = (panel: Panel) => targetsOf(panel).filter((t) => typeof t.expr === "string");
const traceTargets = (panel: Panel) => targetsOf(panel).filter((t) => t.queryType === "traceql");
const parsedExprs = (panel: Panel): ParsedPromQL[] => promTargets(panel).map((t) => parsePromQL(substituteGrafanaMacros(t.expr)));

const spanMetricSet = new Set<string>(Object.values(spanMetricNames));
const selfMetricSet = new Set<string>(Object.values(collectorSelfMetricNames));

/** Asserts every selector of every query selects exactly this system's services (checked under RE2). */
function assertSelectsOnly(system: TracedSystem, others: readonly TracedSystem[], parsed: ParsedPromQL[], where: string): void {
    for (const query of parsed) {
        const serviceMatchers = query.matchers.filter((m) => m.label === spanMetricLabels.service);
        assert.ok(serviceMatchers.length > 0 && serviceMatchers.length === query.metricNames.length, `${where}: a selector without a service filter`);
        for (const matcher of serviceMatchers) {
            for (const service of system.serviceNames) assert.ok(matcherAccepts(matcher, service), `${where}: misses ${service}`);
            for (const other of others.filter((o) => o.id !== system.id).flatMap((o) => o.serviceNames)) {
                assert.ok(!matcherAccepts(matcher, other), `${where}: also selects ${other}`);
            }
            // Dots in a service name are literal, not "any character".
            for (const service of system.serviceNames.filter((s) => s.includes("."))) assert.ok(!matcherAccepts(matcher, service.replaceAll(".", "X")));
        }
    }
}

describe("dashboards", () => {
    for (const stack of stacks) {
        describe(stack, () => {
            const settings = settingsOf(stack);
            const dashboards = renderedDashboards(settings.systems);
            const all = Object.values(dashboards);

            it("one overview, one platform and one dashboard per system; every file parses as JSON with a short unique uid", () => {
                assert.equal(all.length, settings.systems.length + 2);
                const uids = all.map((d) => d.uid!);
                assert.equal(new Set(uids).size, uids.length);
                for (const [file, dashboard] of Object.entries(dashboards)) {
                    assert.equal(file, `${dashboard.uid}.json`);
                    assert.ok(dashboard.uid!.length <= maxUidLength, dashboard.uid);
                    assert.match(file, /^[-._a-zA-Z0-9]+$/, "a valid ConfigMap key");
                    assert.equal(dashboard.schemaVersion, defaultDashboard.schemaVersion);
                    assert.equal(dashboard.editable, false);
                }
                assert.ok(dashboards[`${dashboardUids.overview}.json`]);
                assert.ok(dashboards[`${dashboardUids.platform}.json`]);
            });

            it("panels have unique ids and do not overlap on the 24-column grid", () => {
                for (const dashboard of all) {
                    const panels = dashboard.panels ?? [];
                    assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, dashboard.uid);
                    const cells = new Set<string>();
                    for (const panel of panels) {
                        const { x, y, w, h } = panel.gridPos!;
                        assert.ok(x >= 0 && x + w <= 24, `${dashboard.uid}: ${panel.title} leaves the grid`);
                        for (let dx = 0; dx < w; dx++) {
                            for (let dy = 0; dy < h; dy++) {
                                const cell = `${x + dx},${y + dy}`;
                                assert.ok(!cells.has(cell), `${dashboard.uid}: ${panel.title} overlaps at ${cell}`);
                                cells.add(cell);
                            }
                        }
                    }
                }
            });

            it("every query uses a provisioned data source; every PromQL parses and names only metrics the collectors emit", () => {
                const provisioned = new Set(grafanaDatasources({ prometheusEndpoint: "https://aps.example/ws", region: "eu-west-1" }).datasources.map((d) => d.uid));
                for (const dashboard of all) {
                    const allowed = dashboard.uid === dashboardUids.platform ? selfMetricSet : spanMetricSet;
                    for (const panel of panelsOf(dashboard)) {
                        assert.ok(provisioned.has(panel.datasource!.uid!), `${dashboard.uid}: ${panel.title}`);
                        assert.ok(targetsOf(panel).length > 0, `${dashboard.uid}: ${panel.title} has no query`);
                        for (const target of targetsOf(panel)) assert.ok(provisioned.has(target.datasource.uid), `${dashboard.uid}: ${panel.title}`);
                        for (const parsed of parsedExprs(panel)) {
                            assert.ok(parsed.metricNames.length > 0);
                            for (const metric of parsed.metricNames) assert.ok(allowed.has(metric), `${dashboard.uid}: ${panel.title} queries ${metric}`);
                        }
                    }
                }
            });

            it("each system dashboard has a panel per seed metric, each selecting exactly that system's services", () => {
                for (const system of settings.systems) {
                    const dashboard = dashboards[`${dashboardUids.system(system)}.json`];
                    const panels = panelsOf(dashboard);
                    for (const key of seedPanelsFor(system)) {
                        const matching = panels.filter((p) => p.title === seedPanelTitles[key]);
                        assert.equal(matching.length, 1, `${system.id}: ${key}`);
                        const panel = matching[0];
                        if (traceTargets(panel).length > 0) continue;
                        assertSelectsOnly(system, settings.systems, parsedExprs(panel), `${system.id}: ${key}`);
                    }
                    const response = parsedExprs(panels.find((p) => p.title === seedPanelTitles.responseTime)!);
                    assert.deepEqual(response.map((q) => q.functions.includes("histogram_quantile")), [true, true, true]);
                    assert.ok(response.every((q) => q.metricNames.every((m) => m === spanMetricNames.durationBucket)));
                    const errors = parsedExprs(panels.find((p) => p.title === seedPanelTitles.errorsPer1000)!)[0];
                    assert.ok(errors.matchers.some((m) => m.label === spanMetricLabels.statusCode && m.value === spanMetricValues.errorStatus));
                    const kinds = errors.matchers.filter((m) => m.label === spanMetricLabels.spanKind);
                    for (const kind of Object.values(spanMetricValues).filter((v) => v.startsWith("SPAN_KIND_"))) {
                        assert.equal(kinds.every((m) => matcherAccepts(m, kind)), requestSpanKinds[system.kind].includes(kind), `${system.id}: ${kind}`);
                    }
                }
            });

            it("queue systems show processing time per queue from CONSUMER spans on the catalogued queues", () => {
                const queueSystems = settings.systems.filter((s) => s.kind === "queue");
                assert.ok(queueSystems.length > 0);
                for (const system of queueSystems) {
                    const panel = panelsOf(dashboards[`${dashboardUids.system(system)}.json`]).find((p) => p.title === seedPanelTitles.queueProcessingTime)!;
                    const [query] = parsedExprs(panel);
                    assert.ok(query.groupingLabels.includes(spanMetricLabels.queue));
                    for (const matcher of query.matchers.filter((m) => m.label === spanMetricLabels.spanKind)) {
                        assert.ok(matcherAccepts(matcher, spanMetricValues.consumerKind));
                        assert.ok(!matcherAccepts(matcher, spanMetricValues.producerKind));
                    }
                    const queueMatchers = query.matchers.filter((m) => m.label === spanMetricLabels.queue);
                    assert.ok(queueMatchers.length > 0);
                    for (const matcher of queueMatchers) {
                        for (const queue of system.queues) assert.ok(matcherAccepts(matcher, queue), queue);
                        assert.ok(!matcherAccepts(matcher, "orders-created"), "queue names are matched literally");
                    }
                }
            });

            it("the overview shows p95, success, errors per 1000 and Apdex for every system, linking to its dashboard", () => {
                const overview = dashboards[`${dashboardUids.overview}.json`];
                const panels = panelsOf(overview);
                assert.equal(panels.length, settings.systems.length * 4);
                for (const system of settings.systems) {
                    const own = panels.filter((p) => p.title!.startsWith(`${system.displayName}:`));
                    assert.equal(own.length, 4, system.id);
                    for (const panel of own) {
                        assertSelectsOnly(system, settings.systems, parsedExprs(panel), `overview ${panel.title}`);
                        assert.ok((panel.links ?? []).some((l) => l.url === `/d/${dashboardUids.system(system)}`));
                    }
                }
            });

            it("every TraceQL drill-down parses and searches only the system's services (and queues)", () => {
                for (const system of settings.systems) {
                    const panels = panelsOf(dashboards[`${dashboardUids.system(system)}.json`]).filter((p) => traceTargets(p).length > 0);
                    assert.equal(panels.length, system.kind === "queue" ? 3 : 2, system.id);
                    for (const panel of panels) {
                        assert.equal(panel.datasource!.uid, datasourceUids.tempo);
                        for (const target of traceTargets(panel)) {
                            const parsed = parseTraceQL(target.query);
                            const services = parsed.attributes.filter((a) => a === "resource.service.name");
                            assert.equal(services.length, system.serviceNames.length);
                            for (const attribute of parsed.attributes) {
                                assert.ok(["resource.service.name", "span.messaging.destination.name"].includes(attribute), attribute);
                            }
                            assert.deepEqual(
                                [...parsed.strings].sort(),
                                [...system.serviceNames, ...(parsed.attributes.includes("span.messaging.destination.name") ? system.queues : [])].sort(),
                            );
                        }
                    }
                    const queries = traceQueries(system);
                    assert.ok(parseTraceQL(queries.slow).intrinsics.includes("duration"));
                    assert.match(queries.slow, new RegExp(`duration > ${system.latencySloP95Ms}ms`));
                    assert.ok(parseTraceQL(queries.errors).intrinsics.includes("status"));
                }
            });

            it("the platform dashboard covers refused, dropped and failed spans, queues, tail sampling and Tempo ingestion", () => {
                const platform = dashboards[`${dashboardUids.platform}.json`];
                const used = new Set(panelsOf(platform).flatMap((p) => parsedExprs(p).flatMap((q) => q.metricNames)));
                for (const metric of [
                    collectorSelfMetricNames.receiverRefusedSpans,
                    collectorSelfMetricNames.exporterEnqueueFailedSpans,
                    collectorSelfMetricNames.exporterSendFailedSpans,
                    collectorSelfMetricNames.exporterQueueSize,
                    collectorSelfMetricNames.exporterQueueCapacity,
                    collectorSelfMetricNames.tailSamplingTracesDroppedTooEarly,
                    collectorSelfMetricNames.exporterSendFailedMetricPoints,
                ]) {
                    assert.ok(used.has(metric), metric);
                }
            });
        });
    }

    it("the dashboard provider loads the mounted directory read-only", () => {
        const provider = yaml.parse(dashboardProvider());
        assert.equal(provider.apiVersion, 1);
        const [entry] = provider.providers;
        assert.equal(entry.type, "file");
        assert.equal(entry.options.path, grafanaPaths.dashboards);
        assert.equal(entry.allowUiUpdates, false);
        assert.equal(entry.disableDeletion, true);
    });

    it("the schema version is @grafana/schema's", () => {
        assert.equal(dashboardSchemaVersion, defaultDashboard.schemaVersion);
    });

    it("long system ids still get unique uids within Grafana's 40 characters", () => {
        const a = stableUid("tracing-system", "a-very-long-system-identifier-for-payments-one");
        const b = stableUid("tracing-system", "a-very-long-system-identifier-for-payments-two");
        assert.ok(a.length <= maxUidLength && b.length <= maxUidLength);
        assert.notEqual(a, b);
        assert.equal(stableUid("tracing-system", "crm-api"), "tracing-system-crm-api");
    });
});
