/**
 * IAM-style policy documents (identity, bucket, key and trust policies), normalised so rules can
 * reason about effects, actions, resources, principals and conditions without caring whether a field
 * was a string or a list, or the document a JSON string or an object.
 */
import { asList, isRecord, parseJsonish, stringList } from "./values";

export interface Principals {
    /** `"*"` or `{"AWS": "*"}`: anyone. */
    readonly anyone: boolean;
    readonly aws: readonly string[];
    readonly service: readonly string[];
    readonly federated: readonly string[];
}

export interface PolicyStatement {
    readonly sid?: string;
    readonly effect: "Allow" | "Deny";
    readonly actions: readonly string[];
    readonly notActions: readonly string[];
    readonly resources: readonly string[];
    readonly notResources: readonly string[];
    readonly principals?: Principals;
    readonly notPrincipal: boolean;
    /** Operator → lower-cased condition key → values (as strings). */
    readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

function principalsOf(value: unknown): Principals | undefined {
    if (value === undefined || value === null) return undefined;
    if (value === "*") return { anyone: true, aws: ["*"], service: [], federated: [] };
    if (!isRecord(value)) return { anyone: false, aws: stringList(value), service: [], federated: [] };
    const aws = stringList(value.AWS);
    return {
        anyone: aws.includes("*"),
        aws,
        service: stringList(value.Service),
        federated: stringList(value.Federated),
    };
}

function conditionsOf(value: unknown): PolicyStatement["conditions"] {
    const conditions: Record<string, Record<string, string[]>> = {};
    if (!isRecord(value)) return conditions;
    for (const [operator, entries] of Object.entries(value)) {
        if (!isRecord(entries)) continue;
        const normalised: Record<string, string[]> = {};
        for (const [key, values] of Object.entries(entries)) {
            normalised[key.toLowerCase()] = asList(values as unknown).map((v) => String(v));
        }
        conditions[operator] = normalised;
    }
    return conditions;
}

/** The statements of a policy document (JSON string or object); undefined when it is not one. */
export function policyStatements(document: unknown): PolicyStatement[] | undefined {
    const parsed = parseJsonish(document);
    if (!isRecord(parsed) || parsed.Statement === undefined) return undefined;
    return asList(parsed.Statement as unknown)
        .filter(isRecord)
        .map((statement) => ({
            ...(typeof statement.Sid === "string" ? { sid: statement.Sid } : {}),
            effect: statement.Effect === "Deny" ? "Deny" : "Allow",
            actions: stringList(statement.Action),
            notActions: stringList(statement.NotAction),
            resources: stringList(statement.Resource),
            notResources: stringList(statement.NotResource),
            principals: principalsOf(statement.Principal ?? statement.NotPrincipal),
            notPrincipal: statement.NotPrincipal !== undefined,
            conditions: conditionsOf(statement.Condition),
        }));
}

/** Condition keys (lower-cased) a statement constrains, under any operator. */
export function conditionKeys(statement: PolicyStatement): Set<string> {
    return new Set(Object.values(statement.conditions).flatMap((entries) => Object.keys(entries)));
}

/**
 * Condition keys that pin a public principal to a known caller (a service acting for one resource or
 * account, our organisation, a VPC endpoint), after which `"*"` is not public any more.
 */
const callerScopingKeys = [
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "kms:calleraccount",
    "kms:viaservice",
];

/** An `Allow` to anyone (`"*"`, `{"AWS": "*"}`, or via `NotPrincipal`) that no condition scopes to a caller. */
export function grantsPublicAccess(statement: PolicyStatement): boolean {
    if (statement.effect !== "Allow" || !statement.principals) return false;
    if (!statement.principals.anyone && !statement.notPrincipal) return false;
    const keys = conditionKeys(statement);
    return !callerScopingKeys.some((key) => keys.has(key));
}

/** True when an action pattern is a whole-service or global wildcard (`*`, `s3:*`). */
export function isServiceWildcard(action: string): boolean {
    return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

/** The service prefix of an action (`s3:GetObject` → `s3`; `*` → `*`). */
export function actionService(action: string): string {
    return action === "*" ? "*" : (action.split(":")[0] ?? "").toLowerCase();
}

function wildcardCovers(pattern: string, value: string, flags: string): boolean {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${source}$`, flags).test(value);
}

/** True when an action pattern (`kms:GenerateDataKey*`, `kms:*`, `*`) covers `action`; IAM matches actions case-insensitively. */
export function actionCovers(pattern: string, action: string): boolean {
    return wildcardCovers(pattern, action, "i");
}

/** True when a statement's Resource pattern (`arn:aws:s3:::bucket/*`, `*`) covers the ARN `arn`. */
export function resourceCovers(pattern: string, arn: string): boolean {
    return wildcardCovers(pattern, arn, "");
}
