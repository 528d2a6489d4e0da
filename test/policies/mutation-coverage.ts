/**
 * Proves each rule fires on a given stack: applies every rule's mutation to a copy of the stack's
 * resources and checks that the violations it adds come from that rule and no other. Used on the
 * golden stacks now and on the real program's recordings once the components are merged.
 */
import type { PolicyPackConfig } from "../../policies/enforcement";
import type { RecordedResourceLike } from "../../policies/resource-shape";
import { ruleDefinitions } from "../../policies/rules";
import { MutationTargetMissing } from "../../policies/rules/lib/mutate";
import { runPolicies, type PolicyViolation } from "../../policies/runner";

export interface MutationOutcome {
    readonly rule: string;
    readonly mutation: string;
    /** caught: only this rule reports new violations; collateral: it does, and others too; missed: it does not; no-target: nothing to mutate. */
    readonly status: "caught" | "collateral" | "missed" | "no-target";
    /** Rules reporting violations the unmutated stack did not have. */
    readonly fired: readonly string[];
}

const key = (v: PolicyViolation) => `${v.policy}\u0000${v.resourceUrn ?? ""}\u0000${v.message}`;

export async function checkMutations(resources: readonly RecordedResourceLike[], config: PolicyPackConfig): Promise<MutationOutcome[]> {
    const baseline = new Set((await runPolicies(resources, { config })).violations.map(key));
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
        const fired = [...new Set(added.map((v) => v.policy))].sort();
        const status = !fired.includes(name) ? "missed" : fired.length === 1 ? "caught" : "collateral";
        outcomes.push({ rule: name, mutation: rule.violate.description, status, fired });
    }
    return outcomes;
}
