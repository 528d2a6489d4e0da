/**
 * Who is running the deploy: the caller must be in the stack's account (the AWS provider refuses
 * any other) and must hold an EKS access entry on the cluster, or the Kubernetes half of
 * `pulumi up` fails after the AWS half has already been created.
 */
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { paginateListAccessEntries, type EKSClient } from "@aws-sdk/client-eks";
import { stopFor, type Target } from "./aws-errors";
import { fail, pass, PreflightStop, type CheckResult } from "./result";

export interface Caller {
    readonly account: string;
    readonly arn: string;
}

/** The caller's identity; a missing credential or a foreign account stops the run with one line. */
export async function checkCaller(sts: STSClient, target: Target): Promise<{ result: CheckResult; caller: Caller }> {
    let identity;
    try {
        identity = await sts.send(new GetCallerIdentityCommand({}));
    } catch (error) {
        throw stopFor(error, "sts", target) ?? error;
    }
    const caller = { account: identity.Account ?? "", arn: identity.Arn ?? "" };
    if (caller.account !== target.accountId) {
        throw new PreflightStop(
            fail(
                "AWS account",
                `the credentials are for account ${caller.account} (${caller.arn}), but stack ${target.stack} deploys to ${target.accountId} (aws:allowedAccountIds)`,
                `switch to a profile or role in account ${target.accountId}; pulumi up refuses these credentials`,
            ),
        );
    }
    return { result: pass("AWS account", `${caller.account} as ${caller.arn}`), caller };
}

/** The IAM principal an EKS access entry would name for a caller. */
export type Principal =
    | { readonly kind: "role"; readonly partition: string; readonly account: string; readonly name: string }
    | { readonly kind: "user"; readonly arn: string }
    | { readonly kind: "unsupported"; readonly arn: string };

/**
 * An assumed-role session (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION) is the role NAME. The
 * session ARN drops the role's path, which the access entry keeps
 * (arn:aws:iam::ACCOUNT:role/PATH/NAME), so roles are matched by account and name.
 */
export function principalOf(callerArn: string): Principal {
    const match = /^arn:([^:]+):(sts|iam)::(\d{12}):(.+)$/.exec(callerArn);
    if (!match) return { kind: "unsupported", arn: callerArn };
    const [, partition, service, account, resource] = match;
    const parts = resource.split("/");
    if (service === "sts" && parts[0] === "assumed-role" && parts.length >= 3) return { kind: "role", partition, account, name: parts[1] };
    if (service === "iam" && parts[0] === "role" && parts.length >= 2) return { kind: "role", partition, account, name: parts[parts.length - 1] };
    if (service === "iam" && parts[0] === "user" && parts.length >= 2) return { kind: "user", arn: callerArn };
    return { kind: "unsupported", arn: callerArn };
}

/** Whether an access entry's principal ARN is the caller. */
export function entryMatches(principal: Principal, entryArn: string): boolean {
    if (principal.kind === "user") return entryArn === principal.arn;
    if (principal.kind !== "role") return false;
    const match = /^arn:([^:]+):iam::(\d{12}):role\/(.+)$/.exec(entryArn);
    return !!match && match[1] === principal.partition && match[2] === principal.account && match[3].split("/").pop() === principal.name;
}

function describePrincipal(principal: Principal): string {
    return principal.kind === "role" ? `role ${principal.name}` : principal.arn;
}

/** The IAM ARN to create an access entry for (a role's path is not in its session ARN). */
function entryArnFor(principal: Principal): string {
    return principal.kind === "role" ? `arn:${principal.partition}:iam::${principal.account}:role/<path/>${principal.name}` : principal.arn;
}

/** The caller has an access entry on the cluster (unless the cluster still authenticates with aws-auth only). */
export async function checkAccessEntry(eks: EKSClient, clusterName: string, authenticationMode: string | undefined, caller: Caller): Promise<CheckResult> {
    const check = "EKS access entry";
    if (authenticationMode === "CONFIG_MAP") {
        return pass(check, `cluster ${clusterName} authenticates through the aws-auth ConfigMap only; the Kubernetes API check shows whether it maps the caller`);
    }
    const principal = principalOf(caller.arn);
    if (principal.kind === "unsupported") {
        return fail(check, `${caller.arn} cannot hold an access entry (only IAM roles and users can)`, "deploy with an IAM role (or user) that has an access entry on the cluster");
    }
    let count = 0;
    for await (const page of paginateListAccessEntries({ client: eks }, { clusterName })) {
        for (const entry of page.accessEntries ?? []) {
            count++;
            if (entryMatches(principal, entry)) return pass(check, `${entry} on cluster ${clusterName}`);
        }
    }
    const arn = entryArnFor(principal);
    return fail(
        check,
        `none of the ${count} access entries on cluster ${clusterName} is ${describePrincipal(principal)}`,
        `aws eks create-access-entry --cluster-name ${clusterName} --principal-arn ${arn} and aws eks associate-access-policy --cluster-name ${clusterName} --principal-arn ${arn} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster` +
            (principal.kind === "role" ? ` (the role's full ARN, with its path, is in aws iam get-role --role-name ${principal.name})` : ""),
    );
}
