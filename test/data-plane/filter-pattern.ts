/**
 * An evaluator for the subset of the CloudWatch Logs JSON filter-pattern syntax the security alarms
 * use (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 * `{ expression }` where an expression combines `$.a.b = value` / `$.a.b != value` comparisons
 * with `&&`, `||` and parentheses; a string value may be quoted and may hold `*` wildcards; a
 * numeric value compares numerically. Anything else is a parse error, so a pattern that strays
 * outside the subset fails its test instead of being evaluated wrongly.
 */
interface Comparison {
    readonly kind: "compare";
    readonly path: readonly string[];
    readonly negated: boolean;
    readonly value: string | number;
}
type Node = { readonly kind: "or" | "and"; readonly parts: readonly Node[] } | Comparison;

const token = /\s*(\|\||&&|\(|\)|!=|=|"(?:[^"\\]|\\.)*"|\$\.[A-Za-z0-9_.\-]+|[^\s()"=!&|]+)/y;

function tokenize(text: string): string[] {
    const tokens: string[] = [];
    token.lastIndex = 0;
    while (token.lastIndex < text.length) {
        if (/^\s*$/.test(text.slice(token.lastIndex))) break;
        const at = token.lastIndex;
        const match = token.exec(text);
        if (!match) throw new Error(`cannot read the filter pattern at '${text.slice(at)}'`);
        tokens.push(match[1]);
    }
    return tokens;
}

/** Parses `{ ... }` into a tree; throws on anything outside the subset. */
export function parseFilterPattern(pattern: string): Node {
    const body = pattern.trim();
    if (!body.startsWith("{") || !body.endsWith("}")) throw new Error(`not a JSON filter pattern: ${pattern}`);
    const tokens = tokenize(body.slice(1, -1));
    let i = 0;
    const peek = () => tokens[i];
    const take = (expected?: string) => {
        const t = tokens[i++];
        if (t === undefined || (expected !== undefined && t !== expected)) throw new Error(`expected ${expected ?? "a term"} at token ${i} of ${pattern}`);
        return t;
    };
    const list = (kind: "or" | "and", operator: string, next: () => Node): Node => {
        const parts = [next()];
        while (peek() === operator) {
            take();
            parts.push(next());
        }
        return parts.length === 1 ? parts[0] : { kind, parts };
    };
    const or = (): Node => list("or", "||", and);
    const and = (): Node => list("and", "&&", primary);
    const primary = (): Node => {
        if (peek() === "(") {
            take("(");
            const inner = or();
            take(")");
            return inner;
        }
        const selector = take();
        if (!selector.startsWith("$.")) throw new Error(`expected a $. selector, got '${selector}'`);
        const operator = take();
        if (operator !== "=" && operator !== "!=") throw new Error(`unsupported operator '${operator}'`);
        const raw = take();
        const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
        return { kind: "compare", path: selector.slice(2).split("."), negated: operator === "!=", value };
    };
    const tree = or();
    if (i !== tokens.length) throw new Error(`unexpected '${tokens[i]}' in ${pattern}`);
    return tree;
}

function wildcard(value: string): RegExp {
    return new RegExp(`^${value.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

function evaluate(node: Node, event: unknown): boolean {
    if (node.kind === "compare") return compare(node, event);
    return node.kind === "or" ? node.parts.some((part) => evaluate(part, event)) : node.parts.every((part) => evaluate(part, event));
}

function compare(node: Comparison, event: unknown): boolean {
    let field: unknown = event;
    for (const key of node.path) field = field !== null && typeof field === "object" ? (field as Record<string, unknown>)[key] : undefined;
    const equal =
        typeof node.value === "number"
            ? typeof field === "number" && field === node.value
            : typeof field === "string" && wildcard(node.value).test(field);
    return node.negated ? field !== undefined && !equal : equal;
}

/** Whether a JSON log event matches the pattern (a non-JSON event never matches a JSON pattern). */
export function matchesFilterPattern(pattern: string, event: string): boolean {
    let parsed: unknown;
    try {
        parsed = JSON.parse(event);
    } catch {
        return false;
    }
    return evaluate(parseFilterPattern(pattern), parsed);
}
