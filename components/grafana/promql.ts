/**
 * Small, typed PromQL composition helpers. Queries are assembled from metric-name constants and
 * label matchers rather than written as free text, so quoting and regex escaping happen in one
 * place and every dashboard or alert query is built the same way.
 */

/** A label matcher; `=~`/`!~` values are RE2 patterns (Prometheus anchors them). */
export interface LabelMatcher {
    readonly label: string;
    readonly op: "=" | "!=" | "=~" | "!~";
    readonly value: string;
}

/** A PromQL string literal (Go escape rules, which JSON string escaping satisfies). */
export function promString(value: string): string {
    return JSON.stringify(value);
}

/** Escapes RE2 metacharacters so a literal (a service or queue name with dots) matches only itself. */
export function escapeRegex(literal: string): string {
    return literal.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

export function equals(label: string, value: string): LabelMatcher {
    return { label, op: "=", value };
}

export function notEquals(label: string, value: string): LabelMatcher {
    return { label, op: "!=", value };
}

/** Matches any of the literal values exactly (a single value becomes a plain equality). */
export function oneOf(label: string, values: readonly string[]): LabelMatcher {
    if (values.length === 0) throw new Error(`oneOf(${label}) needs at least one value`);
    if (values.length === 1) return equals(label, values[0]);
    return { label, op: "=~", value: values.map(escapeRegex).join("|") };
}

/** `metric{a="x", b=~"y|z"}` */
export function selector(metric: string, matchers: readonly LabelMatcher[] = []): string {
    if (matchers.length === 0) return metric;
    return `${metric}{${matchers.map((m) => `${m.label}${m.op}${promString(m.value)}`).join(", ")}}`;
}

function aggregation(op: string, by: readonly string[], inner: string): string {
    return by.length > 0 ? `${op} by (${by.join(", ")}) (${inner})` : `${op}(${inner})`;
}

/** `sum [by (...)] (rate(selector[window]))` */
export function sumRate(metric: string, matchers: readonly LabelMatcher[], window: string, by: readonly string[] = []): string {
    return aggregation("sum", by, `rate(${selector(metric, matchers)}[${window}])`);
}

/** `sum [by (...)] (increase(selector[window]))` */
export function sumIncrease(metric: string, matchers: readonly LabelMatcher[], window: string, by: readonly string[] = []): string {
    return aggregation("sum", by, `increase(${selector(metric, matchers)}[${window}])`);
}

/** `max [by (...)] (expr)` */
export function maxBy(by: readonly string[], inner: string): string {
    return aggregation("max", by, inner);
}

/** A number literal PromQL reads back exactly. */
export function promNumber(value: number): string {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
}

/**
 * `part / total`, 0 (not "no data") when the part has no series but the total has: `part or total * 0`
 * keeps the total's labels, so it works for grouped (`by`) expressions as well as for single values.
 */
export function shareOf(part: string, total: string): string {
    return `(${part} or ${total} * 0) / ${total}`;
}

/** Mean of a histogram from its `_sum` and `_count` rates. */
export function meanOf(sumMetric: string, countMetric: string, matchers: readonly LabelMatcher[], window: string, by: readonly string[] = []): string {
    return `${sumRate(sumMetric, matchers, window, by)} / ${sumRate(countMetric, matchers, window, by)}`;
}

/** `histogram_quantile(q, sum by (le, ...) (rate(bucket[window])))` */
export function histogramQuantile(q: number, bucketMetric: string, matchers: readonly LabelMatcher[], window: string, by: readonly string[] = []): string {
    return `histogram_quantile(${promNumber(q)}, ${sumRate(bucketMetric, matchers, window, ["le", ...by])})`;
}
