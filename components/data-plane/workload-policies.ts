/**
 * Trust and permission policies of the workloads' EKS Pod Identity roles. Each role can be assumed
 * only by its own service account in its own namespace on the environment's cluster, and may do
 * only what that workload does: Tempo reads and writes trace blocks, the gateway remote-writes
 * span metrics and writes the platform's logs, Grafana queries them and publishes alert notifications.
 */
import { policyDocument, s3BucketArn, viaService, type PolicyDocument } from "../platform/iam-policy";
import { snsTopicEncryptionContext, sseKmsActions } from "./key-policies";

/** The service principal EKS Pod Identity assumes roles as. */
export const podIdentityServicePrincipal = "pods.eks.amazonaws.com";

/**
 * Session tags EKS Pod Identity attaches to every AssumeRole (unless an association disables
 * them, which the platform's associations never do). The trust policy matches them as
 * `aws:RequestTag/<key>`. Source: EKS user guide, "pod-id-abac" (list of session tags).
 */
export const podIdentitySessionTags = {
    clusterArn: "eks-cluster-arn",
    namespace: "kubernetes-namespace",
    serviceAccount: "kubernetes-service-account",
} as const;

export interface PodIdentityTrustArgs {
    readonly accountId: string;
    /** ARN of the environment's EKS cluster. */
    readonly clusterArn: string;
    readonly namespace: string;
    readonly serviceAccount: string;
}

/**
 * Trust for one service account. The cluster is pinned with the `eks-cluster-arn` session tag,
 * the documented way; `aws:SourceArn` is deliberately not used for it, because what Pod Identity
 * sends there is not documented (field reports show the association ARN, not the cluster ARN), and
 * a wrong guess would silently leave the pods without credentials. `aws:SourceAccount` keeps
 * associations of other accounts out.
 */
export function podIdentityTrustPolicy(args: PodIdentityTrustArgs): PolicyDocument {
    const tag = (key: string) => `aws:RequestTag/${key}`;
    return policyDocument([
        {
            Sid: "EksPodIdentityForOneServiceAccount",
            Effect: "Allow",
            Principal: { Service: podIdentityServicePrincipal },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
                StringEquals: {
                    "aws:SourceAccount": args.accountId,
                    [tag(podIdentitySessionTags.clusterArn)]: args.clusterArn,
                    [tag(podIdentitySessionTags.namespace)]: args.namespace,
                    [tag(podIdentitySessionTags.serviceAccount)]: args.serviceAccount,
                },
            },
        },
    ]);
}

/** Tempo's object store calls (Tempo's documented minimal S3 policy). */
export const tempoObjectActions = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:GetObjectTagging",
    "s3:PutObjectTagging",
] as const;

/** Remote write of the gateway's span metrics. */
export const gatewayMetricsActions = ["aps:RemoteWrite"] as const;

/**
 * What the awscloudwatchlogs exporter calls on a group that exists (internal/aws/cwlogs
 * cwlog_client.go): PutLogEvents, and CreateLogStream when PutLogEvents answers
 * ResourceNotFound. Not CreateLogGroup (nor PutRetentionPolicy, which follows it): the program
 * owns the group with its key and retention, and a missing group must fail, not appear unencrypted.
 */
export const gatewayLogActions = ["logs:CreateLogStream", "logs:PutLogEvents"] as const;

/** The Prometheus query API Grafana's data source uses. */
export const grafanaMetricsActions = ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"] as const;

export interface TempoPermissionArgs {
    readonly traceBucketName: string;
    readonly traceKeyArn: string;
}

/** Tempo: list the trace bucket, read/write/delete its objects, use the trace key through S3 for them. */
export function tempoPermissionPolicy(args: TempoPermissionArgs): PolicyDocument {
    const bucketArn = s3BucketArn(args.traceBucketName);
    return policyDocument([
        { Sid: "ListTraceBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
        { Sid: "ReadWriteTraceBlocks", Effect: "Allow", Action: tempoObjectActions, Resource: `${bucketArn}/*` },
        {
            Sid: "UseTraceKeyThroughS3",
            Effect: "Allow",
            Action: sseKmsActions,
            Resource: args.traceKeyArn,
            Condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] } },
        },
    ]);
}

export interface GatewayPermissionArgs {
    /** The span metrics workspace. */
    readonly metricsWorkspaceArn: string;
    /** The workload log group (its ARN without the `:*` suffix). */
    readonly workloadLogGroupArn: string;
}

/** Collector gateway: remote-write span metrics into the one workspace, write streams of the one workload log group. */
export function gatewayPermissionPolicy(args: GatewayPermissionArgs): PolicyDocument {
    return policyDocument([
        { Sid: "RemoteWriteSpanMetrics", Effect: "Allow", Action: gatewayMetricsActions, Resource: args.metricsWorkspaceArn },
        // Both are authorised on the log-stream resource type (Service Authorization Reference, Amazon CloudWatch Logs).
        { Sid: "WriteWorkloadLogStreams", Effect: "Allow", Action: gatewayLogActions, Resource: `${args.workloadLogGroupArn}:log-stream:*` },
    ]);
}

/** What Grafana's Amazon SNS contact point calls. */
export const grafanaAlertActions = ["sns:Publish"] as const;

export interface GrafanaPermissionArgs {
    readonly region: string;
    readonly metricsWorkspaceArn: string;
    /** The alert topic Grafana's contact point publishes to. */
    readonly alertTopicArn: string;
    /** The key the alert topic is encrypted with (the audit key). */
    readonly alertTopicKeyArn: string;
}

/**
 * Grafana: query the one workspace and publish to the one alert topic. Publishing to an SSE-KMS
 * topic needs the publisher's own kms:GenerateDataKey and kms:Decrypt on the topic's key (SNS
 * calls KMS as the publisher), here only through SNS and only for that topic.
 */
export function grafanaPermissionPolicy(args: GrafanaPermissionArgs): PolicyDocument {
    return policyDocument([
        { Sid: "QuerySpanMetrics", Effect: "Allow", Action: grafanaMetricsActions, Resource: args.metricsWorkspaceArn },
        { Sid: "PublishAlerts", Effect: "Allow", Action: grafanaAlertActions, Resource: args.alertTopicArn },
        {
            Sid: "UseAlertTopicKeyThroughSns",
            Effect: "Allow",
            Action: sseKmsActions,
            Resource: args.alertTopicKeyArn,
            Condition: { StringEquals: { "kms:ViaService": viaService("sns", args.region), [snsTopicEncryptionContext]: args.alertTopicArn } },
        },
    ]);
}
