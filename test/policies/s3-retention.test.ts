import * as assert from "assert";
import { describeRule, golden, messages, named, removeNamed } from "./helpers";

const trace = "bucket 'tracing-traces' (tracing-traces-prod-333333333333-eu-west-1)";
const audit = "bucket 'tracing-audit' (tracing-audit-prod-333333333333-eu-west-1)";

describe("policies: S3 retention", () => {
    describeRule("s3-bucket-versioning-enabled", [
        {
            title: "versioning suspended",
            change: (rs) => (named(rs, "tracing-audit-versioning").inputs.versioningConfiguration = { status: "Suspended" }),
            expect: [`${audit}: versioning is 'Suspended'; set versioningConfiguration.status to 'Enabled'.`],
        },
        {
            title: "no versioning",
            change: removeNamed("tracing-traces-versioning"),
            expect: [`${trace} has no versioning configuration (add an aws.s3.BucketVersioning with status Enabled).`],
        },
    ]);

    describeRule("s3-bucket-access-logging-enabled", [
        {
            title: "the trace bucket logs nowhere (and the audit bucket stops being a log sink)",
            change: removeNamed("tracing-traces-access-logs"),
            expect: [
                `${trace} has no server access logging (add an aws.s3.BucketLogging targeting the log bucket).`,
                `${audit} has no server access logging (add an aws.s3.BucketLogging targeting the log bucket).`,
            ],
        },
        {
            title: "logs into itself without a prefix (so the audit bucket is no longer anyone's log sink)",
            change: (rs) => {
                const logging = named(rs, "tracing-traces-access-logs");
                logging.inputs.targetBucket = logging.inputs.bucket;
                delete logging.inputs.targetPrefix;
                logging.propertyDependencies!.targetBucket = [named(rs, "tracing-traces").urn];
            },
            expect: [
                `${trace} writes its access logs into itself; target a separate log bucket.`,
                `${trace}: access logging 'tracing-traces-access-logs' has no targetPrefix; set one per source bucket.`,
                `${audit} has no server access logging (add an aws.s3.BucketLogging targeting the log bucket).`,
            ],
        },
    ]);

    describeRule("s3-audit-bucket-object-lock", [
        {
            title: "the trail's bucket is not created with Object Lock",
            change: (rs) => (named(rs, "tracing-audit").inputs.objectLockEnabled = false),
            expect: [`audit ${audit} is not created with objectLockEnabled true.`],
        },
        {
            title: "GOVERNANCE mode and a short retention in prod",
            change: (rs) => (named(rs, "tracing-audit-object-lock").inputs.rule = { defaultRetention: { mode: "GOVERNANCE", days: 30 } }),
            expect: [
                `audit ${audit}: retention mode 'GOVERNANCE' is not one of COMPLIANCE.`,
                `audit ${audit}: default retention 30 days is below the minimum of 365.`,
            ],
        },
        {
            title: "compliant: retention in years",
            change: (rs) => (named(rs, "tracing-audit-object-lock").inputs.rule = { defaultRetention: { mode: "COMPLIANCE", years: 7 } }),
            expect: [],
        },
    ]);

    describeRule("s3-bucket-lifecycle-expires-objects", [
        {
            title: "no expiration, no noncurrent expiry, no multipart abort",
            change: (rs) => (named(rs, "tracing-traces-lifecycle").inputs.rules = [{ id: "transition", status: "Enabled", transitions: [{ days: 30, storageClass: "GLACIER" }] }]),
            expect: [
                `${trace} never expires objects; add an enabled rule with expiration.days.`,
                `${trace} is versioned but never expires noncurrent versions; add noncurrentVersionExpiration.noncurrentDays.`,
                `${trace} keeps incomplete multipart uploads; add abortIncompleteMultipartUpload.daysAfterInitiation of at most 7.`,
            ],
        },
        {
            title: "traces kept too long; audit objects expiring before their lock ends",
            change: (rs) => {
                named(rs, "tracing-traces-lifecycle").inputs.rules[0].expiration.days = 500;
                named(rs, "tracing-audit-lifecycle").inputs.rules[0].expiration.days = 100;
            },
            expect: [
                `${trace} keeps objects 500 days, above the maximum of 400.`,
                `${audit} expires objects after 100 days, before their Object Lock retention of 2557 days ends.`,
            ],
        },
        {
            title: "an access-log bucket may keep its logs as long as audit records, not longer",
            change: (rs) => {
                const audit = named(rs, "tracing-audit");
                rs.splice(rs.indexOf(named(rs, "tracing-audit-trail")), 1);
                audit.inputs.objectLockEnabled = false;
                rs.splice(rs.indexOf(named(rs, "tracing-audit-object-lock")), 1);
                named(rs, "tracing-audit-lifecycle").inputs.rules[0].expiration.days = 4000;
            },
            expect: [`${audit} keeps objects 4000 days, above the maximum of 3653.`],
        },
        {
            title: "a disabled rule does not count",
            change: (rs) => (named(rs, "tracing-traces-lifecycle").inputs.rules[0].status = "Disabled"),
            expect: [
                `${trace} never expires objects; add an enabled rule with expiration.days.`,
                `${trace} is versioned but never expires noncurrent versions; add noncurrentVersionExpiration.noncurrentDays.`,
                `${trace} keeps incomplete multipart uploads; add abortIncompleteMultipartUpload.daysAfterInitiation of at most 7.`,
            ],
        },
    ]);

    describeRule("s3-current-resource-types", [
        {
            title: "a deprecated BucketV2 with inline versioning and ACL",
            change: (rs) => {
                const bucket = named(rs, "tracing-traces");
                bucket.type = "aws:s3/bucketV2:BucketV2";
                Object.assign(bucket.inputs, { versioning: { enabled: true }, acl: "private" });
            },
            expect: [
                "'tracing-traces' uses the deprecated type aws:s3/bucketV2:BucketV2; use the v7 resource without the V2 suffix.",
                "bucket 'tracing-traces' sets deprecated inline arguments acl, versioning; use the aws.s3.Bucket* side resources.",
            ],
        },
    ]);

    describeRule("stateful-data-protected-from-deletion", [
        {
            title: "an unprotected key and a force-destroyed bucket in prod",
            change: (rs) => {
                named(rs, "tracing-traces-key").protect = false;
                named(rs, "tracing-audit").inputs.forceDestroy = true;
            },
            expect: ["bucket 'tracing-audit' sets forceDestroy, which deletes every object on removal; drop it.", "KMS key 'tracing-traces-key' is not protected; set the protect (and retainOnDelete) resource option."],
        },
        {
            title: "dev does not require protect, but still refuses forceDestroy",
            stack: "dev",
            change: (rs) => (named(rs, "tracing-traces").inputs.forceDestroy = true),
            expect: ["bucket 'tracing-traces' sets forceDestroy, which deletes every object on removal; drop it."],
        },
    ]);

    it("the golden dev stack is unprotected, which only prod's config forbids", async () => {
        const dev = golden("dev");
        assert.ok(dev.filter((r) => r.type === "aws:s3/bucket:Bucket").every((r) => !r.protect));
        assert.deepStrictEqual(await messages("stateful-data-protected-from-deletion", dev, "prod"), [
            "bucket 'tracing-traces' is not protected; set the protect (and retainOnDelete) resource option.",
            "bucket 'tracing-audit' is not protected; set the protect (and retainOnDelete) resource option.",
            "KMS key 'tracing-traces-key' is not protected; set the protect (and retainOnDelete) resource option.",
            "KMS key 'tracing-audit-key' is not protected; set the protect (and retainOnDelete) resource option.",
        ].sort());
    });
});
