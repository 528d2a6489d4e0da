/**
 * What the trace and log bucket policies decide under the IAM simulator: the requests the platform
 * makes are allowed, the ones it must refuse are denied.
 */
import { strict as assert } from "assert";
import { accessLogBucketPolicy, auditBucketPolicy, traceBucketPolicy } from "../../components/data-plane/bucket-policies";
import type { PolicyDocument } from "../../components/platform/iam-policy";
import { accountId, otherAccountId, region, names, traceBucket, auditBucket, endpointId, trailArn, roleArn, identity, decide, s3Context } from "./simulator";

describe("data plane policies under the IAM simulator", () => {
    const tracePolicy = traceBucketPolicy({ bucketName: traceBucket, accountId, s3VpcEndpointId: endpointId });
    const object = `arn:aws:s3:::${traceBucket}/single-tenant/0f1e2d3c/data.parquet`;
    const tempo = roleArn(names.workloadRoles.tempo);

    describe("trace bucket with the platform's S3 endpoint", () => {
        it("lets Tempo read, write, delete and list through the endpoint over TLS", async () => {
            for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"]) {
                assert.equal(
                    await decide({ principal: tempo, action, resource: object, context: s3Context(), identityPolicies: [identity.tempo], resourcePolicy: tracePolicy }),
                    "Allowed",
                    action,
                );
            }
            assert.equal(
                await decide({
                    principal: tempo,
                    action: "s3:ListBucket",
                    resource: `arn:aws:s3:::${traceBucket}`,
                    context: s3Context(),
                    identityPolicies: [identity.tempo],
                    resourcePolicy: tracePolicy,
                }),
                "Allowed",
            );
        });

        it("refuses Tempo without TLS, with TLS 1.1, through another endpoint or from outside the VPC", async () => {
            for (const context of [
                s3Context({ "aws:SecureTransport": "false" }),
                s3Context({ "s3:TlsVersion": "1.1" }),
                s3Context({ "aws:SourceVpce": "vpce-0ffffffffffffffff" }),
                s3Context({ "aws:SourceVpce": undefined }),
            ]) {
                assert.equal(
                    await decide({ principal: tempo, action: "s3:GetObject", resource: object, context, identityPolicies: [identity.tempo], resourcePolicy: tracePolicy }),
                    "ExplicitlyDenied",
                    JSON.stringify(context),
                );
            }
        });

        it("keeps the bucket's configuration manageable from outside the VPC (no lock-out)", async () => {
            const admin = { Version: "2012-10-17", Statement: [{ Sid: "Admin", Effect: "Allow", Action: "s3:PutBucketPolicy", Resource: `arn:aws:s3:::${traceBucket}` }] } as PolicyDocument;
            assert.equal(
                await decide({
                    principal: roleArn("platform-admin"),
                    action: "s3:PutBucketPolicy",
                    resource: `arn:aws:s3:::${traceBucket}`,
                    context: s3Context({ "aws:SourceVpce": undefined }),
                    identityPolicies: [admin],
                    resourcePolicy: tracePolicy,
                }),
                "Allowed",
            );
        });

        it("refuses a principal of another account even with an all-S3 identity policy", async () => {
            const everything = { Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "*" }] } as PolicyDocument;
            assert.equal(
                await decide({
                    principal: roleArn("intruder", otherAccountId),
                    action: "s3:GetObject",
                    resource: object,
                    context: s3Context({ "aws:PrincipalAccount": otherAccountId }),
                    identityPolicies: [everything],
                    resourcePolicy: tracePolicy,
                }),
                "ExplicitlyDenied",
            );
        });

        it("gives the gateway and Grafana no access to trace objects", async () => {
            for (const [workload, policy] of [["gateway", identity.gateway], ["grafana", identity.grafana]] as const) {
                assert.equal(
                    await decide({
                        principal: roleArn(names.workloadRoles[workload]),
                        action: "s3:GetObject",
                        resource: object,
                        context: s3Context(),
                        identityPolicies: [policy],
                        resourcePolicy: tracePolicy,
                    }),
                    "ImplicitlyDenied",
                    workload,
                );
            }
        });

        it("does not let Tempo read another bucket of the account", async () => {
            assert.equal(
                await decide({ principal: tempo, action: "s3:GetObject", resource: `arn:aws:s3:::${auditBucket}/AWSLogs/x.json.gz`, identityPolicies: [identity.tempo] }),
                "ImplicitlyDenied",
            );
        });
    });

    describe("log buckets", () => {
        const auditPolicy = auditBucketPolicy({ bucketName: auditBucket, accountId, trailArn });
        const logFile = `arn:aws:s3:::${auditBucket}/AWSLogs/${accountId}/CloudTrail/${region}/2026/11/25/file.json.gz`;
        const trailContext = {
            "aws:SecureTransport": "true",
            "s3:TlsVersion": "1.3",
            "aws:SourceArn": trailArn,
            "aws:SourceAccount": accountId,
            "s3:x-amz-acl": "bucket-owner-full-control",
            "aws:PrincipalServiceNamesList": ["cloudtrail.amazonaws.com"],
            "aws:PrincipalIsAWSService": "true",
        };

        it("let this environment's trail deliver log files", async () => {
            assert.equal(
                await decide({ principal: "cloudtrail.amazonaws.com", action: "s3:PutObject", resource: logFile, context: trailContext, resourcePolicy: auditPolicy }),
                "Allowed",
            );
        });

        it("refuse another trail, and any writer but CloudTrail even with an all-S3 identity policy", async () => {
            assert.equal(
                await decide({
                    principal: "cloudtrail.amazonaws.com",
                    action: "s3:PutObject",
                    resource: logFile,
                    context: { ...trailContext, "aws:SourceArn": `arn:aws:cloudtrail:${region}:${otherAccountId}:trail/theirs` },
                    resourcePolicy: auditPolicy,
                }),
                "ImplicitlyDenied",
            );
            const everything = { Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "*" }] } as PolicyDocument;
            assert.equal(
                await decide({
                    principal: roleArn("platform-admin"),
                    action: "s3:PutObject",
                    resource: logFile,
                    context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "aws:PrincipalAccount": accountId },
                    identityPolicies: [everything],
                    resourcePolicy: auditPolicy,
                }),
                "ExplicitlyDenied",
            );
        });

        it("let S3 log delivery write the access logs of the trace bucket, and nobody else", async () => {
            const policy = accessLogBucketPolicy({ bucketName: names.accessLogBucket, accountId, sourceBucketNames: [traceBucket, auditBucket] });
            const logObject = `arn:aws:s3:::${names.accessLogBucket}/s3/${traceBucket}/${accountId}/${region}/${traceBucket}/2026/11/25/log`;
            const delivery = {
                "aws:SecureTransport": "true",
                "s3:TlsVersion": "1.3",
                "aws:SourceAccount": accountId,
                "aws:SourceArn": `arn:aws:s3:::${traceBucket}`,
                "aws:PrincipalServiceNamesList": ["logging.s3.amazonaws.com"],
            };
            assert.equal(
                await decide({ principal: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: logObject, context: delivery, resourcePolicy: policy }),
                "Allowed",
            );
            assert.equal(
                await decide({
                    principal: "logging.s3.amazonaws.com",
                    action: "s3:PutObject",
                    resource: logObject,
                    context: { ...delivery, "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket" },
                    resourcePolicy: policy,
                }),
                "ImplicitlyDenied",
            );
        });
    });
});
