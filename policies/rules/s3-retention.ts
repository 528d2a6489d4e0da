/**
 * S3 retention: what buckets keep, for how long, and how safely. Every bucket is versioned,
 * access-logged and expires what it no longer needs; the audit bucket is object-locked; buckets and
 * keys cannot be deleted by accident; and S3 is declared with current v7 resources, whose side
 * resources these rules (and the access rules) read.
 */
import type * as aws from "./lib/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { awsTypes, deprecatedS3Types } from "./lib/aws-types";
import { accessLogTargets, auditBucketUrns, bucketLabel, bucketsOf, bucketSettingRules, companionsOf, refersToBucket, trailDestinations } from "./lib/buckets";
import { rulesFor } from "./lib/define";
import { mutation, pick, remove } from "./lib/mutate";
import { asList, isSet, isTrue } from "./lib/values";
import type { RuleDefinition } from "./types";

type VersioningInputs = Unwrap<aws.s3.BucketVersioningArgs>;
type LoggingInputs = Unwrap<aws.s3.BucketLoggingArgs>;
type ObjectLockInputs = Unwrap<aws.s3.BucketObjectLockConfigurationArgs>;
type LifecycleInputs = Unwrap<aws.s3.BucketLifecycleConfigurationArgs>;
type BucketInputs = Unwrap<aws.s3.BucketArgs>;

const { resourceRule } = rulesFor("s3-retention");
const bucketSettingRule = bucketSettingRules("s3-retention");

const bucketVersioningEnabled = bucketSettingRule({
    name: "s3-bucket-versioning-enabled",
    description:
        "Every S3 bucket keeps object versions so an overwrite or delete can be undone and investigated. Fix: add an " +
        "aws.s3.BucketVersioning with versioningConfiguration.status 'Enabled'.",
    severity: "medium",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_21", "Security Hub S3.14"],
    setting: awsTypes.bucketVersioning,
    missing: "versioning configuration (add an aws.s3.BucketVersioning with status Enabled)",
    check: ({ bucket }, versioning, report) => {
        const status = (versioning.props as VersioningInputs).versioningConfiguration?.status;
        if (status !== "Enabled") report(`${bucketLabel(bucket)}: versioning is '${status ?? "unset"}'; set versioningConfiguration.status to 'Enabled'.`, versioning.urn);
    },
    violate: mutation("suspend versioning on the first bucket versioning resource", (resources) => {
        pick(resources, awsTypes.bucketVersioning, "bucket versioning").inputs.versioningConfiguration = { status: "Suspended" };
    }),
});

const bucketAccessLogged = bucketSettingRule({
    name: "s3-bucket-access-logging-enabled",
    description:
        "Every S3 bucket writes server access logs (successful and denied requests) to another bucket; a bucket that " +
        "receives access logs is exempt (logging it into itself would loop). Fix: add an aws.s3.BucketLogging with " +
        "targetBucket set to the audit/log bucket and a targetPrefix.",
    severity: "medium",
    securityRule: 4,
    controls: ["Checkov CKV_AWS_18", "Security Hub S3.9", "CIS AWS 3.4"],
    setting: awsTypes.bucketLogging,
    missing: "server access logging (add an aws.s3.BucketLogging targeting the log bucket)",
    buckets: ({ view }) => {
        const sinks = new Set(accessLogTargets(view).map((b) => b.urn));
        return bucketsOf(view).filter((bucket) => !sinks.has(bucket.urn));
    },
    check: ({ view, bucket }, logging, report) => {
        const inputs = logging.props as LoggingInputs;
        if (!isSet(inputs.targetBucket)) report(`${bucketLabel(bucket)}: access logging '${logging.name}' has no targetBucket.`, logging.urn);
        else if (refersToBucket(view, logging, bucket, "targetBucket")) {
            report(`${bucketLabel(bucket)} writes its access logs into itself; target a separate log bucket.`, logging.urn);
        }
        if (!isSet(inputs.targetPrefix)) report(`${bucketLabel(bucket)}: access logging '${logging.name}' has no targetPrefix; set one per source bucket.`, logging.urn);
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

const auditBucketObjectLocked = bucketSettingRule<{ allowedModes: string[]; minimumRetentionDays: number }>({
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
    setting: awsTypes.bucketObjectLock,
    missing: "Object Lock configuration (add an aws.s3.BucketObjectLockConfiguration with a default retention)",
    buckets: ({ view }) => trailDestinations(view),
    checkBucket: ({ bucket }, report) => {
        if ((bucket.props as BucketInputs).objectLockEnabled !== true) report(`audit ${bucketLabel(bucket)} is not created with objectLockEnabled true.`, bucket.urn);
    },
    check: ({ config, bucket }, configuration, report) => {
        const lock = configuration.props as ObjectLockInputs;
        if (lock.objectLockEnabled !== undefined && lock.objectLockEnabled !== "Enabled") {
            report(`audit ${bucketLabel(bucket)}: Object Lock is '${lock.objectLockEnabled}'; set it to 'Enabled'.`, configuration.urn);
        }
        const mode = lock.rule?.defaultRetention?.mode;
        if (!mode || !config.allowedModes.includes(mode)) {
            report(`audit ${bucketLabel(bucket)}: retention mode '${mode ?? "unset"}' is not one of ${config.allowedModes.join(", ")}.`, configuration.urn);
        }
        const days = lockRetentionDays(lock);
        if (days === undefined || days < config.minimumRetentionDays) {
            report(`audit ${bucketLabel(bucket)}: default retention ${days ?? "unset"} days is below the minimum of ${config.minimumRetentionDays}.`, configuration.urn);
        }
    },
    violate: mutation("delete the audit bucket's Object Lock configuration", (resources) => {
        const lock = pick(resources, awsTypes.bucketObjectLock, "bucket Object Lock configuration");
        remove(resources, "bucket Object Lock configuration", (r) => r.urn === lock.urn);
    }),
});

const bucketLifecycleExpires = bucketSettingRule<{ maximumDays: number; maximumAuditDays: number; maximumAbortDays: number }>({
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
    setting: awsTypes.bucketLifecycle,
    missing: "lifecycle configuration (add an aws.s3.BucketLifecycleConfiguration that expires objects)",
    check: ({ view, config, bucket }, lifecycle, report) => {
        const rules = asList((lifecycle.props as LifecycleInputs).rules).filter((rule) => rule.status === "Enabled");
        // CloudTrail files and server access logs are audit records, kept as long as audit requires.
        const maximum = auditBucketUrns(view).has(bucket.urn) ? config.maximumAuditDays : config.maximumDays;
        const expirations = rules.map((rule) => rule.expiration?.days).filter((days): days is number => typeof days === "number");
        if (expirations.length === 0) report(`${bucketLabel(bucket)} never expires objects; add an enabled rule with expiration.days.`, lifecycle.urn);
        for (const days of expirations.filter((d) => d > maximum)) {
            report(`${bucketLabel(bucket)} keeps objects ${days} days, above the maximum of ${maximum}.`, lifecycle.urn);
        }
        const lockDays = Math.max(0, ...companionsOf(view, bucket, awsTypes.bucketObjectLock).map((lock) => lockRetentionDays(lock.props as ObjectLockInputs) ?? 0));
        for (const days of expirations.filter((d) => d < lockDays)) {
            report(`${bucketLabel(bucket)} expires objects after ${days} days, before their Object Lock retention of ${lockDays} days ends.`, lifecycle.urn);
        }
        const versioned = companionsOf(view, bucket, awsTypes.bucketVersioning).some(
            (v) => (v.props as VersioningInputs).versioningConfiguration?.status === "Enabled",
        );
        if (versioned && !rules.some((rule) => typeof rule.noncurrentVersionExpiration?.noncurrentDays === "number")) {
            report(`${bucketLabel(bucket)} is versioned but never expires noncurrent versions; add noncurrentVersionExpiration.noncurrentDays.`, lifecycle.urn);
        }
        const abort = rules.map((rule) => rule.abortIncompleteMultipartUpload?.daysAfterInitiation).filter((d): d is number => typeof d === "number");
        if (!abort.some((days) => days <= config.maximumAbortDays)) {
            report(`${bucketLabel(bucket)} keeps incomplete multipart uploads; add abortIncompleteMultipartUpload.daysAfterInitiation of at most ${config.maximumAbortDays}.`, lifecycle.urn);
        }
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

export const s3RetentionRules: readonly RuleDefinition[] = [
    bucketVersioningEnabled,
    bucketAccessLogged,
    auditBucketObjectLocked,
    bucketLifecycleExpires,
    s3CurrentResourceTypes,
    statefulDataProtected,
];
