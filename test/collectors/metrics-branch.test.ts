/**
 * The gateways' metrics branch, executed: a small interpreter for exactly the OTTL forms the
 * outcome and queue-wait processors emit (it throws on anything else) runs the statements as the
 * rendered gateway ConfigMap contains them, over spans with every HTTP status class, span statuses
 * and malformed attributes.
 */
import { strict as assert } from "assert";
import * as yaml from "yaml";
import { gatewayIds } from "../../components/collectors/gateway-config";
import { serviceGraphTtlSeconds, serviceGraphWaitCoverage } from "../../components/collectors/metrics-branch";
import { httpStatusAttribute, outcomeAttribute, outcomeValues, queueTimeAttribute } from "../../components/platform/span-metrics";
import { fleetConfigs } from "./fixtures";

type Value = string | number | boolean | undefined;

interface FakeSpan {
    kind: string;
    status: "STATUS_CODE_UNSET" | "STATUS_CODE_OK" | "STATUS_CODE_ERROR";
    start: number;
    end: number;
    attributes: Record<string, Value>;
}

const attributePath = /^span\.attributes\["([^"]+)"\]$/;

function operand(text: string, span: FakeSpan): Value {
    const m = attributePath.exec(text);
    if (m) return span.attributes[m[1]];
    if (/^-?\d+$/.test(text)) return Number(text);
    if (text === "nil") return undefined;
    if (text === "span.start_time_unix_nano") return span.start;
    if (text === "span.end_time_unix_nano") return span.end;
    throw new Error(`the interpreter does not know the operand '${text}'`);
}

const isInt = (v: Value) => typeof v === "number" && Number.isInteger(v);

/** One comparison or function atom; OTTL orders only numbers (a string or nil is never < or >). */
function atom(text: string, span: FakeSpan): boolean {
    let m: RegExpExecArray | null;
    if ((m = /^not (.+)$/.exec(text))) return !atom(m[1], span);
    if ((m = /^IsInt\((.+)\)$/.exec(text))) return isInt(operand(m[1], span));
    if ((m = /^\((.+)\)$/.exec(text))) return holds(m[1], span);
    if (text === "span.status.code == STATUS_CODE_ERROR") return span.status === "STATUS_CODE_ERROR";
    if ((m = /^span\.kind (==|!=) (SPAN_KIND_[A-Z]+)$/.exec(text))) return (span.kind === m[2]) === (m[1] === "==");
    if ((m = /^(\S+) (==|!=|<|<=|>|>=) (\S+)$/.exec(text))) {
        const [left, right] = [operand(m[1], span), operand(m[3], span)];
        switch (m[2]) {
            case "==":
                return left === right;
            case "!=":
                return left !== right;
            default:
                if (typeof left !== "number" || typeof right !== "number") return false;
                return { "<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right }[m[2] as "<"];
        }
    }
    throw new Error(`the interpreter does not know the condition '${text}'`);
}

/** Splits at a separator outside parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        if (text[i] === "(") depth++;
        else if (text[i] === ")") depth--;
        else if (depth === 0 && text.startsWith(separator, i)) {
            parts.push(text.slice(start, i));
            start = i + separator.length;
        }
    }
    return [...parts, text.slice(start)];
}

/** OTTL precedence: `and` binds tighter than `or`. */
function holds(condition: string, span: FakeSpan): boolean {
    return splitTopLevel(condition, " or ").some((disjunct) => splitTopLevel(disjunct, " and ").every((part) => atom(part, span)));
}

function execute(statement: string, span: FakeSpan): void {
    const [body, condition] = statement.split(" where ");
    if (condition !== undefined && !holds(condition, span)) return;
    let m: RegExpExecArray | null;
    if ((m = /^delete_key\(span\.attributes, "([^"]+)"\)$/.exec(body))) {
        delete span.attributes[m[1]];
    } else if ((m = /^set\(span\.attributes\["([^"]+)"\], "([^"]+)"\)$/.exec(body))) {
        span.attributes[m[1]] = m[2];
    } else if (body === "set(span.end_time_unix_nano, span.start_time_unix_nano)") {
        span.end = span.start;
    } else if ((m = /^set\(span\.start_time_unix_nano, span\.start_time_unix_nano - (\S+) \* 1000000\)$/.exec(body))) {
        const wait = operand(m[1], span);
        if (!isInt(wait)) return; // error_mode ignore: the statement fails and changes nothing
        span.start -= (wait as number) * 1_000_000;
    } else {
        throw new Error(`the interpreter does not know the statement '${body}'`);
    }
}

function span(attributes: Record<string, Value>, status: FakeSpan["status"] = "STATUS_CODE_UNSET", kind = "SPAN_KIND_SERVER"): FakeSpan {
    return { kind, status, start: 1_000_000_000_000, end: 1_000_250_000_000, attributes: { ...attributes } };
}

const fleet = fleetConfigs("prod");
const rendered = yaml.parse(fleet.gatewayYaml);
const statementsOf = (processorId: string): string[] => rendered.processors[processorId].trace_statements.flatMap((g: { statements: string[] }) => g.statements);

function outcomeOf(s: FakeSpan): Value {
    for (const statement of statementsOf(gatewayIds.outcome)) execute(statement, s);
    return s.attributes[outcomeAttribute];
}

describe("gateways' metrics branch: the request outcome as the decision record defines it", () => {
    const http = (code: Value, status: FakeSpan["status"] = "STATUS_CODE_UNSET") => span({ [httpStatusAttribute]: code }, status);
    const cases: [string, FakeSpan, string][] = [
        ["200", http(200), outcomeValues.success],
        ["201", http(201), outcomeValues.success],
        ["304 (a redirect or cache revalidation is a success)", http(304), outcomeValues.success],
        ["400", http(400), outcomeValues.clientError],
        ["404", http(404), outcomeValues.clientError],
        ["429", http(429), outcomeValues.clientError],
        ["401", http(401), outcomeValues.denied],
        ["403", http(403), outcomeValues.denied],
        ["500", http(500, "STATUS_CODE_ERROR"), outcomeValues.error],
        ["503 without an error status", http(503), outcomeValues.error],
        ["200 although the span status is ERROR (HTTP decides)", http(200, "STATUS_CODE_ERROR"), outcomeValues.success],
        ["no HTTP status, span status ERROR", span({}, "STATUS_CODE_ERROR", "SPAN_KIND_CLIENT"), outcomeValues.error],
        ["no HTTP status, span status OK", span({}, "STATUS_CODE_OK", "SPAN_KIND_CONSUMER"), outcomeValues.success],
        ["no HTTP status, span status unset", span({}), outcomeValues.success],
        ["a status code sent as a string falls back to the span status", http("500", "STATUS_CODE_ERROR"), outcomeValues.error],
        ["an outcome the application set is overruled", span({ [outcomeAttribute]: "success" }, "STATUS_CODE_ERROR"), outcomeValues.error],
    ];
    for (const [name, s, expected] of cases) {
        it(`${name} -> ${expected}`, () => assert.equal(outcomeOf(s), expected));
    }

    it("every span gets exactly one of the four outcomes", () => {
        for (const code of [100, 199, 200, 299, 300, 399, 400, 401, 402, 403, 418, 499, 500, 599, undefined]) {
            for (const status of ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"] as const) {
                assert.ok((Object.values(outcomeValues) as Value[]).includes(outcomeOf(http(code, status))), `${code} ${status}`);
            }
        }
    });

    it("runs on the metrics branch only, never on what Tempo stores", () => {
        const pipelines = rendered.service.pipelines;
        assert.ok(pipelines[gatewayIds.tracesSpanMetrics].processors.includes(gatewayIds.outcome));
        assert.ok(!pipelines[gatewayIds.tracesSampling].processors.includes(gatewayIds.outcome));
    });
});

describe("gateways' metrics branch: queue wait from the consumer span", () => {
    const conditions: string[] = rendered.processors[gatewayIds.queueWaitFilter].trace_conditions;
    const dropped = (s: FakeSpan) => conditions.some((c) => holds(c, s));
    const waitOf = (s: FakeSpan): number => {
        for (const statement of statementsOf(gatewayIds.queueWaitShift)) execute(statement, s);
        return (s.end - s.start) / 1_000_000;
    };
    const consumer = (wait: Value) => span({ [queueTimeAttribute]: wait }, "STATUS_CODE_UNSET", "SPAN_KIND_CONSUMER");

    it("keeps only CONSUMER spans with a non-negative integer wait", () => {
        assert.equal(dropped(consumer(1200)), false);
        assert.equal(dropped(consumer(0)), false);
        for (const bad of [consumer(-5), consumer("1200"), consumer(undefined), span({ [queueTimeAttribute]: 1200 }, "STATUS_CODE_UNSET", "SPAN_KIND_PRODUCER")]) {
            assert.equal(dropped(bad), true, JSON.stringify(bad));
        }
    });

    it("turns the span into the interval the message waited: its duration is the wait", () => {
        for (const wait of [0, 7, 1200, 3_600_000]) {
            const s = consumer(wait);
            const processingStart = s.start;
            assert.equal(waitOf(s), wait);
            assert.equal(s.end, processingStart, "the wait ends where processing starts");
        }
    });

    it("feeds its own connector, whose series carry the queue but no span name or kind", () => {
        const pipeline = rendered.service.pipelines[gatewayIds.tracesQueueWait];
        assert.deepEqual(pipeline.processors.slice(0, 2), [gatewayIds.queueWaitFilter, gatewayIds.queueWaitShift], "filter before the shift");
        assert.deepEqual(pipeline.exporters, [gatewayIds.queueWait]);
        const connector = rendered.connectors[gatewayIds.queueWait];
        assert.ok(connector.dimensions.some((d: { name: string }) => d.name === "messaging.destination.name"));
        for (const d of ["span.name", "span.kind", "status.code", "collector.instance.id"]) assert.ok(connector.exclude_dimensions.includes(d), d);
    });

    it("the service graph keeps a producer waiting for its consumer several times the slowest wait objective", () => {
        const waits = fleet.settings.systems.flatMap((s) => (s.queueWaitSloMs ? [s.queueWaitSloMs] : []));
        assert.ok(waits.length > 0);
        const ttl = serviceGraphTtlSeconds(fleet.settings.systems);
        assert.ok(ttl * 1000 >= Math.max(...waits) * serviceGraphWaitCoverage);
        assert.equal(rendered.connectors[gatewayIds.serviceGraph].store.ttl, `${ttl}s`);
        const slowQueue = fleet.settings.systems.map((s) => (s.kind === "queue" ? { ...s, queueWaitSloMs: 60_000 } : s));
        assert.equal(serviceGraphTtlSeconds(slowQueue), 240, "a one-minute wait objective keeps producers four minutes");
    });
});
