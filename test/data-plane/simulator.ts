/**
 * Runs requests against the identity, bucket and trust policies the program deploys with the IAM
 * simulator (@cloud-copilot/iam-simulate), for one made-up dev account. KMS key policies are checked
 * structurally elsewhere: the simulator ignores `kms:EncryptionContext:*` context keys, which those
 * policies depend on.
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../components/platform/iam-policy";
import { traceKeyPolicy } from "../../components/data-plane/key-policies";
import { gatewayPermissionPolicy, grafanaPermissionPolicy, tempoPermissionPolicy } from "../../components/data-plane/workload-policies";
import { awsResourceNames } from "../../components/platform/names";

export const accountId = "111111111111";
export const otherAccountId = "222222222222";
export const region = "eu-central-1";
export const names = awsResourceNames("dev", accountId, region);
export const traceBucket = names.traceBucket;
export const auditBucket = names.auditBucket;
export const endpointId = "vpce-0a1b2c3d4e5f60718";
export const traceKeyArn = `arn:aws:kms:${region}:${accountId}:key/0b1c2d3e-aaaa-bbbb-cccc-000000000001`;
export const workspaceArn = `arn:aws:aps:${region}:${accountId}:workspace/ws-00000000-0000-0000-0000-000000000001`;
export const clusterArn = `arn:aws:eks:${region}:${accountId}:cluster/apps-dev`;
export const workloadLogGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:${names.workloadLogGroup}`;
export const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${names.trail}`;
export const roleArn = (name: string, account = accountId) => `arn:aws:iam::${account}:role/${name}`;

/** The trace key's policy for this account, as the program builds it. */
export const traceKeyPolicyDocument = traceKeyPolicy({
    accountId,
    region,
    traceBucketName: traceBucket,
    tempoRoleArn: roleArn(names.workloadRoles.tempo),
    imageRepositoryName: names.grafanaImageRepository,
    breakGlassSecretName: names.grafanaBreakGlassSecret,
});

export const identity = {
    tempo: tempoPermissionPolicy({ traceBucketName: traceBucket, traceKeyArn }),
    gateway: gatewayPermissionPolicy({ metricsWorkspaceArn: workspaceArn, workloadLogGroupArn }),
    grafana: grafanaPermissionPolicy({ region, metricsWorkspaceArn: workspaceArn, alertTopicArn: `arn:aws:sns:${region}:${accountId}:${names.alertTopic}`, alertTopicKeyArn: `arn:aws:kms:${region}:${accountId}:key/0b1c2d3e-aaaa-bbbb-cccc-000000000002` }),
};

interface Request {
    principal: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
    identityPolicies?: PolicyDocument[];
    resourcePolicy?: PolicyDocument;
}

/** AWS's decision on one request: Allowed, ExplicitlyDenied or ImplicitlyDenied. */
export async function decide(request: Request): Promise<string> {
    const simulation: Simulation = {
        identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
        request: {
            principal: request.principal,
            action: request.action,
            resource: { resource: request.resource, accountId },
            contextVariables: request.context ?? {},
        },
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
    return response.overallResult;
}

/** Context of a request from a pod of this account over TLS 1.3 through the platform's S3 endpoint. */
export function s3Context(overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const context: Record<string, string | undefined> = {
        "aws:SecureTransport": "true",
        "s3:TlsVersion": "1.3",
        "aws:SourceVpce": endpointId,
        "aws:PrincipalAccount": accountId,
        "aws:PrincipalIsAWSService": "false",
        ...overrides,
    };
    return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
