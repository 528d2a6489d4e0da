/**
 * From a latency panel to the traces behind it without exemplars: every panel showing a duration
 * carries a data link into Explore on Tempo whose TraceQL parses, selects the same system (or the
 * clicked service, database, provider or queue) and uses the objective as duration threshold over
 * the dashboard's time range; no query asks the workspace for exemplars it does not store. And the
 * user-behaviour view reads only routes and the pseudonymous session, with its trade-off stated.
 */
import { strict as assert } from "assert";
import type { Dashboard, Panel } from "@grafana/schema";
import { grafanaDashboards, renderDashboards } from "../../components/grafana/dashboards";
import { behaviourPanelTitles, dataMinimisationNote } from "../../components/grafana/behaviour-dashboard";
import { userFacing } from "../../components/grafana/behaviour-queries";
import { datasourceUids } from "../../components/grafana/datasources";
import { latencyPanelKeys, seedPanelTitles, seedPanelsFor } from "../../components/grafana/system-dashboards";
import { dashboardUids } from "../../components/grafana/uids";
import { isDatastore, parseSettings, type TracedSystem } from "../../components/platform/settings";
import { spanMetricLabels, spanMetricNames } from "../../components/platform/span-metrics";
import { stackConfig } from "../harness/stack-config";
import { parsePromQL, parseTraceQL, substituteGrafanaMacros } from "./query-languages";

const settings = parseSettings(stackConfig("prod"), "prod");
const dashboards: Record<string, Dashboard> = Object.fromEntries(
    Object.entries(renderDashboards(grafanaDashboards(settings.systems))).map(([file, json]) => [file, JSON.parse(json) as Dashboard]),
);
const panelsOf = (d: Dashboard) => (d.panels ?? []).filter((p): p is Panel => p.type !== "row");
const linksOf = (panel: Panel) => ((panel.fieldConfig?.defaults as { links?: { title: string; url: string }[] })?.links ?? []);

/** A sample value per series label a link may name (what Grafana substitutes when the point is clicked). */
const clicked: Record<string, string> = {
    [spanMetricLabels.service]: "clicked-service",
    [spanMetricLabels.dbSystem]: "postgresql",
    [spanMetricLabels.dbNamespace]: "orders",
    [spanMetricLabels.serverAddress]: "api.payments.example.com",
    [spanMetricLabels.queue]: "orders.created",
};

/** The pane Explore opens, decoded the way a browser would after Grafana fills the variables. */
function explorePane(url: string): { datasource: string; queries: { query: string; datasource: { uid: string } }[]; range: { from: string; to: string } } {
    assert.match(url, /^\/explore\?schemaVersion=1&orgId=1&panes=/);
    const filled = url
        .replaceAll(/\$\{__field\.labels\.([a-z_]+)\}/g, (_m, label: string) => {
            assert.ok(label in clicked, `link names an unknown label ${label}`);
            return clicked[label];
        })
        .replaceAll("${__from}", "1700000000000")
        .replaceAll("${__to}", "1700003600000");
    const panes = JSON.parse(decodeURIComponent(new URL(filled, "https://grafana.example").searchParams.get("panes")!));
    return Object.values(panes)[0] as ReturnType<typeof explorePane>;
}

function objectiveOf(system: TracedSystem, key: string): number {
    if (key.startsWith("queueWait")) return system.queueWaitSloMs!;
    if (key.startsWith("queueProcessing")) return system.queueProcessingSloMs!;
    return system.latencySloP95Ms;
}

describe("latency panels link to their slow traces (no exemplars)", () => {
    for (const system of settings.systems) {
        it(`${system.id}: every duration panel opens TraceQL on Tempo for the same system with the objective as threshold`, () => {
            const panels = panelsOf(dashboards[`${dashboardUids.system(system)}.json`]);
            const keys = latencyPanelKeys.filter((k) => seedPanelsFor(system).includes(k));
            assert.ok(keys.length >= 4, `${system.id} shows response time, mean and per service`);
            for (const key of keys) {
                const panel = panels.find((p) => p.title === seedPanelTitles[key])!;
                const links = linksOf(panel);
                assert.equal(links.length, 1, `${system.id}: ${key} has a data link`);
                const pane = explorePane(links[0].url);
                assert.equal(pane.datasource, datasourceUids.tempo);
                assert.deepEqual(pane.range, { from: "1700000000000", to: "1700003600000" }, "the dashboard's time range");
                const query = pane.queries[0].query;
                const parsed = parseTraceQL(query);
                const own = isDatastore(system) ? system.dbSystems : system.serviceNames;
                const names = parsed.strings.filter((s) => own.includes(s) || Object.values(clicked).includes(s));
                assert.ok(names.length > 0, `${system.id}: ${key} does not select the system: ${query}`);
                for (const s of parsed.strings) assert.ok([...own, ...system.queues, ...Object.values(clicked)].includes(s), `${key}: ${s}`);
                const threshold = objectiveOf(system, key);
                assert.ok(query.includes(`> ${threshold}ms`) || query.includes(`queue_time_ms > ${threshold}`), `${key}: threshold ${threshold} in ${query}`);
            }
        });
    }

    it("the overview's p95 panels link there too, and no query anywhere asks for exemplars", () => {
        const overview = panelsOf(dashboards[`${dashboardUids.overview}.json`]).filter((p) => p.title!.endsWith("p95 response time"));
        assert.equal(overview.length, settings.systems.length);
        for (const panel of overview) assert.equal(linksOf(panel).length, 1, panel.title);
        for (const dashboard of Object.values(dashboards)) {
            for (const panel of panelsOf(dashboard)) {
                for (const target of (panel.targets ?? []) as { exemplar?: boolean }[]) assert.notEqual(target.exemplar, true, `${dashboard.uid}: ${panel.title}`);
            }
        }
    });
});

describe("user-behaviour view", () => {
    const behaviour = dashboards[`${dashboardUids.behaviour}.json`];
    const panels = panelsOf(behaviour);

    it("covers every system users talk to with requests, errors and client errors per route, journeys and route flow", () => {
        const systems = userFacing(settings.systems);
        assert.ok(systems.length >= 3);
        for (const system of systems) {
            for (const title of Object.values(behaviourPanelTitles)) {
                assert.equal(panels.filter((p) => p.title === `${system.displayName}: ${title}`).length, 1, `${system.id}: ${title}`);
            }
        }
    });

    it("metrics group by route (span name) only, traces read only the route and the pseudonymous session", () => {
        for (const panel of panels) {
            for (const target of (panel.targets ?? []) as { expr?: string; query?: string }[]) {
                if (target.expr) {
                    const parsed = parsePromQL(substituteGrafanaMacros(target.expr));
                    assert.ok(parsed.metricNames.every((m) => m === spanMetricNames.calls), panel.title);
                    assert.ok(parsed.groupingLabels.every((l) => [spanMetricLabels.service, spanMetricLabels.spanName].includes(l as never)), panel.title);
                } else {
                    const parsed = parseTraceQL(target.query!);
                    const allowed = ["resource.service.name", "span.session.id", "span.http.route", "span.http.request.method"];
                    for (const attribute of parsed.attributes) assert.ok(allowed.includes(attribute), `${panel.title}: ${attribute}`);
                }
            }
        }
    });

    it("states the data-minimisation trade-off next to the data", () => {
        assert.ok(behaviour.description!.includes(dataMinimisationNote));
        for (const panel of panels) assert.ok(panel.description!.includes(dataMinimisationNote), panel.title);
    });
});
