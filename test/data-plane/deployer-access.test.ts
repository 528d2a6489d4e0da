/**
 * The deployer is never locked out of the trace bucket. The AWS provider reads an S3 bucket with
 * HeadBucket and one Get* call per bucket setting (terraform-provider-aws internal/service/s3/bucket.go,
 * resourceBucketRead: findBucket, then policy, ACL, CORS, website, versioning, accelerate, request
 * payment, logging, lifecycle, replication, encryption, object lock, tags), and HeadBucket is
 * authorised by s3:ListBucket (Amazon S3 API reference, HeadBucket: "you must have permissions to
 * perform the s3:ListBucket action"). CI runs `pulumi refresh`/`up` from outside the VPC, so none of
 * these may fall under the bucket's deny outside the platform's S3 endpoint; object data still does.
 */
import { strict as assert } from "assert";
import { traceBucketPolicy } from "../../components/data-plane/bucket-policies";
import { policyDocument, type PolicyDocument } from "../../components/platform/iam-policy";
import { accountId, decide, endpointId, roleArn, s3Context, traceBucket as bucket } from "./simulator";

const deployer = roleArn("tracing-deploy");
const providerReadActions = [
    "s3:ListBucket",
    "s3:GetBucketPolicy",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketWebsite",
    "s3:GetBucketVersioning",
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketLogging",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketTagging",
    "s3:GetBucketLocation",
];

/** What AWS decides for the deployer's request from a CI runner: TLS 1.3, no VPC endpoint. */
function decideFromCi(action: string, resource: string, bucketPolicy: PolicyDocument): Promise<string> {
    const deployerPolicy = policyDocument([{ Sid: "Deploy", Effect: "Allow", Action: "s3:*", Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }]);
    return decide({ principal: deployer, action, resource, context: s3Context({ "aws:SourceVpce": undefined }), identityPolicies: [deployerPolicy], resourcePolicy: bucketPolicy });
}

describe("trace bucket: the deployer can read and manage it from outside the VPC", () => {
    const policy = traceBucketPolicy({ bucketName: bucket, accountId, s3VpcEndpointId: endpointId });

    for (const action of providerReadActions) {
        it(`the provider's read (${action}) is allowed without the platform's endpoint`, async () => {
            assert.equal(await decideFromCi(action, `arn:aws:s3:::${bucket}`, policy), "Allowed");
        });
    }

    it("trace objects stay unreadable and unwritable outside the endpoint, for the deployer too", async () => {
        for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
            assert.equal(await decideFromCi(action, `arn:aws:s3:::${bucket}/single-tenant/block/data.parquet`, policy), "ExplicitlyDenied", action);
        }
    });
});
