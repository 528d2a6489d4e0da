import { describeRule, editJson, named } from "./helpers";

const storagePolicy = (rs: any[]) => named(rs, "tracing-tempo-storage");
const role = (rs: any[]) => named(rs, "tracing-tempo");
const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/GOLDEN0123456789ABCDEF";

describe("policies: IAM", () => {
    describeRule("iam-policy-no-wildcard-actions", [
        {
            title: "service wildcards and NotAction/NotResource",
            change: (rs) =>
                editJson(storagePolicy(rs), "policy", (d) => {
                    d.Statement[1].Action = ["s3:*", "kms:Decrypt"];
                    d.Statement.push({ Sid: "Rest", Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::x" });
                }),
            expect: [
                "policy 'tracing-tempo-storage' statement 'TraceObjects' allows s3:*; list the actions it needs.",
                "policy 'tracing-tempo-storage' statement 'Rest' allows everything except iam:* (NotAction).",
                "policy 'tracing-tempo-storage' statement 'Rest' allows every resource except arn:aws:s3:::x (NotResource).",
            ],
        },
        {
            title: "'*' in a role's inline policy",
            change: (rs) => (role(rs).inputs.inlinePolicies = [{ name: "admin", policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::x" } }) }]),
            expect: ["role 'tracing-tempo' inline policy 'admin' statement '(no Sid)' allows *; list the actions it needs."],
        },
        {
            title: "compliant: a wildcard in a Deny, a prefix wildcard in an Allow",
            change: (rs) =>
                editJson(storagePolicy(rs), "policy", (d) => {
                    d.Statement.push({ Effect: "Deny", Action: "*", Resource: "*" }, { Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::x/*" });
                }),
            expect: [],
        },
    ]);

    describeRule("iam-policy-no-wildcard-data-resources", [
        {
            title: "KMS decrypt on every key, S3 on every bucket",
            change: (rs) =>
                editJson(storagePolicy(rs), "policy", (d) => {
                    d.Statement[2].Resource = "*";
                    d.Statement[0].Resource = ["arn:aws:s3:::x", "*"];
                }),
            expect: [
                "policy 'tracing-tempo-storage' statement 'TraceBucket' allows s3:ListBucket on every resource ('*'); name the bucket, key or workspace ARNs.",
                "policy 'tracing-tempo-storage' statement 'TraceKey' allows kms:GenerateDataKey, kms:Decrypt on every resource ('*'); name the bucket, key or workspace ARNs.",
            ],
        },
        {
            title: "remote write to every Prometheus workspace",
            change: (rs) => editJson(storagePolicy(rs), "policy", (d) => d.Statement.push({ Sid: "Metrics", Effect: "Allow", Action: "aps:RemoteWrite", Resource: "*" })),
            expect: ["policy 'tracing-tempo-storage' statement 'Metrics' allows aps:RemoteWrite on every resource ('*'); name the bucket, key or workspace ARNs."],
        },
        {
            title: "compliant: non-data actions on '*'",
            change: (rs) => editJson(storagePolicy(rs), "policy", (d) => d.Statement.push({ Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" })),
            expect: [],
        },
    ]);

    describeRule("iam-no-admin-managed-policies", [
        {
            title: "AdministratorAccess as a managed policy, S3 full access through an attachment",
            change: (rs) => {
                role(rs).inputs.managedPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAccess"];
                rs.push({ ...structuredClone(storagePolicy(rs)), urn: `${storagePolicy(rs).urn}-attachment`, type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "s3-full", inputs: { role: "x", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" } });
            },
            expect: [
                "'tracing-tempo' attaches arn:aws:iam::aws:policy/AdministratorAccess; attach a least-privilege policy instead.",
                "'s3-full' attaches arn:aws:iam::aws:policy/AmazonS3FullAccess; attach a least-privilege policy instead.",
            ],
        },
        {
            title: "compliant: a read-only managed policy",
            change: (rs) => (role(rs).inputs.managedPolicyArns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
            expect: [],
        },
    ]);

    describeRule("iam-workload-roles-scoped-to-service-account", [
        {
            title: "any service account of the cluster (StringLike wildcard), no audience",
            change: (rs) =>
                editJson(role(rs), "assumeRolePolicy", (d) => {
                    d.Statement[0].Condition = { StringLike: { [`${issuer}:sub`]: "system:serviceaccount:*:*" } };
                }),
            expect: [
                `role 'tracing-tempo' statement '(no Sid)' does not pin ${issuer.toLowerCase()}:sub with StringEquals to exactly one 'system:serviceaccount:<namespace>:<name>'.`,
                `role 'tracing-tempo' statement '(no Sid)' does not require ${issuer.toLowerCase()}:aud = sts.amazonaws.com.`,
            ],
        },
        {
            title: "two service accounts in one condition",
            change: (rs) =>
                editJson(role(rs), "assumeRolePolicy", (d) => {
                    d.Statement[0].Condition.StringEquals[`${issuer}:sub`] = ["system:serviceaccount:a:b", "system:serviceaccount:c:d"];
                }),
            expect: [`role 'tracing-tempo' statement '(no Sid)' does not pin ${issuer.toLowerCase()}:sub with StringEquals to exactly one 'system:serviceaccount:<namespace>:<name>'.`],
        },
        {
            title: "anyone may assume the role",
            change: (rs) => editJson(role(rs), "assumeRolePolicy", (d) => d.Statement.push({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" })),
            expect: ["role 'tracing-tempo' statement 'Open' lets anyone assume it; name the trusted principal."],
        },
        {
            title: "compliant: EKS Pod Identity",
            change: (rs) =>
                (role(rs).inputs.assumeRolePolicy = JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
                })),
            expect: [],
        },
    ]);

    describeRule("iam-no-users-or-access-keys", [
        {
            title: "a user with an access key",
            change: (rs) => {
                const like = storagePolicy(rs);
                rs.push({ ...structuredClone(like), urn: `${like.urn}-user`, type: "aws:iam/user:User", name: "ci", inputs: { name: "ci" } });
                rs.push({ ...structuredClone(like), urn: `${like.urn}-key`, type: "aws:iam/accessKey:AccessKey", name: "ci-key", inputs: { user: "ci" } });
            },
            expect: [
                "User 'ci': IAM users and their keys are long-lived credentials; use a role instead.",
                "AccessKey 'ci-key': IAM users and their keys are long-lived credentials; use a role instead.",
            ],
        },
    ]);
});
