import { strict as assert } from "assert";
import { recordStack, stackRecording, shippedStacks, ofType, byUrn } from "../harness/program";

describe("program: both stacks load under mocks", () => {
    for (const stack of shippedStacks) {
        describe(stack, () => {
            it("registers resources and exports its outputs", async () => {
                const recording = await stackRecording(stack);
                assert.equal(recording.error, undefined);
                assert.ok(recording.resources.length > 5);
                assert.equal(recording.outputs.environment, stack);
            });

            it("every custom resource uses an explicit, non-default provider", async () => {
                const recording = await stackRecording(stack);
                for (const resource of recording.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
                    assert.ok(resource.provider, `${resource.type} ${resource.name} has no provider`);
                    assert.ok(!resource.provider.includes("::default"), `${resource.type} ${resource.name} uses a default provider`);
                }
            });

            it("the AWS provider only accepts this environment's account and tags everything", async () => {
                const recording = await stackRecording(stack);
                const [provider] = ofType(recording, "pulumi:providers:aws");
                const accountId = recording.outputs.awsAccountId;
                const allowed = provider.inputs.allowedAccountIds;
                assert.deepEqual(typeof allowed === "string" ? JSON.parse(allowed) : allowed, [accountId]);
                const defaultTags = typeof provider.inputs.defaultTags === "string" ? JSON.parse(provider.inputs.defaultTags) : provider.inputs.defaultTags;
                assert.equal(defaultTags.tags.environment, stack);
                for (const tag of ["system", "owner", "cost-center", "data-classification"]) assert.ok(defaultTags.tags[tag], tag);
            });

            it("every child resource's parent was registered", async () => {
                const recording = await stackRecording(stack);
                for (const resource of recording.resources) {
                    if (resource.parent) assert.ok(byUrn(recording, resource.parent), `${resource.name}'s parent is missing`);
                }
            });

            it("platform namespaces enforce the restricted Pod Security Standard; the log agent's alone enforces privileged for its pod log mount, auditing and warning at restricted", async () => {
                const recording = await stackRecording(stack);
                const namespaces = ofType(recording, "kubernetes:core/v1:Namespace");
                assert.deepEqual(namespaces.map((ns) => ns.inputs.metadata.name).sort(), ["tracing-collectors", "tracing-grafana", "tracing-node-logs", "tracing-tempo"]);
                for (const ns of namespaces) {
                    const labels = ns.inputs.metadata.labels;
                    const expected = ns.inputs.metadata.name === "tracing-node-logs" ? "privileged" : "restricted";
                    assert.equal(labels["pod-security.kubernetes.io/enforce"], expected, ns.inputs.metadata.name);
                    assert.equal(labels["pod-security.kubernetes.io/audit"], "restricted");
                    assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
                    assert.equal(labels.environment, stack);
                }
            });
        });
    }

    it("dev and prod share no AWS account, region or provider", async () => {
        const [dev, prod] = await Promise.all(shippedStacks.map((s) => stackRecording(s)));
        assert.notEqual(dev.outputs.awsAccountId, prod.outputs.awsAccountId);
        assert.notEqual(dev.outputs.awsRegion, prod.outputs.awsRegion);
    });

    it("bad configuration stops the program before any resource is created", async () => {
        const recording = await recordStack("dev", { "tracing-platform:traceRetentionDays": 0, "tracing-platform:appOtlpCidrs": ["0.0.0.0/0"] });
        assert.match(recording.error ?? "", /Invalid configuration for stack 'dev' \(2 problems\)/);
        assert.match(recording.error ?? "", /tracing-platform:appOtlpCidrs: '0\.0\.0\.0\/0'/);
        assert.equal(recording.resources.length, 0);
    });
});
