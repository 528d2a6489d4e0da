/**
 * The policy pack against the real program: both shipped stacks pass every mandatory rule, and for
 * every rule a copy of the real stack's resources mutated to break it makes that rule (and only
 * that rule) fire.
 */
import * as assert from "assert";
import { readPolicyConfig } from "../../policies/enforcement";
import { ruleDefinitions } from "../../policies/rules/index";
import { mandatoryViolations, runPolicies } from "../../policies/runner";
import { shippedStacks, stackRecording } from "../harness/program";
import { checkMutations } from "./mutation-coverage";

for (const stack of shippedStacks) {
    describe(`policies on the real ${stack} program`, () => {
        it("pass every mandatory rule, and every rule finds something to check", async () => {
            const recording = await stackRecording(stack);
            const result = await runPolicies(recording.resources, { config: readPolicyConfig(stack) });
            assert.deepStrictEqual(
                mandatoryViolations(result).map((v) => `${v.policy} on ${v.resourceName}: ${v.message}`),
                [],
            );
            assert.deepStrictEqual(result.undecided, [], "a rule met a value it could not decide");
            const idle = result.outcomes.filter((o) => !o.applicable).map((o) => o.name);
            // The program creates no IAM users and no Helm releases: those rules guard other programs in the account.
            assert.deepStrictEqual(idle.sort(), ["iam-no-users-or-access-keys", "kubernetes-helm-releases-not-used"]);
        });

        it("every rule fires when the real stack is mutated to break it", async function () {
            this.timeout(120_000);
            const recording = await stackRecording(stack);
            const outcomes = await checkMutations(recording.resources, readPolicyConfig(stack));
            const caught = outcomes.filter((o) => o.status === "caught");
            // Every rule finds a target on both stacks: even dev, whose configured images carry no digests,
            // runs Grafana's pushed image by digest.
            const expectedNoTarget: string[] = [];
            const problems = outcomes
                .filter((o) => o.status !== "caught" && !(o.status === "no-target" && expectedNoTarget.includes(o.rule)))
                .map((o) => `${o.rule} (${o.mutation}): ${o.status}, fired ${o.fired.join(", ") || "nothing"}`);
            assert.deepStrictEqual(problems, []);
            console.log(`      ${caught.length} of ${ruleDefinitions.length} rules with a failing mutation caught on the real ${stack} stack`);
            assert.strictEqual(caught.length, ruleDefinitions.length - expectedNoTarget.length);
        });
    });
}
