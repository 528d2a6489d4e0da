import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ebsCsiProvisioner, standardLabels, storageClassName } from "../platform/names";

export interface EncryptedStorageClassArgs {
    /** Environment name: part of the class name, and its label. */
    readonly environment: string;
    /** ARN of the customer managed key EBS encrypts the volumes with (its policy must admit EBS through EC2). */
    readonly keyArn: pulumi.Input<string>;
    /** Keep a volume (and its data) when its claim is deleted (prod), rather than delete it with the claim. */
    readonly retainVolumes: boolean;
    /** Tags every provisioned EBS volume carries, as the AWS resources of the stack do. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The StorageClass every platform volume comes from: gp3 EBS volumes encrypted with the platform's
 * customer managed key, provisioned by the EBS CSI driver. Parameters per aws-ebs-csi-driver
 * docs/parameters.md: `encrypted` must be the string "true" and `kmsKeyId` the key's full ARN
 * (without it EBS falls back to the account's default key, aws/ebs); `tagSpecification_<n>` tags
 * the volume (docs/tagging.md). WaitForFirstConsumer creates each volume in the zone the scheduler
 * picked for its pod (an EBS volume attaches only in its own zone; Kubernetes docs, "Storage
 * Classes", Volume Binding Mode). Kubernetes never changes a class in place (parameters,
 * provisioner, reclaim policy and binding mode are immutable), so a change replaces it; existing
 * volumes keep what they were created with.
 */
export class EncryptedStorageClass extends pulumi.ComponentResource {
    public readonly storageClass: k8s.storage.v1.StorageClass;
    /** The class name claims set as storageClassName (an output, so claims wait for the class). */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: EncryptedStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:kubernetes:EncryptedStorageClass", name, args, opts);
        const tagParameters = Object.fromEntries(Object.entries(args.tags).map(([key, value], i) => [`tagSpecification_${i + 1}`, `${key}=${value}`]));

        this.storageClass = new k8s.storage.v1.StorageClass(
            `${name}-storage-class`,
            {
                metadata: { name: storageClassName(args.environment), labels: standardLabels("storage", args.environment, "encrypted-volumes") },
                provisioner: ebsCsiProvisioner,
                parameters: { type: "gp3", encrypted: "true", kmsKeyId: args.keyArn, ...tagParameters },
                volumeBindingMode: "WaitForFirstConsumer",
                // Retain: deleting a claim in prod releases its volume but keeps the data for an operator to recover.
                reclaimPolicy: args.retainVolumes ? "Retain" : "Delete",
                allowVolumeExpansion: true,
            },
            { parent: this },
        );
        this.name = this.storageClass.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
