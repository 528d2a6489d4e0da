/**
 * S3: every bucket encrypted with a customer-managed KMS key, closed to the public, reachable over
 * TLS only, versioned, access-logged, expiring what it no longer needs; audit buckets object-locked.
 * Buckets are configured through v7 side resources, so most rules are stack rules that link each
 * side resource to its bucket through `propertyDependencies.bucket`.
 */
import type * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import { awsTypes, deprecatedS3Types } from "./lib/aws-types";
import { accessLogTargets, bucketLabel, bucketsOf, companionsOf, refersToBucket, trailDestinations } from "./lib/buckets";
import { rulesFor } from "./lib/define";
import { editDocument, mutation, pick, remove } from "./lib/mutate";
import { grantsPublicAccess, policyStatements, type PolicyStatement } from "./lib/policy-document";
import type { StackView } from "./lib/stack-view";
import { asList, isSet, isTrue } from "./lib/values";
import type { RuleDefinition } from "./types";

type EncryptionInputs = Unwrap<aws.s3.BucketServerSideEncryptionConfigurationArgs>;
type PublicAccessBlockInputs = Unwrap<aws.s3.BucketPublicAccessBlockArgs>;
type OwnershipInputs = Unwrap<aws.s3.BucketOwnershipControlsArgs>;
type AclInputs = Unwrap<aws.s3.BucketAclArgs>;
type VersioningInputs = Unwrap<aws.s3.BucketVersioningArgs>;
type LoggingInputs = Unwrap<aws.s3.BucketLoggingArgs>;
type ObjectLockInputs = Unwrap<aws.s3.BucketObjectLockConfigurationArgs>;
type LifecycleInputs = Unwrap<aws.s3.BucketLifecycleConfigurationArgs>;
type BucketInputs = Unwrap<aws.s3.BucketArgs>;

const { resourceRule, stackRule } = rulesFor("s3");

/**
 * A KMS key named literally: a key ARN, a key id, or an alias ARN other than an AWS-managed
 * `alias/aws/...` (an AWS-managed key is normally named by that alias; by ARN it cannot be told apart).
 */
const customerKeyReference =
    /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/(?!aws\/).+|(mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Checks each bucket's side resources of `types`, reporting buckets that have none. */
function forEachBucketCompanion(
    view: StackView,
    types: readonly string[],
    missing: string,
    check: (bucket: PolicyResource, companion: PolicyResource) => void,
    report: (message: string, urn?: string) => void,
    buckets: readonly PolicyResource[] = bucketsOf(view),
): void {
    view.each(buckets, (bucket) => {
        const companions = companionsOf(view, bucket, types);
        if (companions.length === 0) report(`${bucketLabel(bucket)} has no ${missing}.`, bucket.urn);
        view.each(companions, (companion) => check(bucket, companion));
    });
}

const bucketEncryptedWithCustomerKey = stackRule<{ allowSseS3ForAccessLogTargets: boolean }>({
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
    appliesTo: awsTypes.bucket,
    validate: ({ view, config }, report) => {
        const logTargets = new Set(accessLogTargets(view).map((b) => b.urn));
        const keys = view.ofType(awsTypes.kmsKey);
        forEachBucketCompanion(
            view,
            awsTypes.bucketEncryption,
            "server-side encryption configuration (add an aws.s3.BucketServerSideEncryptionConfiguration with SSE-KMS)",
            (bucket, companion) => {
                const encryption = companion.props as EncryptionInputs;
                const rules = asList(encryption.rules);
                if (rules.length === 0) report(`${bucketLabel(bucket)}: encryption configuration '${companion.name}' has no rules.`, companion.urn);
                for (const rule of rules) {
                    const algorithm = rule.applyServerSideEncryptionByDefault?.sseAlgorithm;
                    if (algorithm === "AES256" && config.allowSseS3ForAccessLogTargets && logTargets.has(bucket.urn)) continue;
                    if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
                        report(`${bucketLabel(bucket)} is encrypted with '${algorithm ?? "nothing"}'; use sseAlgorithm 'aws:kms' with a customer-managed key.`, companion.urn);
                        continue;
                    }
                    const keyId = rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
                    const namesStackKey = keys.some((key) => view.dependsThrough(companion, "rules", key));
                    if (!namesStackKey && !(isSet(keyId) && customerKeyReference.test(keyId))) {
                        report(`${bucketLabel(bucket)}: kmsMasterKeyId '${keyId ?? ""}' is not a customer-managed key; set it to the environment's aws.kms.Key ARN.`, companion.urn);
                    }
                    if (algorithm === "aws:kms" && rule.bucketKeyEnabled !== true) {
                        report(`${bucketLabel(bucket)}: bucketKeyEnabled is not true; enable the S3 Bucket Key to cut KMS requests.`, companion.urn);
                    }
                }
            },
            report,
        );
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

const bucketPublicAccessBlocked = stackRule({
    name: "s3-bucket-public-access-blocked",
    description:
        "Every S3 bucket blocks public ACLs and public policies. Fix: add an aws.s3.BucketPublicAccessBlock for the bucket " +
        "with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    severity: "critical",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_53", "Checkov CKV_AWS_54", "Checkov CKV_AWS_55", "Checkov CKV_AWS_56", "Checkov CKV2_AWS_6", "Security Hub S3.8", "CIS AWS 2.1.4"],
    appliesTo: awsTypes.bucket,
    validate: ({ view }, report) =>
        forEachBucketCompanion(
            view,
            awsTypes.bucketPublicAccessBlock,
            "public access block (add an aws.s3.BucketPublicAccessBlock with all four settings true)",
            (bucket, companion) => {
                const block = companion.props as PublicAccessBlockInputs;
                const open = publicAccessFlags.filter((flag) => block[flag] !== true);
                if (open.length > 0) report(`${bucketLabel(bucket)}: public access block leaves ${open.join(", ")} off; set all four to true.`, companion.urn);
            },
            report,
        ),
    violate: mutation("turn blockPublicPolicy off on the first public access block", (resources) => {
        pick(resources, awsTypes.bucketPublicAccessBlock, "bucket public access block").inputs.blockPublicPolicy = false;
    }),
});

const bucketAclsDisabled = stackRule({
    name: "s3-bucket-acls-disabled",
    description:
        "Every S3 bucket disables ACLs so only IAM and bucket policies grant access. Fix: add an aws.s3.BucketOwnershipControls " +
        "with rule.objectOwnership 'BucketOwnerEnforced' and remove any aws.s3.BucketAcl granting more than 'private'.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV2_AWS_65", "Checkov CKV_AWS_20", "Checkov CKV_AWS_57", "Security Hub S3.12"],
    appliesTo: awsTypes.bucket,
    validate: ({ view }, report) => {
        forEachBucketCompanion(
            view,
            awsTypes.bucketOwnershipControls,
            "ownership controls (add an aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced)",
            (bucket, companion) => {
                const ownership = (companion.props as OwnershipInputs).rule?.objectOwnership;
                if (ownership !== "BucketOwnerEnforced") {
                    report(`${bucketLabel(bucket)}: objectOwnership is '${ownership ?? "unset"}'; set it to 'BucketOwnerEnforced' to disable ACLs.`, companion.urn);
                }
            },
            report,
        );
        view.each(bucketsOf(view), (bucket) =>
            view.each(companionsOf(view, bucket, awsTypes.bucketAcl), (acl) => {
                const inputs = acl.props as AclInputs;
                if ((inputs.acl !== undefined && inputs.acl !== "private") || inputs.accessControlPolicy !== undefined) {
                    report(`${bucketLabel(bucket)}: ACL '${acl.name}' grants '${inputs.acl ?? "explicit grants"}'; remove the aws.s3.BucketAcl.`, acl.urn);
                }
            }),
        );
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

const bucketVersioningEnabled = stackRule({
    name: "s3-bucket-versioning-enabled",
    description:
        "Every S3 bucket keeps object versions so an overwrite or delete can be undone and investigated. Fix: add an " +
        "aws.s3.BucketVersioning with versioningConfiguration.status 'Enabled'.",
    severity: "medium",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_21", "Security Hub S3.14"],
    appliesTo: awsTypes.bucket,
    validate: ({ view }, report) =>
        forEachBucketCompanion(
            view,
            awsTypes.bucketVersioning,
            "versioning configuration (add an aws.s3.BucketVersioning with status Enabled)",
            (bucket, companion) => {
                const status = (companion.props as VersioningInputs).versioningConfiguration?.status;
                if (status !== "Enabled") report(`${bucketLabel(bucket)}: versioning is '${status ?? "unset"}'; set versioningConfiguration.status to 'Enabled'.`, companion.urn);
            },
            report,
        ),
    violate: mutation("suspend versioning on the first bucket versioning resource", (resources) => {
        pick(resources, awsTypes.bucketVersioning, "bucket versioning").inputs.versioningConfiguration = { status: "Suspended" };
    }),
});

const bucketAccessLogged = stackRule({
    name: "s3-bucket-access-logging-enabled",
    description:
        "Every S3 bucket writes server access logs (successful and denied requests) to another bucket; a bucket that " +
        "receives access logs is exempt (logging it into itself would loop). Fix: add an aws.s3.BucketLogging with " +
        "targetBucket set to the audit/log bucket and a targetPrefix.",
    severity: "medium",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_18", "Security Hub S3.9", "CIS AWS 3.4"],
    appliesTo: awsTypes.bucket,
    validate: ({ view }, report) => {
        const sinks = new Set(accessLogTargets(view).map((b) => b.urn));
        forEachBucketCompanion(
            view,
            awsTypes.bucketLogging,
            "server access logging (add an aws.s3.BucketLogging targeting the log bucket)",
            (bucket, companion) => {
                const logging = companion.props as LoggingInputs;
                if (!isSet(logging.targetBucket)) report(`${bucketLabel(bucket)}: access logging '${companion.name}' has no targetBucket.`, companion.urn);
                else if (refersToBucket(view, companion, bucket, "targetBucket")) {
                    report(`${bucketLabel(bucket)} writes its access logs into itself; target a separate log bucket.`, companion.urn);
                }
                if (!isSet(logging.targetPrefix)) report(`${bucketLabel(bucket)}: access logging '${companion.name}' has no targetPrefix; set one per source bucket.`, companion.urn);
            },
            report,
            bucketsOf(view).filter((bucket) => !sinks.has(bucket.urn)),
        );
    },
    violate: mutation("delete the first bucket's access logging", (resources) => {
        const logging = pick(resources, awsTypes.bucketLogging, "bucket logging");
        remove(resources, "bucket logging", (r) => r.urn === logging.urn);
    }),
});

/** The default Object Lock retention in days of a bucket's lock configuration. */
function lockRetentionDays(lock: ObjectLockInputs): number | undefined {
    const retention = lock.rule?.defaultRetention;
    if (typeof retention?.days === "number") return retention.days;
    if (typeof retention?.years === "number") return retention.years * 365;
    return undefined;
}

const auditBucketObjectLocked = stackRule<{ allowedModes: string[]; minimumRetentionDays: number }>({
    name: "s3-audit-bucket-object-lock",
    description:
        "The bucket CloudTrail delivers to is write-once: Object Lock on, with a default retention in an allowed mode " +
        "for at least the minimum days. Fix: create the bucket with objectLockEnabled true and add an " +
        "aws.s3.BucketObjectLockConfiguration with rule.defaultRetention {mode COMPLIANCE (GOVERNANCE allowed outside prod), days}.",
    severity: "high",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_143", "Security Hub S3.15"],
    config: {
        allowedModes: { type: "array", items: { type: "string", enum: ["COMPLIANCE", "GOVERNANCE"] }, default: ["COMPLIANCE"], description: "Object Lock retention modes accepted." },
        minimumRetentionDays: { type: "integer", minimum: 1, default: 365, description: "Minimum default retention of audit objects in days." },
    },
    appliesTo: awsTypes.trail,
    validate: ({ view, config }, report) => {
        const auditBuckets = trailDestinations(view);
        view.each(auditBuckets, (bucket) => {
            if ((bucket.props as BucketInputs).objectLockEnabled !== true) {
                report(`audit ${bucketLabel(bucket)} is not created with objectLockEnabled true.`, bucket.urn);
            }
        });
        forEachBucketCompanion(
            view,
            awsTypes.bucketObjectLock,
            "Object Lock configuration (add an aws.s3.BucketObjectLockConfiguration with a default retention)",
            (bucket, companion) => {
                const lock = companion.props as ObjectLockInputs;
                if (lock.objectLockEnabled !== undefined && lock.objectLockEnabled !== "Enabled") {
                    report(`audit ${bucketLabel(bucket)}: Object Lock is '${lock.objectLockEnabled}'; set it to 'Enabled'.`, companion.urn);
                }
                const mode = lock.rule?.defaultRetention?.mode;
                if (!mode || !config.allowedModes.includes(mode)) {
                    report(`audit ${bucketLabel(bucket)}: retention mode '${mode ?? "unset"}' is not one of ${config.allowedModes.join(", ")}.`, companion.urn);
                }
                const days = lockRetentionDays(lock);
                if (days === undefined || days < config.minimumRetentionDays) {
                    report(`audit ${bucketLabel(bucket)}: default retention ${days ?? "unset"} days is below the minimum of ${config.minimumRetentionDays}.`, companion.urn);
                }
            },
            report,
            auditBuckets,
        );
    },
    violate: mutation("delete the audit bucket's Object Lock configuration", (resources) => {
        const lock = pick(resources, awsTypes.bucketObjectLock, "bucket Object Lock configuration");
        remove(resources, "bucket Object Lock configuration", (r) => r.urn === lock.urn);
    }),
});

const bucketLifecycleExpires = stackRule<{ maximumDays: number; maximumAuditDays: number; maximumAbortDays: number }>({
    name: "s3-bucket-lifecycle-expires-objects",
    description:
        "Every S3 bucket deletes data once it is no longer needed: an enabled lifecycle rule expires current objects within " +
        "the maximum retention (longer for audit buckets, and never before their Object Lock retention ends), expires noncurrent versions of " +
        "versioned buckets, and aborts incomplete multipart uploads. Fix: add an aws.s3.BucketLifecycleConfiguration with " +
        "expiration.days, noncurrentVersionExpiration.noncurrentDays and abortIncompleteMultipartUpload.daysAfterInitiation.",
    severity: "medium",
    securityRule: 6,
    controls: ["Checkov CKV2_AWS_61", "Checkov CKV_AWS_300", "Security Hub S3.13"],
    config: {
        maximumDays: { type: "integer", minimum: 1, default: 400, description: "Longest expiration for data buckets (traces)." },
        maximumAuditDays: { type: "integer", minimum: 1, default: 3653, description: "Longest expiration for audit buckets (CloudTrail destination, access-log targets)." },
        maximumAbortDays: { type: "integer", minimum: 1, default: 7, description: "Longest wait before incomplete multipart uploads are aborted." },
    },
    appliesTo: awsTypes.bucket,
    validate: ({ view, config }, report) => {
        // CloudTrail files and server access logs are audit records, kept as long as audit requires.
        const auditBuckets = new Set([...trailDestinations(view), ...accessLogTargets(view)].map((b) => b.urn));
        forEachBucketCompanion(
            view,
            awsTypes.bucketLifecycle,
            "lifecycle configuration (add an aws.s3.BucketLifecycleConfiguration that expires objects)",
            (bucket, companion) => {
                const rules = asList((companion.props as LifecycleInputs).rules).filter((rule) => rule.status === "Enabled");
                const maximum = auditBuckets.has(bucket.urn) ? config.maximumAuditDays : config.maximumDays;
                const expirations = rules.map((rule) => rule.expiration?.days).filter((days): days is number => typeof days === "number");
                if (expirations.length === 0) report(`${bucketLabel(bucket)} never expires objects; add an enabled rule with expiration.days.`, companion.urn);
                for (const days of expirations.filter((d) => d > maximum)) {
                    report(`${bucketLabel(bucket)} keeps objects ${days} days, above the maximum of ${maximum}.`, companion.urn);
                }
                const lockDays = Math.max(0, ...companionsOf(view, bucket, awsTypes.bucketObjectLock).map((lock) => lockRetentionDays(lock.props as ObjectLockInputs) ?? 0));
                for (const days of expirations.filter((d) => d < lockDays)) {
                    report(`${bucketLabel(bucket)} expires objects after ${days} days, before their Object Lock retention of ${lockDays} days ends.`, companion.urn);
                }
                const versioned = companionsOf(view, bucket, awsTypes.bucketVersioning).some(
                    (v) => (v.props as VersioningInputs).versioningConfiguration?.status === "Enabled",
                );
                if (versioned && !rules.some((rule) => typeof rule.noncurrentVersionExpiration?.noncurrentDays === "number")) {
                    report(`${bucketLabel(bucket)} is versioned but never expires noncurrent versions; add noncurrentVersionExpiration.noncurrentDays.`, companion.urn);
                }
                const abort = rules.map((rule) => rule.abortIncompleteMultipartUpload?.daysAfterInitiation).filter((d): d is number => typeof d === "number");
                if (!abort.some((days) => days <= config.maximumAbortDays)) {
                    report(`${bucketLabel(bucket)} keeps incomplete multipart uploads; add abortIncompleteMultipartUpload.daysAfterInitiation of at most ${config.maximumAbortDays}.`, companion.urn);
                }
            },
            report,
        );
    },
    violate: mutation("delete the first bucket's lifecycle configuration", (resources) => {
        const lifecycle = pick(resources, awsTypes.bucketLifecycle, "bucket lifecycle configuration");
        remove(resources, "bucket lifecycle configuration", (r) => r.urn === lifecycle.urn);
    }),
});

/** Inline Bucket arguments v7 deprecates in favour of side resources. */
const deprecatedBucketArgs = [
    "acl",
    "grants",
    "policy",
    "logging",
    "versioning",
    "serverSideEncryptionConfiguration",
    "lifecycleRules",
    "objectLockConfiguration",
    "replicationConfiguration",
    "corsRules",
    "website",
    "accelerationStatus",
    "requestPayer",
] as const;

const s3CurrentResourceTypes = resourceRule({
    name: "s3-current-resource-types",
    description:
        "S3 is configured with current pulumi-aws v7 resources: aws.s3.Bucket plus side resources, never the deprecated " +
        "*V2 types or the deprecated inline Bucket arguments (which fight the side resources and hide settings from policy). " +
        "Fix: replace BucketV2/…V2 with their v7 names and move inline arguments into aws.s3.Bucket* side resources.",
    severity: "low",
    securityRule: 5,
    controls: [],
    appliesTo: (type) => type.startsWith("aws:s3/"),
    scope: "aws:s3/* resources",
    validate: ({ type, name, props }, report) => {
        if (deprecatedS3Types.includes(type)) report(`'${name}' uses the deprecated type ${type}; use the v7 resource without the V2 suffix.`);
        if (awsTypes.bucket.includes(type as (typeof awsTypes.bucket)[number])) {
            const inline = deprecatedBucketArgs.filter((arg) => props[arg] !== undefined && props[arg] !== null);
            if (inline.length > 0) report(`bucket '${name}' sets deprecated inline arguments ${inline.join(", ")}; use the aws.s3.Bucket* side resources.`);
        }
    },
    violate: mutation("set the deprecated inline versioning argument on the first bucket", (resources) => {
        pick(resources, ["aws:s3/bucket:Bucket"], "aws.s3.Bucket").inputs.versioning = { enabled: true };
    }),
});

const statefulDataProtected = resourceRule<{ requireProtect: boolean }>({
    name: "stateful-data-protected-from-deletion",
    description:
        "Buckets and KMS keys holding traces and audit records cannot be deleted by accident: no forceDestroy on a bucket, and " +
        "(where required, i.e. prod) the `protect` resource option on buckets and keys. Fix: drop forceDestroy and set " +
        "{ protect: true, retainOnDelete: true } on the resource.",
    severity: "high",
    securityRule: 4,
    controls: [],
    config: { requireProtect: { type: "boolean", default: true, description: "Require the protect option on buckets and keys." } },
    appliesTo: [...awsTypes.bucket, ...awsTypes.kmsKey],
    validate: ({ type, name, props, opts, config }, report) => {
        const kind = type.startsWith("aws:kms") ? "KMS key" : "bucket";
        if (kind === "bucket" && isTrue(props.forceDestroy)) report(`bucket '${name}' sets forceDestroy, which deletes every object on removal; drop it.`);
        if (config.requireProtect && !opts.protect) report(`${kind} '${name}' is not protected; set the protect (and retainOnDelete) resource option.`);
    },
    violate: mutation("unprotect the first bucket and set forceDestroy on it", (resources) => {
        const bucket = pick(resources, awsTypes.bucket, "bucket");
        bucket.protect = false;
        bucket.inputs.forceDestroy = true;
    }),
});

export const s3Rules: readonly RuleDefinition[] = [
    bucketEncryptedWithCustomerKey,
    bucketPublicAccessBlocked,
    bucketAclsDisabled,
    bucketPolicyDeniesInsecureTransport,
    bucketPolicyNoPublicPrincipals,
    bucketVersioningEnabled,
    bucketAccessLogged,
    auditBucketObjectLocked,
    bucketLifecycleExpires,
    s3CurrentResourceTypes,
    statefulDataProtected,
];
