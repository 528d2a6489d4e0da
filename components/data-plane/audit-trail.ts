import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { trailEventSelectors, trailLogsDeliveryPolicy, trailLogsTrustPolicy } from "./trail-policies";
import { cloudTrailArn } from "../platform/iam-policy";
import { EncryptedLogGroup } from "./log-group";
import type { EnvironmentArgs, LogGroupOwnerArgs } from "./base-args";

export interface AuditTrailArgs extends EnvironmentArgs, LogGroupOwnerArgs {
    /** Audit bucket the trail delivers to, resolved once its policy admits the trail. */
    readonly auditBucketName: pulumi.Input<string>;
    /** Audit key encrypting log files and the trail's log group. */
    readonly auditKeyArn: pulumi.Input<string>;
}

/**
 * The environment's CloudTrail trail: every region, global service events, digest files for log
 * file validation, KMS-encrypted, management events plus read and write data events on the trace
 * bucket's objects, delivered to the audit bucket and copied to a KMS-encrypted log group, which
 * the SecurityAlarms component's metric filters read.
 */
export class AuditTrail extends pulumi.ComponentResource {
    public readonly trail: aws.cloudtrail.Trail;
    public readonly trailArn: pulumi.Output<string>;
    /** Log group receiving the trail's events (read by the SecurityAlarms metric filters). */
    public readonly logGroup: EncryptedLogGroup;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:AuditTrail", name, args, opts);
        const { names } = args;
        const trailArn = cloudTrailArn(args.region, args.accountId, names.trail);

        this.logGroup = new EncryptedLogGroup(
            `${name}-logs`,
            { logGroupName: names.trailLogGroup, keyArn: args.auditKeyArn, retentionDays: args.logRetentionDays, retain: args.retain },
            { parent: this },
        );
        const logsRole = new aws.iam.Role(
            `${name}-logs-role`,
            {
                name: names.trailLogsRole,
                description: `CloudTrail trail ${names.trail} delivers events to ${names.trailLogGroup}`,
                assumeRolePolicy: JSON.stringify(trailLogsTrustPolicy({ accountId: args.accountId, trailArn })),
            },
            { parent: this },
        );
        const logsDelivery = new aws.iam.RolePolicy(
            `${name}-logs-delivery`,
            {
                role: logsRole.name,
                policy: this.logGroup.logGroupArn.apply((arn) => JSON.stringify(trailLogsDeliveryPolicy(arn))),
            },
            { parent: this },
        );

        this.trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: names.trail,
                s3BucketName: args.auditBucketName,
                kmsKeyId: args.auditKeyArn,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                advancedEventSelectors: trailEventSelectors(names.traceBucket),
                cloudWatchLogsGroupArn: this.logGroup.logGroupDeliveryArn,
                cloudWatchLogsRoleArn: logsRole.arn,
            },
            { parent: this, dependsOn: [logsDelivery] },
        );

        this.trailArn = this.trail.arn;
        this.registerOutputs({ trailArn: this.trailArn, logGroupName: this.logGroup.logGroupName, logGroupArn: this.logGroup.logGroupArn });
    }
}
