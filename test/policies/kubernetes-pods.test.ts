import * as assert from "assert";
import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, edited, gatewayContainer, gatewayDeployment, gatewayLabel, gatewayPod, grafanaDeployment, runRule } from "./helpers";

/**
 * Adds a log agent DaemonSet (a copy of the golden gateway's pod, as the program's collectors share
 * it) reading the node's pod logs through `mount`; returns its pod spec.
 */
function addLogReader(
    rs: EditableResource[],
    volume: Record<string, any>,
    mount: Record<string, any>,
    name = "otel-log-agent",
    namespace = "tracing-node-logs",
): Record<string, any> {
    const agent = structuredClone(gatewayDeployment(rs));
    Object.assign(agent, { type: "kubernetes:apps/v1:DaemonSet", name: `${name}-daemonset`, urn: agent.urn.replace(/Deployment::[^:]+$/, `DaemonSet::${name}-daemonset`) });
    Object.assign(agent.inputs, { kind: "DaemonSet", metadata: { ...agent.inputs.metadata, name, namespace } });
    delete agent.inputs.spec.replicas;
    const spec = agent.inputs.spec.template.spec;
    spec.volumes.push(volume);
    spec.containers[0].volumeMounts = [...(spec.containers[0].volumeMounts ?? []), mount];
    rs.push(agent);
    return spec;
}
const podLogs = { name: "pod-logs", hostPath: { path: "/var/log/pods", type: "Directory" } };
const agentLabel = "DaemonSet 'tracing-node-logs/otel-log-agent'";

describe("policies: Kubernetes workloads", () => {
    describeRule("kubernetes-pods-run-as-non-root", [
        {
            title: "no runAsNonRoot anywhere, UID 0 on the pod",
            change: (rs) => {
                gatewayPod(rs).securityContext = { runAsUser: 0 };
                delete gatewayContainer(rs).securityContext.runAsNonRoot;
            },
            expect: [`${gatewayLabel} sets runAsUser 0 for the pod; use a non-zero UID.`, `${gatewayLabel} container 'main' may run as root; set runAsNonRoot: true.`],
        },
        {
            title: "a container overriding the pod with runAsNonRoot false and UID 0",
            change: (rs) => Object.assign(gatewayContainer(rs).securityContext, { runAsNonRoot: false, runAsUser: 0 }),
            expect: [`${gatewayLabel} container 'main' may run as root; set runAsNonRoot: true.`, `${gatewayLabel} container 'main' runs as UID 0; use a non-zero runAsUser.`],
        },
        {
            title: "compliant: an init container inheriting the pod's non-root setting",
            change: (rs) => (gatewayPod(rs).initContainers = [{ ...structuredClone(gatewayContainer(rs)), name: "init", securityContext: { ...gatewayContainer(rs).securityContext, runAsNonRoot: undefined } }]),
            expect: [],
        },
    ]);

    describeRule("kubernetes-containers-no-privilege-escalation", [
        {
            title: "escalation not forbidden, privileged init container",
            change: (rs) => {
                delete gatewayContainer(rs).securityContext.allowPrivilegeEscalation;
                gatewayPod(rs).initContainers = [{ ...structuredClone(gatewayContainer(rs)), name: "setup", securityContext: { ...gatewayContainer(rs).securityContext, allowPrivilegeEscalation: false, privileged: true } }];
            },
            expect: [`${gatewayLabel} container 'main' does not set allowPrivilegeEscalation: false.`, `${gatewayLabel} init container 'setup' is privileged.`],
        },
    ]);

    describeRule("kubernetes-containers-drop-all-capabilities", [
        {
            title: "nothing dropped, NET_ADMIN added",
            change: (rs) => (gatewayContainer(rs).securityContext.capabilities = { add: ["NET_ADMIN"] }),
            expect: [`${gatewayLabel} container 'main' does not drop ALL capabilities.`, `${gatewayLabel} container 'main' adds capabilities NET_ADMIN.`],
        },
        { title: "compliant: NET_BIND_SERVICE added back", change: (rs) => (gatewayContainer(rs).securityContext.capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] }), expect: [] },
    ]);

    describeRule("kubernetes-pods-seccomp-runtime-default", [
        {
            title: "no profile anywhere",
            change: (rs) => delete gatewayPod(rs).securityContext.seccompProfile,
            expect: [`${gatewayLabel} container 'main' runs with seccomp profile 'unset'; use RuntimeDefault.`],
        },
        {
            title: "a container opting out with Unconfined",
            change: (rs) => (gatewayContainer(rs).securityContext.seccompProfile = { type: "Unconfined" }),
            expect: [`${gatewayLabel} container 'main' runs with seccomp profile 'Unconfined'; use RuntimeDefault.`],
        },
        {
            title: "compliant: a Localhost profile per container",
            change: (rs) => {
                delete gatewayPod(rs).securityContext.seccompProfile;
                gatewayContainer(rs).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/otel.json" };
            },
            expect: [],
        },
    ]);

    describeRule("kubernetes-pods-no-host-access", [
        {
            title: "host network and PID, a host port, a hostPath volume",
            change: (rs) => {
                Object.assign(gatewayPod(rs), { hostNetwork: true, hostPID: true });
                gatewayContainer(rs).ports = [{ containerPort: 4317, hostPort: 4317 }];
                gatewayPod(rs).volumes.push({ name: "varlog", hostPath: { path: "/var/log" } });
            },
            expect: [
                `${gatewayLabel} sets hostNetwork: true.`,
                `${gatewayLabel} sets hostPID: true.`,
                `${gatewayLabel} container 'main' binds host port 4317.`,
                `${gatewayLabel} volume 'varlog' is of type hostPath; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret.`,
            ],
        },
        {
            title: "compliant: the log agent DaemonSet mounting the node's pod logs read-only",
            change: (rs) => void addLogReader(rs, podLogs, { name: "pod-logs", mountPath: "/var/log/pods", readOnly: true }),
            expect: [],
        },
        {
            title: "the log agent DaemonSet mounting the pod logs writable, or another host path",
            change: (rs) => {
                const spec = addLogReader(rs, podLogs, { name: "pod-logs", mountPath: "/var/log/pods" });
                spec.volumes.push({ name: "varlog", hostPath: { path: "/var/log" } }, { name: "escape", hostPath: { path: "/var/log/pods/../../../etc" } });
                spec.containers[0].volumeMounts.push({ name: "varlog", mountPath: "/var/log", readOnly: true }, { name: "escape", mountPath: "/host-etc", readOnly: true });
            },
            expect: [
                `${agentLabel} volume 'pod-logs' mounts /var/log/pods writable at /var/log/pods; set readOnly: true.`,
                `${agentLabel} volume 'varlog' mounts host path '/var/log'; only /var/log/pods (read-only) is admitted.`,
                `${agentLabel} volume 'escape' mounts host path '/var/log/pods/../../../etc'; only /var/log/pods (read-only) is admitted.`,
            ],
        },
        {
            title: "the pod logs read-only, but in any other workload (the gateway, a DaemonSet of another name, the log agent's name in another namespace)",
            change: (rs) => {
                addLogReader(rs, podLogs, { name: "pod-logs", mountPath: "/var/log/pods", readOnly: true }, "log-shipper");
                addLogReader(rs, podLogs, { name: "pod-logs", mountPath: "/var/log/pods", readOnly: true }, "otel-log-agent", "tracing-collectors");
                gatewayPod(rs).volumes.push(podLogs);
                gatewayContainer(rs).volumeMounts.push({ name: "pod-logs", mountPath: "/var/log/pods", readOnly: true });
            },
            expect: [
                `${gatewayLabel} volume 'pod-logs' is of type hostPath; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret.`,
                `DaemonSet 'tracing-node-logs/log-shipper' volume 'pod-logs' is of type hostPath; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret.`,
                `DaemonSet 'tracing-collectors/otel-log-agent' volume 'pod-logs' is of type hostPath; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret.`,
            ],
        },
    ]);

    describeRule("kubernetes-containers-read-only-root-filesystem", [
        { title: "writable root", change: (rs) => delete gatewayContainer(rs).securityContext.readOnlyRootFilesystem, expect: [`${gatewayLabel} container 'main' has a writable root filesystem; set readOnlyRootFilesystem: true.`] },
    ]);

    describeRule("kubernetes-containers-resources-bounded", [
        {
            title: "no CPU limit, no memory request",
            change: (rs) => {
                delete gatewayContainer(rs).resources.limits.cpu;
                delete gatewayContainer(rs).resources.requests.memory;
            },
            expect: [`${gatewayLabel} container 'main' has no requests.memory, limits.cpu.`],
        },
        {
            title: "compliant: an ephemeral debug container (which cannot have resources)",
            change: (rs) => (gatewayPod(rs).ephemeralContainers = [{ name: "debug", image: gatewayContainer(rs).image, securityContext: gatewayContainer(rs).securityContext }]),
            expect: [],
        },
    ]);

    describeRule("kubernetes-images-pinned-to-version", [
        {
            title: "an untagged image and :latest (even with a digest)",
            change: (rs) => {
                gatewayContainer(rs).image = "docker.io/grafana/grafana";
                grafanaDeployment(rs).inputs.spec.template.spec.containers[0].image = `registry.example.com:5000/grafana/grafana:latest@sha256:${"a".repeat(64)}`;
            },
            expect: [
                `${gatewayLabel} container 'main' image 'docker.io/grafana/grafana' is not pinned to a version tag.`,
                `Deployment 'tracing-grafana/grafana' container 'main' image 'registry.example.com:5000/grafana/grafana:latest@sha256:${"a".repeat(64)}' is not pinned to a version tag.`,
            ],
        },
    ]);

    describeRule("kubernetes-images-pinned-by-digest", [
        {
            title: "a tag without a digest; a truncated digest",
            change: (rs) => {
                gatewayContainer(rs).image = "ghcr.io/open-telemetry/collector:0.165.0";
                grafanaDeployment(rs).inputs.spec.template.spec.containers[0].image = "docker.io/grafana/grafana:13.2.3@sha256:abc";
            },
            expect: [
                `${gatewayLabel} container 'main' image 'ghcr.io/open-telemetry/collector:0.165.0' is not pinned by a sha256 digest.`,
                "Deployment 'tracing-grafana/grafana' container 'main' image 'docker.io/grafana/grafana:13.2.3@sha256:abc' is not pinned by a sha256 digest.",
            ],
        },
    ]);

    it("kubernetes-images-pinned-by-digest is advisory in dev and mandatory in prod", async () => {
        for (const [stack, level] of [["dev", "advisory"], ["prod", "mandatory"]] as const) {
            const resources = edited((rs) => (gatewayContainer(rs).image = "ghcr.io/open-telemetry/collector:0.165.0"), stack);
            const result = await runRule("kubernetes-images-pinned-by-digest", resources, stack);
            assert.deepStrictEqual(result.violations.map((v) => v.enforcementLevel), [level]);
        }
    });
});
