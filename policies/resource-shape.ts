/**
 * The shape of one registered resource as the offline runner and the mutation hooks see it. It is
 * structurally the test harness's `RecordedResource` (test/harness/recording.ts), declared here so the
 * pack never imports test code; optional fields default the way the engine would fill them.
 */
export interface RecordedResourceLike {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** False for component resources. */
    readonly custom?: boolean;
    /** URN of the parent resource. */
    readonly parent?: string;
    /** Provider reference `<provider urn>::<provider id>`, as the engine records it. */
    readonly provider?: string;
    /** Resource inputs (what `args.props` holds in a real engine run). */
    readonly inputs: Readonly<Record<string, any>>;
    readonly dependencies?: readonly string[];
    /** Input property name → URNs of the resources its value came from. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect?: boolean;
    readonly retainOnDelete?: boolean;
    readonly additionalSecretOutputs?: readonly string[];
}

/** A resource a mutation may edit in place (it always works on its own deep copy). */
export interface EditableResource {
    urn: string;
    type: string;
    name: string;
    custom?: boolean;
    parent?: string;
    provider?: string;
    inputs: Record<string, any>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    protect?: boolean;
    retainOnDelete?: boolean;
    additionalSecretOutputs?: string[];
}

/** The stack segment of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
    const head = urn.split("::")[0] ?? "";
    const parts = head.split(":");
    return parts.length >= 3 ? parts.slice(2).join(":") : "";
}

/** The project segment of a URN. */
export function projectOfUrn(urn: string): string {
    return urn.split("::")[1] ?? "";
}

/**
 * The provider URN of a provider reference. The engine records `<urn>::<id>`; a URN has four
 * `::`-separated segments (`urn:pulumi:<stack>`, project, type, name), so a fifth one is the id.
 */
export function providerUrnOfReference(reference: string): string {
    const segments = reference.split("::");
    return segments.length > 4 ? segments.slice(0, -1).join("::") : reference;
}

/**
 * A deep copy of recorded data (records, arrays and primitives, which is all a recording holds). It
 * shares strings, which are immutable, so it is much cheaper than structuredClone on stacks that
 * carry large files (dashboards) in their inputs, and every run and mutation copies the stack.
 */
export function copyRecorded<T>(value: T): T {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => copyRecorded(item)) as T;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
        // A recorded "__proto__" key is data, not the prototype.
        if (key === "__proto__") Object.defineProperty(copy, key, { value: copyRecorded(item), enumerable: true, writable: true, configurable: true });
        else copy[key] = copyRecorded(item);
    }
    return copy as T;
}
