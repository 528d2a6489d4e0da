import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LifecycleRule } from "./bucket-lifecycle";
import { accessLogPrefix } from "./bucket-policies";
import { retainedChild, type RetainableArgs } from "./base-args";
import type { PolicyDocument } from "../platform/iam-policy";

/** Default encryption of a bucket: a customer managed key, or S3-managed keys where S3 requires them. */
export type BucketEncryption =
    | { readonly kind: "kms"; readonly keyArn: pulumi.Input<string> }
    /** Only for the server access log bucket: S3 log delivery supports no other default encryption. */
    | { readonly kind: "s3-managed" };

export interface PrivateBucketArgs extends RetainableArgs {
    /** Globally unique bucket name (from awsResourceNames). */
    readonly bucketName: string;
    /** Default server-side encryption. */
    readonly encryption: BucketEncryption;
    /** The whole bucket policy. */
    readonly policy: pulumi.Input<PolicyDocument>;
    /** Lifecycle rules (expiry, archive tiers, cleanup). */
    readonly lifecycleRules: readonly LifecycleRule[];
    /** S3 Object Lock default retention; Object Lock can only be turned on when the bucket is created. */
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    /** Where S3 delivers this bucket's server access logs. */
    readonly accessLogs?: { readonly targetBucket: pulumi.Input<string>; readonly targetPrefix: string };
}

/** What the platform's buckets (trace, audit, access logs) are each given. */
export interface PlatformBucketArgs extends RetainableArgs {
    /** Globally unique bucket name (from awsResourceNames). */
    readonly bucketName: string;
    /** The environment's AWS account, the only one the bucket policy admits principals of. */
    readonly accountId: string;
    /** Days the bucket keeps what it holds; its lifecycle expires objects after that. */
    readonly retentionDays: number;
}

/** A platform bucket holding platform data: encrypted with a platform key, its own access logged to the access-log bucket. */
export interface DataBucketArgs extends PlatformBucketArgs {
    /** Platform key encrypting the objects (SSE-KMS default encryption with an S3 Bucket Key). */
    readonly keyArn: pulumi.Input<string>;
    /** Bucket receiving this bucket's server access logs. */
    readonly accessLogBucketName: pulumi.Input<string>;
}

/** A data bucket's name, encryption, access logging (under the prefix the access-log bucket admits) and retention. */
export function dataBucket(args: DataBucketArgs): Pick<PrivateBucketArgs, "bucketName" | "encryption" | "accessLogs" | "retain"> {
    return {
        bucketName: args.bucketName,
        encryption: { kind: "kms", keyArn: args.keyArn },
        accessLogs: { targetBucket: args.accessLogBucketName, targetPrefix: accessLogPrefix(args.bucketName) },
        retain: args.retain,
    };
}

/**
 * A private, versioned, encrypted S3 bucket with the current (non-deprecated) side resources:
 * ACLs disabled (BucketOwnerEnforced), all four public access blocks, versioning, default
 * encryption that also refuses SSE-C, lifecycle, the given policy and optionally Object Lock and
 * server access logging. The trace, audit and access-log buckets specialise it (they pass their own
 * component type so each shows as what it is).
 */
export class PrivateBucket extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    /** The bucket name, resolved only once policy and public access block are in place. */
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;

    constructor(
        name: string,
        args: PrivateBucketArgs,
        opts?: pulumi.ComponentResourceOptions,
        componentType = "tracing:aws:PrivateBucket",
    ) {
        super(componentType, name, args, opts);
        const child = { parent: this };

        this.bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            { bucket: args.bucketName, forceDestroy: false, ...(args.objectLock ? { objectLockEnabled: true } : {}) },
            retainedChild(this, args.retain),
        );
        const bucket = this.bucket.id;

        const ownership = new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
            child,
        );
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        const versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket, versioningConfiguration: { status: "Enabled" } },
            child,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket,
                rules: [
                    args.encryption.kind === "kms"
                        ? {
                              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.keyArn },
                              bucketKeyEnabled: true,
                              blockedEncryptionTypes: ["SSE-C"],
                          }
                        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] },
                ],
            },
            child,
        );
        if (args.objectLock) {
            new aws.s3.BucketObjectLockConfiguration(
                `${name}-object-lock`,
                {
                    bucket,
                    objectLockEnabled: "Enabled",
                    rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
                },
                { ...child, dependsOn: [versioning] },
            );
        }
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            { bucket, rules: args.lifecycleRules.map((rule) => ({ ...rule })) },
            { ...child, dependsOn: [versioning] },
        );
        const policy = new aws.s3.BucketPolicy(
            `${name}-policy`,
            { bucket, policy: pulumi.jsonStringify(args.policy) },
            { ...child, dependsOn: [publicAccessBlock, ownership] },
        );
        if (args.accessLogs) {
            new aws.s3.BucketLogging(
                `${name}-access-logs`,
                {
                    bucket,
                    targetBucket: args.accessLogs.targetBucket,
                    targetPrefix: args.accessLogs.targetPrefix,
                    targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                },
                child,
            );
        }

        this.bucketName = pulumi.all([this.bucket.bucket, policy.id, publicAccessBlock.id]).apply(([bucketName]) => bucketName);
        this.bucketArn = this.bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
