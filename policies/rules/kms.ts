/**
 * KMS: the customer-managed keys that encrypt traces, audit logs and log groups rotate yearly, are
 * never open to anyone, grant each use only through the service that needs it, and cannot vanish
 * before a recovery window.
 */
import type * as aws from "./lib/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { awsTypes } from "./lib/aws-types";
import { rulesFor } from "./lib/define";
import { editDocument, mutation, MutationTargetMissing, pick } from "./lib/mutate";
import { actionCovers, conditionKeys, grantsPublicAccess, isServiceWildcard, policyStatements, type PolicyStatement } from "./lib/policy-document";
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

/**
 * Actions that use a key's material (or hand it to someone through a grant). Granted to an account
 * principal, they reach every identity in the account whose IAM policy allows them, so only a
 * kms:ViaService condition ties the use to the service it is for.
 */
const keyUseActions = [
    "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:CreateGrant",
    "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:Sign", "kms:Verify", "kms:GenerateMac", "kms:VerifyMac", "kms:DeriveSharedSecret",
];

/** Condition keys that tie a service principal's use to one resource or account (the confused-deputy guard). */
function pinsServiceCaller(statement: PolicyStatement): boolean {
    return [...conditionKeys(statement)].some((key) => key === "aws:sourcearn" || key === "aws:sourceaccount" || key.startsWith("kms:encryptioncontext:"));
}

/** Why an Allow statement of a key policy grants more than one named use; none when it does not. */
function overbroadGrants(statement: PolicyStatement): string[] {
    // A statement open to anyone is kms-key-policy-no-public-principals' to report.
    if (statement.effect !== "Allow" || !statement.principals || grantsPublicAccess(statement)) return [];
    const problems: string[] = [];
    const wildcards = statement.actions.filter(isServiceWildcard);
    if (wildcards.length > 0) problems.push(`grants ${wildcards.join(", ")}; list the administration and use actions separately`);
    if (statement.notActions.length > 0) problems.push(`grants everything except ${statement.notActions.join(", ")} (NotAction)`);
    const services = statement.principals.service;
    if (services.length > 0 && !pinsServiceCaller(statement)) {
        problems.push(`lets ${services.join(", ")} use the key for anyone; add aws:SourceArn or aws:SourceAccount (or an encryption-context condition)`);
    }
    const accountWide = statement.principals.aws.length > 0 || statement.principals.federated.length > 0;
    const uses = statement.actions.filter((pattern) => keyUseActions.some((action) => actionCovers(pattern, action)));
    if (accountWide && uses.length > 0 && !conditionKeys(statement).has("kms:viaservice")) {
        problems.push(`lets ${[...statement.principals.aws, ...statement.principals.federated].join(", ")} call ${uses.join(", ")} directly; name the service with kms:ViaService`);
    }
    return problems;
}

const keyPolicyLeastPrivilege = resourceRule({
    name: "kms-key-policy-grants-named-uses",
    description:
        "A KMS key policy never grants kms:* (or '*', or NotAction), pins every service principal to this account or " +
        "resource (aws:SourceArn, aws:SourceAccount or the encryption context), and lets account principals use the key's " +
        "material only through a named service (kms:ViaService). Fix: give the account root the administration actions " +
        "only, and one statement per use naming its service and data.",
    severity: "high",
    securityRule: 1,
    controls: [],
    appliesTo: [...awsTypes.kmsKey, ...awsTypes.kmsKeyPolicy],
    validate: ({ type, name, props }, report) => {
        const kind = awsTypes.kmsKey.includes(type as "aws:kms/key:Key") ? "KMS key" : "KMS key policy";
        for (const statement of policyStatements(props.policy) ?? []) {
            for (const problem of overbroadGrants(statement)) report(`${kind} '${name}' statement '${statement.sid ?? "(no Sid)"}' ${problem}.`);
        }
    },
    violate: mutation("grant kms:* to the account in the first key policy's first statement", (resources) => {
        const key = pick(resources, [...awsTypes.kmsKey, ...awsTypes.kmsKeyPolicy], "KMS key with a policy", (r) => r.inputs.policy !== undefined);
        editDocument(key, "policy", (document) => {
            const [first] = asList(document.Statement);
            if (!first) throw new MutationTargetMissing(`statement in ${key.name}'s policy`);
            first.Action = "kms:*";
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

export const kmsRules: readonly RuleDefinition[] = [keyRotationEnabled, keyPolicyNotPublic, keyPolicyLeastPrivilege, keyDeletionSafeguarded];
