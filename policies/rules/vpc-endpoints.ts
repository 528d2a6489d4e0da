/**
 * VPC endpoints the stack creates: an endpoint carries every workload's requests to its service, so
 * its policy is where principals of other accounts, using credentials from inside the VPC, are kept
 * off the platform's buckets, topics and workspaces, and where nothing in the VPC may rewrite the
 * logs AWS delivers (docs/vpc-endpoints.md). Endpoints the stack reuses are not its to check.
 */
import type { PolicyResource } from "@pulumi/policy";
import { awsTypes } from "./lib/aws-types";
import { collectorConfigs, normalisedComponentType } from "./lib/config-documents";
import { kubernetesTypes } from "./lib/kubernetes";
import { rulesFor } from "./lib/define";
import { editDocument, mutation, pick } from "./lib/mutate";
import { actionCovers, conditionKeys, policyStatements, resourceCovers, type PolicyStatement } from "./lib/policy-document";
import type { StackView } from "./lib/stack-view";
import { asList, isRecord, parseJsonish, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

const { stackRule } = rulesFor("vpc-endpoints");

/** A platform resource an endpoint must keep other accounts off, and whether a Deny's resources cover it. */
interface Guarded {
    readonly what: string;
    readonly covered: (resources: readonly string[], account: string) => boolean;
}

const s3ObjectWrites = ["s3:PutObject", "s3:DeleteObject"];

function bucketArn(name: string): string {
    return `arn:aws:s3:::${name}`;
}

/** `com.amazonaws.<region>.<service>` → region and service. */
function endpointService(endpoint: PolicyResource): { region: string; service: string } | undefined {
    const match = /^com\.amazonaws\.([a-z0-9-]+)\.([a-z0-9-]+)$/.exec(String(endpoint.props.serviceName ?? ""));
    return match ? { region: match[1], service: match[2] } : undefined;
}

/** Log groups the stack's collectors write through CloudWatch Logs (awscloudwatchlogs exporters' log_group_name). */
function shippedLogGroups(view: StackView): Set<string> {
    const names = view.ofType(kubernetesTypes.configMap).flatMap((map) =>
        collectorConfigs(map.props).flatMap(({ document }) =>
            Object.entries(isRecord(document.exporters) ? document.exporters : {})
                .filter(([id, settings]) => normalisedComponentType(id) === "awscloudwatchlogs" && isRecord(settings))
                .map(([, settings]) => (settings as Record<string, unknown>).log_group_name),
        ),
    );
    return new Set(names.filter((name): name is string => typeof name === "string"));
}

/** The platform's resources behind each service it creates endpoints for (the IAM action prefix, then what to guard). */
function guardedResources(view: StackView, endpoint: PolicyResource, region: string): Record<string, { actionPrefix: string; guarded: Guarded[] }> {
    return {
        s3: {
            actionPrefix: "s3",
            guarded: view.ofType(awsTypes.bucket).map((bucket) => ({
                what: `bucket '${bucket.props.bucket}'`,
                covered: (resources) => [bucketArn(bucket.props.bucket), `${bucketArn(bucket.props.bucket)}/*`].every((arn) => resources.some((r) => resourceCovers(r, arn))),
            })),
        },
        sns: {
            actionPrefix: "sns",
            guarded: view.ofType(awsTypes.snsTopic).map((topic) => ({
                what: `topic '${topic.props.name}'`,
                covered: (resources, account) => resources.some((r) => resourceCovers(r, `arn:aws:sns:${region}:${account}:${topic.props.name}`)),
            })),
        },
        // A workspace's ARN exists only once it is created: the policy must have been computed from it.
        "aps-workspaces": {
            actionPrefix: "aps",
            guarded: view.ofType(awsTypes.metricsWorkspace).map((workspace) => ({
                what: `metrics workspace '${workspace.props.alias ?? workspace.name}'`,
                covered: (resources, account) => view.dependsThrough(endpoint, "policy", workspace) && resources.some((r) => r.startsWith(`arn:aws:aps:${region}:${account}:workspace/`)),
            })),
        },
        // The log groups the collectors ship the platform's logs to, and their streams.
        logs: {
            actionPrefix: "logs",
            guarded: [...shippedLogGroups(view)].map((name) => ({
                what: `log group '${name}'`,
                covered: (resources, account) => {
                    const group = `arn:aws:logs:${region}:${account}:log-group:${name}`;
                    return [group, `${group}:log-stream:x`].every((arn) => resources.some((r) => resourceCovers(r, arn)));
                },
            })),
        },
    };
}

/** The account an endpoint's provider is locked to, when it names exactly one. */
function providerAccount(endpoint: PolicyResource): string | undefined {
    const allowed = stringList(parseJsonish(endpoint.provider?.props.allowedAccountIds));
    return allowed.length === 1 ? allowed[0] : undefined;
}

/** The account a Deny to anyone spares (`StringNotEquals aws:PrincipalAccount`), if that is its only condition. */
function sparedAccount(statement: PolicyStatement): string | undefined {
    if (statement.effect !== "Deny" || !statement.principals?.anyone || Object.keys(statement.conditions).length !== 1) return undefined;
    const accounts = statement.conditions.StringNotEquals?.["aws:principalaccount"] ?? [];
    return conditionKeys(statement).size === 1 && accounts.length === 1 && /^\d{12}$/.test(accounts[0]) ? accounts[0] : undefined;
}

/** Names of the stack's buckets that AWS writes logs into (trail and access-log targets). */
function logBuckets(view: StackView): Set<string> {
    const targets = [...view.ofType(awsTypes.trail).map((trail) => trail.props.s3BucketName), ...view.ofType(awsTypes.bucketLogging).map((logging) => logging.props.targetBucket)];
    const buckets = new Set(view.ofType(awsTypes.bucket).map((bucket) => bucket.props.bucket));
    return new Set(targets.filter((name): name is string => typeof name === "string" && buckets.has(name)));
}

/** True when an unconditional Deny to anyone stops writing and deleting the bucket's objects. */
function logWritesDenied(statements: readonly PolicyStatement[], bucket: string): boolean {
    return statements.some(
        (s) =>
            s.effect === "Deny" &&
            s.principals?.anyone === true &&
            Object.keys(s.conditions).length === 0 &&
            s3ObjectWrites.every((action) => s.actions.some((pattern) => actionCovers(pattern, action))) &&
            s.resources.some((r) => resourceCovers(r, `${bucketArn(bucket)}/*`)),
    );
}

const endpointPoliciesGuardPlatform = stackRule({
    name: "vpc-endpoint-policies-keep-other-accounts-out",
    description:
        "Each S3, SNS, Managed Prometheus and CloudWatch Logs VPC endpoint the stack creates has a policy that denies principals " +
        "of other accounts (StringNotEquals aws:PrincipalAccount, the environment's account) every action of that service on " +
        "the stack's buckets and their objects, topics, workspaces and the log groups its collectors ship to, and an S3 endpoint also denies writing and deleting " +
        "objects of the buckets AWS delivers logs to (trail and access-log targets). Fix: build endpoint policies with " +
        "components/network/endpoint-policies.ts, or reuse an existing endpoint through the existing*EndpointId settings.",
    severity: "high",
    securityRule: 2,
    controls: [],
    appliesTo: awsTypes.vpcEndpoint,
    validate: ({ view }, report) => {
        view.each(view.ofType(awsTypes.vpcEndpoint), (endpoint) => {
            const target = endpointService(endpoint);
            const protectedBy = target && guardedResources(view, endpoint, target.region)[target.service];
            if (!target || !protectedBy || protectedBy.guarded.length === 0) return;
            const label = `VPC endpoint '${endpoint.name}' (${target.service})`;
            const statements = policyStatements(endpoint.props.policy);
            if (!statements) {
                report(`${label} has no policy; the default admits other accounts' principals to the platform's resources through it.`, endpoint.urn);
                return;
            }
            const account = providerAccount(endpoint);
            const denials = statements.filter((s) => {
                const spared = sparedAccount(s);
                return spared !== undefined && (account === undefined || spared === account) && s.actions.some((a) => actionCovers(a, `${protectedBy.actionPrefix}:*`));
            });
            for (const guarded of protectedBy.guarded) {
                if (!denials.some((s) => guarded.covered(s.resources, sparedAccount(s)!))) {
                    report(`${label} does not deny other accounts ${protectedBy.actionPrefix}:* on ${guarded.what}; add a Deny for Principal '*' with StringNotEquals aws:PrincipalAccount ${account ?? "<account>"}.`, endpoint.urn);
                }
            }
            if (target.service !== "s3") return;
            for (const bucket of logBuckets(view)) {
                if (!logWritesDenied(statements, bucket)) report(`${label} lets the VPC write or delete the logs in bucket '${bucket}'; deny s3:PutObject* and s3:DeleteObject* on its objects.`, endpoint.urn);
            }
        });
    },
    violate: mutation("drop the other-accounts denial from the first created VPC endpoint's policy", (resources) => {
        const endpoint = pick(resources, awsTypes.vpcEndpoint, "VPC endpoint with a policy", (r) => r.inputs.policy !== undefined);
        editDocument(endpoint, "policy", (document) => {
            document.Statement = asList(document.Statement).filter((s) => !(isRecord(s) && isRecord(s.Condition) && isRecord(s.Condition.StringNotEquals) && "aws:PrincipalAccount" in s.Condition.StringNotEquals));
        });
    }),
});

export const vpcEndpointRules: readonly RuleDefinition[] = [endpointPoliciesGuardPlatform];
