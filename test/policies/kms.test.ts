import * as assert from "assert";
import { unknownValue } from "../../policies/rules/lib/values";
import { describeRule, edited, editJson, named, runRule } from "./helpers";

describe("policies: KMS", () => {
    describeRule("kms-key-rotation-enabled", [
        {
            title: "rotation off, rotation period above a year",
            change: (rs) => Object.assign(named(rs, "tracing-traces-key").inputs, { enableKeyRotation: false, rotationPeriodInDays: 730 }),
            expect: ["KMS key 'tracing-traces-key' does not rotate; set enableKeyRotation: true.", "KMS key 'tracing-traces-key' rotates every 730 days; rotate at least every 365 days."],
        },
        {
            title: "compliant: an asymmetric signing key cannot rotate and is not judged",
            change: (rs) => Object.assign(named(rs, "tracing-traces-key").inputs, { enableKeyRotation: false, customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" }),
            expect: [],
        },
    ]);

    describeRule("kms-key-policy-no-public-principals", [
        {
            title: "anyone may decrypt, lockout safety check bypassed",
            change: (rs) => {
                const key = named(rs, "tracing-audit-key");
                key.inputs.bypassPolicyLockoutSafetyCheck = true;
                editJson(key, "policy", (d) => d.Statement.push({ Sid: "Anyone", Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["kms:Decrypt"], Resource: "*" }));
            },
            expect: [
                "KMS key 'tracing-audit-key' bypasses the policy lockout safety check; remove bypassPolicyLockoutSafetyCheck.",
                "KMS key 'tracing-audit-key' statement 'Anyone' allows kms:Decrypt to anyone; name the principal or add a source condition.",
            ],
        },
        {
            title: "compliant: '*' through a service with kms:ViaService",
            change: (rs) =>
                editJson(named(rs, "tracing-audit-key"), "policy", (d) =>
                    d.Statement.push({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com", "kms:CallerAccount": "333333333333" } } }),
                ),
            expect: [],
        },
    ]);

    it("kms-key-policy-no-public-principals leaves an unknown policy undecided instead of guessing", async () => {
        const result = await runRule("kms-key-policy-no-public-principals", edited((rs) => (named(rs, "tracing-audit-key").inputs.policy = unknownValue)));
        assert.deepStrictEqual(result.violations, []);
        assert.deepStrictEqual(
            result.undecided.map((u) => [u.resourceName, u.reason]),
            [["tracing-audit-key", "string value at .policy can't be known during preview"]],
        );
    });

    describeRule("kms-key-deletion-window", [
        {
            title: "a 7-day window in prod, disabled, undescribed",
            change: (rs) => {
                const key = named(rs, "tracing-traces-key");
                Object.assign(key.inputs, { deletionWindowInDays: 7, isEnabled: false });
                delete key.inputs.description;
            },
            expect: [
                "KMS key 'tracing-traces-key' has a deletion window of 7 days; set deletionWindowInDays to at least 30.",
                "KMS key 'tracing-traces-key' is disabled; data encrypted under it becomes unreadable.",
                "KMS key 'tracing-traces-key' has no description; say which data it protects.",
            ],
        },
        { title: "compliant in dev: a 7-day window", stack: "dev", change: (rs) => (named(rs, "tracing-traces-key").inputs.deletionWindowInDays = 7), expect: [] },
        {
            title: "dev still refuses less than 7 days",
            stack: "dev",
            change: (rs) => (named(rs, "tracing-traces-key").inputs.deletionWindowInDays = 1),
            expect: ["KMS key 'tracing-traces-key' has a deletion window of 1 days; set deletionWindowInDays to at least 7."],
        },
    ]);
});
