/**
 * Reading raw configuration values while collecting every problem, plus the readers several
 * concerns share (CIDR blocks, IP allow-lists, AWS resource ids).
 */
import { Cidr, parseCidr, cidrsOverlap, describeCidr, isOpenToInternet } from "../cidr";
import { parseYamlOnce } from "../yaml-once";
import { declaredKeys, projectName, retiredKeys, type DeclaredKey } from "./keys";
import type { ConfigProblem } from "./types";

export class ConfigValidationError extends Error {
    constructor(readonly stack: string, readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.key}: ${p.value}; allowed: ${p.allowed}`).join("\n"),
        );
        this.name = "ConfigValidationError";
    }
}

/**
 * Collects problems while values are read. Each reader returns a usable placeholder on failure so
 * that reading continues and every problem is reported, then `finish` throws if any were found.
 */
export class Reader {
    readonly problems: ConfigProblem[] = [];
    constructor(private readonly raw: Readonly<Record<string, string>>) {}

    fullKey(key: string): string {
        return key.includes(":") ? key : `${projectName}:${key}`;
    }

    problem(key: string, value: unknown, allowed: string): void {
        this.problems.push({ key: this.fullKey(key), value: show(value), allowed });
    }

    /** Throws one ConfigValidationError listing every problem collected so far, if there is any. */
    finish(stack: string): void {
        if (this.problems.length > 0) throw new ConfigValidationError(stack, this.problems);
    }

    /** Flags keys in the project's namespace that Pulumi.yaml does not declare: retired ones with their replacement, others as typos. */
    reportUndeclaredKeys(): void {
        for (const key of Object.keys(this.raw)) {
            const [namespace, name] = key.split(":");
            if (namespace !== projectName || (declaredKeys as readonly string[]).includes(name)) continue;
            const replacement = Object.prototype.hasOwnProperty.call(retiredKeys, name) ? retiredKeys[name] : undefined;
            this.problem(key, this.raw[key], replacement ? `no value; the key is retired, replaced by ${replacement}` : "a key declared in Pulumi.yaml (unknown key; check its spelling)");
        }
    }

    rawValue(key: string): string | undefined {
        return this.raw[this.fullKey(key)];
    }

    string(key: string, allowed = "a non-empty string"): string {
        const value = this.rawValue(key);
        if (value === undefined || value.trim() === "") {
            this.problem(key, value === undefined ? "missing" : "empty", allowed);
            return "";
        }
        return value;
    }

    optionalString(key: string): string {
        return this.rawValue(key) ?? "";
    }

    integer(key: string, min: number, max: number, unit = ""): number {
        const value = this.rawValue(key);
        const allowed = `an integer from ${min} to ${max}${unit ? ` ${unit}` : ""}`;
        if (value === undefined) {
            this.problem(key, "missing", allowed);
            return min;
        }
        const n = Number(value);
        if (!Number.isInteger(n) || n < min || n > max) {
            this.problem(key, Number.isNaN(n) ? value : n, allowed);
            return min;
        }
        return n;
    }

    /** An integer the stack may leave unset (the capacity plan then chooses it); when set, checked like `integer`. */
    optionalInteger(key: string, min: number, max: number, unit = ""): number | undefined {
        return this.rawValue(key) === undefined ? undefined : this.integer(key, min, max, unit);
    }

    boolean(key: string): boolean {
        const value = this.rawValue(key);
        if (value === "true" || value === "false") return value === "true";
        this.problem(key, value ?? "missing", "true or false");
        return false;
    }

    stringArray(key: string, allowed: string): string[] {
        const value = this.rawValue(key);
        if (value === undefined) {
            this.problem(key, "missing", allowed);
            return [];
        }
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            this.problem(key, value, `a list (${allowed})`);
            return [];
        }
        if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== "string")) {
            this.problem(key, value, `a list of strings (${allowed})`);
            return [];
        }
        return parsed as string[];
    }

    oneOf<T extends string>(key: string, options: readonly T[]): T {
        const value = this.rawValue(key);
        if (value === undefined || !(options as readonly string[]).includes(value)) {
            this.problem(key, value ?? "missing", `one of ${options.join(", ")}`);
            return options[0];
        }
        return value as T;
    }

    yamlDocument(key: string, allowed: string): unknown {
        const value = this.rawValue(key);
        if (value === undefined) {
            this.problem(key, "missing", allowed);
            return undefined;
        }
        try {
            return parseYamlOnce(value);
        } catch (e) {
            this.problem(key, `unparseable YAML (${(e as Error).message.split("\n")[0]})`, allowed);
            return undefined;
        }
    }
}

/** How a value appears in a problem: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
    if (typeof value === "string") return `'${value}'`;
    return JSON.stringify(value) ?? String(value);
}

export function readCidr(r: Reader, key: string, value: string, context: string): Cidr | undefined {
    const parsed = parseCidr(value);
    if (typeof parsed === "string") {
        r.problem(key, value, `${context} (${parsed})`);
        return undefined;
    }
    return parsed;
}

/** Reads an IP allow-list: every entry a valid IPv4 CIDR, none open to the internet, none overlapping. */
export function readAllowList(r: Reader, key: DeclaredKey, minEntries: number): string[] {
    const entries = r.stringArray(key, "IPv4 CIDR blocks");
    if (entries.length < minEntries) {
        r.problem(key, entries, `at least ${minEntries} IPv4 CIDR block${minEntries === 1 ? "" : "s"}`);
    }
    const parsed: Cidr[] = [];
    for (const entry of entries) {
        if (isOpenToInternet(entry)) {
            r.problem(key, entry, "specific private CIDR blocks; an allow-list never contains 0.0.0.0/0 or ::/0");
            continue;
        }
        const cidr = readCidr(r, key, entry, "an IPv4 CIDR block such as 10.20.0.0/16");
        if (!cidr) continue;
        if (cidr.prefixLength < 8) {
            r.problem(key, entry, "a prefix of /8 or longer (narrower than a whole /8 network)");
            continue;
        }
        for (const other of parsed) {
            if (cidrsOverlap(cidr, other)) {
                r.problem(key, entry, `non-overlapping CIDR blocks (overlaps ${describeCidr(other)})`);
            }
        }
        parsed.push(cidr);
    }
    return entries;
}

/** Reads a list of AWS resource ids with the given prefix (subnet, rtb): well-formed, distinct, enough of them. */
export function readResourceIds(r: Reader, key: DeclaredKey, prefix: string, min: number): string[] {
    const ids = r.stringArray(key, `${prefix}-... ids`);
    const idPattern = new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);
    for (const id of ids) {
        if (!idPattern.test(id)) r.problem(key, id, `AWS ids of the form ${prefix}-0123456789abcdef0`);
    }
    if (ids.length < min) r.problem(key, ids, `at least ${min} ${prefix} ids (one per availability zone)`);
    if (new Set(ids).size !== ids.length) r.problem(key, ids, `distinct ${prefix} ids`);
    return ids;
}
