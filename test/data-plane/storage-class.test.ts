/**
 * The platform's StorageClass as the program records it for dev and prod, and the claims that use
 * it. The rules encoded:
 * - kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md: the provisioner is `ebs.csi.aws.com`;
 *   `encrypted` is the string "true"; `kmsKeyId` is the key's full ARN (without it EBS uses the
 *   account's default key, aws/ebs); `type` gp3. docs/tagging.md: `tagSpecification_<n>` =
 *   "key=value" tags each volume.
 * - Kubernetes docs, concepts/storage/storage-classes: volumeBindingMode WaitForFirstConsumer
 *   (an EBS volume lives in one zone, so the pod's scheduling decides it), reclaimPolicy (Retain
 *   keeps the volume when its claim is deleted), allowVolumeExpansion (claims may grow).
 * What the trace key's policy lets EBS do with the key is in ebs-key-access.test.ts.
 */
import { strict as assert } from "assert";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { storageClassName } from "../../components/platform/names";
import { kubernetesObjects, type RecordedResource, type StackRecording } from "../harness/program";
import { dependencyOfType, validateKubernetesObjects } from "../harness/recorded";
import { keyWithAlias, types } from "./checks";
import { describeEachStack } from "./stack";

/** Every volume claim of a recording: PersistentVolumeClaims and StatefulSet volumeClaimTemplates. */
function claims(recording: StackRecording): { owner: RecordedResource; label: string; spec: any }[] {
    const standalone = kubernetesObjects(recording, "core/v1", "PersistentVolumeClaim").map((claim) => ({
        owner: claim,
        label: `PersistentVolumeClaim ${claim.inputs.metadata.name}`,
        spec: claim.inputs.spec,
    }));
    const templates = kubernetesObjects(recording, "apps/v1", "StatefulSet").flatMap((set) =>
        (set.inputs.spec.volumeClaimTemplates ?? []).map((template: any) => ({
            owner: set,
            label: `StatefulSet ${set.inputs.metadata.name} claim ${template.metadata.name}`,
            spec: template.spec,
        })),
    );
    return [...standalone, ...templates];
}

describeEachStack(({ s, stackName }) => {
    describe("encrypted StorageClass", () => {
        it("is the program's own gp3 class of the EBS CSI driver, encrypted with the trace key's ARN", () => {
            const classes = kubernetesObjects(s.rec, "storage.k8s.io/v1", "StorageClass");
            assert.equal(classes.length, 1, "exactly one StorageClass");
            const [storageClass] = classes;
            const { metadata, provisioner, parameters } = storageClass.inputs;
            assert.equal(metadata.name, `tracing-${s.settings.environment}-gp3-encrypted`);
            assert.equal(metadata.labels.environment, s.settings.environment);
            assert.equal(provisioner, "ebs.csi.aws.com");
            assert.equal(parameters.type, "gp3");
            assert.equal(parameters.encrypted, "true", "EBS CSI reads the string \"true\"");
            const traceKey = keyWithAlias(s.rec, s.names.traceKeyAlias);
            assert.equal(dependencyOfType(s.rec, storageClass, "parameters", types.key).urn, traceKey.urn, "kmsKeyId comes from the trace key");
            assert.equal(parameters.kmsKeyId, `arn:aws:kms:${s.settings.aws.region}:${s.settings.aws.accountId}:key/${traceKey.name}-id`, "the full key ARN, not an alias or id");
            assert.equal(validateKubernetesObjects(s.rec, "storage.k8s.io/v1", "StorageClass", StorageClass), 1);
        });

        it("binds in the pod's zone, can grow, and keeps prod's volumes when their claims go", () => {
            const [storageClass] = kubernetesObjects(s.rec, "storage.k8s.io/v1", "StorageClass");
            assert.equal(storageClass.inputs.volumeBindingMode, "WaitForFirstConsumer");
            assert.equal(storageClass.inputs.allowVolumeExpansion, true);
            assert.equal(storageClass.inputs.reclaimPolicy, stackName === "prod" ? "Retain" : "Delete");
        });

        it("tags every volume with the stack's tags", () => {
            const [storageClass] = kubernetesObjects(s.rec, "storage.k8s.io/v1", "StorageClass");
            const tags = Object.entries(storageClass.inputs.parameters as Record<string, string>)
                .filter(([key]) => key.startsWith("tagSpecification_"))
                .map(([, value]) => value.split("="));
            assert.deepEqual(Object.fromEntries(tags), s.settings.tags);
        });

        it("is the class of every claim in the stack, and exists before them", () => {
            const [storageClass] = kubernetesObjects(s.rec, "storage.k8s.io/v1", "StorageClass");
            const found = claims(s.rec);
            // Gateway queues, Grafana's database, and Tempo: the monolith's volume or the live-stores' and block-builders'.
            assert.equal(found.length, stackName === "prod" ? 4 : 3, found.map((c) => c.label).join(", "));
            for (const claim of found) {
                assert.equal(claim.spec.storageClassName, storageClassName(stackName), `${claim.label} names the encrypted class`);
                assert.ok(claim.owner.dependencies.includes(storageClass.urn), `${claim.label} waits for the StorageClass`);
            }
        });
    });
});
