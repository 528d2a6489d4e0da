/**
 * Every pod's share of its node's root disk. The platform runs on the cluster's nodes as they are,
 * and an EKS managed node group's root volume is 20 GiB unless someone chose otherwise (EKS API
 * reference, CreateNodegroup `diskSize`: "The default disk size is 20 GiB for Linux"). Of that:
 * - the kubelet evicts pods when the node filesystem has less than 10% free or the image
 *   filesystem less than 15% (Kubernetes docs, concepts/scheduling-eviction/node-pressure-eviction,
 *   default hard eviction thresholds); on EKS AMIs images live on the root volume, so about 3 GiB
 *   must stay free;
 * - the EKS AMI reserves 1 GiB of ephemeral storage for the kubelet and runtime (amazon-eks-ami
 *   kubelet config, kubeReserved `ephemeral-storage: 1Gi`);
 * - the OS and the container images (the platform's collector, Tempo and Grafana images, plus the
 *   CNI, kube-proxy and EBS CSI node pods) take several GiB more that the scheduler never counts.
 * That leaves roughly 10 GiB for the ephemeral storage of all pods on a node, which can hold an
 * agent, a gateway and several Tempo pods at once: so no pod may ask for (ephemeral-storage
 * requests) or be allowed to write (emptyDir sizeLimits) more than 1 GiB. Anything larger belongs
 * on a persistent volume. An emptyDir without a sizeLimit is bounded only by the node's disk.
 */
import { strict as assert } from "assert";
import { shippedStacks, stackRecording, type StackRecording } from "../harness/program";

/** The most node root disk one pod may claim, in bytes. */
const podBudgetBytes = 2 ** 30;

const workloadTypes = ["apps/v1:Deployment", "apps/v1:StatefulSet", "apps/v1:DaemonSet", "batch/v1:Job"].map((t) => `kubernetes:${t}`);

const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimalSuffixes: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes storage quantity ("256Mi", "1Gi", "500M") in bytes. */
function bytes(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
    assert.ok(match, `unparseable quantity ${quantity}`);
    const unit = match[2] ?? "";
    return Number(match[1]) * (binarySuffixes[unit] ?? decimalSuffixes[unit]);
}

function pods(recording: StackRecording) {
    return recording.resources
        .filter((r) => workloadTypes.includes(r.type))
        .map((r) => ({ label: `${r.inputs.kind} ${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`, spec: r.inputs.spec.template.spec }));
}

describe("node root disk: every pod fits a default 20 GiB EKS node volume", () => {
    it("parses quantities the way Kubernetes writes them", () => {
        assert.equal(bytes("256Mi"), 256 * 2 ** 20);
        assert.equal(bytes("1Gi"), podBudgetBytes);
        assert.equal(bytes("500M"), 5e8);
        assert.equal(bytes("20Gi") > podBudgetBytes, true);
    });

    for (const stack of shippedStacks) {
        describe(stack, () => {
            it("every emptyDir has a sizeLimit, and a pod's emptyDirs together stay within 1 GiB", async () => {
                const found = pods(await stackRecording(stack));
                assert.ok(found.length >= 4);
                for (const pod of found) {
                    const emptyDirs = (pod.spec.volumes ?? []).filter((v: any) => v.emptyDir);
                    for (const volume of emptyDirs) assert.ok(volume.emptyDir.sizeLimit, `${pod.label}: emptyDir '${volume.name}' has no sizeLimit`);
                    const total = emptyDirs.reduce((sum: number, v: any) => sum + bytes(v.emptyDir.sizeLimit), 0);
                    assert.ok(total <= podBudgetBytes, `${pod.label}: emptyDirs may fill ${total / 2 ** 30} GiB of the node's root disk`);
                }
            });

            it("no pod requests or is limited to more than 1 GiB of ephemeral storage", async () => {
                for (const pod of pods(await stackRecording(stack))) {
                    const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
                    for (const side of ["requests", "limits"] as const) {
                        const total = containers.reduce((sum: number, c: any) => {
                            const quantity = c.resources?.[side]?.["ephemeral-storage"];
                            return sum + (quantity ? bytes(quantity) : 0);
                        }, 0);
                        assert.ok(total <= podBudgetBytes, `${pod.label}: ephemeral-storage ${side} of ${total / 2 ** 30} GiB do not fit the node's root disk`);
                    }
                }
            });
        });
    }
});
