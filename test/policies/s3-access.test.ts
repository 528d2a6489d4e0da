import * as assert from "assert";
import { unknownValue } from "../../policies/rules/lib/values";
import { describeRule, edited, editJson, messages, named, removeNamed, runRule } from "./helpers";

const trace = "bucket 'tracing-traces' (tracing-traces-prod-333333333333-eu-west-1)";
const audit = "bucket 'tracing-audit' (tracing-audit-prod-333333333333-eu-west-1)";

describe("policies: S3 access", () => {
    describeRule("s3-bucket-encrypted-with-customer-managed-key", [
        {
            title: "a bucket without an encryption configuration",
            change: removeNamed("tracing-traces-encryption"),
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
            change: removeNamed("tracing-audit-public-access"),
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
});
