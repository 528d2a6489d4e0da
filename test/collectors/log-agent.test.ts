/**
 * The node log shipper as the real program deploys it: a DaemonSet alone in the namespace whose
 * admission is privileged, holding nothing a pod created there by hand could borrow (no AWS role,
 * no API token, no server certificate or salt), hardened like the agent but for the one read-only
 * host mount and group root.
 */
import { strict as assert } from "assert";
import * as yaml from "yaml";
import { DaemonSet } from "kubernetes-models/apps/v1";
import { planCapacity } from "../../components/capacity/plan";
import { collectorPaths } from "../../components/collectors/config";
import { buildLogAgentConfig } from "../../components/collectors/log-agent-config";
import { logOffsetsDir } from "../../components/collectors/platform-logs";
import { configHash, configHashAnnotation, goMemLimit } from "../../components/collectors/pod";
import { namespaces, ports, podSecurityEnforcement, tlsHashAnnotation, tlsSecrets, workloads } from "../../components/platform/names";
import { podLogReader } from "../../policies/rules/lib/pod-logs";
import { kubernetesObject, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { expectedTlsHash, settingsOf } from "../harness/recorded";

const ns = workloads.logAgent.namespace;
const pod = (workload: RecordedResource) => workload.inputs.spec.template.spec;
const container = (workload: RecordedResource) => pod(workload).containers[0];

describe("the log agent's place in the names", () => {
    it("is the policy pack's one pod log reader, alone in the one namespace that enforces privileged", () => {
        assert.deepEqual({ namespace: podLogReader.namespace, name: podLogReader.name }, { namespace: workloads.logAgent.namespace, name: workloads.logAgent.name });
        assert.deepEqual(
            Object.entries(podSecurityEnforcement).filter(([, level]) => level !== "restricted"),
            [["nodeLogs", "privileged"]],
        );
        assert.equal(namespaces.nodeLogs, ns);
        assert.deepEqual(Object.values(workloads).filter((w) => w.namespace === ns).map((w) => w.name), [workloads.logAgent.name]);
    });
});

for (const stack of shippedStacks) {
    describe(`log agent program (${stack})`, () => {
        let recording: StackRecording;
        let daemonSet: RecordedResource;
        let agent: RecordedResource;
        before(async () => {
            recording = await stackRecording(stack);
            daemonSet = kubernetesObject(recording, "apps/v1", "DaemonSet", workloads.logAgent.name, ns);
            agent = kubernetesObject(recording, "apps/v1", "DaemonSet", workloads.agent.name, workloads.agent.namespace);
        });

        it("is a schema-valid DaemonSet of the agents' image, sized by the plan, on every node, rolled by its config hash and the CA bundle", () => {
            assert.doesNotThrow(() => new DaemonSet(daemonSet.inputs).validate());
            const settings = settingsOf(recording);
            const plan = planCapacity(settings);
            assert.equal(container(daemonSet).image, container(agent).image);
            assert.equal(container(daemonSet).image, settings.images.collector.reference);
            assert.deepEqual(container(daemonSet).resources, plan.logAgent.resources);
            assert.equal(container(daemonSet).env.find((e: any) => e.name === "GOMEMLIMIT").value, goMemLimit(plan.logAgent.resources.limits.memory));
            assert.deepEqual(pod(daemonSet).tolerations, pod(agent).tolerations);
            const config = kubernetesObject(recording, "core/v1", "ConfigMap", `${workloads.logAgent.name}-config`, ns).inputs.data["config.yaml"] as string;
            assert.deepEqual(yaml.parse(config), buildLogAgentConfig({ image: settings.images.collector }));
            const annotations = daemonSet.inputs.spec.template.metadata.annotations;
            assert.equal(annotations[configHashAnnotation], configHash(config));
            assert.equal(annotations[tlsHashAnnotation], expectedTlsHash(recording), "an exporter reads its CA bundle only at start-up");
        });

        it("reads /var/log/pods read-only as group root, keeps its offsets on an emptyDir, and is otherwise hardened exactly like the agent", () => {
            const spec = pod(daemonSet);
            const hostPaths = spec.volumes.filter((v: any) => v.hostPath);
            assert.deepEqual(hostPaths, [{ name: "pod-logs", hostPath: { path: "/var/log/pods", type: "Directory" } }]);
            const mounts = container(daemonSet).volumeMounts;
            assert.deepEqual(mounts.filter((m: any) => m.name === "pod-logs"), [{ name: "pod-logs", mountPath: "/var/log/pods", readOnly: true }]);
            const offsets = mounts.find((m: any) => m.mountPath === logOffsetsDir);
            assert.ok(spec.volumes.find((v: any) => v.name === offsets.name).emptyDir, "offsets on an emptyDir");
            const { supplementalGroups, ...podContext } = spec.securityContext;
            assert.deepEqual(supplementalGroups, [0], "containerd writes log files 0640 root:root");
            assert.deepEqual(podContext, pod(agent).securityContext);
            assert.deepEqual(container(daemonSet).securityContext, container(agent).securityContext);
            assert.deepEqual(container(daemonSet).livenessProbe, container(agent).livenessProbe);
            for (const key of ["hostNetwork", "hostPID", "hostIPC"]) assert.ok(!spec[key], key);
        });

        it("holds nothing to borrow: no API token, no AWS role, no server certificate, no salt, no listening OTLP port", () => {
            const spec = pod(daemonSet);
            assert.equal(spec.serviceAccountName, workloads.logAgent.serviceAccount);
            assert.equal(spec.automountServiceAccountToken, false);
            const account = kubernetesObject(recording, "core/v1", "ServiceAccount", workloads.logAgent.serviceAccount, ns);
            assert.equal(account.inputs.automountServiceAccountToken, false);
            const subjects = recording.resources
                .filter((r) => /rbac\.authorization\.k8s\.io\/v1:(Cluster)?RoleBinding$/.test(r.type))
                .flatMap((r) => r.inputs.subjects ?? []);
            assert.ok(!subjects.some((s: any) => s.namespace === ns), "no RBAC binding names the log agent");
            const associations = recording.resources.filter((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation");
            assert.ok(associations.length > 0 && !associations.some((a) => a.inputs.namespace === ns), "no Pod Identity association in the namespace");
            const secrets = spec.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName).sort();
            assert.deepEqual(secrets, [tlsSecrets.logAgentClient.name, tlsSecrets.caBundle].sort());
            assert.deepEqual(container(daemonSet).volumeMounts.filter((m: any) => m.mountPath.startsWith("/tls/")).map((m: any) => m.mountPath).sort(), [collectorPaths.caDir, collectorPaths.clientTlsDir].sort());
            assert.deepEqual(container(daemonSet).ports, [{ name: "health", containerPort: ports.collectorHealth, protocol: "TCP" }]);
            assert.ok(!container(daemonSet).env.some((e: any) => e.valueFrom?.secretKeyRef), "no Secret in its environment");
        });

        it("its namespace holds the DaemonSet alone: its account, config, client certificate, CA bundle and NetworkPolicies, no Service and no other workload", () => {
            const inNamespace = recording.resources.filter((r) => r.type.startsWith("kubernetes:") && r.inputs.metadata?.namespace === ns);
            const kinds = inNamespace.map((r) => `${r.type.split(":")[2]} ${r.inputs.metadata.name}`).sort();
            const policies = inNamespace.filter((r) => r.type.endsWith(":NetworkPolicy")).map((r) => `NetworkPolicy ${r.inputs.metadata.name}`);
            assert.deepEqual(
                kinds,
                [
                    "ConfigMap otel-log-agent-config",
                    "DaemonSet otel-log-agent",
                    ...policies,
                    `Secret ${tlsSecrets.caBundle}`,
                    `Secret ${tlsSecrets.logAgentClient.name}`,
                    "ServiceAccount otel-log-agent",
                ].sort(),
            );
            assert.deepEqual(policies.sort(), ["NetworkPolicy allow-dns", "NetworkPolicy default-deny-all", "NetworkPolicy otel-log-agent"]);
            const certificate = kubernetesObject(recording, "core/v1", "Secret", tlsSecrets.logAgentClient.name, ns);
            assert.equal(certificate.inputs.type, "kubernetes.io/tls");
        });
    });
}
