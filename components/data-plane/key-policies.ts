/**
 * Key policies of the environment's two customer managed keys.
 *
 * Neither key delegates its use to the account wholesale (no `kms:*` for the account root): the
 * account administers the keys through an explicit list of management actions, and every use of a
 * key is a separate statement naming who may use it, through which service and for what data
 * (encryption context). Service principals are pinned with aws:SourceArn/aws:SourceAccount.
 */
import { cloudWatchService } from "./alarm-publishing";
import {
    accountRootArn,
    anyLogGroupArn,
    cloudTrailArn,
    ecrRepositoryArn,
    policyDocument,
    s3BucketArn,
    viaService,
    type KmsCallingService,
    type PolicyConditions,
    type PolicyDocument,
    type PolicyStatement,
} from "../platform/iam-policy";
import { mskSecretNamePrefix } from "../platform/names";

/**
 * Managing a key without using it: the account's administrators (through their IAM policies) can
 * describe, tag, rotate, disable, schedule deletion and re-write the policy (so nobody is locked
 * out), but cannot encrypt or decrypt data with it.
 */
export const keyAdministrationActions = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:PutKeyPolicy",
    "kms:ListKeyPolicies",
    "kms:GetKeyRotationStatus",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:ListKeyRotations",
    "kms:RotateKeyOnDemand",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:UpdateKeyDescription",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ListResourceTags",
    "kms:ListGrants",
    "kms:RevokeGrant",
] as const;

/**
 * What S3 asks KMS for when it encrypts (data key) and decrypts (object or bucket key) an object;
 * SNS asks the same on behalf of a publisher to an encrypted topic.
 */
export const sseKmsActions = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/** What a service that encrypts its own resources asks KMS for (besides grants). */
const serviceDataKeyActions = ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"] as const;

/**
 * What EBS asks KMS for when the EBS CSI driver creates, attaches or snapshots a volume encrypted
 * with a customer managed key: the EBS user guide's "Permissions for users" list (CreateGrant,
 * Decrypt, DescribeKey, GenerateDataKeyWithoutPlaintext, ReEncrypt), the grant asked for separately.
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption-requirements.html
 */
export const ebsVolumeKeyActions = ["kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo"] as const;

/** Encryption context key SNS sends with every KMS call for an encrypted topic (value: the topic ARN). */
export const snsTopicEncryptionContext = "kms:EncryptionContext:aws:sns:topicArn";

function keyAdministration(accountId: string): PolicyStatement {
    return {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: accountRootArn(accountId) },
        Action: keyAdministrationActions,
        Resource: "*",
    };
}

interface WorkloadKeyUse {
    readonly accountId: string;
    readonly region: string;
    /** The workload's role. */
    readonly roleArn: string;
    /** The service that calls KMS on the role's behalf. */
    readonly service: KmsCallingService;
    /** Conditions on the encryption context the service sends, naming the data the key may protect. */
    readonly encryptionContext: PolicyConditions;
}

/**
 * A workload role's data-key use, made by an AWS service on the role's behalf: the account
 * principal plus `aws:PrincipalArn` (rather than naming the role as principal) so the key can be
 * created before the role exists and keeps working if the role is re-created; the role's own IAM
 * policy must allow the same actions, so both sides have to agree. Only through that service's
 * endpoint, only in this account, only for the data the encryption context names.
 */
function workloadUsesKeyThroughService(sid: string, use: WorkloadKeyUse): PolicyStatement {
    const { StringEquals: contextEquals, ...otherContext } = use.encryptionContext;
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: accountRootArn(use.accountId) },
        Action: sseKmsActions,
        Resource: "*",
        Condition: {
            ArnEquals: { "aws:PrincipalArn": use.roleArn },
            StringEquals: { "kms:ViaService": viaService(use.service, use.region), "kms:CallerAccount": use.accountId, ...contextEquals },
            ...otherContext,
        },
    };
}

export interface TraceKeyPolicyArgs {
    readonly accountId: string;
    readonly region: string;
    /** Name of the trace bucket the key encrypts. */
    readonly traceBucketName: string;
    /** ARN of Tempo's role, the only principal that reads and writes trace objects. */
    readonly tempoRoleArn: string;
    /** Name of the ECR repository of the Grafana image, encrypted with this key. */
    readonly imageRepositoryName: string;
    /** Name of the Secrets Manager secret of Grafana's break-glass admin, encrypted with this key. */
    readonly breakGlassSecretName: string;
}

/**
 * The trace key encrypts Tempo's blocks in S3, the span metrics in Managed Prometheus and the
 * platform's persistent volumes (EBS), which hold Tempo's WAL and blocks, the gateways' queued spans
 * and Grafana's database.
 *
 * Tempo: only through S3 and only for objects of the trace bucket: with an S3 Bucket Key the encryption context is the
 * bucket ARN, without one the object ARN, so both are allowed.
 *
 * Managed Prometheus (the span-metrics workspace) and MSK (Tempo's Kafka volumes in distributed
 * mode) are created with this key and create grants for themselves; Secrets Manager encrypts the
 * MSK SCRAM credentials with it (MSK refuses the AWS-managed key) and Grafana's break-glass admin
 * login. Each may use the key only through its own service endpoint in this account, grants only
 * for AWS resources, and Secrets Manager only for the `AmazonMSK_` secrets and that one secret
 * (Secrets Manager appends a random suffix to a secret's ARN, hence the trailing wildcard).
 *
 * ECR (the Grafana image repository): per the ECR user guide ("Encryption at rest"), creating the
 * repository makes ECR call DescribeKey and CreateGrant as the creating principal; pushes and pulls
 * then use the key (GenerateDataKey, Decrypt) with the `aws:ecr:arn` encryption context naming the
 * repository. So: grants for AWS resources through ECR only, and data keys through ECR only for
 * that repository.
 *
 * EBS: the EBS CSI driver (a cluster add-on with its own role, outside this program) creates the
 * volumes of the platform's StorageClass; EC2 calls KMS on the driver's behalf, so the account
 * principal may use the key and create grants for AWS resources only through EC2 in this account.
 * The driver's role must allow the same actions on this key in its IAM policy (aws-ebs-csi-driver
 * docs/install.md, "Encrypted EBS Volumes via KMS").
 */
export function traceKeyPolicy(args: TraceKeyPolicyArgs): PolicyDocument {
    const bucketArn = s3BucketArn(args.traceBucketName);
    return policyDocument([
        keyAdministration(args.accountId),
        workloadUsesKeyThroughService("TempoUsesKeyThroughS3ForTraceBucket", {
            ...args,
            roleArn: args.tempoRoleArn,
            service: "s3",
            encryptionContext: { StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] } },
        }),
        ...useThroughService("Prometheus", "MetricsWorkspace", "aps", args),
        ...useThroughService("Msk", "TempoKafkaVolumes", "kafka", args),
        ...useThroughService("Ecr", "GrafanaImages", "ecr", args, {
            conditions: { ArnEquals: { "kms:EncryptionContext:aws:ecr:arn": ecrRepositoryArn(args.region, args.accountId, args.imageRepositoryName) } },
        }),
        ...useThroughService("Ebs", "PersistentVolumes", "ec2", args, { actions: ebsVolumeKeyActions }),
        {
            Sid: "SecretsManagerUsesKeyForPlatformCredentials",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(args.accountId) },
            Action: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: {
                StringEquals: { "kms:ViaService": viaService("secretsmanager", args.region), "kms:CallerAccount": args.accountId },
                StringLike: {
                    "kms:EncryptionContext:SecretARN": [
                        `arn:aws:secretsmanager:${args.region}:${args.accountId}:secret:${mskSecretNamePrefix}*`,
                        `arn:aws:secretsmanager:${args.region}:${args.accountId}:secret:${args.breakGlassSecretName}-*`,
                    ],
                },
            },
        },
    ]);
}

/**
 * A service that encrypts its own resources with the key: data-key use and grants (for AWS
 * resources only), both only through that service's regional endpoint and only for this account.
 * `data` says which data-key actions the service asks for (when not the usual three) and narrows
 * their use further (to the encryption context the service sends).
 */
function useThroughService(
    principalName: string,
    purpose: string,
    service: KmsCallingService,
    args: { readonly accountId: string; readonly region: string },
    data: { readonly actions?: readonly string[]; readonly conditions?: PolicyConditions } = {},
): PolicyStatement[] {
    const through = { "kms:ViaService": viaService(service, args.region), "kms:CallerAccount": args.accountId };
    return [
        {
            Sid: `${principalName}UsesKeyFor${purpose}`,
            Effect: "Allow",
            Principal: { AWS: accountRootArn(args.accountId) },
            Action: data.actions ?? serviceDataKeyActions,
            Resource: "*",
            Condition: { StringEquals: through, ...data.conditions },
        },
        {
            Sid: `${principalName}CreatesGrantsFor${purpose}`,
            Effect: "Allow",
            Principal: { AWS: accountRootArn(args.accountId) },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { StringEquals: through, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];
}

export interface AuditKeyPolicyArgs {
    readonly accountId: string;
    readonly region: string;
    /** Name of the trail whose log files the key encrypts. */
    readonly trailName: string;
    /** Name of the audit bucket the trail delivers to. */
    readonly auditBucketName: string;
    /** ARN of the SNS topic carrying Grafana's alert notifications (encrypted with this key). */
    readonly alertTopicArn: string;
    /** ARN of Grafana's role, the only publisher of the alert topic. */
    readonly alertPublisherRoleArn: string;
}

/**
 * The audit key encrypts CloudTrail log files in the audit bucket and the platform's CloudWatch
 * log groups (trail, VPN connections, metrics workspace, MSK brokers).
 *
 * CloudTrail: data keys for its own trail only (aws:SourceArn), with the CloudTrail encryption
 * context; and through S3 for the audit bucket, which uses an S3 Bucket Key (the context is then
 * the bucket ARN). CloudWatch Logs: the regional service principal, only for log groups of this
 * account and region (the `aws:logs:arn` encryption context it always sends). Reading: principals
 * of this account whose IAM policies allow it decrypt trail logs through S3 (and CloudTrail, which
 * checks it when a trail is created on a Bucket Key bucket). SNS: the alert topic is encrypted with
 * this key, and SNS asks KMS for a data key (and decrypts it) as the publisher, so Grafana's role
 * may use the key only through SNS, only in this account, and only for that topic (SNS's
 * `aws:sns:topicArn` encryption context); Grafana's IAM policy must allow the same. CloudWatch
 * alarms of this account publish to the same topic, so CloudWatch gets the same data-key use, for
 * that topic only.
 */
export function auditKeyPolicy(args: AuditKeyPolicyArgs): PolicyDocument {
    const trail = cloudTrailArn(args.region, args.accountId, args.trailName);
    const fromThisTrail = { "aws:SourceArn": trail, "aws:SourceAccount": args.accountId };
    return policyDocument([
        keyAdministration(args.accountId),
        {
            Sid: "CloudTrailEncryptsTrailLogs",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey",
            Resource: "*",
            Condition: {
                StringEquals: fromThisTrail,
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${args.accountId}:trail/*` },
            },
        },
        {
            Sid: "CloudTrailUsesAuditBucketKey",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: sseKmsActions,
            Resource: "*",
            Condition: {
                StringEquals: {
                    ...fromThisTrail,
                    "kms:ViaService": viaService("s3", args.region),
                    "kms:EncryptionContext:aws:s3:arn": s3BucketArn(args.auditBucketName),
                },
            },
        },
        {
            Sid: "CloudTrailDescribesKey",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { StringEquals: fromThisTrail },
        },
        {
            Sid: "AccountPrincipalsReadAuditLogs",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(args.accountId) },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: {
                StringEquals: {
                    "kms:CallerAccount": args.accountId,
                    "kms:ViaService": [viaService("s3", args.region), viaService("cloudtrail", args.region)],
                },
            },
        },
        {
            Sid: "CloudWatchLogsEncryptsAccountLogGroups",
            Effect: "Allow",
            Principal: { Service: viaService("logs", args.region) },
            Action: [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncryptFrom",
                "kms:ReEncryptTo",
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext",
                "kms:DescribeKey",
            ],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": anyLogGroupArn(args.region, args.accountId) } },
        },
        workloadUsesKeyThroughService("GrafanaUsesKeyThroughSnsForAlertTopic", {
            ...args,
            roleArn: args.alertPublisherRoleArn,
            service: "sns",
            encryptionContext: { StringEquals: { [snsTopicEncryptionContext]: args.alertTopicArn } },
        }),
        {
            Sid: "CloudWatchAlarmsUseKeyForAlertTopic",
            Effect: "Allow",
            Principal: { Service: cloudWatchService },
            Action: sseKmsActions,
            Resource: "*",
            Condition: { StringEquals: { [snsTopicEncryptionContext]: args.alertTopicArn, "aws:SourceAccount": args.accountId } },
        },
    ]);
}
