/**
 * S3 access: who can read bucket data and how it travels. Every bucket encrypts with a
 * customer-managed KMS key, blocks public access, disables ACLs and refuses requests without TLS;
 * no bucket policy grants anyone ('*') access. Buckets are configured through v7 side resources, so
 * most rules are stack rules that link each side resource to its bucket through
 * `propertyDependencies.bucket`.
 */
import type * as aws from "./lib/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { awsTypes } from "./lib/aws-types";
import { accessLogTargets, bucketLabel, bucketsOf, bucketSettingRules, companionsOf } from "./lib/buckets";
import { rulesFor } from "./lib/define";
import { editDocument, mutation, pick } from "./lib/mutate";
import { grantsPublicAccess, policyStatements, type PolicyStatement } from "./lib/policy-document";
import { asList, isSet } from "./lib/values";
import type { RuleDefinition } from "./types";

type EncryptionInputs = Unwrap<aws.s3.BucketServerSideEncryptionConfigurationArgs>;
type PublicAccessBlockInputs = Unwrap<aws.s3.BucketPublicAccessBlockArgs>;
type OwnershipInputs = Unwrap<aws.s3.BucketOwnershipControlsArgs>;
type AclInputs = Unwrap<aws.s3.BucketAclArgs>;

const { resourceRule, stackRule } = rulesFor("s3-access");
const bucketSettingRule = bucketSettingRules("s3-access");

/**
 * A KMS key named literally: a key ARN, a key id, or an alias ARN other than an AWS-managed
 * `alias/aws/...` (an AWS-managed key is normally named by that alias; by ARN it cannot be told apart).
 */
const customerKeyReference =
    /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/(?!aws\/).+|(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;


const bucketEncryptedWithCustomerKey = bucketSettingRule<{ allowSseS3ForAccessLogTargets: boolean }>({
    name: "s3-bucket-encrypted-with-customer-managed-key",
    description:
        "Every S3 bucket encrypts objects at rest with a customer-managed KMS key and an S3 Bucket Key. Fix: add an " +
        "aws.s3.BucketServerSideEncryptionConfiguration for the bucket with sseAlgorithm 'aws:kms', kmsMasterKeyId set to " +
        "the environment's aws.kms.Key ARN and bucketKeyEnabled true.",
    severity: "high",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_145", "Checkov CKV_AWS_19", "Security Hub S3.17"],
    config: {
        allowSseS3ForAccessLogTargets: {
            type: "boolean",
            default: false,
            description:
                "Accept SSE-S3 (AES256) on buckets that receive server access logs: S3 log delivery does not support SSE-KMS default encryption on the target bucket.",
        },
    },
    setting: awsTypes.bucketEncryption,
    missing: "server-side encryption configuration (add an aws.s3.BucketServerSideEncryptionConfiguration with SSE-KMS)",
    check: ({ view, config, bucket }, encryption, report) => {
        const rules = asList((encryption.props as EncryptionInputs).rules);
        if (rules.length === 0) report(`${bucketLabel(bucket)}: encryption configuration '${encryption.name}' has no rules.`, encryption.urn);
        for (const rule of rules) {
            const algorithm = rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
            if (algorithm === "AES256" && config.allowSseS3ForAccessLogTargets && accessLogTargets(view).some((target) => target.urn === bucket.urn)) continue;
            if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
                report(`${bucketLabel(bucket)} is encrypted with '${algorithm ?? "nothing"}'; use sseAlgorithm 'aws:kms' with a customer-managed key.`, encryption.urn);
                continue;
            }
            const keyId = rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
            const namesStackKey = view.ofType(awsTypes.kmsKey).some((key) => view.dependsThrough(encryption, "rules", key));
            if (!namesStackKey && !(isSet(keyId) && customerKeyReference.test(keyId))) {
                report(`${bucketLabel(bucket)}: kmsMasterKeyId '${keyId ?? ""}' is not a customer-managed key; set it to the environment's aws.kms.Key ARN.`, encryption.urn);
            }
            if (algorithm === "aws:kms" && rule.bucketKeyEnabled !== true) {
                report(`${bucketLabel(bucket)}: bucketKeyEnabled is not true; enable the S3 Bucket Key to cut KMS requests.`, encryption.urn);
            }
        }
    },
    violate: mutation("encrypt the first KMS-encrypted bucket with SSE-S3 (AES256) instead", (resources) => {
        const encryption = pick(resources, awsTypes.bucketEncryption, "bucket encryption configuration using KMS", (r) =>
            asList(r.inputs.rules).some((rule: any) => String(rule?.applyServerSideEncryptionByDefault?.sseAlgorithm).startsWith("aws:kms")),
        );
        encryption.inputs.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }];
        if (encryption.propertyDependencies) encryption.propertyDependencies.rules = [];
    }),
});

const publicAccessFlags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

const bucketPublicAccessBlocked = bucketSettingRule({
    name: "s3-bucket-public-access-blocked",
    description:
        "Every S3 bucket blocks public ACLs and public policies. Fix: add an aws.s3.BucketPublicAccessBlock for the bucket " +
        "with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    severity: "critical",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_53", "Checkov CKV_AWS_54", "Checkov CKV_AWS_55", "Checkov CKV_AWS_56", "Checkov CKV2_AWS_6", "Security Hub S3.8", "CIS AWS 2.1.4"],
    setting: awsTypes.bucketPublicAccessBlock,
    missing: "public access block (add an aws.s3.BucketPublicAccessBlock with all four settings true)",
    check: ({ bucket }, block, report) => {
        const open = publicAccessFlags.filter((flag) => (block.props as PublicAccessBlockInputs)[flag] !== true);
        if (open.length > 0) report(`${bucketLabel(bucket)}: public access block leaves ${open.join(", ")} off; set all four to true.`, block.urn);
    },
    violate: mutation("turn blockPublicPolicy off on the first public access block", (resources) => {
        pick(resources, awsTypes.bucketPublicAccessBlock, "bucket public access block").inputs.blockPublicPolicy = false;
    }),
});

const bucketAclsDisabled = bucketSettingRule({
    name: "s3-bucket-acls-disabled",
    description:
        "Every S3 bucket disables ACLs so only IAM and bucket policies grant access. Fix: add an aws.s3.BucketOwnershipControls " +
        "with rule.objectOwnership 'BucketOwnerEnforced' and remove any aws.s3.BucketAcl granting more than 'private'.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV2_AWS_65", "Checkov CKV_AWS_20", "Checkov CKV_AWS_57", "Security Hub S3.12"],
    setting: awsTypes.bucketOwnershipControls,
    missing: "ownership controls (add an aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced)",
    checkBucket: ({ view, bucket }, report) =>
        view.each(companionsOf(view, bucket, awsTypes.bucketAcl), (acl) => {
            const inputs = acl.props as AclInputs;
            if ((inputs.acl !== undefined && inputs.acl !== "private") || inputs.accessControlPolicy !== undefined) {
                report(`${bucketLabel(bucket)}: ACL '${acl.name}' grants '${inputs.acl ?? "explicit grants"}'; remove the aws.s3.BucketAcl.`, acl.urn);
            }
        }),
    check: ({ bucket }, controls, report) => {
        const ownership = (controls.props as OwnershipInputs).rule?.objectOwnership;
        if (ownership !== "BucketOwnerEnforced") {
            report(`${bucketLabel(bucket)}: objectOwnership is '${ownership ?? "unset"}'; set it to 'BucketOwnerEnforced' to disable ACLs.`, controls.urn);
        }
    },
    violate: mutation("set the first bucket's object ownership to ObjectWriter (ACLs enabled)", (resources) => {
        pick(resources, awsTypes.bucketOwnershipControls, "bucket ownership controls").inputs.rule = { objectOwnership: "ObjectWriter" };
    }),
});

/** A `Deny` for everyone on all S3 actions, over the bucket and its objects, when `aws:SecureTransport` is false. */
function deniesInsecureTransport(statement: PolicyStatement): boolean {
    if (statement.effect !== "Deny" || !statement.principals?.anyone) return false;
    if (!statement.actions.some((action) => action === "*" || action.toLowerCase() === "s3:*")) return false;
    const secureTransport = Object.entries(statement.conditions)
        .filter(([operator]) => operator.startsWith("Bool"))
        .flatMap(([, entries]) => entries["aws:securetransport"] ?? []);
    if (!secureTransport.some((value) => value.toLowerCase() === "false")) return false;
    const coversObjects = statement.resources.some((r) => r === "*" || r.endsWith("/*"));
    const coversBucket = statement.resources.some((r) => r === "*" || !r.endsWith("/*"));
    return coversObjects && coversBucket;
}

const bucketPolicyDeniesInsecureTransport = stackRule({
    name: "s3-bucket-policy-denies-insecure-transport",
    description:
        "Every S3 bucket refuses requests not made over TLS. Fix: attach an aws.s3.BucketPolicy with a statement " +
        "Effect Deny, Principal '*', Action 's3:*', Resource [bucket ARN, bucket ARN/*], Condition Bool aws:SecureTransport 'false'.",
    severity: "high",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_379", "Security Hub S3.5", "CIS AWS 2.1.1"],
    appliesTo: awsTypes.bucket,
    validate: ({ view }, report) =>
        view.each(bucketsOf(view), (bucket) => {
            const policies = companionsOf(view, bucket, awsTypes.bucketPolicy);
            const statements = policies.flatMap((p) => policyStatements(p.props.policy) ?? []);
            if (!statements.some(deniesInsecureTransport)) {
                report(`${bucketLabel(bucket)} does not deny requests without TLS; add a Deny statement on aws:SecureTransport 'false' for s3:* on the bucket and its objects.`, bucket.urn);
            }
        }),
    violate: mutation("drop the TLS-only deny statement from the first bucket policy that has one", (resources) => {
        const policy = pick(resources, awsTypes.bucketPolicy, "bucket policy with a TLS-only statement", (p) =>
            (policyStatements(p.inputs.policy) ?? []).some(deniesInsecureTransport),
        );
        editDocument(policy, "policy", (document) => {
            document.Statement = asList(document.Statement).filter(
                (statement: unknown) => !(policyStatements({ Statement: [statement] }) ?? []).some(deniesInsecureTransport),
            );
        });
    }),
});

const bucketPolicyNoPublicPrincipals = resourceRule({
    name: "s3-bucket-policy-no-public-principals",
    description:
        "No bucket policy allows anyone ('*') unless a condition pins the caller (aws:SourceArn, aws:SourceAccount, " +
        "aws:PrincipalOrgID, aws:SourceVpce...). Fix: name the principal (a role ARN or a service principal) or add such a condition.",
    severity: "critical",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_70", "Security Hub S3.2", "Security Hub S3.3"],
    appliesTo: awsTypes.bucketPolicy,
    validate: ({ name, props }, report) => {
        for (const statement of policyStatements(props.policy) ?? []) {
            if (grantsPublicAccess(statement)) {
                report(`bucket policy '${name}' statement '${statement.sid ?? "(no Sid)"}' allows ${statement.actions.join(", ")} to anyone; name the principal or scope it with aws:SourceArn/aws:SourceAccount.`);
            }
        }
    },
    violate: mutation("allow s3:GetObject to Principal '*' in the first bucket policy", (resources) => {
        const policy = pick(resources, awsTypes.bucketPolicy, "bucket policy");
        editDocument(policy, "policy", (document) => {
            const statements = asList(document.Statement);
            const objectArn = statements.flatMap((s: any) => asList(s?.Resource)).find((r: unknown) => typeof r === "string" && r.endsWith("/*"));
            document.Statement = [...statements, { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: objectArn ?? "arn:aws:s3:::mutated/*" }];
        });
    }),
});

export const s3AccessRules: readonly RuleDefinition[] = [
    bucketEncryptedWithCustomerKey,
    bucketPublicAccessBlocked,
    bucketAclsDisabled,
    bucketPolicyDeniesInsecureTransport,
    bucketPolicyNoPublicPrincipals,
];
