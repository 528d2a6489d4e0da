import * as assert from "assert";
import { unknownValue } from "../../policies/rules/lib/values";
import { describeRule, edited, editJson, golden, messages, named, runRule } from "./helpers";

const trace = "bucket 'tracing-traces' (tracing-traces-prod-333333333333-eu-west-1)";
const audit = "bucket 'tracing-audit' (tracing-audit-prod-333333333333-eu-west-1)";
const remove = (name: string) => (resources: any[]) => resources.splice(resources.indexOf(named(resources, name)), 1);

describe("policies: S3", () => {
    describeRule("s3-bucket-encrypted-with-customer-managed-key", [
        {
            title: "a bucket without an encryption configuration",
            change: remove("tracing-traces-encryption"),
            expect: [`${trace} has no server-side encryption configuration (add an aws.s3.BucketServerSideEncryptionConfiguration with SSE-KMS).`],
        },
        {
            title: "SSE-S3 instead of KMS",
            change: (rs) => (named(rs, "tracing-traces-encryption").inputs.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" }),
            expect: [`${trace} is encrypted with 'AES256'; use sseAlgorithm 'aws:kms' with a customer-managed key.`],
        },
        {
            title: "the AWS-managed aws/s3 key, no bucket key",
            change: (rs) => {
                const encryption = named(rs, "tracing-traces-encryption");
                encryption.inputs.rules[0] = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: false };
                encryption.propertyDependencies!.rules = [];
            },
            expect: [
                `${trace}: kmsMasterKeyId 'alias/aws/s3' is not a customer-managed key; set it to the environment's aws.kms.Key ARN.`,
                `${trace}: bucketKeyEnabled is not true; enable the S3 Bucket Key to cut KMS requests.`,
            ],
        },
        {
            title: "compliant: a literal customer key ARN, linked to the bucket by its explicit name only",
            change: (rs) => {
                const encryption = named(rs, "tracing-traces-encryption");
                encryption.propertyDependencies = {};
            },
            expect: [],
        },
        {
            title: "compliant under the shipped configs: SSE-S3 on the access-log target (S3 log delivery cannot use SSE-KMS)",
            change: (rs) => (named(rs, "tracing-audit-encryption").inputs.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" }),
            expect: [],
        },
    ]);

    it("s3-bucket-encrypted-with-customer-managed-key refuses SSE-S3 on access-log targets unless the config allows it", async () => {
        const resources = edited((rs) => (named(rs, "tracing-audit-encryption").inputs.rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: "AES256" }));
        assert.deepStrictEqual(await messages("s3-bucket-encrypted-with-customer-managed-key", resources, "prod", {}), [
            `${audit} is encrypted with 'AES256'; use sseAlgorithm 'aws:kms' with a customer-managed key.`,
        ]);
    });

    it("s3-bucket-encrypted-with-customer-managed-key does not decide on an unknown algorithm (preview)", async () => {
        const resources = edited((rs) => (named(rs, "tracing-traces-encryption").inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = unknownValue));
        const result = await runRule("s3-bucket-encrypted-with-customer-managed-key", resources);
        assert.deepStrictEqual(result.violations, []);
    });

    describeRule("s3-bucket-public-access-blocked", [
        {
            title: "no public access block",
            change: remove("tracing-audit-public-access"),
            expect: [`${audit} has no public access block (add an aws.s3.BucketPublicAccessBlock with all four settings true).`],
        },
        {
            title: "public policies allowed",
            change: (rs) => Object.assign(named(rs, "tracing-traces-public-access").inputs, { blockPublicPolicy: false, restrictPublicBuckets: false }),
            expect: [`${trace}: public access block leaves blockPublicPolicy, restrictPublicBuckets off; set all four to true.`],
        },
    ]);

    describeRule("s3-bucket-acls-disabled", [
        {
            title: "ACLs enabled by ObjectWriter ownership",
            change: (rs) => (named(rs, "tracing-traces-ownership").inputs.rule = { objectOwnership: "ObjectWriter" }),
            expect: [`${trace}: objectOwnership is 'ObjectWriter'; set it to 'BucketOwnerEnforced' to disable ACLs.`],
        },
        {
            title: "a public-read ACL",
            change: (rs) => {
                const bucket = named(rs, "tracing-traces");
                rs.push({ ...structuredClone(named(rs, "tracing-traces-ownership")), urn: `${bucket.urn}-acl`, type: "aws:s3/bucketAcl:BucketAcl", name: "tracing-traces-acl", inputs: { bucket: bucket.inputs.bucket, acl: "public-read" } });
            },
            expect: [`${trace}: ACL 'tracing-traces-acl' grants 'public-read'; remove the aws.s3.BucketAcl.`],
        },
    ]);

    describeRule("s3-bucket-policy-denies-insecure-transport", [
        {
            title: "no TLS-only statement",
            change: (rs) => editJson(named(rs, "tracing-traces-policy"), "policy", (d) => (d.Statement = d.Statement.filter((s: any) => s.Sid !== "DenyInsecureTransport"))),
            expect: [`${trace} does not deny requests without TLS; add a Deny statement on aws:SecureTransport 'false' for s3:* on the bucket and its objects.`],
        },
        {
            title: "a TLS-only statement that covers the objects but not the bucket",
            change: (rs) => editJson(named(rs, "tracing-traces-policy"), "policy", (d) => (d.Statement[0].Resource = d.Statement[0].Resource.filter((r: string) => r.endsWith("/*")))),
            expect: [`${trace} does not deny requests without TLS; add a Deny statement on aws:SecureTransport 'false' for s3:* on the bucket and its objects.`],
        },
        {
            title: "compliant: Principal {AWS: '*'}, Action '*', Resource '*', boolean condition value",
            change: (rs) =>
                editJson(named(rs, "tracing-traces-policy"), "policy", (d) => {
                    d.Statement[0] = { Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": false } } };
                }),
            expect: [],
        },
    ]);

    describeRule("s3-bucket-policy-no-public-principals", [
        {
            title: "anyone may read objects",
            change: (rs) => editJson(named(rs, "tracing-traces-policy"), "policy", (d) => d.Statement.push({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" })),
            expect: ["bucket policy 'tracing-traces-policy' statement 'Open' allows s3:GetObject to anyone; name the principal or scope it with aws:SourceArn/aws:SourceAccount."],
        },
        {
            title: "compliant: '*' scoped by aws:SourceAccount",
            change: (rs) =>
                editJson(named(rs, "tracing-traces-policy"), "policy", (d) =>
                    d.Statement.push({ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::x/*", Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } } }),
                ),
            expect: [],
        },
    ]);

    describeRule("s3-bucket-versioning-enabled", [
        {
            title: "versioning suspended",
            change: (rs) => (named(rs, "tracing-audit-versioning").inputs.versioningConfiguration = { status: "Suspended" }),
            expect: [`${audit}: versioning is 'Suspended'; set versioningConfiguration.status to 'Enabled'.`],
        },
        {
            title: "no versioning",
            change: remove("tracing-traces-versioning"),
            expect: [`${trace} has no versioning configuration (add an aws.s3.BucketVersioning with status Enabled).`],
        },
    ]);

    describeRule("s3-bucket-access-logging-enabled", [
        {
            title: "the trace bucket logs nowhere (and the audit bucket stops being a log sink)",
            change: remove("tracing-traces-access-logs"),
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
