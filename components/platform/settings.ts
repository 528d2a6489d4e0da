/**
 * Reads every configuration value once, validates all of it, and returns one typed, frozen settings
 * object. Components never read config themselves: they receive the slice they own from here.
 *
 * Validation collects every problem before failing, so a user fixing a stack file sees the whole
 * list in one run, each with the config key, the offending value and what is allowed. It runs
 * before any resource is constructed.
 */
import * as yaml from "yaml";
import { Cidr, parseCidr, cidrsOverlap, describeCidr, isOpenToInternet } from "./cidr";

export const projectName = "tracing-platform";

export const environmentNames = ["dev", "test", "prod"] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export const tempoModes = ["monolithic", "distributed"] as const;
export type TempoMode = (typeof tempoModes)[number];

export const systemKinds = ["http-api", "worker", "database", "cache", "queue"] as const;
export type SystemKind = (typeof systemKinds)[number];

/** Session timeouts AWS Client VPN accepts. */
export const vpnSessionTimeouts = [8, 10, 12, 24] as const;

/** Retention values CloudWatch Logs accepts (days). */
export const cloudWatchRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Oldest releases the platform's rendered configs are written for. The collector floor is the
 * release in which every lower_snake_case component name used here exists (older binaries reject
 * them); Tempo 3 removed ingesters and the compactor, so 2.x cannot run these configs.
 */
export const minimumImageVersions = {
    collector: { major: 0, minor: 154, patch: 0 },
    tempo: { major: 3, minor: 0, patch: 0 },
    grafana: { major: 13, minor: 0, patch: 0 },
} as const;

/**
 * Distributed Tempo talks to MSK, which only offers TLS with SASL/SCRAM (or IAM). Tempo's Kafka
 * client gained TLS and SCRAM in grafana/tempo#7586 (merged 2026-08-04, after v3.0.3 was cut from
 * release-v3.0); 3.1.0 is the first release carrying it, so 3.0.x can only speak plaintext.
 */
export const tempoKafkaSecurityMinimumVersion = { major: 3, minor: 1, patch: 0 } as const;

/** One traced system of the catalogue (ten by default). */
export interface TracedSystem {
    /** Stable id (lowercase, dashes), used in policy, dashboard and alert names. */
    readonly id: string;
    /** Human name for dashboards. */
    readonly displayName: string;
    /** What sort of system it is; queue systems get per-queue processing-time panels and alerts. */
    readonly kind: SystemKind;
    /** OpenTelemetry `service.name` values that belong to this system. */
    readonly serviceNames: readonly string[];
    /** Expected spans per second produced before head sampling. */
    readonly spansPerSecond: number;
    /** Share of traces the SDKs keep (head sampling, parent-based), 0-100. */
    readonly headSamplingPercent: number;
    /** Share of ordinary (fast, error-free) traces the gateways keep (tail sampling), 0-100. */
    readonly tailSamplingPercent: number;
    /** p95 latency objective in milliseconds; slower traces are always kept. */
    readonly latencySloP95Ms: number;
    /** Error-rate objective: failed requests per 1000. */
    readonly errorsPer1000Slo: number;
    /** RabbitMQ queues (messaging.destination.name) this system consumes; queue systems only. */
    readonly queues: readonly string[];
    /** Objective for message processing time per queue in milliseconds; queue systems only. */
    readonly queueProcessingSloMs?: number;
}

/** A pinned container image reference, split into parts. */
export interface ImageRef {
    /** The full reference as configured, used verbatim in pod specs. */
    readonly reference: string;
    readonly repository: string;
    readonly tag: string;
    readonly digest?: string;
    readonly version: { readonly major: number; readonly minor: number; readonly patch: number };
}

export interface Settings {
    readonly project: string;
    readonly stack: string;
    readonly environment: EnvironmentName;
    readonly isProduction: boolean;
    readonly aws: {
        readonly region: string;
        readonly accountId: string;
        readonly accountIds: Readonly<Record<EnvironmentName, string>>;
    };
    /** Tags every AWS resource carries (provider defaultTags) and Kubernetes objects mirror as labels. */
    readonly tags: Readonly<Record<"environment" | "system" | "owner" | "cost-center" | "data-classification", string>>;
    readonly network: {
        readonly vpcId: string;
        readonly vpcCidr: string;
        readonly privateSubnetIds: readonly string[];
        readonly privateRouteTableIds: readonly string[];
        readonly vpnClientCidr: string;
        readonly vpnSessionTimeoutHours: number;
        readonly vpnLoginBanner: string;
        readonly appOtlpCidrs: readonly string[];
        readonly s3Cidrs: readonly string[];
        readonly appNamespaceLabel: { readonly key: string; readonly value: string };
    };
    readonly cluster: {
        readonly name: string;
        /** Security group of the cluster's worker nodes (the only source MSK admits). */
        readonly nodeSecurityGroupId: string;
        readonly kubeContext: string;
        readonly storageClass: string;
    };
    readonly pki: {
        readonly caValidityHours: number;
        readonly certValidityHours: number;
        readonly earlyRenewalHours: number;
    };
    readonly retention: {
        readonly traceDays: number;
        readonly auditDays: number;
        readonly logDays: number;
    };
    readonly kms: { readonly deletionWindowDays: number };
    readonly images: {
        /** Agents: the Kubernetes distribution (otelcol-k8s). */
        readonly collector: ImageRef;
        /** Gateways: the contrib distribution, the one with Prometheus remote write and SigV4 auth. */
        readonly collectorGateway: ImageRef;
        readonly tempo: ImageRef;
        readonly grafana: ImageRef;
    };
    readonly collectors: {
        readonly gatewayMinReplicas: number;
        readonly gatewayMaxReplicas: number;
        readonly gatewayQueueVolumeGb: number;
        readonly dropClientAddress: boolean;
    };
    readonly tempo: {
        readonly mode: TempoMode;
        readonly replicas: number;
        readonly volumeGb: number;
        readonly msk: {
            readonly instanceType: string;
            readonly brokerCount: number;
            readonly volumeGb: number;
            readonly kafkaVersion: string;
        };
    };
    readonly grafana: {
        readonly hostname: string;
        readonly volumeGb: number;
        readonly alertEmail: string;
    };
    readonly systems: readonly TracedSystem[];
    /** Protect stateful resources from deletion (prod). */
    readonly protectStatefulResources: boolean;
}

/** One configuration problem: which key, what value, what would be accepted. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: string;
    readonly allowed: string;
}

export class ConfigValidationError extends Error {
    constructor(readonly stack: string, readonly problems: readonly ConfigProblem[]) {
        super(
            `Invalid configuration for stack '${stack}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p.key}: ${p.value}; allowed: ${p.allowed}`).join("\n"),
        );
        this.name = "ConfigValidationError";
    }
}

/** Every key the project declares (without namespace); anything else in the namespace is a typo. */
export const declaredKeys = [
    "environment",
    "devAccountId",
    "testAccountId",
    "prodAccountId",
    "owner",
    "costCenter",
    "dataClassification",
    "vpcId",
    "vpcCidr",
    "privateSubnetIds",
    "privateRouteTableIds",
    "eksClusterName",
    "eksNodeSecurityGroupId",
    "kubeContext",
    "storageClass",
    "vpnClientCidr",
    "vpnSessionTimeoutHours",
    "vpnLoginBanner",
    "appOtlpCidrs",
    "s3Cidrs",
    "appNamespaceLabel",
    "caValidityHours",
    "certValidityHours",
    "certEarlyRenewalHours",
    "traceRetentionDays",
    "auditRetentionDays",
    "logRetentionDays",
    "kmsDeletionWindowDays",
    "collectorImage",
    "collectorGatewayImage",
    "tempoImage",
    "grafanaImage",
    "gatewayMinReplicas",
    "gatewayMaxReplicas",
    "gatewayQueueVolumeGb",
    "piiDropClientAddress",
    "tempoMode",
    "tempoReplicas",
    "tempoVolumeGb",
    "mskInstanceType",
    "mskBrokerCount",
    "mskVolumeGb",
    "kafkaVersion",
    "grafanaHostname",
    "grafanaVolumeGb",
    "alertEmail",
    "systems",
    "systemOverrides",
] as const;
export type DeclaredKey = (typeof declaredKeys)[number];

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

/**
 * Collects problems while values are read. Each reader returns a usable placeholder on failure so
 * that reading continues and every problem is reported, then `finish` throws if any were found.
 */
class Reader {
    readonly problems: ConfigProblem[] = [];
    constructor(private readonly raw: Readonly<Record<string, string>>) {}

    fullKey(key: string): string {
        return key.includes(":") ? key : `${projectName}:${key}`;
    }

    problem(key: string, value: unknown, allowed: string): void {
        this.problems.push({ key: this.fullKey(key), value: show(value), allowed });
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
            return yaml.parse(value);
        } catch (e) {
            this.problem(key, `unparseable YAML (${(e as Error).message.split("\n")[0]})`, allowed);
            return undefined;
        }
    }
}

function show(value: unknown): string {
    if (typeof value === "string") return `'${value}'`;
    return JSON.stringify(value) ?? String(value);
}

const accountIdPattern = /^\d{12}$/;
const regionPattern = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const dnsLabel = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
const dnsNamePattern = new RegExp(`^${dnsLabel}(\\.${dnsLabel})+$`);
const systemIdPattern = /^[a-z][a-z0-9-]{1,40}$/;
const serviceNamePattern = /^[a-z][a-z0-9._-]{0,62}$/;
const emailPattern = /^[^\s@]+@[a-z0-9.-]+\.[a-z]{2,}$/i;
const labelKeyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const imagePattern =
    /^(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$/;
const versionPattern = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** Parses an image reference; returns a reason string when it is not pinned. */
export function parseImageReference(reference: string): ImageRef | string {
    const match = imagePattern.exec(reference);
    if (!match?.groups) return "not an image reference";
    const { repository, tag, digest } = match.groups;
    if (!tag) return "no tag (an untagged image floats to :latest)";
    if (tag === "latest") return "the floating tag :latest";
    const version = versionPattern.exec(tag);
    if (!version) return `tag '${tag}' is not a release version (x.y.z)`;
    return {
        reference,
        repository,
        tag,
        ...(digest ? { digest } : {}),
        version: { major: Number(version[1]), minor: Number(version[2]), patch: Number(version[3]) },
    };
}

export function versionAtLeast(v: ImageRef["version"], floor: ImageRef["version"]): boolean {
    if (v.major !== floor.major) return v.major > floor.major;
    if (v.minor !== floor.minor) return v.minor > floor.minor;
    return v.patch >= floor.patch;
}

function formatVersion(v: ImageRef["version"]): string {
    return `${v.major}.${v.minor}.${v.patch}`;
}

function readImage(r: Reader, key: DeclaredKey, floor: ImageRef["version"], requireDigest: boolean): ImageRef {
    const reference = r.string(key, "a pinned image reference repository:x.y.z");
    const placeholder: ImageRef = { reference, repository: "", tag: "", version: { ...floor } };
    if (!reference) return placeholder;
    const parsed = parseImageReference(reference);
    const pinnedShape = `a pinned image reference repository:x.y.z${requireDigest ? "@sha256:<digest>" : "[@sha256:<digest>]"}`;
    if (typeof parsed === "string") {
        r.problem(key, reference, `${pinnedShape}, not ${parsed}`);
        return placeholder;
    }
    if (requireDigest && !parsed.digest) {
        r.problem(key, reference, `${pinnedShape} (production pins the digest too)`);
    }
    const sameMajorTrack = floor.major === 0 ? parsed.version.major === 0 : parsed.version.major === floor.major;
    if (!sameMajorTrack || !versionAtLeast(parsed.version, floor)) {
        r.problem(key, reference, `a ${floor.major}.x release at or above ${formatVersion(floor)}`);
    }
    return parsed;
}

function readCidr(r: Reader, key: string, value: string, context: string): Cidr | undefined {
    const parsed = parseCidr(value);
    if (typeof parsed === "string") {
        r.problem(key, value, `${context} (${parsed})`);
        return undefined;
    }
    return parsed;
}

/** Reads an IP allow-list: every entry a valid IPv4 CIDR, none open to the internet, none overlapping. */
function readAllowList(r: Reader, key: DeclaredKey, minEntries: number): string[] {
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

function readResourceIds(r: Reader, key: DeclaredKey, prefix: string, min: number): string[] {
    const ids = r.stringArray(key, `${prefix}-... ids`);
    const idPattern = new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);
    for (const id of ids) {
        if (!idPattern.test(id)) r.problem(key, id, `AWS ids of the form ${prefix}-0123456789abcdef0`);
    }
    if (ids.length < min) r.problem(key, ids, `at least ${min} ${prefix} ids (one per availability zone)`);
    if (new Set(ids).size !== ids.length) r.problem(key, ids, `distinct ${prefix} ids`);
    return ids;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

function readSystems(r: Reader): TracedSystem[] {
    const catalogueAllowed = "a YAML list of systems, each with the fields " + systemFields.join(", ");
    const catalogue = r.yamlDocument("systems", catalogueAllowed);
    const overrides = r.yamlDocument("systemOverrides", "a YAML mapping of system id to the fields it overrides");
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
    const ids = merged.map((s) => s.id);
    if (overrides !== undefined && overrides !== null) {
        if (!isRecord(overrides)) {
            r.problem("systemOverrides", overrides, "a YAML mapping of system id to the fields it overrides");
        } else {
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
    }
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
    return merged.map((s) => ({
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
    }));
}

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) deepFreeze(child);
    }
    return value;
}

/**
 * Validates a flat configuration map (`namespace:key` → string, arrays and objects as JSON, as the
 * Pulumi engine hands them to a program) and returns the settings, or throws one
 * ConfigValidationError listing every problem.
 */
export function parseSettings(raw: Readonly<Record<string, string>>, stack: string): Settings {
    const r = new Reader(raw);

    for (const key of Object.keys(raw)) {
        const [namespace, name] = key.split(":");
        if (namespace === projectName && !(declaredKeys as readonly string[]).includes(name)) {
            r.problem(key, raw[key], `a key declared in Pulumi.yaml (unknown key; check its spelling)`);
        }
    }

    const environment = r.oneOf("environment", environmentNames);
    if (r.rawValue("environment") !== undefined && environment !== stack) {
        r.problem("environment", r.rawValue("environment"), `the stack name '${stack}' (one stack per environment)`);
    }
    const isProduction = environment === "prod";

    const accountIds = {} as Record<EnvironmentName, string>;
    for (const env of environmentNames) {
        const key = `${env}AccountId`;
        const id = r.string(key, "a 12-digit AWS account id");
        if (id && !accountIdPattern.test(id)) r.problem(key, id, "a 12-digit AWS account id");
        accountIds[env] = id;
    }
    for (const [i, a] of environmentNames.entries()) {
        for (const b of environmentNames.slice(i + 1)) {
            if (accountIds[a] && accountIds[a] === accountIds[b]) {
                r.problem(`${b}AccountId`, accountIds[b], `an account other than ${a}'s (environments never share accounts)`);
            }
        }
    }
    const accountId = accountIds[environment];
    const region = r.string("aws:region", "an AWS region such as eu-central-1");
    if (region && !regionPattern.test(region)) r.problem("aws:region", region, "an AWS region such as eu-central-1");
    const allowedAccountIds = r.stringArray("aws:allowedAccountIds", `exactly [${accountId}]`);
    if (r.rawValue("aws:allowedAccountIds") !== undefined && (allowedAccountIds.length !== 1 || allowedAccountIds[0] !== accountId)) {
        r.problem("aws:allowedAccountIds", allowedAccountIds, `exactly ["${accountId}"], the ${environment} account`);
    }

    const owner = r.string("owner", "the owning team's name");
    const costCenter = r.string("costCenter", "a cost-center code");
    const dataClassification = r.oneOf("dataClassification", ["internal", "confidential"] as const);

    const vpcId = r.string("vpcId", "a VPC id such as vpc-0123456789abcdef0");
    if (vpcId && !/^vpc-[0-9a-f]{8,17}$/.test(vpcId)) r.problem("vpcId", vpcId, "a VPC id such as vpc-0123456789abcdef0");
    const vpcCidrText = r.string("vpcCidr", "the VPC's IPv4 CIDR block");
    const vpcCidr = vpcCidrText ? readCidr(r, "vpcCidr", vpcCidrText, "an IPv4 CIDR block such as 10.20.0.0/16") : undefined;
    if (vpcCidrText === "0.0.0.0/0") r.problem("vpcCidr", vpcCidrText, "the VPC's own CIDR block, never 0.0.0.0/0");
    const privateSubnetIds = readResourceIds(r, "privateSubnetIds", "subnet", 2);
    const privateRouteTableIds = readResourceIds(r, "privateRouteTableIds", "rtb", 1);

    const vpnClientCidrText = r.string("vpnClientCidr", "an IPv4 CIDR block from /12 to /22");
    const vpnClientCidr = vpnClientCidrText
        ? readCidr(r, "vpnClientCidr", vpnClientCidrText, "an IPv4 CIDR block from /12 to /22")
        : undefined;
    if (vpnClientCidr && (vpnClientCidr.prefixLength < 12 || vpnClientCidr.prefixLength > 22)) {
        r.problem("vpnClientCidr", vpnClientCidrText, "an IPv4 CIDR block from /12 to /22 (AWS Client VPN limits)");
    }
    if (vpnClientCidr && vpcCidr && cidrsOverlap(vpnClientCidr, vpcCidr)) {
        r.problem("vpnClientCidr", vpnClientCidrText, `a block that does not overlap vpcCidr ${vpcCidrText}`);
    }
    const vpnSessionTimeoutHours = r.integer("vpnSessionTimeoutHours", 8, 24, "hours");
    if (!(vpnSessionTimeouts as readonly number[]).includes(vpnSessionTimeoutHours)) {
        r.problem("vpnSessionTimeoutHours", vpnSessionTimeoutHours, `one of ${vpnSessionTimeouts.join(", ")} hours`);
    }
    const vpnLoginBanner = r.string("vpnLoginBanner", "a login banner of at most 1400 characters");
    if (vpnLoginBanner.length > 1400) r.problem("vpnLoginBanner", `${vpnLoginBanner.length} characters`, "at most 1400 characters");

    const appOtlpCidrs = readAllowList(r, "appOtlpCidrs", 1);
    const s3Cidrs = readAllowList(r, "s3Cidrs", 1);
    for (const entry of appOtlpCidrs) {
        if (isOpenToInternet(entry)) continue;
        const cidr = parseCidr(entry);
        if (typeof cidr !== "string" && vpnClientCidr && cidrsOverlap(cidr, vpnClientCidr)) {
            r.problem("appOtlpCidrs", entry, `application networks, not the VPN client range ${vpnClientCidrText}`);
        }
    }

    const labelText = r.string("appNamespaceLabel", "a namespace label selector key=value");
    const [labelKey, labelValue, ...rest] = labelText.split("=");
    if (labelText && (rest.length > 0 || !labelKeyPattern.test(labelKey ?? "") || labelValue === undefined || !labelValuePattern.test(labelValue))) {
        r.problem("appNamespaceLabel", labelText, "one Kubernetes label key=value, e.g. tracing.example.com/enabled=true");
    }

    const clusterName = r.string("eksClusterName", "the name of the environment's EKS cluster");
    const nodeSecurityGroupId = r.string("eksNodeSecurityGroupId", "a security group id such as sg-0123456789abcdef0");
    if (nodeSecurityGroupId && !/^sg-[0-9a-f]{8,17}$/.test(nodeSecurityGroupId)) {
        r.problem("eksNodeSecurityGroupId", nodeSecurityGroupId, "a security group id such as sg-0123456789abcdef0");
    }
    const kubeContext = r.optionalString("kubeContext");
    const storageClass = r.string("storageClass", "a StorageClass name of the cluster");

    const caValidityHours = r.integer("caValidityHours", 8760, 87600, "hours");
    const certValidityHours = r.integer("certValidityHours", 168, 8760, "hours");
    const earlyRenewalHours = r.integer("certEarlyRenewalHours", 24, 4380, "hours");
    if (earlyRenewalHours >= certValidityHours) {
        r.problem("certEarlyRenewalHours", earlyRenewalHours, `fewer hours than certValidityHours (${certValidityHours})`);
    }
    if (certValidityHours >= caValidityHours) {
        r.problem("certValidityHours", certValidityHours, `fewer hours than caValidityHours (${caValidityHours})`);
    }

    const traceDays = r.integer("traceRetentionDays", 1, 400, "days");
    const auditDays = r.integer("auditRetentionDays", 90, 3650, "days");
    if (isProduction && auditDays < 365) r.problem("auditRetentionDays", auditDays, "at least 365 days in prod");
    const logDays = r.integer("logRetentionDays", 90, 3653, "days");
    if (!(cloudWatchRetentionDays as readonly number[]).includes(logDays)) {
        r.problem("logRetentionDays", logDays, `a CloudWatch retention value (${cloudWatchRetentionDays.filter((d) => d >= 90).join(", ")})`);
    }
    if (isProduction && logDays < 365) r.problem("logRetentionDays", logDays, "at least 365 days in prod");
    const deletionWindowDays = r.integer("kmsDeletionWindowDays", 7, 30, "days");
    if (isProduction && deletionWindowDays !== 30) r.problem("kmsDeletionWindowDays", deletionWindowDays, "30 days in prod");

    const images = {
        collector: readImage(r, "collectorImage", minimumImageVersions.collector, isProduction),
        collectorGateway: readImage(r, "collectorGatewayImage", minimumImageVersions.collector, isProduction),
        tempo: readImage(r, "tempoImage", minimumImageVersions.tempo, isProduction),
        grafana: readImage(r, "grafanaImage", minimumImageVersions.grafana, isProduction),
    };

    // One fleet, one release: both tiers are patched together and speak the same component names.
    if (images.collector.tag && images.collectorGateway.tag && formatVersion(images.collector.version) !== formatVersion(images.collectorGateway.version)) {
        r.problem(
            "collectorGatewayImage",
            images.collectorGateway.reference,
            `the same collector release as collectorImage (${formatVersion(images.collector.version)})`,
        );
    }

    const gatewayMinReplicas = r.integer("gatewayMinReplicas", 1, 100);
    const gatewayMaxReplicas = r.integer("gatewayMaxReplicas", 1, 200);
    if (isProduction && gatewayMinReplicas < 2) r.problem("gatewayMinReplicas", gatewayMinReplicas, "at least 2 in prod");
    if (gatewayMaxReplicas < gatewayMinReplicas) {
        r.problem("gatewayMaxReplicas", gatewayMaxReplicas, `at least gatewayMinReplicas (${gatewayMinReplicas})`);
    }
    const gatewayQueueVolumeGb = r.integer("gatewayQueueVolumeGb", 1, 1000, "GiB");
    const dropClientAddress = r.boolean("piiDropClientAddress");

    const mode = r.oneOf("tempoMode", tempoModes);
    const tempoReplicas = r.integer("tempoReplicas", 1, 100);
    if (mode === "monolithic" && tempoReplicas !== 1) {
        r.problem("tempoReplicas", tempoReplicas, "1 in monolithic mode (Tempo 3 monolithic runs a single instance)");
    }
    if (isProduction && mode !== "distributed") {
        r.problem("tempoMode", mode, "distributed in prod (monolithic mode has no redundancy)");
    }
    if (isProduction && tempoReplicas < 3) r.problem("tempoReplicas", tempoReplicas, "at least 3 in prod");
    if (mode === "distributed" && images.tempo.repository && !versionAtLeast(images.tempo.version, tempoKafkaSecurityMinimumVersion)) {
        r.problem(
            "tempoImage",
            images.tempo.reference,
            `Tempo ${formatVersion(tempoKafkaSecurityMinimumVersion)} or later in distributed mode (older Tempo has no Kafka TLS or SASL/SCRAM client, and MSK accepts nothing less)`,
        );
    }
    const tempoVolumeGb = r.integer("tempoVolumeGb", 5, 16000, "GiB");
    const mskInstanceType = r.string("mskInstanceType", "an MSK broker type such as kafka.m7g.large");
    if (mskInstanceType && !/^kafka\.[a-z0-9]+\.[a-z0-9]+$/.test(mskInstanceType)) {
        r.problem("mskInstanceType", mskInstanceType, "an MSK broker type such as kafka.m7g.large");
    }
    const brokerCount = r.integer("mskBrokerCount", 2, 30);
    if (mode === "distributed" && privateSubnetIds.length > 0 && brokerCount % privateSubnetIds.length !== 0) {
        r.problem("mskBrokerCount", brokerCount, `a multiple of the number of privateSubnetIds (${privateSubnetIds.length})`);
    }
    // Tempo's topic has replication factor 3 with min.insync.replicas 2: two brokers could not
    // take a write while one of them is down.
    if (mode === "distributed" && brokerCount < 3) {
        r.problem("mskBrokerCount", brokerCount, "at least 3 in distributed mode (the trace topic has replication factor 3)");
    }
    const mskVolumeGb = r.integer("mskVolumeGb", 1, 16384, "GiB");
    const kafkaVersion = r.string("kafkaVersion", "an MSK Kafka version such as 3.9.x");
    const kafkaVersionParts = /^(\d+)\.(\d+)\.(x|\d+)(\.kraft)?$/.exec(kafkaVersion);
    if (kafkaVersion && !kafkaVersionParts) {
        r.problem("kafkaVersion", kafkaVersion, "an MSK Kafka version such as 3.9.x");
    }
    // The program creates the trace topic through MSK's topic API, which needs Kafka 3.6.0 or later.
    if (mode === "distributed" && kafkaVersionParts) {
        const [major, minor] = [Number(kafkaVersionParts[1]), Number(kafkaVersionParts[2])];
        if (major < 3 || (major === 3 && minor < 6)) {
            r.problem("kafkaVersion", kafkaVersion, "3.6.x or later in distributed mode (MSK's topic API creates the trace topic)");
        }
    }

    const hostname = r.string("grafanaHostname", "a DNS name such as grafana.tracing.dev.example.internal");
    if (hostname && !dnsNamePattern.test(hostname)) r.problem("grafanaHostname", hostname, "a lowercase DNS name");
    const grafanaVolumeGb = r.integer("grafanaVolumeGb", 1, 1000, "GiB");
    const alertEmail = r.string("alertEmail", "a team mailbox for alert notifications");
    if (alertEmail && !emailPattern.test(alertEmail)) r.problem("alertEmail", alertEmail, "an e-mail address (a team mailbox)");

    const systems = readSystems(r);

    if (r.problems.length > 0) throw new ConfigValidationError(stack, r.problems);

    return deepFreeze<Settings>({
        project: projectName,
        stack,
        environment,
        isProduction,
        aws: { region, accountId, accountIds },
        tags: {
            environment,
            system: projectName,
            owner,
            "cost-center": costCenter,
            "data-classification": dataClassification,
        },
        network: {
            vpcId,
            vpcCidr: vpcCidrText,
            privateSubnetIds,
            privateRouteTableIds,
            vpnClientCidr: vpnClientCidrText,
            vpnSessionTimeoutHours,
            vpnLoginBanner,
            appOtlpCidrs,
            s3Cidrs,
            appNamespaceLabel: { key: labelKey, value: labelValue },
        },
        cluster: { name: clusterName, nodeSecurityGroupId, kubeContext, storageClass },
        pki: { caValidityHours, certValidityHours, earlyRenewalHours },
        retention: { traceDays, auditDays, logDays },
        kms: { deletionWindowDays },
        images,
        collectors: { gatewayMinReplicas, gatewayMaxReplicas, gatewayQueueVolumeGb, dropClientAddress },
        tempo: {
            mode,
            replicas: tempoReplicas,
            volumeGb: tempoVolumeGb,
            msk: { instanceType: mskInstanceType, brokerCount, volumeGb: mskVolumeGb, kafkaVersion },
        },
        grafana: { hostname, volumeGb: grafanaVolumeGb, alertEmail },
        systems,
        protectStatefulResources: isProduction,
    });
}
