/**
 * Ordering the engine cannot infer: EKS Pod Identity injects AWS credentials when a pod is admitted
 * (the eks-pod-identity-webhook mutates pods at creation; EKS user guide, "Assign an IAM role to a
 * Kubernetes service account": "pods that are already running ... need to be restarted"), so a
 * workload created before its association runs without credentials until someone restarts it.
 * Each AWS-calling workload's component must therefore depend on its own association; Pulumi
 * registers a component's children only after the component, which waits for its dependsOn.
 */
import { strict as assert } from "assert";
import { workloads } from "../../components/platform/names";
import { kubernetesObjects, oneOfType, shippedStacks, stackRecording, byUrn, type RecordedResource, type StackRecording } from "../harness/program";

const associationType = "aws:eks/podIdentityAssociation:PodIdentityAssociation";

/** The component that owns each AWS-calling workload's pods. */
const owners = [
    { workload: "tempo", component: "tracing:tempo:Tempo" },
    { workload: "grafana", component: "tracing:grafana:Grafana" },
    { workload: "gateway", component: "tracing:collectors:CollectorFleet" },
] as const;

function podTemplatesUnder(recording: StackRecording, component: RecordedResource): RecordedResource[] {
    const underComponent = (r: RecordedResource): boolean => {
        for (let parent = r.parent; parent; parent = byUrn(recording, parent)?.parent) if (parent === component.urn) return true;
        return false;
    };
    return [...kubernetesObjects(recording, "apps/v1", "Deployment"), ...kubernetesObjects(recording, "apps/v1", "StatefulSet")].filter(underComponent);
}

describe("Pod Identity: workloads are created only after their association", () => {
    for (const stack of shippedStacks) {
        for (const { workload, component } of owners) {
            it(`${stack}: ${component} depends on the ${workload} association, which binds the service account its pods run as`, async () => {
                const recording = await stackRecording(stack);
                const { namespace, serviceAccount } = workloads[workload];
                const association = recording.resources.find(
                    (r) => r.type === associationType && r.inputs.namespace === namespace && r.inputs.serviceAccount === serviceAccount,
                );
                assert.ok(association, `no Pod Identity association for ${namespace}/${serviceAccount}`);
                const owner = oneOfType(recording, component);
                assert.ok(owner.dependencies.includes(association.urn), `${component} does not wait for ${association.name}`);
                const pods = podTemplatesUnder(recording, owner).filter((r) => r.inputs.spec.template.spec.serviceAccountName === serviceAccount);
                assert.ok(pods.length >= 1, `no workload of ${component} runs as ${serviceAccount}`);
                for (const pod of pods) assert.equal(pod.inputs.metadata.namespace, namespace);
            });
        }
    }
});
