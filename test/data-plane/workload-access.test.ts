/**
 * What the workloads' identity and trust policies and the alert topic policy decide under the IAM
 * simulator: each workload reaches only its own metrics and topic actions, and only its own pods
 * assume its role.
 */
import { strict as assert } from "assert";
import { policyDocument, type PolicyDocument } from "../../components/platform/iam-policy";
import { podIdentityTrustPolicy } from "../../components/data-plane/workload-policies";
import { alertTopicPolicy } from "../../components/data-plane/alert-topic-policy";
import { workloads } from "../../components/platform/names";
import { checkPodIdentityTrust } from "./checks";
import { accountId, otherAccountId, region, names, workspaceArn, workloadLogGroupArn, clusterArn, roleArn, identity, decide } from "./simulator";

describe("data plane policies under the IAM simulator", () => {
    describe("metrics workspace", () => {
        it("lets the gateway only remote-write and Grafana only query", async () => {
            const cases: [keyof typeof identity, string, string][] = [
                ["gateway", "aps:RemoteWrite", "Allowed"],
                ["gateway", "aps:QueryMetrics", "ImplicitlyDenied"],
                ["grafana", "aps:QueryMetrics", "Allowed"],
                ["grafana", "aps:GetSeries", "Allowed"],
                ["grafana", "aps:GetLabels", "Allowed"],
                ["grafana", "aps:GetMetricMetadata", "Allowed"],
                ["grafana", "aps:RemoteWrite", "ImplicitlyDenied"],
                ["grafana", "aps:DeleteWorkspace", "ImplicitlyDenied"],
                ["tempo", "aps:RemoteWrite", "ImplicitlyDenied"],
            ];
            for (const [workload, action, expected] of cases) {
                assert.equal(
                    await decide({ principal: roleArn(names.workloadRoles[workload]), action, resource: workspaceArn, identityPolicies: [identity[workload]] }),
                    expected,
                    `${workload} ${action}`,
                );
            }
        });

        it("does not reach another workspace", async () => {
            const other = `arn:aws:aps:${region}:${accountId}:workspace/ws-ffffffff-0000-0000-0000-000000000009`;
            assert.equal(
                await decide({ principal: roleArn(names.workloadRoles.gateway), action: "aps:RemoteWrite", resource: other, identityPolicies: [identity.gateway] }),
                "ImplicitlyDenied",
            );
        });
    });

    describe("workload log group", () => {
        const stream = `${workloadLogGroupArn}:log-stream:tracing-grafana.grafana-7d9f8-x2x4q.grafana`;
        const otherGroup = `arn:aws:logs:${region}:${accountId}:log-group:/aws/eks/apps-dev/cluster`;
        const ask = (workload: keyof typeof identity, action: string, resource: string) =>
            decide({ principal: roleArn(names.workloadRoles[workload]), action, resource, identityPolicies: [identity[workload]] });

        it("lets the gateway create streams in the workload log group and put events into them, nothing more", async () => {
            const cases: [keyof typeof identity, string, string, string][] = [
                // CreateLogStream is authorised on the stream it creates (log-stream resource type).
                ["gateway", "logs:CreateLogStream", stream, "Allowed"],
                ["gateway", "logs:PutLogEvents", stream, "Allowed"],
                // The program owns the group (key, retention): the exporter may not create, re-key or expire it.
                ["gateway", "logs:CreateLogGroup", workloadLogGroupArn, "ImplicitlyDenied"],
                ["gateway", "logs:PutRetentionPolicy", workloadLogGroupArn, "ImplicitlyDenied"],
                ["gateway", "logs:DeleteLogGroup", workloadLogGroupArn, "ImplicitlyDenied"],
                ["gateway", "logs:DeleteLogStream", stream, "ImplicitlyDenied"],
                ["gateway", "logs:GetLogEvents", stream, "ImplicitlyDenied"],
                ["gateway", "logs:FilterLogEvents", workloadLogGroupArn, "ImplicitlyDenied"],
                ["gateway", "logs:AssociateKmsKey", workloadLogGroupArn, "ImplicitlyDenied"],
                ["tempo", "logs:PutLogEvents", stream, "ImplicitlyDenied"],
                ["grafana", "logs:PutLogEvents", stream, "ImplicitlyDenied"],
            ];
            for (const [workload, action, resource, expected] of cases) {
                assert.equal(await ask(workload, action, resource), expected, `${workload} ${action} on ${resource}`);
            }
        });

        it("does not let the gateway write to any other log group", async () => {
            assert.equal(await ask("gateway", "logs:CreateLogStream", `${otherGroup}:log-stream:x`), "ImplicitlyDenied");
            assert.equal(await ask("gateway", "logs:PutLogEvents", `${otherGroup}:log-stream:x`), "ImplicitlyDenied");
        });
    });

    describe("alert topic", () => {
        const topicArn = `arn:aws:sns:${region}:${accountId}:${names.alertTopic}`;
        const grafanaRole = roleArn(names.workloadRoles.grafana);
        const topicPolicy = alertTopicPolicy({ accountId, region, topicArn, publisherRoleArn: grafanaRole });
        const allSns = policyDocument([{ Sid: "AllSns", Effect: "Allow", Action: "sns:*", Resource: "*" }]);
        const publish = (principal: string, identityPolicies: PolicyDocument[], overrides: { resource?: string; action?: string; tls?: string } = {}) =>
            decide({
                principal,
                action: overrides.action ?? "sns:Publish",
                resource: overrides.resource ?? topicArn,
                identityPolicies,
                resourcePolicy: topicPolicy,
                context: { "aws:SecureTransport": overrides.tls ?? "true", "aws:PrincipalArn": principal, "aws:PrincipalAccount": principal.split(":")[4] },
            });

        it("lets Grafana's role publish to its topic over TLS, and nothing more", async () => {
            assert.equal(await publish(grafanaRole, [identity.grafana]), "Allowed");
            for (const action of ["sns:Subscribe", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:Unsubscribe"]) {
                assert.equal(await publish(grafanaRole, [identity.grafana], { action }), "ImplicitlyDenied", action);
            }
            const otherTopic = `arn:aws:sns:${region}:${accountId}:somebody-elses-topic`;
            assert.equal(
                await decide({ principal: grafanaRole, action: "sns:Publish", resource: otherTopic, identityPolicies: [identity.grafana], context: { "aws:SecureTransport": "true" } }),
                "ImplicitlyDenied",
            );
        });

        it("refuses publishing without TLS, by other roles of the account even with sns:*, and by other accounts", async () => {
            assert.equal(await publish(grafanaRole, [identity.grafana], { tls: "false" }), "ExplicitlyDenied");
            assert.equal(await publish(roleArn(names.workloadRoles.tempo), [allSns]), "ExplicitlyDenied", "an admin-like role of this account");
            assert.equal(await publish(roleArn(names.workloadRoles.grafana, otherAccountId), [allSns]), "ExplicitlyDenied", "a same-named role elsewhere");
            assert.equal(await publish(roleArn(names.workloadRoles.tempo), [identity.tempo]), "ExplicitlyDenied");
        });

        it("takes the account's CloudWatch alarms (security and certificate-expiry alarms), and no other account's or service's", async () => {
            const alarm = (context: Record<string, string>, principal = "cloudwatch.amazonaws.com") =>
                decide({
                    principal,
                    action: "sns:Publish",
                    resource: topicArn,
                    resourcePolicy: topicPolicy,
                    context: { "aws:SecureTransport": "true", "aws:PrincipalServiceName": principal, ...context },
                });
            const ours = { "aws:SourceAccount": accountId, "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:tracing-dev-vpn-server-certificate-expiry` };
            assert.equal(await alarm(ours), "Allowed");
            assert.equal(await alarm({ ...ours, "aws:SourceAccount": otherAccountId, "aws:SourceArn": `arn:aws:cloudwatch:${region}:${otherAccountId}:alarm:x` }), "ImplicitlyDenied");
            assert.equal(await alarm({ ...ours, "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${accountId}:alarm:x` }), "ImplicitlyDenied", "another region's alarm");
            assert.equal(await alarm(ours, "events.amazonaws.com"), "ExplicitlyDenied", "another service");
            assert.equal(await alarm({ ...ours, "aws:SecureTransport": "false" }), "ExplicitlyDenied");
        });

        it("keeps the topic manageable by the account's administrators (no lock-out)", async () => {
            assert.equal(await publish(roleArn("platform-admin"), [allSns], { action: "sns:SetTopicAttributes" }), "Allowed");
            assert.equal(await publish(roleArn("platform-admin"), [allSns], { action: "sns:Subscribe" }), "Allowed");
        });
    });

    describe("Pod Identity trust", () => {
        const trust = (key: "tempo" | "gateway" | "grafana") =>
            podIdentityTrustPolicy({ accountId, clusterArn, namespace: workloads[key].namespace, serviceAccount: workloads[key].serviceAccount });
        const tags = (namespace: string, serviceAccount: string, cluster = clusterArn) => ({
            "aws:SourceAccount": accountId,
            "aws:RequestTag/eks-cluster-arn": cluster,
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
        });
        const assume = (key: "tempo" | "gateway" | "grafana", context: Record<string, string>) =>
            decide({ principal: "pods.eks.amazonaws.com", action: "sts:AssumeRole", resource: roleArn(names.workloadRoles[key]), context, resourcePolicy: trust(key) });

        it("admits each workload's own service account in its own namespace", async () => {
            for (const key of ["tempo", "gateway", "grafana"] as const) {
                assert.equal(await assume(key, tags(workloads[key].namespace, workloads[key].serviceAccount)), "Allowed", key);
                checkPodIdentityTrust(trust(key), { accountId, clusterArn, ...workloads[key] }, key);
            }
        });

        it("refuses another service account, another namespace, another cluster or another account", async () => {
            const { namespace, serviceAccount } = workloads.tempo;
            for (const context of [
                tags(namespace, "default"),
                tags(workloads.grafana.namespace, serviceAccount),
                tags(namespace, serviceAccount, `arn:aws:eks:${region}:${accountId}:cluster/another-cluster`),
                { ...tags(namespace, serviceAccount), "aws:SourceAccount": otherAccountId },
            ]) {
                assert.equal(await assume("tempo", context), "ImplicitlyDenied", JSON.stringify(context));
            }
        });

        it("refuses the Grafana pod assuming Tempo's role", async () => {
            assert.equal(await assume("tempo", tags(workloads.grafana.namespace, workloads.grafana.serviceAccount)), "ImplicitlyDenied");
        });
    });

});
