import * as assert from "assert";
import { ruleDefinitions } from "../../policies/rules/index";
import { MutationTargetMissing } from "../../policies/rules/lib/mutate";
import { runPolicies, type PolicyViolation } from "../../policies/runner";
import { golden, stackPolicyConfig } from "./helpers";
import { checkMutations } from "./mutation-coverage";

describe("policies: golden stacks and mutations", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`the golden ${stack} stack passes every rule, each one checking something`, async () => {
            const result = await runPolicies(golden(stack), { config: stackPolicyConfig(stack) });
            assert.deepStrictEqual(result.violations, []);
            assert.deepStrictEqual(result.undecided, []);
            // The golden stack exercises every rule except those about resources it must not have.
            assert.deepStrictEqual(
                result.outcomes.filter((o) => !o.applicable).map((o) => o.name),
                ["iam-no-users-or-access-keys", "kubernetes-helm-releases-not-used"],
            );
        });

        it(`every rule's mutation makes exactly that rule fire on the golden ${stack} stack`, async () => {
            const outcomes = await checkMutations(golden(stack), stackPolicyConfig(stack));
            const failures = outcomes.filter((o) => o.status !== "caught").map((o) => `${o.rule} (${o.mutation}): ${o.status}, fired ${o.fired.join(", ") || "nothing"}`);
            assert.deepStrictEqual(failures, []);
            const caught = outcomes.filter((o) => o.status === "caught").length;
            console.log(`      ${caught} rules with a failing mutation caught (golden ${stack} stack, ${ruleDefinitions.length} rules)`);
            assert.strictEqual(caught, ruleDefinitions.length);
        });
    }

    it("checking only what a mutation changed finds the rules a whole-pack run finds (golden prod stack)", async () => {
        const resources = golden("prod");
        const config = stackPolicyConfig("prod");
        const key = (v: PolicyViolation) => `${v.policy}\u0000${v.resourceUrn ?? ""}\u0000${v.message}`;
        const baseline = new Set((await runPolicies(resources, { config })).violations.map(key));
        const outcomes = await checkMutations(resources, config);
        for (const [index, rule] of ruleDefinitions.entries()) {
            const added = (await runPolicies(rule.violate.apply(resources), { config })).violations.filter((v) => !baseline.has(key(v)));
            assert.deepStrictEqual(outcomes[index].fired, [...new Set(added.map((v) => v.policy))].sort(), rule.policy.name);
        }
    });

    it("mutations are pure: the stack they are given is left unchanged", () => {
        const resources = golden("prod");
        const before = JSON.stringify(resources);
        for (const rule of ruleDefinitions) rule.violate.apply(resources);
        assert.strictEqual(JSON.stringify(resources), before);
    });

    it("a mutation with nothing to act on says so instead of returning the stack unchanged", () => {
        const onlyProviders = golden("prod").filter((r) => r.type.startsWith("pulumi:providers:"));
        const missing = ruleDefinitions.filter((rule) => {
            try {
                rule.violate.apply(onlyProviders);
                return false;
            } catch (error) {
                assert.ok(error instanceof MutationTargetMissing, `${rule.policy.name}: ${error}`);
                assert.match((error as Error).message, /^the stack has no .+ to mutate$/);
                return true;
            }
        });
        // Only the provider rules can still find their target on a stack of providers.
        assert.deepStrictEqual(
            ruleDefinitions.filter((r) => !missing.includes(r)).map((r) => r.policy.name),
            ["aws-provider-locked-to-environment-account", "aws-environment-tags-match-stack", "kubernetes-provider-pinned-to-cluster"],
        );
    });
});
