/**
 * A stack policy's view of the stack: resources by type, and links between them through
 * `propertyDependencies` (URN identity), which is how a side resource (an S3 encryption config, a
 * lock config, a trail) is tied to the bucket it configures even while names and ARNs are unknown.
 */
import type { PolicyResource } from "@pulumi/policy";
import { stackOfUrn } from "../../resource-shape";
import { isUnknownValueError } from "./values";

export class StackView {
    readonly stack: string;
    private readonly byUrn: ReadonlyMap<string, PolicyResource>;

    constructor(readonly resources: readonly PolicyResource[]) {
        this.stack = resources.length > 0 ? stackOfUrn(resources[0].urn) : "";
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    ofType(types: readonly string[]): PolicyResource[] {
        return this.resources.filter((r) => types.includes(r.type));
    }

    resource(urn: string): PolicyResource | undefined {
        return this.byUrn.get(urn);
    }

    /** True when `from`'s input `property` was computed from `to` (an output of `to` flowed into it). */
    dependsThrough(from: PolicyResource, property: string, to: PolicyResource): boolean {
        return (from.propertyDependencies[property] ?? []).some((dependency) => dependency.urn === to.urn);
    }

    /**
     * Runs `check` for each resource; a resource whose relevant values are unknown (preview) is
     * skipped rather than judged, so one unknown never hides violations on the others.
     */
    each<T extends PolicyResource>(resources: readonly T[], check: (resource: T) => void): void {
        for (const resource of resources) {
            try {
                check(resource);
            } catch (error) {
                if (!isUnknownValueError(error)) throw error;
            }
        }
    }
}
