import * as fs from "fs";
import * as path from "path";
import * as aws from "../platform/aws";
import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { grafanaImageContext, grafanaImagePlatform, grafanaImageTag, untaggedImageExpiryDays } from "./image-tag";
import { amazonPrometheusPlugin } from "./ini";

export interface GrafanaImageArgs {
    /** Name of the private ECR repository (awsResourceNames().grafanaImageRepository). */
    readonly repositoryName: pulumi.Input<string>;
    /** ARN of the platform KMS key that encrypts the repository's images. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The stack's pinned Grafana image the plugin is added to (settings.images.grafana.reference). */
    readonly baseImage: pulumi.Input<string>;
    /** Grafana's version (the base image's tag), the first part of the pushed tag. */
    readonly grafanaVersion: pulumi.Input<string>;
}

/**
 * Grafana's image with the Amazon Managed Service for Prometheus plugin baked in, so Grafana never
 * downloads a plugin at run time. Built with BuildKit (the download verified against the pinned
 * checksum) and pushed to a private ECR repository: KMS-encrypted with a platform key, tags
 * immutable, every push scanned, untagged leftovers expired. `ref` pins the pushed image by digest.
 *
 * Previews do not build (no Docker needed to preview); `pulumi up` needs a BuildKit builder.
 */
export class GrafanaImage extends pulumi.ComponentResource {
    public readonly repository: aws.ecr.Repository;
    public readonly image: dockerBuild.Image;
    /** `<repository>:<tag>@sha256:<digest>`: what the Deployment runs (the kubelet pulls by the digest). */
    public readonly ref: pulumi.Output<string>;

    constructor(name: string, args: GrafanaImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:grafana:GrafanaImage", name, args, opts);

        this.repository = new aws.ecr.Repository(
            `${name}-repository`,
            {
                name: args.repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                // Removing the repository must not silently delete the image Grafana runs.
                forceDelete: false,
            },
            { parent: this },
        );

        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                repository: this.repository.name,
                policy: JSON.stringify({
                    rules: [
                        {
                            rulePriority: 1,
                            description: `Expire untagged images ${untaggedImageExpiryDays} days after push; tagged images stay`,
                            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedImageExpiryDays },
                            action: { type: "expire" },
                        },
                    ],
                }),
            },
            { parent: this },
        );

        const registry = this.repository.repositoryUrl.apply((url) => url.split("/")[0]);
        const token = aws.ecr.getAuthorizationTokenOutput({ registryId: this.repository.registryId }, { parent: this });
        const dockerfile = fs.readFileSync(path.join(grafanaImageContext, "Dockerfile"), "utf8");
        const tag = pulumi
            .all([this.repository.repositoryUrl, args.baseImage, args.grafanaVersion])
            .apply(([url, base, version]) => `${url}:${grafanaImageTag(base, version, dockerfile)}`);

        this.image = new dockerBuild.Image(
            `${name}-build`,
            {
                context: { location: grafanaImageContext },
                platforms: [grafanaImagePlatform],
                buildArgs: {
                    GRAFANA_IMAGE: args.baseImage,
                    PLUGIN_URL: amazonPrometheusPlugin.url,
                    PLUGIN_SHA256: amazonPrometheusPlugin.sha256,
                },
                tags: [tag],
                push: true,
                buildOnPreview: false,
                registries: [{ address: registry, username: token.userName, password: pulumi.secret(token.password) }],
            },
            { parent: this },
        );

        this.ref = pulumi.interpolate`${tag}@${this.image.digest}`;
        this.registerOutputs({ repository: this.repository, image: this.image, ref: this.ref });
    }
}
