/** Builds golden resources in the shape the engine records them. */
import type { RecordedResource } from "../../harness/recording";

const project = "tracing-platform";

export interface AddOptions {
    readonly parent?: RecordedResource;
    readonly provider?: RecordedResource;
    /** Input property → resources its value was computed from. */
    readonly from?: Readonly<Record<string, readonly RecordedResource[]>>;
    readonly protect?: boolean;
}

/** Registers resources the way the engine records them (URNs, provider references, property dependencies). */
export class StackBuilder {
    readonly resources: RecordedResource[] = [];

    constructor(readonly stack: string) {}

    add(type: string, name: string, inputs: Record<string, any>, options: AddOptions = {}): RecordedResource {
        const parentType = options.parent ? options.parent.urn.split("::")[2] : undefined;
        const propertyDependencies: Record<string, string[]> = {};
        for (const key of Object.keys(inputs)) propertyDependencies[key] = [];
        for (const [key, from] of Object.entries(options.from ?? {})) propertyDependencies[key] = from.map((r) => r.urn);
        const resource: RecordedResource = {
            urn: `urn:pulumi:${this.stack}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`,
            type,
            name,
            custom: !type.startsWith("tracing:"),
            ...(options.parent ? { parent: options.parent.urn } : {}),
            ...(options.provider ? { provider: `${options.provider.urn}::${options.provider.name}-id` } : {}),
            inputs,
            secretPaths: [],
            dependencies: [...new Set(Object.values(propertyDependencies).flat())],
            propertyDependencies,
            protect: options.protect ?? false,
            retainOnDelete: options.protect ?? false,
            additionalSecretOutputs: [],
            replaceWith: [],
        };
        this.resources.push(resource);
        return resource;
    }
}

export const json = (value: unknown) => JSON.stringify(value);
