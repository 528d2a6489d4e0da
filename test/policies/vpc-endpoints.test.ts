import { awsResourceNames } from "../../components/platform/names";
import { parseSettings } from "../../components/platform/settings";
import type { EditableResource } from "../../policies/resource-shape";
import { stackConfig } from "../harness/stack-config";
import { describeRule, describeRuleOnRecordings, editJson, named, type Stack } from "./helpers";

const settingsOf = (stack: Stack) => parseSettings(stackConfig(stack), stack);
const prod = settingsOf("prod");
const buckets = awsResourceNames(prod.environment, prod.aws.accountId, prod.aws.region);

/** Edits the statements of the endpoint's policy. */
const statements = (rs: EditableResource[], name: string, change: (statements: any[]) => any[]) => editJson(named(rs, name), "policy", (d) => (d.Statement = change(d.Statement)));
const sid = (name: string) => (s: any) => s.Sid === name;

describe("policies: VPC endpoint policies", () => {
    describeRule("vpc-endpoint-policies-keep-other-accounts-out", [
        {
            title: "an S3 endpoint without a policy",
            change: (rs) => delete named(rs, "tracing-s3").inputs.policy,
            expect: ["VPC endpoint 'tracing-s3' (s3) has no policy; the default admits other accounts' principals to the platform's resources through it."],
        },
        {
            title: "the denial spares another account, and the log bucket's objects are writable",
            change: (rs) =>
                statements(rs, "tracing-s3", (st) =>
                    st.filter((s) => !sid("DenyLogWritesFromVpc")(s)).map((s) => (sid("DenyPlatformResourcesToOtherAccounts")(s) ? { ...s, Condition: { StringNotEquals: { "aws:PrincipalAccount": "444444444444" } } } : s)),
                ),
            expect: [
                `VPC endpoint 'tracing-s3' (s3) does not deny other accounts s3:* on bucket '${buckets.traceBucket}'; add a Deny for Principal '*' with StringNotEquals aws:PrincipalAccount ${prod.aws.accountId}.`,
                `VPC endpoint 'tracing-s3' (s3) does not deny other accounts s3:* on bucket '${buckets.auditBucket}'; add a Deny for Principal '*' with StringNotEquals aws:PrincipalAccount ${prod.aws.accountId}.`,
                `VPC endpoint 'tracing-s3' (s3) lets the VPC write or delete the logs in bucket '${buckets.auditBucket}'; deny s3:PutObject* and s3:DeleteObject* on its objects.`,
            ],
        },
        {
            title: "a denial that covers the trace bucket's objects but not the bucket itself",
            change: (rs) =>
                statements(rs, "tracing-s3", (st) =>
                    st.map((s) => (sid("DenyPlatformResourcesToOtherAccounts")(s) ? { ...s, Resource: [`arn:aws:s3:::${buckets.traceBucket}/*`, `arn:aws:s3:::${buckets.auditBucket}*`] } : s)),
                ),
            expect: [`VPC endpoint 'tracing-s3' (s3) does not deny other accounts s3:* on bucket '${buckets.traceBucket}'; add a Deny for Principal '*' with StringNotEquals aws:PrincipalAccount ${prod.aws.accountId}.`],
        },
        {
            title: "compliant: a denial on every resource, and an endpoint of a service the platform keeps nothing in",
            change: (rs) => {
                statements(rs, "tracing-s3", (st) => st.map((s) => (sid("DenyPlatformResourcesToOtherAccounts")(s) ? { ...s, Action: "*", Resource: "*" } : s)));
                const ecr = structuredClone(named(rs, "tracing-s3"));
                Object.assign(ecr, { urn: ecr.urn.replace("tracing-s3", "tracing-ecr"), name: "tracing-ecr" });
                ecr.inputs = { vpcId: ecr.inputs.vpcId, serviceName: `com.amazonaws.${prod.aws.region}.ecr.api`, vpcEndpointType: "Interface" };
                rs.push(ecr);
            },
            expect: [],
        },
    ]);

    describeRuleOnRecordings("vpc-endpoint-policies-keep-other-accounts-out", [
        {
            title: "the SNS endpoint lets other accounts at the alert topic, the Prometheus endpoint names no workspace",
            change: (rs) => {
                statements(rs, "tracing-sns", (st) => st.filter((s) => !sid("DenyPlatformResourcesToOtherAccounts")(s)));
                statements(rs, "tracing-aps-workspaces", (st) => st.map((s) => (sid("DenyPlatformResourcesToOtherAccounts")(s) ? { ...s, Resource: "arn:aws:aps:*:*:rulegroupsnamespace/*" } : s)));
            },
            expect: (stack) => [
                `VPC endpoint 'tracing-sns' (sns) does not deny other accounts sns:* on topic 'tracing-alerts-${stack}'; add a Deny for Principal '*' with StringNotEquals aws:PrincipalAccount ${settingsOf(stack).aws.accountId}.`,
                `VPC endpoint 'tracing-aps-workspaces' (aps-workspaces) does not deny other accounts aps:* on metrics workspace 'tracing-span-metrics-${stack}'; add a Deny for Principal '*' with StringNotEquals aws:PrincipalAccount ${settingsOf(stack).aws.accountId}.`,
            ],
        },
        {
            title: "the CloudWatch Logs endpoint keeps other accounts off the workload log group but not off its streams",
            change: (rs) => statements(rs, "tracing-logs", (st) => st.map((s) => (sid("DenyPlatformResourcesToOtherAccounts")(s) ? { ...s, Resource: [s.Resource[0]] } : s))),
            expect: (stack) => [
                `VPC endpoint 'tracing-logs' (logs) does not deny other accounts logs:* on log group '/tracing/${stack}/workloads'; add a Deny for Principal '*' with StringNotEquals aws:PrincipalAccount ${settingsOf(stack).aws.accountId}.`,
            ],
        },
        {
            title: "the S3 endpoint lets the VPC overwrite the access logs",
            change: (rs) => statements(rs, "tracing-s3", (st) => st.map((s) => (sid("DenyLogWritesFromVpc")(s) ? { ...s, Action: ["s3:DeleteObject*"] } : s))),
            expect: (stack) => {
                const names = awsResourceNames(stack, settingsOf(stack).aws.accountId, settingsOf(stack).aws.region);
                return [names.auditBucket, names.accessLogBucket].map((bucket) => `VPC endpoint 'tracing-s3' (s3) lets the VPC write or delete the logs in bucket '${bucket}'; deny s3:PutObject* and s3:DeleteObject* on its objects.`);
            },
        },
    ]);
});
