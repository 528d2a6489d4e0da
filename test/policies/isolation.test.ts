import * as assert from "assert";
import { eksKubeconfig } from "../../components/platform/kubeconfig";
import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, edited, messages, named } from "./helpers";

const awsProvider = (rs: EditableResource[]) => named(rs, "tracing-aws");
const kubernetesProvider = (rs: EditableResource[]) => named(rs, "tracing-kubernetes");
const defaultProvider = "urn:pulumi:prod::tracing-platform::pulumi:providers:aws::default_7_48_0::a1b2c3";

describe("policies: environment isolation", () => {
    describeRule("resources-use-explicit-providers", [
        {
            title: "a bucket on the default provider, a key without any",
            change: (rs) => {
                named(rs, "tracing-traces").provider = defaultProvider;
                delete named(rs, "tracing-traces-key").provider;
            },
            expect: [
                "aws:kms/key:Key 'tracing-traces-key' has no provider.",
                "aws:s3/bucket:Bucket 'tracing-traces' uses the default provider 'default_7_48_0'; pass the stack's explicit provider.",
            ],
        },
        {
            // An image build on the default docker-build provider would push with whatever docker login the shell has.
            title: "an image built without the stack's docker-build provider",
            change: (rs) => {
                rs.push({
                    urn: "urn:pulumi:prod::tracing-platform::docker-build:index:Image::grafana-image-build",
                    type: "docker-build:index:Image",
                    name: "grafana-image-build",
                    custom: true,
                    inputs: { push: true, tags: ["333333333333.dkr.ecr.eu-west-1.amazonaws.com/tracing-prod/grafana:13.2.3"] },
                });
            },
            expect: ["docker-build:index:Image 'grafana-image-build' has no provider."],
        },
    ]);

    describeRule("aws-provider-locked-to-environment-account", [
        {
            title: "no account lock, no region",
            change: (rs) => {
                delete awsProvider(rs).inputs.allowedAccountIds;
                delete awsProvider(rs).inputs.region;
            },
            expect: ["AWS provider 'tracing-aws' allows accounts []; set allowedAccountIds to exactly the environment's account.", "AWS provider 'tracing-aws' does not pin a region."],
        },
        {
            title: "the dev account and region in prod",
            change: (rs) => Object.assign(awsProvider(rs).inputs, { allowedAccountIds: JSON.stringify(["111111111111"]), region: "eu-central-1" }),
            expect: [
                "AWS provider 'tracing-aws' is locked to account 111111111111, not the prod account 333333333333.",
                "AWS provider 'tracing-aws' uses region eu-central-1, not one of eu-west-1.",
            ],
        },
        {
            title: "two accounts (given as a real list, not a JSON string)",
            change: (rs) => (awsProvider(rs).inputs.allowedAccountIds = ["333333333333", "111111111111"]),
            expect: ["AWS provider 'tracing-aws' allows accounts [333333333333, 111111111111]; set allowedAccountIds to exactly the environment's account."],
        },
    ]);

    it("aws-provider-locked-to-environment-account refuses the prod policy config on the dev stack", async () => {
        const dev = edited(() => undefined, "dev");
        assert.deepStrictEqual(await messages("aws-provider-locked-to-environment-account", dev, "prod"), [
            "AWS provider 'tracing-aws' is locked to account 111111111111, not the prod account 333333333333.",
            "AWS provider 'tracing-aws' uses region eu-central-1, not one of eu-west-1.",
            "stack 'dev' is checked with the policy config for 'prod'; use policies/config.dev.json.",
        ]);
    });

    describeRule("aws-environment-tags-match-stack", [
        {
            title: "default tags missing owner and tagging dev; a resource claiming dev",
            change: (rs) => {
                const tags = JSON.parse(awsProvider(rs).inputs.defaultTags);
                delete tags.tags.owner;
                tags.tags.environment = "dev";
                awsProvider(rs).inputs.defaultTags = JSON.stringify(tags);
                named(rs, "tracing-traces").inputs.tags = { environment: "dev" };
            },
            expect: [
                "AWS provider 'tracing-aws' defaultTags lack owner.",
                "AWS provider 'tracing-aws' tags resources environment=dev in stack 'prod'.",
                "'tracing-traces' is tagged environment=dev in stack 'prod'.",
            ],
        },
        {
            title: "no default tags at all",
            change: (rs) => delete awsProvider(rs).inputs.defaultTags,
            expect: ["AWS provider 'tracing-aws' defaultTags lack environment, system, owner, cost-center, data-classification."],
        },
    ]);

    describeRule("aws-arns-stay-in-environment-account", [
        {
            title: "prod's Tempo role reading a dev key, prod's trail encrypting with a dev key",
            change: (rs) => {
                const policy = named(rs, "tracing-tempo-storage");
                policy.inputs.policy = policy.inputs.policy.replace(":333333333333:key/", ":111111111111:key/");
                named(rs, "tracing-audit-trail").inputs.kmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/dev-audit";
            },
            expect: [
                "'tracing-tempo-storage' refers to resources in account 111111111111, outside the environment's account 333333333333.",
                "'tracing-audit-trail' refers to resources in account 111111111111, outside the environment's account 333333333333.",
            ],
        },
        {
            title: "a third account nobody declared trusted",
            change: (rs) => (named(rs, "tracing-audit-trail").inputs.kmsKeyId = "arn:aws:kms:eu-west-1:444444444444:key/archive"),
            expect: ["'tracing-audit-trail' refers to resources in account 444444444444, outside the environment's account 333333333333."],
        },
    ]);

    it("aws-arns-stay-in-environment-account accepts accounts trusted in the config, and falls back to the provider's account", async () => {
        const resources = edited((rs) => (named(rs, "tracing-audit-trail").inputs.kmsKeyId = "arn:aws:kms:eu-west-1:444444444444:key/archive"));
        assert.deepStrictEqual(await messages("aws-arns-stay-in-environment-account", resources, "prod", { "aws-arns-stay-in-environment-account": { trustedAccountIds: ["444444444444"] } }), []);
        const foreign = edited((rs) => (named(rs, "tracing-audit-trail").inputs.kmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/dev"));
        assert.deepStrictEqual(await messages("aws-arns-stay-in-environment-account", foreign, "prod", {}), [
            "'tracing-audit-trail' refers to resources in account 111111111111, outside the environment's account 333333333333.",
        ]);
    });

    describeRule("kubernetes-provider-pinned-to-cluster", [
        {
            title: "the shell's current context",
            change: (rs) => delete kubernetesProvider(rs).inputs.kubeconfig,
            expect: ["Kubernetes provider 'tracing-kubernetes' names neither context nor kubeconfig, so it deploys to whatever cluster the shell points at."],
        },
        {
            title: "the dev cluster from prod, by context",
            change: (rs) => Object.assign(kubernetesProvider(rs).inputs, { kubeconfig: undefined, context: "arn:aws:eks:eu-central-1:111111111111:cluster/apps-dev" }),
            expect: ["Kubernetes provider 'tracing-kubernetes' targets a cluster in account 111111111111, not the environment's account 333333333333."],
        },
        {
            title: "the dev cluster from prod, by kubeconfig",
            change: (rs) => {
                const dev = "arn:aws:eks:eu-central-1:111111111111:cluster/apps-dev";
                kubernetesProvider(rs).inputs.kubeconfig = eksKubeconfig({ name: "apps-dev", arn: dev, endpoint: "https://dev.example", certificateAuthorityData: "TU9DSw==", region: "eu-central-1" });
            },
            expect: ["Kubernetes provider 'tracing-kubernetes' targets a cluster in account 111111111111, not the environment's account 333333333333."],
        },
        {
            title: "a kubeconfig with a static token",
            change: (rs) => {
                const kubeconfig = JSON.parse(kubernetesProvider(rs).inputs.kubeconfig);
                kubeconfig.users[0].user = { token: "k8s-aws-v1.abc" };
                kubernetesProvider(rs).inputs.kubeconfig = JSON.stringify(kubeconfig);
            },
            expect: ["Kubernetes provider 'tracing-kubernetes' kubeconfig user 'arn:aws:eks:eu-west-1:333333333333:cluster/apps-prod' carries static credentials (token); use exec authentication."],
        },
    ]);

    describeRule("kubernetes-objects-labelled-with-environment", [
        {
            title: "a namespace without the label, a workload claiming dev",
            change: (rs) => {
                delete rs.find((r) => r.type === "kubernetes:core/v1:Namespace")!.inputs.metadata.labels.environment;
                rs.find((r) => r.type === "kubernetes:apps/v1:Deployment")!.inputs.metadata.labels.environment = "dev";
            },
            expect: ["namespace 'tracing-collectors' has no environment label.", "Deployment 'otel-gateway' is labelled environment=dev in stack 'prod'."],
        },
    ]);
});
