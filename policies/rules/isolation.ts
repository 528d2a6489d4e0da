/**
 * Environment isolation: every resource goes through an explicit provider; the AWS provider refuses
 * any account but the environment's own and tags everything with the environment the stack (URN) is;
 * no input points at another account's resources; the Kubernetes provider targets the environment's
 * cluster; Kubernetes objects carry the environment label.
 */
import { stackOfUrn, projectOfUrn, type EditableResource } from "../resource-shape";
import { awsTypes, isAwsResource } from "./lib/aws-types";
import { rulesFor } from "./lib/define";
import { metadataOf } from "./lib/kubernetes";
import { ensurePath, mutation, MutationTargetMissing, pick } from "./lib/mutate";
import { isRecord, isSet, parseJsonish, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

const { resourceRule } = rulesFor("isolation");

/** Packages whose resources must use an explicit, environment-specific provider. */
const providerPackages = ["aws", "kubernetes", "tls", "random", "docker-build"];

function packageOf(type: string): string {
    return type.split(":")[0] ?? "";
}

function isProviderType(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}

/** Component resources of the Kubernetes package: their children carry the provider, they do not. */
const kubernetesComponents = ["kubernetes:helm.sh/v4:Chart", "kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:kustomize/v2:Directory"];

/** The first resource matching `where` (for open-ended type sets such as every AWS type). */
function pickWhere(resources: EditableResource[], what: string, where: (r: EditableResource) => boolean): EditableResource {
    const found = resources.find(where);
    if (!found) throw new MutationTargetMissing(what);
    return found;
}

const explicitProviders = resourceRule({
    name: "resources-use-explicit-providers",
    description:
        "Every AWS, Kubernetes, TLS, random and docker-build resource uses the stack's explicit provider, never a default provider " +
        "that would pick up whatever credentials, region or kubeconfig context the shell has. Fix: pass { provider } (or " +
        "{ providers } on the component) and keep pulumi:disable-default-providers: ['*'] in the stack config.",
    severity: "high",
    securityRule: 7,
    controls: [],
    appliesTo: (type) => providerPackages.includes(packageOf(type)) && !isProviderType(type) && !kubernetesComponents.includes(type),
    scope: "aws, kubernetes, tls, random and docker-build resources",
    validate: ({ type, name, provider }, report) => {
        if (!provider) report(`${type} '${name}' has no provider.`);
        else if (provider.name.startsWith("default")) report(`${type} '${name}' uses the default provider '${provider.name}'; pass the stack's explicit provider.`);
    },
    violate: mutation("point the first AWS resource at the default AWS provider", (resources) => {
        const resource = pickWhere(resources, "AWS resource with an explicit provider", (r) => isAwsResource(r.type) && isSet(r.provider));
        resource.provider = `urn:pulumi:${stackOfUrn(resource.urn)}::${projectOfUrn(resource.urn)}::pulumi:providers:aws::default_7_48_0::default-provider-id`;
    }),
});

const accountPattern = /^\d{12}$/;

const providerLockedToAccount = resourceRule<{ environment: string; accountId: string; regions: string[] }>({
    name: "aws-provider-locked-to-environment-account",
    description:
        "Each AWS provider can act only in the environment's own account and regions: allowedAccountIds is exactly " +
        "[<the environment's account>] and region is pinned, so dev credentials can never change prod (and the reverse); " +
        "the stack (from the URN) is the environment this policy config was written for. Fix: set allowedAccountIds and " +
        "region on the aws.Provider from the stack config, and run the pack with policies/config.<stack>.json.",
    severity: "critical",
    securityRule: 7,
    controls: [],
    config: {
        environment: { type: "string", default: "", description: "Stack this config file is for; empty accepts any stack." },
        accountId: { type: "string", default: "", description: "The environment's AWS account id; empty accepts any single account." },
        regions: { type: "array", items: { type: "string" }, default: [], description: "Regions the environment may use; empty accepts any pinned region." },
    },
    appliesTo: awsTypes.awsProvider,
    validate: ({ name, props, stack, config }, report) => {
        if (isSet(config.environment) && stack !== config.environment) {
            report(`stack '${stack}' is checked with the policy config for '${config.environment}'; use policies/config.${stack}.json.`);
        }
        const allowed = stringList(parseJsonish(props.allowedAccountIds));
        if (allowed.length !== 1 || !accountPattern.test(allowed[0])) {
            report(`AWS provider '${name}' allows accounts [${allowed.join(", ")}]; set allowedAccountIds to exactly the environment's account.`);
        } else if (isSet(config.accountId) && allowed[0] !== config.accountId) {
            report(`AWS provider '${name}' is locked to account ${allowed[0]}, not the ${config.environment || stack} account ${config.accountId}.`);
        }
        const region = props.region;
        if (!isSet(region)) report(`AWS provider '${name}' does not pin a region.`);
        else if (config.regions.length > 0 && !config.regions.includes(region)) report(`AWS provider '${name}' uses region ${region}, not one of ${config.regions.join(", ")}.`);
    },
    violate: mutation("drop allowedAccountIds from the first AWS provider", (resources) => {
        delete pick(resources, awsTypes.awsProvider, "AWS provider").inputs.allowedAccountIds;
    }),
});

const tagsMatchStack = resourceRule<{ environmentTag: string; requiredTags: string[] }>({
    name: "aws-environment-tags-match-stack",
    description:
        "AWS resources are tagged with the environment they belong to: the provider's defaultTags carry the required tags " +
        "with the environment tag equal to the stack name, and no resource overrides it with another environment. Fix: set " +
        "defaultTags.tags on the aws.Provider from settings.tags and do not set the environment tag on resources.",
    severity: "medium",
    securityRule: 7,
    controls: [],
    config: {
        environmentTag: { type: "string", default: "environment", description: "Tag key naming the environment." },
        requiredTags: {
            type: "array",
            items: { type: "string" },
            default: ["environment", "system", "owner", "cost-center", "data-classification"],
            description: "Tag keys every provider's defaultTags must set.",
        },
    },
    appliesTo: (type) => type === awsTypes.awsProvider[0] || isAwsResource(type),
    scope: "AWS resources and AWS providers",
    validate: ({ type, name, props, stack, config }, report) => {
        if (isAwsResource(type)) {
            const tags = isRecord(props.tags) ? props.tags : {};
            const environment = tags[config.environmentTag];
            if (environment !== undefined && environment !== stack) report(`'${name}' is tagged ${config.environmentTag}=${environment} in stack '${stack}'.`);
            return;
        }
        const defaultTags = parseJsonish(props.defaultTags);
        const tags = isRecord(defaultTags) && isRecord(defaultTags.tags) ? defaultTags.tags : {};
        const missing = config.requiredTags.filter((key) => !isSet(tags[key]));
        if (missing.length > 0) report(`AWS provider '${name}' defaultTags lack ${missing.join(", ")}.`);
        if (isSet(tags[config.environmentTag]) && tags[config.environmentTag] !== stack) {
            report(`AWS provider '${name}' tags resources ${config.environmentTag}=${tags[config.environmentTag]} in stack '${stack}'.`);
        }
    },
    violate: mutation("tag the first AWS provider's resources as environment 'shared'", (resources) => {
        const provider = pick(resources, awsTypes.awsProvider, "AWS provider");
        const original = provider.inputs.defaultTags;
        const defaultTags = parseJsonish(original);
        const document = isRecord(defaultTags) ? defaultTags : {};
        ensurePath(document, ["tags"]).environment = "shared";
        provider.inputs.defaultTags = typeof original === "string" || original === undefined ? JSON.stringify(document) : document;
    }),
});

const arnPattern = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g;

/** Every string inside an input value. */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (isRecord(value)) return Object.values(value).flatMap(strings);
    return [];
}

const arnsInEnvironmentAccount = resourceRule<{ accountId: string; trustedAccountIds: string[] }>({
    name: "aws-arns-stay-in-environment-account",
    description:
        "No AWS resource input refers to another account's resources (a dev stack using a prod key, bucket or role, or the " +
        "reverse): every ARN names the environment's account, or an account explicitly trusted in the policy config. Fix: " +
        "reference the environment's own resources (outputs or names derived from its settings).",
    severity: "high",
    securityRule: 7,
    controls: [],
    config: {
        accountId: { type: "string", default: "", description: "The environment's account; empty uses the provider's single allowed account." },
        trustedAccountIds: { type: "array", items: { type: "string" }, default: [], description: "Other accounts ARNs may name (e.g. a log archive)." },
    },
    appliesTo: isAwsResource,
    scope: "AWS resources",
    validate: ({ name, props, provider, config }, report) => {
        const providerAccounts = stringList(parseJsonish(provider?.props.allowedAccountIds));
        const expected = isSet(config.accountId) ? config.accountId : providerAccounts.length === 1 ? providerAccounts[0] : undefined;
        if (!expected) return;
        const foreign = new Set<string>();
        for (const text of strings(props)) {
            for (const match of text.matchAll(arnPattern)) {
                if (match[1] !== expected && !config.trustedAccountIds.includes(match[1])) foreign.add(match[1]);
            }
        }
        for (const account of foreign) report(`'${name}' refers to resources in account ${account}, outside the environment's account ${expected}.`);
    },
    violate: mutation("point the first ARN-bearing AWS resource at account 999999999999", (resources) => {
        const resource = pickWhere(resources, "AWS resource whose inputs carry an account ARN", (r) => isAwsResource(r.type) && strings(r.inputs).some((s) => new RegExp(arnPattern.source).test(s)));
        const rewrite = (value: unknown): unknown => {
            if (typeof value === "string") return value.replace(arnPattern, (arn) => arn.replace(/:\d{12}:$/, ":999999999999:"));
            if (Array.isArray(value)) return value.map(rewrite);
            if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
            return value;
        };
        resource.inputs = rewrite(resource.inputs) as Record<string, any>;
    }),
});

const eksClusterArn = /^arn:aws[a-z-]*:eks:[a-z0-9-]+:(\d{12}):cluster\/.+$/;

const kubernetesProviderPinned = resourceRule<{ accountId: string }>({
    name: "kubernetes-provider-pinned-to-cluster",
    description:
        "The Kubernetes provider targets the environment's cluster explicitly (kubeconfig or context), never the shell's " +
        "current context; an EKS cluster it names lies in the environment's account; a kubeconfig carries no static " +
        "credentials (they would sit in the state): exec authentication only. Fix: build the k8s.Provider's kubeconfig " +
        "from the stack's EKS cluster with `aws eks get-token` exec authentication.",
    severity: "critical",
    securityRule: 7,
    controls: [],
    config: { accountId: { type: "string", default: "", description: "The environment's AWS account; empty skips the account check." } },
    appliesTo: awsTypes.kubernetesProvider,
    validate: ({ name, props, config }, report) => {
        const context = props.context;
        if (!isSet(context) && !isSet(props.kubeconfig)) {
            report(`Kubernetes provider '${name}' names neither context nor kubeconfig, so it deploys to whatever cluster the shell points at.`);
            return;
        }
        const kubeconfig = parseJsonish(props.kubeconfig);
        const target = isSet(context) ? context : isRecord(kubeconfig) ? kubeconfig["current-context"] : undefined;
        const account = typeof target === "string" ? eksClusterArn.exec(target)?.[1] : undefined;
        if (account && isSet(config.accountId) && account !== config.accountId) {
            report(`Kubernetes provider '${name}' targets a cluster in account ${account}, not the environment's account ${config.accountId}.`);
        }
        const staticCredentials = ["token", "password", "client-key-data", "client-key"];
        for (const entry of isRecord(kubeconfig) && Array.isArray(kubeconfig.users) ? kubeconfig.users : []) {
            const found = staticCredentials.filter((key) => isRecord(entry?.user) && isSet(entry.user[key]));
            if (found.length) report(`Kubernetes provider '${name}' kubeconfig user '${entry.name}' carries static credentials (${found.join(", ")}); use exec authentication.`);
        }
    },
    violate: mutation("drop context and kubeconfig from the first Kubernetes provider", (resources) => {
        const provider = pick(resources, awsTypes.kubernetesProvider, "Kubernetes provider");
        delete provider.inputs.context;
        delete provider.inputs.kubeconfig;
    }),
});

const kubernetesEnvironmentLabel = resourceRule<{ environmentLabel: string }>({
    name: "kubernetes-objects-labelled-with-environment",
    description:
        "Kubernetes namespaces carry the environment label equal to the stack name, and no object claims another " +
        "environment. Fix: use standardLabels() from components/platform/names.ts with settings.environment.",
    severity: "low",
    securityRule: 7,
    controls: [],
    config: { environmentLabel: { type: "string", default: "environment", description: "Label key naming the environment." } },
    appliesTo: (type) => type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/"),
    scope: "Kubernetes objects",
    validate: ({ type, name, props, stack, config }, report) => {
        if (!isRecord(props.metadata)) return;
        const label = metadataOf(props).labels?.[config.environmentLabel];
        const kind = type.split(":")[2];
        if (label === undefined && kind === "Namespace") report(`namespace '${metadataOf(props).name ?? name}' has no ${config.environmentLabel} label.`);
        else if (label !== undefined && label !== stack) report(`${kind} '${metadataOf(props).name ?? name}' is labelled ${config.environmentLabel}=${label} in stack '${stack}'.`);
    },
    violate: mutation("label the first namespace environment=shared", (resources) => {
        ensurePath(pick(resources, ["kubernetes:core/v1:Namespace"], "namespace").inputs, ["metadata", "labels"]).environment = "shared";
    }),
});

export const isolationRules: readonly RuleDefinition[] = [
    explicitProviders,
    providerLockedToAccount,
    tagsMatchStack,
    arnsInEnvironmentAccount,
    kubernetesProviderPinned,
    kubernetesEnvironmentLabel,
];
