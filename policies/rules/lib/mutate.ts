/**
 * Building blocks for the mutation hooks: each hook copies a stack's resources, breaks exactly one
 * rule on the copy and returns it. They are written against the shapes real components produce, so
 * a whole-stack test can prove each rule fires on the real program.
 */
import * as yaml from "yaml";
import { copyRecorded, stackOfUrn, projectOfUrn, type EditableResource, type RecordedResourceLike } from "../../resource-shape";
import type { Mutation } from "../types";
import { parseDocument, parseIni, stringifyIni } from "./config-documents";
import { isRecord, parseJsonish } from "./values";

export class MutationTargetMissing extends Error {
    constructor(what: string) {
        super(`the stack has no ${what} to mutate`);
        this.name = "MutationTargetMissing";
    }
}

/** A mutation that edits a deep copy of the resources (the edit may push or splice resources). */
export function mutation(description: string, edit: (resources: EditableResource[]) => void): Mutation {
    return {
        description,
        apply: (resources: readonly RecordedResourceLike[]) => {
            const copy = copyRecorded(resources) as unknown as EditableResource[];
            edit(copy);
            return copy;
        },
    };
}

/** The first resource of one of `types` matching `where`; throws MutationTargetMissing otherwise. */
export function pick(
    resources: EditableResource[],
    types: readonly string[],
    what: string,
    where: (resource: EditableResource) => boolean = () => true,
): EditableResource {
    const found = resources.find((r) => types.includes(r.type) && where(r));
    if (!found) throw new MutationTargetMissing(what);
    return found;
}

/** Removes resources matching `where`; throws when none matched. */
export function remove(resources: EditableResource[], what: string, where: (resource: EditableResource) => boolean): void {
    const before = resources.length;
    for (let i = resources.length - 1; i >= 0; i--) if (where(resources[i])) resources.splice(i, 1);
    if (resources.length === before) throw new MutationTargetMissing(what);
}

/** True when `resource`'s `property` was computed from the resource with URN `urn`. */
export function dependsOn(resource: EditableResource, property: string, urn: string): boolean {
    return (resource.propertyDependencies?.[property] ?? []).includes(urn);
}

/**
 * Adds a resource next to `sibling`: same stack, project, parent and provider, so only what the
 * mutation means to break differs from the real thing.
 */
export function addSibling(
    resources: EditableResource[],
    sibling: EditableResource,
    type: string,
    name: string,
    inputs: Record<string, any>,
    propertyDependencies: Record<string, string[]> = {},
): EditableResource {
    const parentType = sibling.parent ? sibling.parent.split("::")[2] : undefined;
    const qualifiedType = parentType ? `${parentType}$${type}` : type;
    const added: EditableResource = {
        urn: `urn:pulumi:${stackOfUrn(sibling.urn)}::${projectOfUrn(sibling.urn)}::${qualifiedType}::${name}`,
        type,
        name,
        custom: true,
        ...(sibling.parent ? { parent: sibling.parent } : {}),
        ...(sibling.provider ? { provider: sibling.provider } : {}),
        inputs,
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
        protect: false,
        retainOnDelete: false,
        additionalSecretOutputs: [],
    };
    resources.push(added);
    return added;
}

/** Edits a JSON-document input in place, keeping its form (a JSON string stays a string). */
export function editDocument(resource: EditableResource, property: string, edit: (document: any) => void): void {
    const original = resource.inputs[property];
    const document = parseJsonish(original);
    if (!isRecord(document)) throw new MutationTargetMissing(`${property} document on ${resource.name}`);
    edit(document);
    resource.inputs[property] = typeof original === "string" ? JSON.stringify(document) : document;
}

/** A record at `path` under `root`, created when missing. */
export function ensurePath(root: Record<string, any>, path: readonly string[]): Record<string, any> {
    let node = root;
    for (const key of path) {
        if (!isRecord(node[key])) node[key] = {};
        node = node[key];
    }
    return node;
}

/**
 * Edits the first YAML file carried in a ConfigMap for which `where` holds, writing it back as YAML.
 * `edit` returns false when that document offers nothing to change, and the search goes on.
 */
export function editConfigMapYaml(
    resources: EditableResource[],
    what: string,
    where: (document: Record<string, any>) => boolean,
    edit: (document: Record<string, any>) => boolean | void,
): void {
    for (const resource of resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap")) {
        const data = resource.inputs.data;
        if (!isRecord(data)) continue;
        for (const [key, text] of Object.entries(data)) {
            if (typeof text !== "string" || key.endsWith(".ini")) continue;
            const parsed = parseDocument(text);
            if (!isRecord(parsed) || !where(parsed)) continue;
            const document = structuredClone(parsed);
            if (edit(document) === false) continue;
            data[key] = yaml.stringify(document);
            return;
        }
    }
    throw new MutationTargetMissing(what);
}

/** Edits the first `.ini` file carried in a ConfigMap (grafana.ini), writing it back. */
export function editConfigMapIni(resources: EditableResource[], what: string, edit: (document: Record<string, Record<string, string>>) => void): void {
    for (const resource of resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap")) {
        const data = resource.inputs.data;
        if (!isRecord(data)) continue;
        const key = Object.keys(data).find((k) => k.endsWith(".ini") && typeof data[k] === "string");
        if (!key) continue;
        const document = structuredClone(parseIni(data[key])) as Record<string, Record<string, string>>;
        edit(document);
        data[key] = stringifyIni(document);
        return;
    }
    throw new MutationTargetMissing(what);
}
