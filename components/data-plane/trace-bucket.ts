import * as pulumi from "@pulumi/pulumi";
import { traceBucketLifecycle } from "./bucket-lifecycle";
import { traceBucketPolicy } from "./bucket-policies";
import { dataBucket, PrivateBucket, type DataBucketArgs } from "./private-bucket";

/** `keyArn` is the trace key; `retentionDays` is how long Tempo keeps traces, objects expire one day later as a backstop. */
export interface TraceBucketArgs extends DataBucketArgs {
    /** The S3 gateway endpoint on the platform's route tables (created or reused); once given, object data is reachable only through it. */
    readonly s3VpcEndpointId?: pulumi.Input<string>;
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
                ...dataBucket(args),
                policy: pulumi
                    .output(args.s3VpcEndpointId)
                    .apply((s3VpcEndpointId) =>
                        traceBucketPolicy({ bucketName: args.bucketName, accountId: args.accountId, s3VpcEndpointId }),
                    ),
                lifecycleRules: traceBucketLifecycle(args.retentionDays),
            },
            opts,
            "tracing:aws:TraceBucket",
        );
    }
}
