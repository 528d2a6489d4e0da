/**
 * Resource policies of the network perimeter, as plain JSON-ready objects: the VPC endpoints'
 * policies and the key policy of the VPN connection-log key. An endpoint policy is a second gate
 * next to IAM: a principal whose role allows more can still only do, through the endpoint, what
 * the endpoint policy allows. Pure functions of names; no resources.
 */

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal: "*" | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface S3EndpointPolicyInput {
    /** Account whose principals may use the platform buckets through the endpoint. */
    readonly accountId: string;
    /** Region of the endpoint (names the ECR layer bucket). */
    readonly region: string;
    /** Tempo's trace bucket (read-write). */
    readonly traceBucket: string;
    /** The audit bucket (read-only from inside the VPC). */
    readonly auditBucket: string;
}

/** Object actions Tempo performs on its blocks (Grafana Tempo S3 permissions, plus multipart cleanup). */
export const traceObjectActions = [
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:GetObjectTagging",
    "s3:PutObjectTagging",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
] as const;
export const traceBucketActions = ["s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetBucketLocation"] as const;
export const auditReadActions = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"] as const;

/** S3 bucket that serves ECR image layers in a region (AWS ECR VPC endpoint documentation). */
export function ecrLayerBucket(region: string): string {
    return `prod-${region}-starport-layer-bucket`;
}

/**
 * The S3 gateway endpoint's policy: the platform's buckets and nothing else. Callers must be
 * principals of this account, which stops the endpoint from being used to copy data into another
 * account's bucket. Nothing in the VPC writes the audit bucket (CloudTrail and S3 log delivery
 * write from AWS's side), so only reads of it pass. The ECR layer bucket stays readable because
 * the gateway endpoint takes over every S3 route of these route tables: without it the nodes
 * could no longer pull images (EKS add-ons come from ECR), and ECR hands out presigned layer URLs
 * whose caller is not a principal of this account, so that statement carries no account condition.
 */
export function s3GatewayEndpointPolicy(input: S3EndpointPolicyInput): PolicyDocument {
    const trace = `arn:aws:s3:::${input.traceBucket}`;
    const audit = `arn:aws:s3:::${input.auditBucket}`;
    const ownAccount = { StringEquals: { "aws:PrincipalAccount": input.accountId } };
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "TraceBlocks", Effect: "Allow", Principal: "*", Action: [...traceObjectActions], Resource: `${trace}/*`, Condition: ownAccount },
            { Sid: "TraceBucket", Effect: "Allow", Principal: "*", Action: [...traceBucketActions], Resource: trace, Condition: ownAccount },
            { Sid: "AuditRead", Effect: "Allow", Principal: "*", Action: [...auditReadActions], Resource: [audit, `${audit}/*`], Condition: ownAccount },
            { Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${ecrLayerBucket(input.region)}/*` },
        ],
    };
}

/** Managed Prometheus actions the gateway (remote write) and Grafana (queries) perform. */
export const prometheusWorkspaceActions = [
    "aps:RemoteWrite",
    "aps:QueryMetrics",
    "aps:GetSeries",
    "aps:GetLabels",
    "aps:GetMetricMetadata",
] as const;

/** The Managed Prometheus interface endpoint's policy: this account's workspaces, data-plane actions only. */
export function prometheusEndpointPolicy(accountId: string, region: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "OwnWorkspacesDataPlane",
                Effect: "Allow",
                Principal: "*",
                Action: [...prometheusWorkspaceActions],
                Resource: `arn:aws:aps:${region}:${accountId}:workspace/*`,
                Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
            },
        ],
    };
}

/** What passes the SNS interface endpoint: publishing (Grafana's alert notifications), nothing else. */
export const snsEndpointActions = ["sns:Publish"] as const;

/** The SNS interface endpoint's policy: publishing to this account's topics, by this account's principals. */
export function snsEndpointPolicy(accountId: string, region: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "OwnTopicsPublish",
                Effect: "Allow",
                Principal: "*",
                Action: [...snsEndpointActions],
                Resource: `arn:aws:sns:${region}:${accountId}:*`,
                Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
            },
        ],
    };
}
