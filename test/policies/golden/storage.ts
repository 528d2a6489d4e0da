/**
 * The golden stack's persistent storage: the platform's encrypted StorageClass (EBS CSI, gp3,
 * kmsKeyId from the trace key) and a claim that uses it, as the real program records them.
 */
import { ebsCsiProvisioner, namespaces, standardLabels, storageClassName, workloads } from "../../../components/platform/names";
import type { RecordedResource } from "../../harness/recording";
import type { GoldenTraceStore } from "./aws";
import type { StackBuilder } from "./builder";

export function addStorage(b: StackBuilder, kubernetes: RecordedResource, traceStore: GoldenTraceStore): void {
    const stack = b.stack;
    const storageClass = b.add(
        "kubernetes:storage.k8s.io/v1:StorageClass",
        "tracing-storage-class",
        {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: storageClassName(stack), labels: standardLabels("storage", stack) },
            provisioner: ebsCsiProvisioner,
            parameters: { type: "gp3", encrypted: "true", kmsKeyId: traceStore.keyArn },
            volumeBindingMode: "WaitForFirstConsumer",
            reclaimPolicy: stack === "prod" ? "Retain" : "Delete",
            allowVolumeExpansion: true,
        },
        { provider: kubernetes, from: { parameters: [traceStore.key] } },
    );
    b.add(
        "kubernetes:core/v1:PersistentVolumeClaim",
        "grafana-data",
        {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: { name: "grafana-data", namespace: namespaces.grafana, labels: standardLabels(workloads.grafana.name, stack) },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: storageClassName(stack), resources: { requests: { storage: "10Gi" } } },
        },
        { provider: kubernetes, from: { spec: [storageClass] } },
    );
}
