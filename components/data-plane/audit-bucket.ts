import * as pulumi from "@pulumi/pulumi";
import { logArchiveLifecycle } from "./bucket-lifecycle";
import { accessLogPrefix, auditBucketPolicy } from "./bucket-policies";
import { cloudTrailArn } from "../platform/iam-policy";
import { PrivateBucket } from "./private-bucket";

export interface AuditBucketArgs {
    /** Globally unique bucket name (awsResourceNames().auditBucket). */
    readonly bucketName: string;
    /** The environment's AWS account. */
    readonly accountId: string;
    /** The environment's AWS region (of the trail). */
    readonly region: string;
    /** Name of the trail that delivers here (the only writer). */
    readonly trailName: string;
    /** ARN of the audit key (SSE-KMS default encryption). */
    readonly auditKeyArn: pulumi.Input<string>;
    /** Object Lock mode: COMPLIANCE (nobody can shorten it) in prod, GOVERNANCE elsewhere. */
    readonly lockMode: "GOVERNANCE" | "COMPLIANCE";
    /** Days every log version is locked, then expired. */
    readonly retentionDays: number;
    /** Bucket receiving this bucket's server access logs. */
    readonly accessLogBucketName: pulumi.Input<string>;
    /** Protect the bucket from deletion and keep it if removed from the program (prod). */
    readonly retain: boolean;
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
                bucketName: args.bucketName,
                encryption: { kind: "kms", keyArn: args.auditKeyArn },
                policy: auditBucketPolicy({
                    bucketName: args.bucketName,
                    accountId: args.accountId,
                    trailArn: cloudTrailArn(args.region, args.accountId, args.trailName),
                }),
                lifecycleRules: logArchiveLifecycle(args.retentionDays),
                objectLock: { mode: args.lockMode, days: args.retentionDays },
                accessLogs: { targetBucket: args.accessLogBucketName, targetPrefix: accessLogPrefix(args.bucketName) },
                retain: args.retain,
            },
            opts,
            "tracing:aws:AuditBucket",
        );
    }
}
