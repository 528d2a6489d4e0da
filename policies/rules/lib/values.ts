/**
 * Reading resource properties the way the engine hands them over: proxied inputs whose unknown
 * (preview-time) values throw when touched, and provider config whose non-string values arrive as
 * JSON strings (pulumi/pulumi#15477).
 */
// The SDK's own proxy module, which the policy server uses too; importing @pulumi/policy itself
// would load its server and @pulumi/pulumi, most of what `npm run review` spends loading the pack.
import * as policyProxy from "@pulumi/policy/proxy";

/** Runtime exports @pulumi/policy ships without type declarations. */
const policyRuntime = policyProxy as unknown as {
    readonly UnknownValueError: new (...args: any[]) => Error;
    readonly unknownCheckingProxy: <T>(value: T) => T;
};

/** True for the error the engine's property proxy throws when a policy touches an unknown value. */
export function isUnknownValueError(error: unknown): boolean {
    return error instanceof policyRuntime.UnknownValueError;
}

/** Wraps plain inputs in the engine's own unknown-checking proxy. */
export function unknownCheckingProxy<T>(value: T): T {
    return policyRuntime.unknownCheckingProxy(value);
}

/**
 * The engine's sentinel for an unknown string (also used for unknown values of other types in
 * recorded inputs); the proxy throws on reading a property holding it.
 */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Runs `read` and returns its result, or `undefined` when it touched an unknown value. Only for
 * optional facts: a rule must not treat "unknown" as "absent" when that would decide a violation.
 */
export function ifKnown<T>(read: () => T): { readonly known: true; readonly value: T } | { readonly known: false } {
    try {
        return { known: true, value: read() };
    } catch (error) {
        if (isUnknownValueError(error)) return { known: false };
        throw error;
    }
}

/** A JSON string parsed, or the value itself when it is not a JSON string (provider config, policy documents). */
export function parseJsonish(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const trimmed = value.trim();
    if (!/^[[{"]|^(true|false|null|-?\d)/.test(trimmed)) return value;
    try {
        return JSON.parse(trimmed);
    } catch {
        return value;
    }
}

export function isRecord(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value that may be one item or a list, as a list (IAM `Action`, `Resource`, ...). */
export function asList<T>(value: T | readonly T[] | undefined | null): T[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** Strings of a list-ish value, ignoring anything that is not a string. */
export function stringList(value: unknown): string[] {
    return asList(value).filter((item): item is string => typeof item === "string");
}

/** A boolean that may arrive as a string (provider config, Helm values, IAM condition values). */
export function isTrue(value: unknown): boolean {
    return value === true || (typeof value === "string" && value.trim().toLowerCase() === "true");
}

/** A non-empty string. */
export function isSet(value: unknown): value is string {
    return typeof value === "string" && value.trim() !== "";
}
