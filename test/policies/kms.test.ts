import * as assert from "assert";
import { unknownValue } from "../../policies/rules/lib/values";
import { parseSettings } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";
import { describeRule, describeRuleOnRecordings, edited, editJson, named, runRule, type Stack } from "./helpers";

const rootOf = (stack: Stack) => `arn:aws:iam::${parseSettings(stackConfig(stack), stack).aws.accountId}:root`;
const goldenRoot = rootOf("prod");

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

    describeRule("kms-key-policy-grants-named-uses", [
        {
            title: "kms:* for the account, an unpinned service, a direct use by the account",
            change: (rs) =>
                editJson(named(rs, "tracing-audit-key"), "policy", (d) => {
                    d.Statement[0].Action = "kms:*";
                    delete d.Statement[1].Condition;
                    d.Statement.push({ Sid: "AccountUsesKey", Effect: "Allow", Principal: { AWS: goldenRoot }, Action: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*" });
                }),
            expect: [
                "KMS key 'tracing-audit-key' statement 'AccountAdmin' grants kms:*; list the administration and use actions separately.",
                `KMS key 'tracing-audit-key' statement 'AccountAdmin' lets ${goldenRoot} call kms:* directly; name the service with kms:ViaService.`,
                "KMS key 'tracing-audit-key' statement 'CloudTrailEncrypts' lets cloudtrail.amazonaws.com use the key for anyone; add aws:SourceArn or aws:SourceAccount (or an encryption-context condition).",
                `KMS key 'tracing-audit-key' statement 'AccountUsesKey' lets ${goldenRoot} call kms:Decrypt, kms:GenerateDataKey* directly; name the service with kms:ViaService.`,
            ],
        },
        {
            title: "everything but a few actions (NotAction)",
            change: (rs) => editJson(named(rs, "tracing-traces-key"), "policy", (d) => d.Statement.push({ Sid: "AllBut", Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, NotAction: "kms:ScheduleKeyDeletion", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } } })),
            expect: ["KMS key 'tracing-traces-key' statement 'AllBut' grants everything except kms:ScheduleKeyDeletion (NotAction)."],
        },
        {
            title: "compliant: a service pinned by its encryption context, a use through a named service, a Deny",
            change: (rs) =>
                editJson(named(rs, "tracing-traces-key"), "policy", (d) =>
                    d.Statement.push(
                        { Sid: "Logs", Effect: "Allow", Principal: { Service: "logs.eu-west-1.amazonaws.com" }, Action: "kms:Encrypt*", Resource: "*", Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:333333333333:log-group:*" } } },
                        { Sid: "ThroughEbs", Effect: "Allow", Principal: { AWS: goldenRoot }, Action: "kms:CreateGrant", Resource: "*", Condition: { StringEquals: { "kms:ViaService": "ec2.eu-west-1.amazonaws.com" } } },
                        { Sid: "NoOne", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
                    ),
                ),
            expect: [],
        },
    ]);

    describeRuleOnRecordings("kms-key-policy-grants-named-uses", [
        {
            title: "the audit key's readers without kms:ViaService, CloudWatch alarms without aws:SourceAccount",
            change: (rs) =>
                editJson(named(rs, "tracing-audit"), "policy", (d) => {
                    for (const statement of d.Statement) {
                        if (statement.Sid === "AccountPrincipalsReadAuditLogs") delete statement.Condition.StringEquals["kms:ViaService"];
                        if (statement.Sid === "CloudWatchAlarmsUseKeyForAlertTopic") statement.Condition = {};
                    }
                }),
            expect: (stack) => [
                `KMS key 'tracing-audit' statement 'AccountPrincipalsReadAuditLogs' lets ${rootOf(stack)} call kms:Decrypt directly; name the service with kms:ViaService.`,
                "KMS key 'tracing-audit' statement 'CloudWatchAlarmsUseKeyForAlertTopic' lets cloudwatch.amazonaws.com use the key for anyone; add aws:SourceArn or aws:SourceAccount (or an encryption-context condition).",
            ],
        },
    ]);

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
