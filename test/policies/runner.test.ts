import * as assert from "assert";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { readPolicyConfig } from "../../policies/enforcement";
import { fixOf, renderPolicyReport } from "../../policies/report";
import type { RecordedResourceLike } from "../../policies/resource-shape";
import { ruleDefinitions, ruleNamed } from "../../policies/rules/index";
import { unknownValue } from "../../policies/rules/lib/values";
import { hasMandatoryViolations, mandatoryViolations, runPolicies, violatedPolicies } from "../../policies/runner";
import type { RecordedResource } from "../harness/recording";
import { edited, golden, named } from "./helpers";

/** A resource policy that records the arguments it is given. */
function probe(seen: ResourceValidationArgs[], only?: string): ResourceValidationPolicy {
    return {
        name: "probe",
        description: "records its arguments",
        configSchema: { properties: { limit: { type: "integer", default: 3 }, note: { type: "string", default: "default" } } },
        validateResource: (args) => {
            if (only && args.type !== only) args.notApplicable("not mine");
            seen.push(args);
        },
    };
}

describe("policies: offline runner", () => {
    it("accepts the test harness's RecordedResource shape", () => {
        const recorded: readonly RecordedResource[] = golden();
        const accepted: readonly RecordedResourceLike[] = recorded;
        assert.strictEqual(accepted.length, recorded.length);
    });

    it("hands resource policies the engine's arguments: inputs, provider props (JSON strings), options, config", async () => {
        const seen: ResourceValidationArgs[] = [];
        await runPolicies(golden(), { policies: [probe(seen, "aws:kms/key:Key")], config: { probe: { note: "configured" } } });
        assert.deepStrictEqual(seen.map((a) => a.name), ["tracing-traces-key", "tracing-audit-key"]);
        const key = seen[0];
        assert.strictEqual(key.urn, "urn:pulumi:prod::tracing-platform::aws:kms/key:Key::tracing-traces-key");
        assert.strictEqual(key.props.enableKeyRotation, true);
        assert.strictEqual(key.opts.protect, true);
        assert.strictEqual(key.provider?.type, "pulumi:providers:aws");
        assert.strictEqual(key.provider?.name, "tracing-aws");
        assert.strictEqual(key.provider?.props.allowedAccountIds, '["333333333333"]');
        assert.deepStrictEqual(key.getConfig(), { limit: 3, note: "configured" });
        assert.strictEqual(key.isType({ __pulumiType: "aws:kms/key:Key" } as never), true);
        assert.strictEqual(key.asType({ __pulumiType: "aws:s3/bucket:Bucket" } as never), undefined);
    });

    it("rebuilds a default provider the recording only references", async () => {
        const seen: ResourceValidationArgs[] = [];
        const resources = edited((rs) => (named(rs, "tracing-traces-key").provider = "urn:pulumi:prod::tracing-platform::pulumi:providers:aws::default_7_48_0::0f1e"));
        await runPolicies(resources, { policies: [probe(seen, "aws:kms/key:Key")] });
        assert.deepStrictEqual(
            { type: seen[0].provider?.type, name: seen[0].provider?.name, urn: seen[0].provider?.urn },
            { type: "pulumi:providers:aws", name: "default_7_48_0", urn: "urn:pulumi:prod::tracing-platform::pulumi:providers:aws::default_7_48_0" },
        );
    });

    it("resolves parents, dependencies and propertyDependencies to the stack's own resource objects", async () => {
        let stack: PolicyResource[] = [];
        const capture: StackValidationPolicy = { name: "capture", description: "captures the stack", validateStack: (args: StackValidationArgs) => void (stack = args.resources) };
        await runPolicies(golden(), { policies: [capture] });
        const encryption = stack.find((r) => r.name === "tracing-traces-encryption")!;
        const bucket = stack.find((r) => r.name === "tracing-traces")!;
        const key = stack.find((r) => r.name === "tracing-traces-key")!;
        assert.strictEqual(encryption.propertyDependencies.bucket[0], bucket);
        assert.strictEqual(encryption.propertyDependencies.rules[0], key);
        assert.ok(encryption.dependencies.includes(bucket) && encryption.dependencies.includes(key));
        const aws = stack.find((r) => r.name === "tracing-aws")!;
        assert.strictEqual(aws.parent, stack.find((r) => r.type === "tracing:platform:Providers"));
        assert.strictEqual(bucket.provider?.urn, aws.urn);
    });

    it("can limit resource validations to chosen resources while stack policies still see the whole stack", async () => {
        const seen: ResourceValidationArgs[] = [];
        let stackSize = 0;
        const capture: StackValidationPolicy = { name: "capture", description: "counts the stack", validateStack: (args: StackValidationArgs) => void (stackSize = args.resources.length) };
        const resources = golden();
        await runPolicies(resources, { policies: [probe(seen), capture], validateResources: (r) => r.name === "tracing-audit-key" });
        assert.deepStrictEqual(seen.map((a) => a.name), ["tracing-audit-key"]);
        assert.strictEqual(seen[0].provider?.props.allowedAccountIds, '["333333333333"]');
        assert.strictEqual(stackSize, resources.length);
    });

    it("reports violations at the configured level and skips disabled rules", async () => {
        const resources = edited((rs) => {
            named(rs, "tracing-traces-key").inputs.enableKeyRotation = false;
            delete named(rs, "tracing-vpn-connections").inputs.retentionInDays;
        });
        const rules = [ruleNamed("kms-key-rotation-enabled").policy, ruleNamed("cloudwatch-log-groups-retention-bounded").policy];
        const dev = await runPolicies(resources, { policies: rules, config: readPolicyConfig("dev") });
        assert.deepStrictEqual(
            dev.violations.map((v) => [v.policy, v.resourceName, v.enforcementLevel]),
            [
                ["kms-key-rotation-enabled", "tracing-traces-key", "mandatory"],
                ["cloudwatch-log-groups-retention-bounded", "tracing-vpn-connections", "advisory"],
            ],
        );
        assert.strictEqual(dev.stack, "prod");
        assert.deepStrictEqual(violatedPolicies(dev), ["kms-key-rotation-enabled", "cloudwatch-log-groups-retention-bounded"]);
        assert.strictEqual(mandatoryViolations(dev).length, 1);
        assert.strictEqual(hasMandatoryViolations(dev), true);

        const relaxed = await runPolicies(resources, { policies: rules, config: { "kms-key-rotation-enabled": "disabled", "cloudwatch-log-groups-retention-bounded": "remediate" } });
        assert.deepStrictEqual(relaxed.outcomes.map((o) => o.name), ["cloudwatch-log-groups-retention-bounded"]);
        assert.deepStrictEqual(relaxed.violations.map((v) => v.enforcementLevel), ["mandatory"]);
    });

    it("records unknown values as undecided, the way the engine downgrades them, and never as violations", async () => {
        const resources = edited((rs) => (named(rs, "tracing-traces-key").inputs.enableKeyRotation = unknownValue));
        const result = await runPolicies(resources, { policies: [ruleNamed("kms-key-rotation-enabled").policy] });
        assert.deepStrictEqual(result.violations, []);
        assert.deepStrictEqual(result.undecided, [
            {
                policy: "kms-key-rotation-enabled",
                resourceUrn: "urn:pulumi:prod::tracing-platform::aws:kms/key:Key::tracing-traces-key",
                resourceName: "tracing-traces-key",
                reason: "string value at .enableKeyRotation can't be known during preview",
            },
        ]);
    });

    it("tracks which rules had anything to check", async () => {
        const result = await runPolicies(golden().filter((r) => r.type.startsWith("pulumi:providers:")), { config: readPolicyConfig("prod") });
        assert.deepStrictEqual(
            result.outcomes.filter((o) => o.applicable).map((o) => o.name),
            ["aws-provider-locked-to-environment-account", "aws-environment-tags-match-stack", "kubernetes-provider-pinned-to-cluster"],
        );
        assert.deepStrictEqual(result.violations, []);
    });

    it("never lets a policy change the recorded inputs", async () => {
        const resources = golden();
        const before = JSON.stringify(resources);
        const vandal: ResourceValidationPolicy = { name: "vandal", description: "mutates what it sees", validateResource: (args) => void (args.props.mutated = true) };
        await runPolicies(resources, { policies: [vandal] });
        assert.strictEqual(JSON.stringify(resources), before);
    });

    it("surfaces a policy that crashes, naming the policy and resource", async () => {
        const broken: ResourceValidationPolicy = { name: "broken", description: "throws", validateResource: () => { throw new Error("boom"); } };
        await assert.rejects(runPolicies(golden().slice(0, 2), { policies: [broken] }), /policy 'broken' failed on urn:pulumi:prod::tracing-platform::tracing:platform:Providers::tracing: Error: boom/);
    });

    it("renders a Markdown review: rule results, violations with their fix", async () => {
        const resources = edited((rs) => (named(rs, "tracing-traces-key").inputs.enableKeyRotation = false));
        const result = await runPolicies(resources, { config: readPolicyConfig("prod") });
        const report = renderPolicyReport(result);
        assert.match(report, /^## Policy review of stack `prod` \(tracing-platform-security\)$/m);
        // Every rule but the violated one and the two the stack gives nothing to check passes.
        assert.match(report, new RegExp(`^### Rules: ${ruleDefinitions.length - 3} passed, 1 violated, 2 with nothing to check$`, "m"));
        assert.match(report, /^\| `kms-key-rotation-enabled` \| mandatory \| 1 violation\(s\) \|$/m);
        assert.match(report, /^### Violations: 1 mandatory, 0 advisory$/m);
        const fix = fixOf(ruleNamed("kms-key-rotation-enabled").policy.description);
        assert.ok(fix.startsWith("set enableKeyRotation: true"), fix);
        assert.ok(report.includes(`| mandatory | \`kms-key-rotation-enabled\` | tracing-traces-key | KMS key 'tracing-traces-key' does not rotate; set enableKeyRotation: true. | ${fix} |`));
    });
});
