/**
 * The catalogue of traced systems: a YAML list in Pulumi.yaml, with per-stack overrides by id,
 * validated field by field because Pulumi's config types cannot describe it.
 */
import { show, type Reader } from "./reader";
import { systemKinds, type SystemKind, type TracedSystem } from "./types";

const systemFields = [
    "id",
    "displayName",
    "kind",
    "serviceNames",
    "dbSystems",
    "spansPerSecond",
    "headSamplingPercent",
    "tailSamplingPercent",
    "latencySloP95Ms",
    "errorsPer1000Slo",
    "deniedPer1000Slo",
    "queues",
    "queueProcessingSloMs",
    "queueWaitSloMs",
    "cacheHitRatioSloPercent",
] as const;

type KindField = "serviceNames" | "dbSystems" | "queues" | "queueProcessingSloMs" | "queueWaitSloMs" | "cacheHitRatioSloPercent" | "deniedPer1000Slo";

/**
 * Fields that belong to some kinds only: which kinds carry each, whether those kinds must set it,
 * and the sentence a problem shows. Databases and caches run no SDK: they are measured from their
 * callers' CLIENT spans, by `db.system.name`, and own no service name.
 */
const kindFields: Readonly<Record<KindField, { readonly kinds: readonly SystemKind[]; readonly required: boolean; readonly missing: string }>> = {
    serviceNames: { kinds: ["http-api", "worker", "integration", "queue"], required: true, missing: "systems that run an SDK list their service.name values" },
    dbSystems: { kinds: ["database", "cache"], required: true, missing: "databases and caches name the db.system.name their callers write" },
    queues: { kinds: ["queue"], required: true, missing: "queue systems list the queues they consume" },
    queueProcessingSloMs: { kinds: ["queue"], required: true, missing: "queue systems set a processing-time objective" },
    queueWaitSloMs: { kinds: ["queue"], required: true, missing: "queue systems set a wait-time objective" },
    cacheHitRatioSloPercent: { kinds: ["cache"], required: true, missing: "caches set a hit-ratio objective" },
    deniedPer1000Slo: { kinds: ["http-api"], required: false, missing: "" },
};

const systemIdPattern = /^[a-z][a-z0-9-]{1,40}$/;
const serviceNamePattern = /^[a-z][a-z0-9._-]{0,62}$/;
/** db.system.name values are lowercase identifiers (postgresql, redis, other_sql). */
const dbSystemPattern = /^[a-z][a-z0-9_.]{0,62}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks one catalogue entry, or (partial) the fields an override sets. */
function validateSystemFields(r: Reader, key: string, where: string, entry: Record<string, unknown>, partial: boolean): void {
    for (const field of Object.keys(entry)) {
        if (!(systemFields as readonly string[]).includes(field)) {
            r.problem(key, `${where}.${field}`, `only the fields ${systemFields.join(", ")}`);
        }
    }
    const check = (field: string, ok: (v: unknown) => boolean, allowed: string, required = true) => {
        const value = entry[field];
        if (value === undefined) {
            if (required && !partial) r.problem(key, `${where}.${field} missing`, allowed);
            return;
        }
        if (!ok(value)) r.problem(key, `${where}.${field}=${show(value)}`, allowed);
    };
    const num = (lo: number, hi: number, integer = false) => (v: unknown) =>
        typeof v === "number" && Number.isFinite(v) && v >= lo && v <= hi && (!integer || Number.isInteger(v));
    const names = (pattern: RegExp) => (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && pattern.test(s));
    if (!partial) check("id", (v) => typeof v === "string" && systemIdPattern.test(v), "a lowercase id with dashes");
    check("displayName", (v) => typeof v === "string" && v.trim().length > 0, "a non-empty name");
    check("kind", (v) => (systemKinds as readonly unknown[]).includes(v), `one of ${systemKinds.join(", ")}`);
    check("serviceNames", names(serviceNamePattern), "a non-empty list of service.name values (lowercase letters, digits, . _ -)", false);
    check("dbSystems", names(dbSystemPattern), "a non-empty list of db.system.name values (lowercase letters, digits, _ .)", false);
    check("spansPerSecond", (v) => num(0.001, 10_000_000)(v), "a number of spans per second above 0");
    check("headSamplingPercent", num(0, 100), "a percentage from 0 to 100");
    check("tailSamplingPercent", num(0, 100), "a percentage from 0 to 100");
    check("latencySloP95Ms", num(1, 600_000, true), "a whole number of milliseconds from 1 to 600000");
    check("errorsPer1000Slo", num(0, 1000), "a number of errors per 1000 requests from 0 to 1000");
    check("deniedPer1000Slo", num(0, 1000), "a number of denied requests per 1000 from 0 to 1000", false);
    check(
        "queues",
        (v) => Array.isArray(v) && v.every((s) => typeof s === "string" && s.length > 0),
        "a list of queue names",
        false,
    );
    check("queueProcessingSloMs", num(1, 3_600_000, true), "a whole number of milliseconds from 1 to 3600000", false);
    check("queueWaitSloMs", num(1, 3_600_000, true), "a whole number of milliseconds from 1 to 3600000", false);
    check("cacheHitRatioSloPercent", num(0, 100), "a percentage from 0 to 100", false);
}

const overridesAllowed = "a YAML mapping of system id to the fields it overrides";

/** Reads the catalogue, applies the stack's overrides, then checks what only the whole list can show. */
export function readSystems(r: Reader): TracedSystem[] {
    const catalogueAllowed = "a YAML list of systems, each with the fields " + systemFields.join(", ");
    const catalogue = r.yamlDocument("systems", catalogueAllowed);
    const overrides = r.yamlDocument("systemOverrides", overridesAllowed);
    if (catalogue === undefined) return [];
    if (!Array.isArray(catalogue) || catalogue.length === 0) {
        r.problem("systems", catalogue, catalogueAllowed);
        return [];
    }
    const merged: Record<string, unknown>[] = [];
    catalogue.forEach((entry, index) => {
        if (!isRecord(entry)) {
            r.problem("systems", `systems[${index}]=${show(entry)}`, catalogueAllowed);
            return;
        }
        validateSystemFields(r, "systems", `systems[${index}]`, entry, false);
        merged.push({ ...entry });
    });
    applyOverrides(r, merged, overrides);
    checkAcrossSystems(r, merged);
    return merged.map(toTracedSystem);
}

/** Overrides change fields of catalogue systems by id; they never add systems or rename them. */
function applyOverrides(r: Reader, merged: Record<string, unknown>[], overrides: unknown): void {
    if (overrides === undefined || overrides === null) return;
    if (!isRecord(overrides)) {
        r.problem("systemOverrides", overrides, overridesAllowed);
        return;
    }
    const ids = merged.map((s) => s.id);
    for (const [id, fields] of Object.entries(overrides)) {
        const target = merged.find((s) => s.id === id);
        if (!target) {
            r.problem("systemOverrides", id, `ids of catalogue systems (${ids.join(", ")})`);
            continue;
        }
        if (!isRecord(fields) || "id" in fields) {
            r.problem("systemOverrides", `${id}=${show(fields)}`, "a mapping of fields to override (not id)");
            continue;
        }
        validateSystemFields(r, "systemOverrides", id, fields, true);
        Object.assign(target, fields);
    }
}

/** Unique ids, each service.name and db.system.name owned by one system, and kind-specific fields exactly on their kinds. */
function checkAcrossSystems(r: Reader, merged: readonly Record<string, unknown>[]): void {
    const seenIds = new Map<string, number>();
    const owners = { serviceNames: new Map<string, string>(), dbSystems: new Map<string, string>() };
    const what = { serviceNames: "service.name", dbSystems: "db.system.name" } as const;
    for (const system of merged) {
        const id = String(system.id);
        seenIds.set(id, (seenIds.get(id) ?? 0) + 1);
        if (seenIds.get(id) === 2) r.problem("systems", id, "unique system ids");
        for (const field of ["serviceNames", "dbSystems"] as const) {
            const values = Array.isArray(system[field]) ? (system[field] as string[]) : [];
            for (const value of values) {
                const owner = owners[field].get(value);
                if (owner !== undefined) {
                    r.problem("systems", `${what[field]} '${value}' in ${id}`, `each ${what[field]} in exactly one system (already in ${owner})`);
                }
                owners[field].set(value, id);
            }
        }
        const kind = system.kind as SystemKind;
        for (const [field, rule] of Object.entries(kindFields) as [KindField, (typeof kindFields)[KindField]][]) {
            const set = system[field] !== undefined;
            if (rule.kinds.includes(kind)) {
                if (rule.required && !set) r.problem("systems", `${id}.${field} missing`, rule.missing);
            } else if (set) {
                r.problem("systems", `${id}.${field}`, `${field} only on systems of kind ${rule.kinds.join(" or ")}`);
            }
        }
    }
}

function optionalNumber<K extends KindField>(s: Record<string, unknown>, field: K): Partial<Record<K, number>> {
    return s[field] !== undefined ? ({ [field]: Number(s[field]) } as Partial<Record<K, number>>) : {};
}

function toTracedSystem(s: Record<string, unknown>): TracedSystem {
    return {
        id: String(s.id),
        displayName: String(s.displayName),
        kind: s.kind as SystemKind,
        serviceNames: Object.freeze([...((s.serviceNames as string[]) ?? [])]),
        dbSystems: Object.freeze([...((s.dbSystems as string[]) ?? [])]),
        spansPerSecond: Number(s.spansPerSecond),
        headSamplingPercent: Number(s.headSamplingPercent),
        tailSamplingPercent: Number(s.tailSamplingPercent),
        latencySloP95Ms: Number(s.latencySloP95Ms),
        errorsPer1000Slo: Number(s.errorsPer1000Slo),
        queues: Object.freeze([...((s.queues as string[]) ?? [])]),
        ...optionalNumber(s, "queueProcessingSloMs"),
        ...optionalNumber(s, "queueWaitSloMs"),
        ...optionalNumber(s, "cacheHitRatioSloPercent"),
        ...optionalNumber(s, "deniedPer1000Slo"),
    };
}
