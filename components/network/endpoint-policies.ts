/**
 * Policies of the VPC endpoints the platform creates, as plain JSON-ready documents. Pure functions
 * of names and ARNs; no resources.
 *
 * An endpoint carries every request to its service from where it serves (an S3 gateway endpoint:
 * every subnet on its route tables; a private-DNS interface endpoint: the whole VPC), so it carries
 * the other workloads' requests as well as the platform's. An endpoint policy is a second gate next
 * to IAM and resource policies, and whatever it does not allow fails for everybody behind it. So
 * each policy starts from what AWS attaches when no policy is given ("The default endpoint policy
 * grants full access to the endpoint", AWS PrivateLink Guide, Control access to VPC endpoints using
 * endpoint policies) and only adds denials about the platform's own buckets, topic and workspace. Who may
 * use those is decided by IAM and by the resource policies (bucket policies, topic policy); the
 * denials are the part an endpoint can add on top.
 */
import { policyDocument, s3BucketAndObjectArns, s3BucketArn, type PolicyDocument, type PolicyStatement } from "../platform/iam-policy";

/** The AWS default endpoint policy's statement: the endpoint changes nothing about who may do what. */
const asWithoutEndpoint: PolicyStatement = { Sid: "AllowAsWithoutEndpoint", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" };

/** Principals of other accounts (and anonymous callers) may not reach these resources through the endpoint. */
function denyOtherAccounts(service: string, accountId: string, resources: readonly string[]): PolicyStatement {
    return {
        Sid: "DenyPlatformResourcesToOtherAccounts",
        Effect: "Deny",
        Principal: "*",
        Action: `${service}:*`,
        Resource: resources,
        Condition: { StringNotEquals: { "aws:PrincipalAccount": accountId } },
    };
}

export interface S3EndpointPolicyInput {
    /** The account the platform runs in. */
    readonly accountId: string;
    /** Tempo's trace bucket. */
    readonly traceBucket: string;
    /** The audit bucket (CloudTrail writes it). */
    readonly auditBucket: string;
    /** The access-log bucket (S3 log delivery writes it). */
    readonly accessLogBucket: string;
}

/**
 * Writing, overwriting, deleting or unlocking objects. AWS writes the audit and access-log buckets
 * from its own side (CloudTrail, S3 log delivery), never through a VPC endpoint.
 */
export const logObjectWriteActions = ["s3:PutObject*", "s3:DeleteObject*", "s3:BypassGovernanceRetention"] as const;

/**
 * The S3 gateway endpoint's policy: everything, as without the endpoint (other workloads' buckets,
 * public buckets such as the OS package mirrors, ECR's image-layer bucket behind presigned URLs),
 * except that principals of other accounts never reach the platform's buckets, and nothing in the
 * VPC writes or deletes the audit trail and the access logs.
 */
export function s3GatewayEndpointPolicy(input: S3EndpointPolicyInput): PolicyDocument {
    const buckets = [input.traceBucket, input.auditBucket, input.accessLogBucket];
    return policyDocument([
        asWithoutEndpoint,
        denyOtherAccounts("s3", input.accountId, buckets.flatMap(s3BucketAndObjectArns)),
        {
            Sid: "DenyLogWritesFromVpc",
            Effect: "Deny",
            Principal: "*",
            Action: logObjectWriteActions,
            Resource: [input.auditBucket, input.accessLogBucket].map((bucket) => `${s3BucketArn(bucket)}/*`),
        },
    ]);
}

/** The SNS interface endpoint's policy: everything, except the alert topic for principals of other accounts. */
export function snsEndpointPolicy(accountId: string, alertTopicArn: string): PolicyDocument {
    return policyDocument([asWithoutEndpoint, denyOtherAccounts("sns", accountId, [alertTopicArn])]);
}

/** The CloudWatch Logs interface endpoint's policy: everything, except the platform's workload log group (and its streams) for principals of other accounts. */
export function logsEndpointPolicy(accountId: string, workloadLogGroupArn: string): PolicyDocument {
    return policyDocument([asWithoutEndpoint, denyOtherAccounts("logs", accountId, [workloadLogGroupArn, `${workloadLogGroupArn}:*`])]);
}

/** The Managed Prometheus interface endpoint's policy: everything, except the platform's workspace for principals of other accounts. */
export function prometheusEndpointPolicy(accountId: string, workspaceArn: string): PolicyDocument {
    return policyDocument([asWithoutEndpoint, denyOtherAccounts("aps", accountId, [workspaceArn])]);
}
