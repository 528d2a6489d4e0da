/**
 * Policy-pack config files (`policies/config.<stack>.json`, the format `pulumi preview
 * --policy-pack-config` reads) and the enforcement level and settings they give each rule, computed
 * the way the Pulumi engine reconciles them: a rule's own entry, then `all`, then the rule's level,
 * then the pack's default; settings are the rule's schema defaults overridden by its entry.
 */
import * as fs from "fs";
import * as path from "path";
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { defaultEnforcementLevel, policies as packPolicies, packName } from "./rules/index";
import type { PackPolicy } from "./rules/types";

export type { EnforcementLevel };

export const enforcementLevels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One entry of a policy-pack config file: a level, or settings with an optional level. */
export type PolicyConfigEntry = EnforcementLevel | ({ readonly enforcementLevel?: EnforcementLevel } & Readonly<Record<string, unknown>>);

/** A policy-pack config file: policy name (or `all`) → entry. */
export type PolicyPackConfig = Readonly<Record<string, PolicyConfigEntry>>;

function entryLevel(entry: PolicyConfigEntry | undefined): EnforcementLevel | undefined {
    if (entry === undefined) return undefined;
    return typeof entry === "string" ? entry : entry.enforcementLevel;
}

/** The level the engine applies to `policy` under `config`. */
export function effectiveEnforcementLevel(
    policy: Pick<PackPolicy, "name" | "enforcementLevel">,
    config: PolicyPackConfig = {},
    packDefault: EnforcementLevel = defaultEnforcementLevel,
): EnforcementLevel {
    return entryLevel(config[policy.name]) ?? entryLevel(config.all) ?? policy.enforcementLevel ?? packDefault;
}

/** Every policy's effective level under `config` (the pack's policies unless others are given). */
export function effectiveEnforcementLevels(config: PolicyPackConfig, policies: readonly PackPolicy[] = packPolicies): Record<string, EnforcementLevel> {
    return Object.fromEntries(policies.map((policy) => [policy.name, effectiveEnforcementLevel(policy, config)]));
}

/** The settings `args.getConfig()` returns for `policy`: schema defaults, overridden by the config entry. */
export function policySettings(policy: Pick<PackPolicy, "name" | "configSchema">, config: PolicyPackConfig = {}): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (schema.default !== undefined) settings[key] = structuredClone(schema.default);
    }
    const entry = config[policy.name];
    if (entry !== undefined && typeof entry !== "string") {
        for (const [key, value] of Object.entries(entry)) if (key !== "enforcementLevel") settings[key] = value;
    }
    return settings;
}

function typeMatches(schema: PolicyConfigJSONSchema, value: unknown): boolean {
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.length === 0) return true;
    return types.some((type) => {
        switch (type) {
            case "string":
                return typeof value === "string";
            case "integer":
                return Number.isInteger(value);
            case "number":
                return typeof value === "number";
            case "boolean":
                return typeof value === "boolean";
            case "array":
                return Array.isArray(value);
            case "object":
                return typeof value === "object" && value !== null && !Array.isArray(value);
            case "null":
                return value === null;
        }
    });
}

/** Problems of one setting against its JSON schema (the subset the pack's schemas use). */
function settingProblems(where: string, schema: PolicyConfigJSONSchema, value: unknown): string[] {
    if (!typeMatches(schema, value)) return [`${where}: ${JSON.stringify(value)} is not of type ${JSON.stringify(schema.type)}`];
    const problems: string[] = [];
    if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
        problems.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) problems.push(`${where}: ${value} is below ${schema.minimum}`);
    if (typeof value === "number" && schema.maximum !== undefined && value > schema.maximum) problems.push(`${where}: ${value} is above ${schema.maximum}`);
    if (Array.isArray(value) && schema.items && typeof schema.items === "object" && !Array.isArray(schema.items)) {
        const items = schema.items;
        value.forEach((item, index) => problems.push(...settingProblems(`${where}[${index}]`, items, item)));
    }
    return problems;
}

/**
 * Everything wrong with a config file: unknown policy names, invalid levels, settings a policy does
 * not declare (a typo would otherwise be ignored silently) and settings of the wrong type.
 */
export function policyConfigProblems(config: PolicyPackConfig, policies: readonly PackPolicy[] = packPolicies): string[] {
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
        const level = entryLevel(entry);
        if (level !== undefined && !enforcementLevels.includes(level)) problems.push(`${name}: enforcement level '${level}' is not one of ${enforcementLevels.join(", ")}`);
        if (name === "all") continue;
        const policy = policies.find((p) => p.name === name);
        if (!policy) {
            problems.push(`${name}: no such policy in ${packName}`);
            continue;
        }
        if (typeof entry === "string") continue;
        const properties: PolicyConfigSchema["properties"] = policy.configSchema?.properties ?? {};
        for (const [key, value] of Object.entries(entry)) {
            if (key === "enforcementLevel") continue;
            const schema = properties[key];
            if (!schema) problems.push(`${name}.${key}: the policy has no such setting (it has ${Object.keys(properties).join(", ") || "none"})`);
            else problems.push(...settingProblems(`${name}.${key}`, schema, value));
        }
    }
    return problems;
}

/** Where the config file of a stack lives. */
export function policyConfigPath(stack: string): string {
    return path.join(__dirname, `config.${stack}.json`);
}

/** Reads and validates `policies/config.<stack>.json`; throws listing every problem. */
export function readPolicyConfig(stack: string): PolicyPackConfig {
    const file = policyConfigPath(stack);
    if (!fs.existsSync(file)) throw new Error(`no policy config for stack '${stack}': expected ${file}`);
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
    const problems = policyConfigProblems(config);
    if (problems.length > 0) throw new Error(`invalid policy config ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return config;
}
