/**
 * The test environment (Pulumi.test.yaml) is recorded once here, not by every per-stack test: it
 * loads, lives in its own account with its own networks and names, and passes the policy review
 * with its own policy config, as `npm run review -- --stack test` does in CI.
 */
import { strict as assert } from "assert";
import { readPolicyConfig } from "../../policies/enforcement";
import { mandatoryViolations, runPolicies } from "../../policies/runner";
import { cidrsOverlap, parseCidr, type Cidr } from "../../components/platform/cidr";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { recordStack, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { stackConfig } from "../harness/stack-config";
import { awsPhysicalNames } from "../harness/recorded";

function networks(settings: Settings): Cidr[] {
    return [settings.network.vpcCidr, settings.network.vpnClientCidr, ...settings.network.appOtlpCidrs].map((text) => parseCidr(text) as Cidr);
}

describe("the test stack (Pulumi.test.yaml), recorded once", function () {
    this.timeout(240_000);
    const test = parseSettings(stackConfig("test"), "test");
    let recording: StackRecording;

    before(async () => {
        recording = await recordStack("test");
    });

    it("loads and exports the test environment in the test account", () => {
        assert.equal(recording.error, undefined, recording.error);
        assert.equal(recording.outputs.environment, "test");
        assert.equal(recording.outputs.awsAccountId, test.aws.accountIds.test);
        assert.equal(test.isProduction, false);
    });

    it("shares no account, network or AWS physical name with dev or prod", async () => {
        const testNames = awsPhysicalNames(recording.resources);
        assert.ok(testNames.length >= 5, testNames.join(", "));
        for (const stack of shippedStacks) {
            const other = parseSettings(stackConfig(stack), stack);
            assert.notEqual(test.aws.accountId, other.aws.accountId, stack);
            for (const mine of networks(test)) {
                for (const theirs of networks(other)) assert.ok(!cidrsOverlap(mine, theirs), `test and ${stack} networks overlap`);
            }
            assert.notEqual(test.cluster.name, other.cluster.name);
            assert.notEqual(test.grafana.hostname, other.grafana.hostname);
            const theirNames = new Set(awsPhysicalNames((await stackRecording(stack)).resources));
            assert.deepEqual(testNames.filter((n) => theirNames.has(n)), [], `test and ${stack} share AWS physical names`);
        }
    });

    it("passes every mandatory rule of the policy pack with its own policy config", async () => {
        const result = await runPolicies(recording.resources, { config: readPolicyConfig("test") });
        assert.deepEqual(mandatoryViolations(result).map((v) => `${v.policy} on ${v.resourceName}: ${v.message}`), []);
        assert.deepEqual(result.undecided, []);
    });

    it("the dev policy config would refuse it: the account lock and allow-lists are per environment", async () => {
        const result = await runPolicies(recording.resources, { config: readPolicyConfig("dev") });
        const violated = new Set(mandatoryViolations(result).map((v) => v.policy));
        assert.ok(violated.has("aws-provider-locked-to-environment-account"), [...violated].join(", "));
    });
});
