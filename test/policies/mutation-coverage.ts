/**
 * Proves each rule fires on a given stack: applies every rule's mutation to a copy of the stack's
 * resources and checks that the violations it adds come from that rule and no other. Used on the
 * golden stacks and on the real program's recordings (test/policies/whole-stack.test.ts).
 *
 * Every rule checks the stack once. After a mutation, stack rules check the whole mutated stack
 * again, and resource rules only the resources the mutation added or changed, or whose provider it
 * changed: on any other resource a resource rule sees what it saw before and would only repeat its
 * verdict. So the violations found are exactly those a run of the whole pack would add.
 */
import type { PolicyPackConfig } from "../../policies/enforcement";
import { providerUrnOfReference, type RecordedResourceLike } from "../../policies/resource-shape";
import { ruleDefinitions } from "../../policies/rules/index";
import { MutationTargetMissing } from "../../policies/rules/lib/mutate";
import { runPolicies, type PolicyViolation } from "../../policies/runner";

export interface MutationOutcome {
    readonly rule: string;
    readonly mutation: string;
    /**
     * caught: this rule reports a new violation and no other rule fails on a resource it passed before;
     * collateral: others do too; missed: this rule reports nothing new; no-target: nothing to mutate.
     */
    readonly status: "caught" | "collateral" | "missed" | "no-target";
    /** This rule (when it fired) and the rules newly failing on a resource. */
    readonly fired: readonly string[];
}

const key = (v: PolicyViolation) => `${v.policy}\u0000${v.resourceUrn ?? ""}\u0000${v.message}`;
const onResource = (v: PolicyViolation) => `${v.policy}\u0000${v.resourceUrn ?? ""}`;

/**
 * Runs every rule's mutation on `resources`. The mutated rule must report a violation the stack did
 * not have; another rule counts against it only if it now fails on a resource it passed before (an
 * advisory violation that merely changes wording, such as an unpinned image retagged, does not).
 */
export async function checkMutations(resources: readonly RecordedResourceLike[], config: PolicyPackConfig): Promise<MutationOutcome[]> {
    const baselineViolations = (await runPolicies(resources, { config })).violations;
    const baseline = new Set(baselineViolations.map(key));
    const alreadyFailing = new Set(baselineViolations.map(onResource));
    const original = new Map(resources.map((r) => [r.urn, r]));
    const outcomes: MutationOutcome[] = [];
    for (const rule of ruleDefinitions) {
        const name = rule.policy.name;
        let mutated: RecordedResourceLike[];
        try {
            mutated = rule.violate.apply(resources);
        } catch (error) {
            if (!(error instanceof MutationTargetMissing)) throw error;
            outcomes.push({ rule: name, mutation: rule.violate.description, status: "no-target", fired: [] });
            continue;
        }
        const changed = changedResources(original, mutated);
        const added = (await runPolicies(mutated, { config, validateResources: (r) => changed.has(r.urn), resourcesOwned: true })).violations.filter((v) => !baseline.has(key(v)));
        const fired = [...new Set(added.filter((v) => v.policy === name || !alreadyFailing.has(onResource(v))).map((v) => v.policy))].sort();
        const status = !fired.includes(name) ? "missed" : fired.length === 1 ? "caught" : "collateral";
        outcomes.push({ rule: name, mutation: rule.violate.description, status, fired });
    }
    return outcomes;
}

/** Equal data, keys in the same order (the way JSON.stringify would compare it, without building the strings). */
function sameData(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
    const keys = Object.keys(a);
    const otherKeys = Object.keys(b);
    return keys.length === otherKeys.length && keys.every((key, i) => key === otherKeys[i] && sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** URNs of the mutated stack's resources that differ from the original, or whose provider does (or appeared or went). */
function changedResources(original: ReadonlyMap<string, RecordedResourceLike>, mutated: readonly RecordedResourceLike[]): Set<string> {
    const now = new Map(mutated.map((r) => [r.urn, r]));
    const differs = (urn: string) => !sameData(original.get(urn), now.get(urn));
    return new Set(mutated.filter((r) => differs(r.urn) || (r.provider !== undefined && differs(providerUrnOfReference(r.provider)))).map((r) => r.urn));
}
