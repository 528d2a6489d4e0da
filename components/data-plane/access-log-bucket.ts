import * as pulumi from "@pulumi/pulumi";
import { logArchiveLifecycle } from "./bucket-lifecycle";
import { accessLogBucketPolicy } from "./bucket-policies";
import { PrivateBucket, type PlatformBucketArgs } from "./private-bucket";

/** `retentionDays` is the audit retention; `accountId` also pins the log delivery principal. */
export interface AccessLogBucketArgs extends PlatformBucketArgs {
    /** Buckets whose server access logs S3 delivers here. */
    readonly sourceBucketNames: readonly string[];
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
