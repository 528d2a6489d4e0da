import * as pulumi from "@pulumi/pulumi";
import { logArchiveLifecycle } from "./bucket-lifecycle";
import { accessLogBucketPolicy } from "./bucket-policies";
import { PrivateBucket } from "./private-bucket";

export interface AccessLogBucketArgs {
    /** Globally unique bucket name (awsResourceNames().accessLogBucket). */
    readonly bucketName: string;
    /** The environment's AWS account (pins the log delivery principal). */
    readonly accountId: string;
    /** Buckets whose server access logs S3 delivers here. */
    readonly sourceBucketNames: readonly string[];
    /** Days access logs are kept (the audit retention). */
    readonly retentionDays: number;
    /** Protect the bucket from deletion and keep it if removed from the program (prod). */
    readonly retain: boolean;
}

/**
 * Target of the S3 server access logs of the trace and audit buckets (request-level records,
 * including refused requests). It is apart from the audit bucket because S3 cannot deliver server
 * access logs to a bucket with Object Lock, and it is encrypted with S3-managed keys (SSE-S3)
 * because S3 documents no other default encryption for a log target: with SSE-KMS the logs would
 * silently not arrive. Otherwise it is hardened like every platform bucket, and only S3 log
 * delivery for the named source buckets may write to it.
 */
export class AccessLogBucket extends PrivateBucket {
    constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            name,
            {
                bucketName: args.bucketName,
                encryption: { kind: "s3-managed" },
                policy: accessLogBucketPolicy({
                    bucketName: args.bucketName,
                    accountId: args.accountId,
                    sourceBucketNames: args.sourceBucketNames,
                }),
                lifecycleRules: logArchiveLifecycle(args.retentionDays),
                retain: args.retain,
            },
            opts,
            "tracing:aws:AccessLogBucket",
        );
    }
}
