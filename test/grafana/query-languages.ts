/**
 * Parses PromQL and TraceQL with the languages' own Lezer grammars (the ones Prometheus' and
 * Grafana's editors use) and extracts what the tests check: metric names, label matchers,
 * attributes and string literals. A syntax error throws, so a test that parses a broken query fails.
 */
import { parser as promqlParser } from "@prometheus-io/lezer-promql";
import { parser as traceqlParser } from "@grafana/lezer-traceql";
import { RE2 } from "re2-wasm";

interface SyntaxNode {
    readonly name: string;
    readonly from: number;
    readonly to: number;
    readonly parent: SyntaxNode | null;
    getChild(name: string): SyntaxNode | null;
    getChildren(name: string): SyntaxNode[];
}

function walk(parser: typeof promqlParser, text: string, language: string, visit: (node: SyntaxNode) => void): void {
    const tree = parser.parse(text);
    tree.iterate({
        enter: (ref) => {
            if (ref.type.isError) {
                throw new Error(`${language} syntax error at ${ref.from}: ...${text.slice(Math.max(0, ref.from - 40), ref.from + 20)}...\nin: ${text}`);
            }
            visit(ref.node as unknown as SyntaxNode);
        },
    });
}

/** Go-style double-quoted or backtick string literal to its value. */
function unquote(literal: string): string {
    if (literal.startsWith("`")) return literal.slice(1, -1);
    return JSON.parse(literal) as string;
}

export interface PromLabelMatcher {
    readonly label: string;
    readonly op: string;
    readonly value: string;
    /** Metric name of the selector the matcher belongs to. */
    readonly metric: string;
}

export interface ParsedPromQL {
    readonly metricNames: string[];
    readonly matchers: PromLabelMatcher[];
    readonly functions: string[];
    /** Labels named in `by (...)`, `on (...)`, `without (...)`. */
    readonly groupingLabels: string[];
}

/** Grafana macros a dashboard query may use, replaced by representative values before parsing. */
export const grafanaMacros: Readonly<Record<string, string>> = {
    $__rate_interval: "5m",
    $__interval: "1m",
    $__range: "1h",
};

export function substituteGrafanaMacros(expr: string): string {
    let result = expr;
    for (const [macro, value] of Object.entries(grafanaMacros)) result = result.replaceAll(macro, value);
    if (result.includes("$")) throw new Error(`unknown Grafana macro or variable in: ${expr}`);
    return result;
}

export function parsePromQL(expr: string): ParsedPromQL {
    const metricNames: string[] = [];
    const matchers: PromLabelMatcher[] = [];
    const functions: string[] = [];
    const groupingLabels: string[] = [];
    walk(promqlParser, expr, "PromQL", (node) => {
        const text = () => expr.slice(node.from, node.to);
        if (node.name === "Identifier" && node.parent?.name === "VectorSelector") metricNames.push(text());
        if (node.name === "FunctionIdentifier") functions.push(text());
        if (node.name === "LabelName" && node.parent?.name === "GroupingLabels") groupingLabels.push(text());
        if (node.name === "UnquotedLabelMatcher") {
            const label = node.getChild("LabelName")!;
            const op = node.getChild("MatchOp")!;
            const value = node.getChild("StringLiteral")!;
            const selector = node.parent?.parent;
            const metricNode = selector?.getChild("Identifier");
            matchers.push({
                label: expr.slice(label.from, label.to),
                op: expr.slice(op.from, op.to),
                value: unquote(expr.slice(value.from, value.to)),
                metric: metricNode ? expr.slice(metricNode.from, metricNode.to) : "",
            });
        }
    });
    return { metricNames, matchers, functions, groupingLabels };
}

export interface ParsedTraceQL {
    /** Attribute fields, e.g. `resource.service.name`, `span.messaging.destination.name`. */
    readonly attributes: string[];
    /** Intrinsic fields, e.g. `status`, `kind`, `duration`. */
    readonly intrinsics: string[];
    readonly strings: string[];
}

export function parseTraceQL(query: string): ParsedTraceQL {
    const attributes: string[] = [];
    const intrinsics: string[] = [];
    const strings: string[] = [];
    walk(traceqlParser as unknown as typeof promqlParser, query, "TraceQL", (node) => {
        const text = query.slice(node.from, node.to);
        if (node.name === "AttributeField") attributes.push(text);
        if (node.name === "IntrinsicField") intrinsics.push(text);
        if (node.name === "String") strings.push(JSON.parse(text) as string);
    });
    return { attributes, intrinsics, strings };
}

/** Compiled anchored patterns; re2-wasm keeps each compiled pattern in WebAssembly memory, so compile each once. */
const compiled = new Map<string, RE2>();

function anchored(pattern: string): RE2 {
    let re = compiled.get(pattern);
    if (!re) {
        re = new RE2(`^(?:${pattern})$`, "u");
        compiled.set(pattern, re);
    }
    return re;
}

/** Whether a label matcher (Prometheus semantics: regexes fully anchored, RE2) accepts a value. */
export function matcherAccepts(matcher: Pick<PromLabelMatcher, "op" | "value">, value: string): boolean {
    switch (matcher.op) {
        case "=":
            return value === matcher.value;
        case "!=":
            return value !== matcher.value;
        case "=~":
            return anchored(matcher.value).test(value);
        case "!~":
            return !anchored(matcher.value).test(value);
        default:
            throw new Error(`unknown match operator ${matcher.op}`);
    }
}
