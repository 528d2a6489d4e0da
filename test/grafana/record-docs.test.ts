/**
 * docs/grafana.md's table of the decision record's metrics says, for each metric, which panel shows
 * it, which query computes it, which alert watches it, which span attributes the applications set
 * and which test proves the value. This keeps the table true: every panel title, query function,
 * alert name, objective, attribute and test it names exists in the code.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { allAlerts } from "../../components/grafana/alerts";
import { behaviourPanelTitles } from "../../components/grafana/behaviour-dashboard";
import { sessionJourneys, routeFlow } from "../../components/grafana/behaviour-queries";
import { seedPanelTitles } from "../../components/grafana/panel-titles";
import { slowCacheCallColumns, slowQueryColumns } from "../../components/grafana/trace-links";
import { parseSettings } from "../../components/platform/settings";
import {
    cacheHitAttribute,
    httpStatusAttribute,
    queueTimeAttribute,
    spanMetricLabels,
    spanMetricsExtraDimensions,
} from "../../components/platform/span-metrics";
import { projectRoot, stackConfig } from "../harness/stack-config";

const settings = parseSettings(stackConfig("prod"), "prod");
const docs = fs.readFileSync(path.join(projectRoot, "docs", "grafana.md"), "utf8");

interface Row {
    readonly metric: string;
    readonly panel: string;
    readonly query: string;
    readonly alert: string;
    readonly attributes: string;
    readonly provenBy: string;
}

function recordTable(): Row[] {
    const match = /<!-- record-metrics:start -->\n([\s\S]*?)<!-- record-metrics:end -->/.exec(docs);
    assert.ok(match, "docs/grafana.md marks the record's metrics table with <!-- record-metrics:start/end -->");
    return match[1]
        .trim()
        .split("\n")
        .slice(2)
        .map((line) => {
            const [metric, panel, query, alert, attributes, provenBy] = line.split("|").slice(1, -1).map((cell) => cell.trim());
            return { metric, panel, query, alert, attributes, provenBy };
        });
}

const quoted = (cell: string) => [...cell.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** Span attributes the platform reads: the metric dimensions, the attributes the outcome, hit ratio and wait read, and those the trace tables select. */
function attributesTheCodeReads(): Set<string> {
    const behaviour = settings.systems
        .filter((s) => s.kind === "http-api")
        .flatMap((s) => [sessionJourneys(s), routeFlow(s)])
        .flatMap((q) => [...q.matchAll(/span\.([a-z_.]+)/g)].map((m) => m[1]));
    const selected = [...slowQueryColumns, ...slowCacheCallColumns].map((field) => field.replace(/^span\./, "")).concat(behaviour);
    return new Set(["service.name", ...spanMetricsExtraDimensions, httpStatusAttribute, cacheHitAttribute, queueTimeAttribute, ...selected]);
}

describe("docs/grafana.md: the decision record's metrics table matches the code", () => {
    const rows = recordTable();
    const panelTitles = new Set<string>([...Object.values(seedPanelTitles), ...Object.values(behaviourPanelTitles)]);
    const alertNames = allAlerts(settings.systems).map((a) => a.name);
    const objectives = new Set(settings.systems.flatMap((s) => Object.keys(s)));
    const labels = new Set<string>(Object.values(spanMetricLabels));

    it("lists the record's metrics: response time, success, errors, queue processing, satisfaction, and each system's own", () => {
        const metrics = rows.map((r) => r.metric.toLowerCase());
        for (const needed of ["response time per system", "response time per service", "successful", "errors per 1000", "access", "databases", "caches", "integrations", "queue message processing", "queue delays", "satisfaction", "user behaviour"]) {
            assert.ok(metrics.some((m) => m.includes(needed)), `no row for ${needed}`);
        }
    });

    it("every panel it names is a panel title the dashboards use", () => {
        for (const row of rows) {
            assert.ok(quoted(row.panel).length > 0, `${row.metric}: no panel`);
            for (const title of quoted(row.panel)) assert.ok(panelTitles.has(title), `${row.metric}: no panel titled "${title}"`);
        }
    });

    it("every query function it names is exported by the module named beside it", () => {
        for (const row of rows) {
            const modules = [...row.query.matchAll(/\(([a-z-]+)\.ts\)/g)].map((m) => m[1]);
            assert.ok(modules.length > 0, `${row.metric}: no module named`);
            const exported = new Set<string>();
            for (const name of modules) for (const key of Object.keys(require(`../../components/grafana/${name}`) as object)) exported.add(key);
            for (const identifier of code(row.query)) {
                assert.ok(exported.has(identifier) || labels.has(identifier), `${row.metric}: ${identifier} is neither exported by ${modules.join(", ")} nor a span-metric label`);
            }
        }
    });

    it("every alert it names is a provisioned rule, and every objective a catalogue field", () => {
        for (const row of rows) {
            for (const name of quoted(row.alert)) assert.ok(alertNames.some((a) => a.endsWith(`: ${name}`)), `${row.metric}: no alert named "${name}"`);
            for (const objective of code(row.alert)) assert.ok(objectives.has(objective), `${row.metric}: ${objective} is not a catalogue field`);
            if (quoted(row.alert).length === 0) assert.match(row.alert, /^none/, `${row.metric}: an alert cell without a rule says none and why`);
        }
    });

    it("every span attribute it names is one the platform reads, and onboarding tells teams to set it", () => {
        const known = attributesTheCodeReads();
        const onboarding = fs.readFileSync(path.join(projectRoot, "docs", "onboarding.md"), "utf8");
        for (const row of rows) {
            for (const attribute of code(row.attributes)) {
                assert.ok(known.has(attribute), `${row.metric}: the platform reads no span attribute ${attribute}`);
                assert.ok(onboarding.includes(`\`${attribute}\``), `${row.metric}: docs/onboarding.md does not mention \`${attribute}\``);
            }
        }
    });

    it("every test it cites exists", () => {
        for (const row of rows) {
            const [file, title] = row.provenBy.split(": ");
            const text = fs.readFileSync(path.join(projectRoot, "test", "grafana", `${file}.test.ts`), "utf8");
            assert.ok(text.includes(`it("${title}`), `${row.metric}: test/grafana/${file}.test.ts has no test starting "${title}"`);
        }
    });
});
