import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { auditKeyPolicy, traceKeyPolicy } from "./key-policies";
import { iamRoleArn, snsTopicArn, type PolicyDocument } from "../platform/iam-policy";
import { retainedChild, type EnvironmentArgs, type RetainableArgs } from "./base-args";

export interface PlatformKeysArgs extends EnvironmentArgs, RetainableArgs {
    /** Environment name, written into the key descriptions. */
    readonly environment: string;
    /** Waiting period of a scheduled key deletion (30 days in prod). */
    readonly deletionWindowDays: number;
}

/**
 * The environment's two customer managed keys, one per purpose: the trace key (Tempo's S3 blocks,
 * span metrics) and the audit key (CloudTrail logs, CloudWatch log groups). Symmetric, single
 * region, rotated yearly by KMS, each with an alias and a key policy that names every use. The
 * audit key also encrypts the alert topic's messages.
 */
export class PlatformKeys extends pulumi.ComponentResource {
    public readonly traceKey: aws.kms.Key;
    public readonly auditKey: aws.kms.Key;
    public readonly traceKeyArn: pulumi.Output<string>;
    public readonly traceKeyId: pulumi.Output<string>;
    public readonly auditKeyArn: pulumi.Output<string>;
    public readonly auditKeyId: pulumi.Output<string>;

    constructor(name: string, args: PlatformKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:PlatformKeys", name, args, opts);
        const { accountId, region, names } = args;

        const key = (purpose: string, alias: string, description: string, policy: PolicyDocument): aws.kms.Key => {
            const created = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description,
                    keyUsage: "ENCRYPT_DECRYPT",
                    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                    multiRegion: false,
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays: args.deletionWindowDays,
                    bypassPolicyLockoutSafetyCheck: false,
                    policy: JSON.stringify(policy),
                },
                retainedChild(this, args.retain),
            );
            new aws.kms.Alias(`${name}-${purpose}-alias`, { name: alias, targetKeyId: created.keyId }, { parent: this });
            return created;
        };

        this.traceKey = key(
            "trace",
            names.traceKeyAlias,
            `Tracing platform (${args.environment}): Tempo trace blocks in S3 and span metrics in Managed Prometheus`,
            traceKeyPolicy({
                accountId,
                region,
                traceBucketName: names.traceBucket,
                tempoRoleArn: iamRoleArn(accountId, names.workloadRoles.tempo),
                imageRepositoryName: names.grafanaImageRepository,
                breakGlassSecretName: names.grafanaBreakGlassSecret,
            }),
        );
        this.auditKey = key(
            "audit",
            names.auditKeyAlias,
            `Tracing platform (${args.environment}): CloudTrail logs, CloudWatch log groups and the alert topic`,
            // The topic is created after the key: its ARN is derived from its name, not taken from it.
            auditKeyPolicy({
                accountId,
                region,
                trailName: names.trail,
                auditBucketName: names.auditBucket,
                alertTopicArn: snsTopicArn(region, accountId, names.alertTopic),
                alertPublisherRoleArn: iamRoleArn(accountId, names.workloadRoles.grafana),
            }),
        );

        this.traceKeyArn = this.traceKey.arn;
        this.traceKeyId = this.traceKey.keyId;
        this.auditKeyArn = this.auditKey.arn;
        this.auditKeyId = this.auditKey.keyId;
        this.registerOutputs({
            traceKeyArn: this.traceKeyArn,
            traceKeyId: this.traceKeyId,
            auditKeyArn: this.auditKeyArn,
            auditKeyId: this.auditKeyId,
        });
    }
}
