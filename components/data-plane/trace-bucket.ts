import * as pulumi from "@pulumi/pulumi";
import { traceBucketLifecycle } from "./bucket-lifecycle";
import { accessLogPrefix, traceBucketPolicy } from "./bucket-policies";
import { PrivateBucket } from "./private-bucket";

export interface TraceBucketArgs {
    /** Globally unique bucket name (awsResourceNames().traceBucket). */
    readonly bucketName: string;
    /** The environment's AWS account; principals of other accounts are refused. */
    readonly accountId: string;
    /** ARN of the trace key (SSE-KMS default encryption with an S3 Bucket Key). */
    readonly traceKeyArn: pulumi.Input<string>;
    /** Days Tempo keeps traces; objects expire one day later as a backstop. */
    readonly retentionDays: number;
    /** Bucket receiving this bucket's server access logs. */
    readonly accessLogBucketName: pulumi.Input<string>;
    /** The S3 gateway endpoint on the platform's route tables (created or reused); once given, object data is reachable only through it. */
    readonly s3VpcEndpointId?: pulumi.Input<string>;
    /** Protect the bucket from deletion and keep it if removed from the program (prod). */
    readonly retain: boolean;
}

/**
 * Tempo's object storage: SSE-KMS with the trace key, versioned, private, TLS only, reachable only
 * by principals of the environment's account (and, with the endpoint, only from inside the VPC),
 * expiring with the trace retention, server access logs to the access-log bucket.
 */
export class TraceBucket extends PrivateBucket {
    constructor(name: string, args: TraceBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            name,
            {
                bucketName: args.bucketName,
                encryption: { kind: "kms", keyArn: args.traceKeyArn },
                policy: pulumi
                    .output(args.s3VpcEndpointId)
                    .apply((s3VpcEndpointId) =>
                        traceBucketPolicy({ bucketName: args.bucketName, accountId: args.accountId, s3VpcEndpointId }),
                    ),
                lifecycleRules: traceBucketLifecycle(args.retentionDays),
                accessLogs: { targetBucket: args.accessLogBucketName, targetPrefix: accessLogPrefix(args.bucketName) },
                retain: args.retain,
            },
            opts,
            "tracing:aws:TraceBucket",
        );
    }
}
