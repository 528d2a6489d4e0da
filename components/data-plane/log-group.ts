import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { retainedChild, type RetainableArgs } from "./base-args";

export interface EncryptedLogGroupArgs extends RetainableArgs {
    /** Log group name (from awsResourceNames, or the owning component's own naming). */
    readonly logGroupName: string;
    /** Key encrypting the events (the audit key, whose policy admits CloudWatch Logs of this account and region). */
    readonly keyArn: pulumi.Input<string>;
    /** Retention in days (a CloudWatch retention value from settings). */
    readonly retentionDays: number;
}

/**
 * A CloudWatch log group encrypted with a customer managed key, with a finite retention and, in
 * prod, deletion protection. Used for every platform log group (trail events, metrics workspace,
 * and the VPN and MSK logs of other components).
 */
export class EncryptedLogGroup extends pulumi.ComponentResource {
    public readonly logGroup: aws.cloudwatch.LogGroup;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly logGroupArn: pulumi.Output<string>;
    /** The ARN with the `:*` suffix that CloudTrail and vended-log deliveries expect. */
    public readonly logGroupDeliveryArn: pulumi.Output<string>;

    constructor(name: string, args: EncryptedLogGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:EncryptedLogGroup", name, args, opts);
        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-group`,
            {
                name: args.logGroupName,
                kmsKeyId: args.keyArn,
                retentionInDays: args.retentionDays,
                deletionProtectionEnabled: args.retain,
            },
            retainedChild(this, args.retain),
        );
        this.logGroupName = this.logGroup.name;
        this.logGroupArn = this.logGroup.arn;
        this.logGroupDeliveryArn = pulumi.interpolate`${this.logGroup.arn}:*`;
        this.registerOutputs({
            logGroupName: this.logGroupName,
            logGroupArn: this.logGroupArn,
            logGroupDeliveryArn: this.logGroupDeliveryArn,
        });
    }
}
