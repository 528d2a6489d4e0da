import * as aws from "./aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { eksKubeconfig } from "./kubeconfig";
import type { Settings } from "./settings";

export interface ProvidersArgs {
    /** Validated settings of this stack. */
    readonly settings: Settings;
}

/**
 * Explicit AWS and Kubernetes providers for the environment. Default providers are disabled in the
 * stack files, so every resource must name one of these: the AWS provider refuses any account but
 * the environment's own (allowedAccountIds) and tags everything, the Kubernetes provider reaches
 * the environment's cluster through a kubeconfig built from DescribeCluster (so CI needs no
 * kubeconfig of its own, and a stale local context cannot redirect it), the TLS provider generates
 * the environment's keys and certificates locally (nothing leaves the machine running `pulumi up`),
 * the docker-build provider builds images with the BuildKit of the machine running `pulumi up`.
 */
export class Providers extends pulumi.ComponentResource {
    public readonly aws: aws.Provider;
    public readonly kubernetes: k8s.Provider;
    public readonly tls: tls.Provider;
    /** Generates secrets (passwords, keys) in the program; default providers are disabled, so it is explicit too. */
    public readonly random: random.Provider;
    /** Builds and pushes the platform's own images; push credentials come with each image (a short-lived ECR token), not from a docker login. */
    public readonly dockerBuild: dockerBuild.Provider;

    constructor(name: string, args: ProvidersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:platform:Providers", name, args, opts);
        const { settings } = args;
        this.aws = new aws.Provider(
            `${name}-aws`,
            {
                region: settings.aws.region as aws.Region,
                allowedAccountIds: [settings.aws.accountId],
                defaultTags: { tags: { ...settings.tags } },
            },
            { parent: this },
        );
        const cluster = aws.eks.getClusterOutput({ name: settings.cluster.name }, { provider: this.aws, parent: this });
        const kubeconfig = pulumi
            .all([cluster.arn, cluster.endpoint, cluster.certificateAuthorities])
            .apply(([arn, endpoint, authorities]) =>
                eksKubeconfig({ name: settings.cluster.name, arn, endpoint, certificateAuthorityData: authorities[0]?.data ?? "", region: settings.aws.region }),
            );
        this.kubernetes = new k8s.Provider(`${name}-kubernetes`, { kubeconfig, enableServerSideApply: true }, { parent: this });
        this.tls = new tls.Provider(`${name}-tls`, {}, { parent: this });
        this.random = new random.Provider(`${name}-random`, {}, { parent: this });
        this.dockerBuild = new dockerBuild.Provider(`${name}-docker-build`, {}, { parent: this });
        this.registerOutputs({});
    }
}
