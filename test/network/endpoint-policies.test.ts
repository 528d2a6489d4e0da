/**
 * The VPC endpoints the platform creates on the shipped stacks (no existing endpoint configured):
 * where they sit, and what their policies let through, decided by the IAM simulator.
 *
 * An endpoint carries the requests of every workload behind it, not only the platform's. Its policy
 * must let through what those workloads did before the endpoint existed, which is what AWS's
 * default endpoint policy does ("The default endpoint policy grants full access to the endpoint",
 * AWS PrivateLink Guide, Control access to VPC endpoints using endpoint policies), and deny only
 * what concerns the platform's own buckets, topic and workspace.
 */
import { strict as assert } from "assert";
import { awsResourceNames } from "../../components/platform/names";
import { ofType, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { dependenciesOf, settingsOf } from "../harness/recorded";
import { throughEndpoint } from "./endpoint-simulation";

const endpointType = "aws:ec2/vpcEndpoint:VpcEndpoint";
const otherAccount = "999999999999";

function endpointFor(recording: StackRecording, service: string): RecordedResource {
    const { region } = settingsOf(recording).aws;
    const found = ofType(recording, endpointType).filter((e) => e.inputs.serviceName === `com.amazonaws.${region}.${service}`);
    assert.equal(found.length, 1, `one ${service} endpoint`);
    return found[0];
}

/** The interface endpoint of a service, placed where the platform's pods reach it under the service's own name. */
function interfaceEndpointFor(recording: StackRecording, service: string): RecordedResource {
    const settings = settingsOf(recording);
    const endpoint = endpointFor(recording, service);
    assert.equal(endpoint.inputs.vpcEndpointType, "Interface");
    assert.equal(endpoint.inputs.privateDnsEnabled, true, `the SDKs resolve ${service}.${settings.aws.region}.amazonaws.com to the endpoint`);
    assert.deepEqual(endpoint.inputs.subnetIds, settings.network.privateSubnetIds);
    assert.deepEqual(dependenciesOf(recording, endpoint, "securityGroupIds").map((g) => g.name), ["tracing-aws-endpoints"]);
    return endpoint;
}

/** Decides `action` on `resource` through the endpoint for a role of `principalAccount` (this account by default). */
function decider(recording: StackRecording, endpoint: RecordedResource, role: string) {
    const { accountId } = settingsOf(recording).aws;
    const policy = JSON.parse(endpoint.inputs.policy);
    return (action: string, resource: string, principalAccount = accountId, resourceAccount = accountId) =>
        throughEndpoint(policy, { principal: `arn:aws:iam::${principalAccount}:role/${role}`, principalAccount, action, resource, accountId: resourceAccount });
}

describe("VPC endpoints the platform creates", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            before(async () => {
                recording = await stackRecording(stack);
            });

            it("S3 gateway endpoint on the private route tables: the platform's and every other workload's S3 use passes; other accounts never reach the platform's buckets; nothing in the VPC writes the audit trail or the access logs", async () => {
                const settings = settingsOf(recording);
                const { accountId, region } = settings.aws;
                const endpoint = endpointFor(recording, "s3");
                assert.equal(endpoint.inputs.vpcEndpointType, "Gateway");
                assert.deepEqual(endpoint.inputs.routeTableIds, settings.network.privateRouteTableIds);
                const names = awsResourceNames(settings.environment, accountId, region);
                const decide = decider(recording, endpoint, names.workloadRoles.tempo);
                const trace = `arn:aws:s3:::${names.traceBucket}`;
                const audit = `arn:aws:s3:::${names.auditBucket}`;
                const accessLogs = `arn:aws:s3:::${names.accessLogBucket}`;

                for (const action of ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]) assert.equal(await decide(action, `${trace}/single/block`), "Allowed", action);
                assert.equal(await decide("s3:ListBucket", trace), "Allowed");
                assert.equal(await decide("s3:GetObject", `${audit}/AWSLogs/x.json.gz`), "Allowed");
                for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectRetention", "s3:BypassGovernanceRetention"]) {
                    assert.equal(await decide(action, `${audit}/AWSLogs/x.json.gz`), "ExplicitlyDenied", `${action}: CloudTrail writes the audit bucket from AWS's side, nothing in the VPC does`);
                }
                assert.equal(await decide("s3:PutObject", `${accessLogs}/s3/x`), "ExplicitlyDenied", "S3 log delivery writes the access logs from AWS's side");
                assert.equal(await decide("s3:PutObject", `${trace}/x`, otherAccount), "ExplicitlyDenied", "no other account's principals on the trace bucket");
                assert.equal(await decide("s3:GetObject", `${audit}/AWSLogs/x.json.gz`, otherAccount), "ExplicitlyDenied", "nor on the audit trail");

                // Other workloads behind the same route tables: before the endpoint existed their S3
                // requests went through the NAT gateway with no endpoint policy; they still pass.
                const unrelated = "arn:aws:s3:::orders-service-exports";
                for (const action of ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]) assert.equal(await decide(action, `${unrelated}/2026/12/export.csv`), "Allowed", `${action} on another team's bucket`);
                assert.equal(await decide("s3:ListBucket", unrelated), "Allowed");
                assert.equal(await decide("s3:PutObject", "arn:aws:s3:::partner-inbox/drop.csv", accountId, otherAccount), "Allowed", "another account's bucket: its bucket policy decides, as without the endpoint");
                const ecrLayers = `arn:aws:s3:::prod-${region}-starport-layer-bucket/layer`;
                assert.equal(await decide("s3:GetObject", ecrLayers, otherAccount, otherAccount), "Allowed", "nodes pull ECR image layers through URLs ECR presigns");
            });

            it("Managed Prometheus interface endpoint (private DNS): every workspace use of the VPC passes; other accounts never reach the platform's workspace", async () => {
                const settings = settingsOf(recording);
                const { accountId, region } = settings.aws;
                const endpoint = interfaceEndpointFor(recording, "aps-workspaces");
                const workspace = String(recording.outputs.metricsWorkspaceArn);
                assert.deepEqual(dependenciesOf(recording, endpoint, "policy").map((w) => w.name), ["tracing-span-metrics-workspace"], "the policy names the platform's workspace");
                const names = awsResourceNames(settings.environment, accountId, region);
                const decide = decider(recording, endpoint, names.workloadRoles.gateway);

                assert.equal(await decide("aps:RemoteWrite", workspace), "Allowed");
                assert.equal(await decide("aps:QueryMetrics", workspace), "Allowed");
                assert.equal(await decide("aps:RemoteWrite", workspace, otherAccount), "ExplicitlyDenied", "no other account's principals on the platform's workspace");
                assert.equal(await decide("aps:QueryMetrics", workspace, otherAccount), "ExplicitlyDenied");

                const unrelated = `arn:aws:aps:${region}:${accountId}:workspace/ws-0a1b2c3d-1111-2222-3333-444455556666`;
                for (const action of ["aps:RemoteWrite", "aps:QueryMetrics", "aps:DescribeWorkspace", "aps:CreateAlertManagerDefinition"]) {
                    assert.equal(await decide(action, unrelated), "Allowed", `${action} on another team's workspace of this account`);
                }
                const elsewhere = `arn:aws:aps:${region}:${otherAccount}:workspace/ws-0a1b2c3d-1111-2222-3333-777788889999`;
                assert.equal(await decide("aps:RemoteWrite", elsewhere, otherAccount, otherAccount), "Allowed", "another account's workspace: its own policies decide");
            });

            it("SNS interface endpoint (private DNS): every topic use of the VPC passes; other accounts never reach the alert topic", async () => {
                const settings = settingsOf(recording);
                const { accountId, region } = settings.aws;
                const endpoint = interfaceEndpointFor(recording, "sns");
                const names = awsResourceNames(settings.environment, accountId, region);
                const decide = decider(recording, endpoint, names.workloadRoles.grafana);
                const alertTopic = `arn:aws:sns:${region}:${accountId}:${names.alertTopic}`;

                assert.equal(await decide("sns:Publish", alertTopic), "Allowed");
                assert.equal(await decide("sns:Publish", alertTopic, otherAccount), "ExplicitlyDenied", "no other account's principals on the alert topic");
                assert.equal(await decide("sns:Subscribe", alertTopic, otherAccount), "ExplicitlyDenied");

                const unrelated = `arn:aws:sns:${region}:${accountId}:orders-events`;
                for (const action of ["sns:Publish", "sns:Subscribe", "sns:CreateTopic", "sns:GetTopicAttributes"]) {
                    assert.equal(await decide(action, unrelated), "Allowed", `${action} on another team's topic of this account`);
                }
                assert.equal(await decide("sns:Publish", `arn:aws:sns:${region}:${otherAccount}:central-alerts`, accountId, otherAccount), "Allowed", "another account's topic: its topic policy decides");
            });

            it("CloudWatch Logs interface endpoint (private DNS): every log group use of the VPC passes; other accounts never reach the workload log group", async () => {
                const settings = settingsOf(recording);
                const { accountId, region } = settings.aws;
                const endpoint = interfaceEndpointFor(recording, "logs");
                const names = awsResourceNames(settings.environment, accountId, region);
                const decide = decider(recording, endpoint, names.workloadRoles.gateway);
                const group = `arn:aws:logs:${region}:${accountId}:log-group:${names.workloadLogGroup}`;
                const stream = `${group}:log-stream:tracing-grafana.grafana-7d9f8-x2x4q.grafana`;

                assert.equal(await decide("logs:PutLogEvents", stream), "Allowed");
                assert.equal(await decide("logs:CreateLogStream", stream), "Allowed");
                assert.equal(await decide("logs:PutLogEvents", stream, otherAccount), "ExplicitlyDenied", "no other account's principals on the platform's log group");
                assert.equal(await decide("logs:DescribeLogStreams", group, otherAccount), "ExplicitlyDenied");

                // Other workloads of the VPC ship their own logs through the same private DNS name.
                const unrelated = `arn:aws:logs:${region}:${accountId}:log-group:/aws/containerinsights/apps/application`;
                for (const action of ["logs:CreateLogGroup", "logs:DescribeLogStreams"]) assert.equal(await decide(action, unrelated), "Allowed", `${action} on another team's group`);
                assert.equal(await decide("logs:PutLogEvents", `${unrelated}:log-stream:node-1`), "Allowed");
            });

            it("every endpoint policy is one AWS accepts: a Principal in each statement, \"*\" on the gateway endpoint, at most 20,480 characters, no wildcard in aws:PrincipalAccount values", () => {
                // AWS PrivateLink Guide, Control access to VPC endpoints using endpoint policies (Considerations; Principals for gateway endpoints).
                const endpoints = ofType(recording, endpointType);
                assert.equal(endpoints.length, 4);
                for (const endpoint of endpoints) {
                    assert.ok(endpoint.inputs.policy.length <= 20_480, `${endpoint.name} policy size`);
                    for (const statement of JSON.parse(endpoint.inputs.policy).Statement) {
                        assert.ok(statement.Principal !== undefined, `${endpoint.name} ${statement.Sid} names a Principal`);
                        if (endpoint.inputs.vpcEndpointType === "Gateway") assert.equal(statement.Principal, "*", `${endpoint.name} ${statement.Sid}`);
                        for (const conditions of Object.values<Record<string, unknown>>(statement.Condition ?? {})) {
                            for (const value of ([] as unknown[]).concat(conditions["aws:PrincipalAccount"] ?? [])) assert.match(String(value), /^\d{12}$/, `${endpoint.name} ${statement.Sid}`);
                        }
                    }
                }
            });
        });
    }
});
