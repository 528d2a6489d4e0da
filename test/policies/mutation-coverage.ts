/**
 * Proves each rule fires on a given stack: applies every rule's mutation to a copy of the stack's
 * resources and checks that the violations it adds come from that rule and no other. Used on the
 * golden stacks and on the real program's recordings (test/policies/whole-stack.test.ts).
 */
import type { PolicyPackConfig } from "../../policies/enforcement";
import type { RecordedResourceLike } from "../../policies/resource-shape";
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
        const added = (await runPolicies(mutated, { config })).violations.filter((v) => !baseline.has(key(v)));
        const fired = [...new Set(added.filter((v) => v.policy === name || !alreadyFailing.has(onResource(v))).map((v) => v.policy))].sort();
        const status = !fired.includes(name) ? "missed" : fired.length === 1 ? "caught" : "collateral";
        outcomes.push({ rule: name, mutation: rule.violate.description, status, fired });
    }
    return outcomes;
}
