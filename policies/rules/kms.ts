/**
 * KMS: the customer-managed keys that encrypt traces, audit logs and log groups rotate yearly, are
 * never open to anyone, and cannot vanish before a recovery window.
 */
import type * as aws from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { awsTypes } from "./lib/aws-types";
import { rulesFor } from "./lib/define";
import { editDocument, mutation, pick } from "./lib/mutate";
import { grantsPublicAccess, policyStatements } from "./lib/policy-document";
import { asList, isSet, isTrue } from "./lib/values";
import type { RuleDefinition } from "./types";

type KeyInputs = Unwrap<aws.kms.KeyArgs>;

const { resourceRule } = rulesFor("kms");

/** Symmetric encryption keys are the ones KMS can rotate automatically. */
function isSymmetricEncryptionKey(key: KeyInputs): boolean {
    const spec = key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
    return spec === "SYMMETRIC_DEFAULT" && (key.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT";
}

const keyRotationEnabled = resourceRule({
    name: "kms-key-rotation-enabled",
    description:
        "Customer-managed symmetric KMS keys rotate their key material at least yearly. Fix: set enableKeyRotation: true " +
        "(and rotationPeriodInDays at most 365 if you set it) on the aws.kms.Key.",
    severity: "high",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_7", "Security Hub KMS.4", "CIS AWS 3.6"],
    appliesTo: awsTypes.kmsKey,
    validate: ({ name, props }, report) => {
        const key = props as KeyInputs;
        if (!isSymmetricEncryptionKey(key)) return;
        if (key.enableKeyRotation !== true) report(`KMS key '${name}' does not rotate; set enableKeyRotation: true.`);
        if (typeof key.rotationPeriodInDays === "number" && key.rotationPeriodInDays > 365) {
            report(`KMS key '${name}' rotates every ${key.rotationPeriodInDays} days; rotate at least every 365 days.`);
        }
    },
    violate: mutation("turn key rotation off on the first KMS key", (resources) => {
        pick(resources, awsTypes.kmsKey, "KMS key").inputs.enableKeyRotation = false;
    }),
});

const keyPolicyNotPublic = resourceRule({
    name: "kms-key-policy-no-public-principals",
    description:
        "No KMS key policy lets anyone ('*') use or manage the key unless a condition pins the caller (aws:SourceArn, " +
        "aws:SourceAccount, kms:CallerAccount, kms:ViaService...), and the policy lockout safety check is never bypassed. " +
        "Fix: grant the account root and named roles/services only, with source conditions for service principals.",
    severity: "critical",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_33", "Security Hub KMS.5"],
    appliesTo: [...awsTypes.kmsKey, ...awsTypes.kmsKeyPolicy],
    validate: ({ type, name, props }, report) => {
        const kind = awsTypes.kmsKey.includes(type as "aws:kms/key:Key") ? "KMS key" : "KMS key policy";
        if (isTrue(props.bypassPolicyLockoutSafetyCheck)) report(`${kind} '${name}' bypasses the policy lockout safety check; remove bypassPolicyLockoutSafetyCheck.`);
        for (const statement of policyStatements(props.policy) ?? []) {
            if (grantsPublicAccess(statement)) {
                report(`${kind} '${name}' statement '${statement.sid ?? "(no Sid)"}' allows ${statement.actions.join(", ")} to anyone; name the principal or add a source condition.`);
            }
        }
    },
    violate: mutation("allow kms:Decrypt to Principal '*' in the first key's policy", (resources) => {
        const key = pick(resources, [...awsTypes.kmsKey, ...awsTypes.kmsKeyPolicy], "KMS key with a policy", (r) => r.inputs.policy !== undefined);
        editDocument(key, "policy", (document) => {
            document.Statement = [...asList(document.Statement), { Sid: "AnyoneDecrypts", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }];
        });
    }),
});

const keyDeletionSafeguarded = resourceRule<{ minimumDeletionWindowDays: number }>({
    name: "kms-key-deletion-window",
    description:
        "A KMS key scheduled for deletion stays recoverable for the minimum waiting period (30 days in prod), stays enabled, " +
        "and says what it protects. Fix: set deletionWindowInDays to at least the minimum, do not set isEnabled: false, " +
        "and give the key a description.",
    severity: "medium",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_227", "Security Hub KMS.3"],
    config: {
        minimumDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 30, description: "Shortest accepted deletion waiting period in days." },
    },
    appliesTo: awsTypes.kmsKey,
    validate: ({ name, props, config }, report) => {
        const key = props as KeyInputs;
        const window = key.deletionWindowInDays ?? 30;
        if (window < config.minimumDeletionWindowDays) {
            report(`KMS key '${name}' has a deletion window of ${window} days; set deletionWindowInDays to at least ${config.minimumDeletionWindowDays}.`);
        }
        if (key.isEnabled === false) report(`KMS key '${name}' is disabled; data encrypted under it becomes unreadable.`);
        if (!isSet(key.description)) report(`KMS key '${name}' has no description; say which data it protects.`);
    },
    violate: mutation("shorten the first KMS key's deletion window to 1 day", (resources) => {
        pick(resources, awsTypes.kmsKey, "KMS key").inputs.deletionWindowInDays = 1;
    }),
});

export const kmsRules: readonly RuleDefinition[] = [keyRotationEnabled, keyPolicyNotPublic, keyDeletionSafeguarded];
