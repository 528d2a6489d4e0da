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
    "spansPerSecond",
    "headSamplingPercent",
    "tailSamplingPercent",
    "latencySloP95Ms",
    "errorsPer1000Slo",
    "queues",
    "queueProcessingSloMs",
] as const;

const systemIdPattern = /^[a-z][a-z0-9-]{1,40}$/;
const serviceNamePattern = /^[a-z][a-z0-9._-]{0,62}$/;

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
    if (!partial) check("id", (v) => typeof v === "string" && systemIdPattern.test(v), "a lowercase id with dashes");
    check("displayName", (v) => typeof v === "string" && v.trim().length > 0, "a non-empty name");
    check("kind", (v) => (systemKinds as readonly unknown[]).includes(v), `one of ${systemKinds.join(", ")}`);
    check(
        "serviceNames",
        (v) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && serviceNamePattern.test(s)),
        "a non-empty list of service.name values (lowercase letters, digits, . _ -)",
    );
    check("spansPerSecond", (v) => num(0.001, 10_000_000)(v), "a number of spans per second above 0");
    check("headSamplingPercent", num(0, 100), "a percentage from 0 to 100");
    check("tailSamplingPercent", num(0, 100), "a percentage from 0 to 100");
    check("latencySloP95Ms", num(1, 600_000, true), "a whole number of milliseconds from 1 to 600000");
    check("errorsPer1000Slo", num(0, 1000), "a number of errors per 1000 requests from 0 to 1000");
    check(
        "queues",
        (v) => Array.isArray(v) && v.every((s) => typeof s === "string" && s.length > 0),
        "a list of queue names",
        false,
    );
    check("queueProcessingSloMs", num(1, 3_600_000, true), "a whole number of milliseconds from 1 to 3600000", false);
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

/** Unique ids, each service.name owned by one system, and queue fields exactly on queue systems. */
function checkAcrossSystems(r: Reader, merged: readonly Record<string, unknown>[]): void {
    const seenIds = new Map<string, number>();
    const seenServices = new Map<string, string>();
    for (const system of merged) {
        const id = String(system.id);
        seenIds.set(id, (seenIds.get(id) ?? 0) + 1);
        if (seenIds.get(id) === 2) r.problem("systems", id, "unique system ids");
        const serviceNames = Array.isArray(system.serviceNames) ? (system.serviceNames as string[]) : [];
        for (const service of serviceNames) {
            const owner = seenServices.get(service);
            if (owner !== undefined) {
                r.problem(
                    "systems",
                    `service.name '${service}' in ${id}`,
                    `each service.name in exactly one system (already in ${owner})`,
                );
            }
            seenServices.set(service, id);
        }
        if (system.kind === "queue") {
            if (!Array.isArray(system.queues) || system.queues.length === 0) {
                r.problem("systems", `${id}.queues missing`, "queue systems list the queues they consume");
            }
            if (system.queueProcessingSloMs === undefined) {
                r.problem("systems", `${id}.queueProcessingSloMs missing`, "queue systems set a processing-time objective");
            }
        } else if (system.queues !== undefined || system.queueProcessingSloMs !== undefined) {
            r.problem("systems", `${id}.queues`, "queues and queueProcessingSloMs only on systems of kind queue");
        }
    }
}

function toTracedSystem(s: Record<string, unknown>): TracedSystem {
    return {
        id: String(s.id),
        displayName: String(s.displayName),
        kind: s.kind as SystemKind,
        serviceNames: Object.freeze([...((s.serviceNames as string[]) ?? [])]),
        spansPerSecond: Number(s.spansPerSecond),
        headSamplingPercent: Number(s.headSamplingPercent),
        tailSamplingPercent: Number(s.tailSamplingPercent),
        latencySloP95Ms: Number(s.latencySloP95Ms),
        errorsPer1000Slo: Number(s.errorsPer1000Slo),
        queues: Object.freeze([...((s.queues as string[]) ?? [])]),
        ...(s.queueProcessingSloMs !== undefined ? { queueProcessingSloMs: Number(s.queueProcessingSloMs) } : {}),
    };
}
