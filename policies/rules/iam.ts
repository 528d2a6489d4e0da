/**
 * IAM least privilege: no wildcard actions, no `*` resources for data services (S3, KMS, the metrics
 * workspace), no administrator managed policies, workload roles assumable only by their own service
 * account, and no IAM users or access keys at all.
 */
import type * as aws from "./lib/aws";
import type { Unwrap } from "@pulumi/pulumi";
import type { EditableResource } from "../resource-shape";
import { awsTypes } from "./lib/aws-types";
import { rulesFor } from "./lib/define";
import { addSibling, mutation, MutationTargetMissing, pick } from "./lib/mutate";
import { actionService, isServiceWildcard, policyStatements, type PolicyStatement } from "./lib/policy-document";
import { asList, isRecord, parseJsonish, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

type RoleInputs = Unwrap<aws.iam.RoleArgs>;

const { resourceRule } = rulesFor("iam");

const documentPolicyTypes: readonly string[] = [...awsTypes.iamPolicy, ...awsTypes.iamRolePolicy, ...awsTypes.iamGroupPolicy, ...awsTypes.iamUserPolicy];
const identityPolicyTypes: readonly string[] = [...documentPolicyTypes, ...awsTypes.iamRole];

interface IdentityDocument {
    readonly label: string;
    readonly statements: readonly PolicyStatement[];
}

/** The identity-policy documents a resource carries (a Role's inline policies included). */
function identityDocuments(type: string, name: string, props: Record<string, any>): IdentityDocument[] {
    if (awsTypes.iamRole.includes(type as "aws:iam/role:Role")) {
        return asList((props as RoleInputs).inlinePolicies).map((inline, index) => ({
            label: `role '${name}' inline policy '${inline.name ?? index}'`,
            statements: policyStatements(inline.policy) ?? [],
        }));
    }
    return [{ label: `policy '${name}'`, statements: policyStatements(props.policy) ?? [] }];
}

function describe(statement: PolicyStatement): string {
    return `statement '${statement.sid ?? "(no Sid)"}'`;
}

const noWildcardActions = resourceRule({
    name: "iam-policy-no-wildcard-actions",
    description:
        "Identity policies grant named actions only: no '*' or 'service:*' actions, and no Allow with NotAction or " +
        "NotResource (which grant everything else). Fix: list the exact actions the workload calls (e.g. s3:GetObject, " +
        "s3:PutObject) on the resources it needs.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_62", "Checkov CKV_AWS_63", "Security Hub IAM.1", "Security Hub IAM.21", "CIS AWS 1.16"],
    appliesTo: identityPolicyTypes,
    validate: ({ type, name, props }, report) => {
        for (const document of identityDocuments(type, name, props)) {
            for (const statement of document.statements.filter((s) => s.effect === "Allow")) {
                const wildcards = statement.actions.filter(isServiceWildcard);
                if (wildcards.length > 0) report(`${document.label} ${describe(statement)} allows ${wildcards.join(", ")}; list the actions it needs.`);
                if (statement.notActions.length > 0) report(`${document.label} ${describe(statement)} allows everything except ${statement.notActions.join(", ")} (NotAction).`);
                if (statement.notResources.length > 0) report(`${document.label} ${describe(statement)} allows every resource except ${statement.notResources.join(", ")} (NotResource).`);
            }
        }
    },
    violate: mutation("add 's3:*' to an Allow statement of the first identity policy", (resources) =>
        editFirstStatement(resources, "identity policy Allow statement on named resources", (statement) =>
            stringList(statement.Resource).every((r) => r !== "*") && stringList(statement.Action).every((a) => !isServiceWildcard(a)),
        (statement) => {
            statement.Action = [...stringList(statement.Action), "s3:*"];
        }),
    ),
});

const noWildcardDataResources = resourceRule<{ dataServices: string[] }>({
    name: "iam-policy-no-wildcard-data-resources",
    description:
        "Identity policies never grant data-service actions (S3, KMS, the Prometheus workspace) on Resource '*': a workload " +
        "reaches only its own bucket, key and workspace. Fix: name the bucket ARN (and ARN/*), the key ARN and the workspace ARN.",
    severity: "high",
    securityRule: 1,
    controls: ["Checkov CKV_AWS_355", "Security Hub KMS.1", "Security Hub KMS.2"],
    config: {
        dataServices: { type: "array", items: { type: "string" }, default: ["s3", "kms", "aps"], description: "Action prefixes that must name their resources." },
    },
    appliesTo: identityPolicyTypes,
    validate: ({ type, name, props, config }, report) => {
        for (const document of identityDocuments(type, name, props)) {
            for (const statement of document.statements.filter((s) => s.effect === "Allow" && s.resources.includes("*"))) {
                const dataActions = statement.actions.filter((a) => a === "*" || config.dataServices.includes(actionService(a)));
                if (dataActions.length > 0) report(`${document.label} ${describe(statement)} allows ${dataActions.join(", ")} on every resource ('*'); name the bucket, key or workspace ARNs.`);
            }
        }
    },
    violate: mutation("widen a statement granting S3/KMS/APS actions to Resource '*'", (resources) =>
        editFirstStatement(
            resources,
            "identity policy statement granting S3, KMS or APS actions",
            (statement) => stringList(statement.Action).some((a) => ["s3", "kms", "aps"].includes(actionService(a))) && stringList(statement.Action).every((a) => !isServiceWildcard(a)),
            (statement) => {
                statement.Resource = "*";
            },
        ),
    ),
});

/** Edits the first raw Allow statement of any identity policy document that matches `where`. */
function editFirstStatement(
    resources: EditableResource[],
    what: string,
    where: (statement: Record<string, any>) => boolean,
    edit: (statement: Record<string, any>) => void,
): void {
    const holders: { resource: EditableResource; get: () => unknown; set: (document: unknown) => void }[] = [];
    for (const resource of resources) {
        if (documentPolicyTypes.includes(resource.type)) {
            holders.push({ resource, get: () => resource.inputs.policy, set: (d) => (resource.inputs.policy = d) });
        } else if (awsTypes.iamRole.includes(resource.type as "aws:iam/role:Role")) {
            for (const inline of asList(resource.inputs.inlinePolicies)) {
                if (isRecord(inline)) holders.push({ resource, get: () => inline.policy, set: (d) => (inline.policy = d) });
            }
        }
    }
    for (const holder of holders) {
        const original = holder.get();
        const document = parseJsonish(original);
        if (!isRecord(document)) continue;
        const statements = asList(document.Statement as unknown).filter(isRecord);
        const target = statements.find((s) => s.Effect === "Allow" && where(s));
        if (!target) continue;
        edit(target);
        document.Statement = statements;
        holder.set(typeof original === "string" ? JSON.stringify(document) : document);
        return;
    }
    throw new MutationTargetMissing(what);
}

const administratorPolicy = /:policy\/(.*\/)?(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess)$/;

const noAdministratorPolicies = resourceRule({
    name: "iam-no-admin-managed-policies",
    description:
        "No role, user or group gets AWS-managed administrator, power-user or *FullAccess policies. Fix: replace the " +
        "attachment with a customer-managed policy listing the actions and resources the workload needs.",
    severity: "critical",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_274", "Checkov CKV2_AWS_40", "Checkov CKV2_AWS_56", "Security Hub IAM.1"],
    appliesTo: [...awsTypes.iamRole, ...awsTypes.iamPolicyAttachments],
    validate: ({ type, name, props }, report) => {
        const arns = awsTypes.iamRole.includes(type as "aws:iam/role:Role") ? stringList((props as RoleInputs).managedPolicyArns) : stringList(props.policyArn);
        for (const arn of arns.filter((a) => administratorPolicy.test(a))) report(`'${name}' attaches ${arn}; attach a least-privilege policy instead.`);
    },
    violate: mutation("attach AdministratorAccess to the first role", (resources) => {
        const role = pick(resources, awsTypes.iamRole, "IAM role");
        addSibling(
            resources,
            role,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            `${role.name}-mutated-admin`,
            { role: role.inputs.name ?? role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
            { role: [role.urn] },
        );
    }),
});

const serviceAccountSubject = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** Problems of an OIDC (IRSA) trust statement: it must pin `sub` to one service account and `aud` to STS. */
function webIdentityProblems(statement: PolicyStatement, federated: string): string[] {
    const issuer = federated.split("oidc-provider/")[1]?.toLowerCase();
    if (!issuer) return [`trusts '${federated}' without an OIDC issuer`];
    const exact = statement.conditions["StringEquals"] ?? {};
    const subjects = exact[`${issuer}:sub`] ?? [];
    const audiences = exact[`${issuer}:aud`] ?? [];
    const problems: string[] = [];
    if (subjects.length !== 1 || !serviceAccountSubject.test(subjects[0])) {
        problems.push(`does not pin ${issuer}:sub with StringEquals to exactly one 'system:serviceaccount:<namespace>:<name>'`);
    }
    if (!audiences.includes("sts.amazonaws.com")) problems.push(`does not require ${issuer}:aud = sts.amazonaws.com`);
    return problems;
}

const workloadRolesScoped = resourceRule({
    name: "iam-workload-roles-scoped-to-service-account",
    description:
        "A role's trust policy never trusts anyone ('*'), and a workload role assumed through the cluster's OIDC provider " +
        "(IRSA) is assumable only by its own service account: StringEquals on '<issuer>:sub' = " +
        "'system:serviceaccount:<namespace>:<name>' and '<issuer>:aud' = 'sts.amazonaws.com'. Fix: add those conditions " +
        "(or use EKS Pod Identity with a PodIdentityAssociation per service account).",
    severity: "critical",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_60", "Checkov CKV_AWS_61"],
    appliesTo: awsTypes.iamRole,
    validate: ({ name, props }, report) => {
        for (const statement of (policyStatements((props as RoleInputs).assumeRolePolicy) ?? []).filter((s) => s.effect === "Allow")) {
            if (statement.principals?.anyone || statement.notPrincipal) {
                report(`role '${name}' ${describe(statement)} lets anyone assume it; name the trusted principal.`);
                continue;
            }
            const assumesWithWebIdentity = statement.actions.some((a) => a === "sts:AssumeRoleWithWebIdentity");
            for (const federated of statement.principals?.federated ?? []) {
                if (!assumesWithWebIdentity || !federated.includes(":oidc-provider/")) continue;
                for (const problem of webIdentityProblems(statement, federated)) report(`role '${name}' ${describe(statement)} ${problem}.`);
            }
        }
    },
    violate: mutation("let anyone assume the first role", (resources) => {
        const role = pick(resources, awsTypes.iamRole, "IAM role with a trust policy", (r) => r.inputs.assumeRolePolicy !== undefined);
        const original = role.inputs.assumeRolePolicy;
        const document = parseJsonish(original);
        if (!isRecord(document)) throw new MutationTargetMissing("IAM role trust policy document");
        document.Statement = [...asList(document.Statement as unknown), { Sid: "AnyoneAssumes", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }];
        role.inputs.assumeRolePolicy = typeof original === "string" ? JSON.stringify(document) : document;
    }),
});

const noUsersOrAccessKeys = resourceRule({
    name: "iam-no-users-or-access-keys",
    description:
        "The platform uses no IAM users, user policies or access keys: people come through SSO and the VPN, workloads " +
        "through IRSA or EKS Pod Identity roles, CI through OIDC roles. Fix: delete the aws.iam.User/AccessKey/User* " +
        "resources and grant the permissions to a role.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV_AWS_40", "Security Hub IAM.2"],
    appliesTo: awsTypes.iamUserResources,
    validate: ({ type, name }, report) => {
        report(`${type.split(":")[2]} '${name}': IAM users and their keys are long-lived credentials; use a role instead.`);
    },
    violate: mutation("add an IAM user next to the first role", (resources) => {
        const role = pick(resources, awsTypes.iamRole, "IAM role");
        addSibling(resources, role, "aws:iam/user:User", "mutated-user", { name: "mutated-user" });
    }),
});

export const iamRules: readonly RuleDefinition[] = [noWildcardActions, noWildcardDataResources, noAdministratorPolicies, workloadRolesScoped, noUsersOrAccessKeys];
