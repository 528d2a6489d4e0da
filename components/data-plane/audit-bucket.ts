import * as pulumi from "@pulumi/pulumi";
import { logArchiveLifecycle } from "./bucket-lifecycle";
import { auditBucketPolicy } from "./bucket-policies";
import { cloudTrailArn } from "../platform/iam-policy";
import { dataBucket, PrivateBucket, type DataBucketArgs } from "./private-bucket";

/** `keyArn` is the audit key; `retentionDays` is how long every log version is locked, then expired. */
export interface AuditBucketArgs extends DataBucketArgs {
    /** The environment's AWS region (of the trail). */
    readonly region: string;
    /** Name of the trail that delivers here (the only writer). */
    readonly trailName: string;
    /** Object Lock mode: COMPLIANCE (nobody can shorten it) in prod, GOVERNANCE elsewhere. */
    readonly lockMode: "GOVERNANCE" | "COMPLIANCE";
}

/**
 * The audit bucket: CloudTrail log files under S3 Object Lock for the audit retention, SSE-KMS
 * with the audit key, versioned, private, TLS only, written by the environment's trail alone,
 * archived to colder storage as logs age, its own access logged to the access-log bucket.
 */
export class AuditBucket extends PrivateBucket {
    constructor(name: string, args: AuditBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super(
            name,
            {
                ...dataBucket(args),
                policy: auditBucketPolicy({
                    bucketName: args.bucketName,
                    accountId: args.accountId,
                    trailArn: cloudTrailArn(args.region, args.accountId, args.trailName),
                }),
                lifecycleRules: logArchiveLifecycle(args.retentionDays),
                objectLock: { mode: args.lockMode, days: args.retentionDays },
            },
            opts,
            "tracing:aws:AuditBucket",
        );
    }
}
