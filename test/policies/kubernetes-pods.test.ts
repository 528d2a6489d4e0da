import * as assert from "assert";
import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, edited, kubernetesObject, runRule } from "./helpers";

const gateway = (rs: EditableResource[]) => kubernetesObject(rs, "Deployment", "otel-gateway");
const grafana = (rs: EditableResource[]) => kubernetesObject(rs, "Deployment", "grafana");
const pod = (rs: EditableResource[]) => gateway(rs).inputs.spec.template.spec;
const main = (rs: EditableResource[]) => pod(rs).containers[0];
const owner = "Deployment 'tracing-collectors/otel-gateway'";

describe("policies: Kubernetes workloads", () => {
    describeRule("kubernetes-pods-run-as-non-root", [
        {
            title: "no runAsNonRoot anywhere, UID 0 on the pod",
            change: (rs) => {
                pod(rs).securityContext = { runAsUser: 0 };
                delete main(rs).securityContext.runAsNonRoot;
            },
            expect: [`${owner} sets runAsUser 0 for the pod; use a non-zero UID.`, `${owner} container 'main' may run as root; set runAsNonRoot: true.`],
        },
        {
            title: "a container overriding the pod with runAsNonRoot false and UID 0",
            change: (rs) => Object.assign(main(rs).securityContext, { runAsNonRoot: false, runAsUser: 0 }),
            expect: [`${owner} container 'main' may run as root; set runAsNonRoot: true.`, `${owner} container 'main' runs as UID 0; use a non-zero runAsUser.`],
        },
        {
            title: "compliant: an init container inheriting the pod's non-root setting",
            change: (rs) => (pod(rs).initContainers = [{ ...structuredClone(main(rs)), name: "init", securityContext: { ...main(rs).securityContext, runAsNonRoot: undefined } }]),
            expect: [],
        },
    ]);

    describeRule("kubernetes-containers-no-privilege-escalation", [
        {
            title: "escalation not forbidden, privileged init container",
            change: (rs) => {
                delete main(rs).securityContext.allowPrivilegeEscalation;
                pod(rs).initContainers = [{ ...structuredClone(main(rs)), name: "setup", securityContext: { ...main(rs).securityContext, allowPrivilegeEscalation: false, privileged: true } }];
            },
            expect: [`${owner} container 'main' does not set allowPrivilegeEscalation: false.`, `${owner} init container 'setup' is privileged.`],
        },
    ]);

    describeRule("kubernetes-containers-drop-all-capabilities", [
        {
            title: "nothing dropped, NET_ADMIN added",
            change: (rs) => (main(rs).securityContext.capabilities = { add: ["NET_ADMIN"] }),
            expect: [`${owner} container 'main' does not drop ALL capabilities.`, `${owner} container 'main' adds capabilities NET_ADMIN.`],
        },
        { title: "compliant: NET_BIND_SERVICE added back", change: (rs) => (main(rs).securityContext.capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] }), expect: [] },
    ]);

    describeRule("kubernetes-pods-seccomp-runtime-default", [
        {
            title: "no profile anywhere",
            change: (rs) => delete pod(rs).securityContext.seccompProfile,
            expect: [`${owner} container 'main' runs with seccomp profile 'unset'; use RuntimeDefault.`],
        },
        {
            title: "a container opting out with Unconfined",
            change: (rs) => (main(rs).securityContext.seccompProfile = { type: "Unconfined" }),
            expect: [`${owner} container 'main' runs with seccomp profile 'Unconfined'; use RuntimeDefault.`],
        },
        {
            title: "compliant: a Localhost profile per container",
            change: (rs) => {
                delete pod(rs).securityContext.seccompProfile;
                main(rs).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/otel.json" };
            },
            expect: [],
        },
    ]);

    describeRule("kubernetes-pods-no-host-access", [
        {
            title: "host network and PID, a host port, a hostPath volume",
            change: (rs) => {
                Object.assign(pod(rs), { hostNetwork: true, hostPID: true });
                main(rs).ports = [{ containerPort: 4317, hostPort: 4317 }];
                pod(rs).volumes.push({ name: "varlog", hostPath: { path: "/var/log" } });
            },
            expect: [
                `${owner} sets hostNetwork: true.`,
                `${owner} sets hostPID: true.`,
                `${owner} container 'main' binds host port 4317.`,
                `${owner} volume 'varlog' is of type hostPath; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret.`,
            ],
        },
    ]);

    describeRule("kubernetes-containers-read-only-root-filesystem", [
        { title: "writable root", change: (rs) => delete main(rs).securityContext.readOnlyRootFilesystem, expect: [`${owner} container 'main' has a writable root filesystem; set readOnlyRootFilesystem: true.`] },
    ]);

    describeRule("kubernetes-containers-resources-bounded", [
        {
            title: "no CPU limit, no memory request",
            change: (rs) => {
                delete main(rs).resources.limits.cpu;
                delete main(rs).resources.requests.memory;
            },
            expect: [`${owner} container 'main' has no requests.memory, limits.cpu.`],
        },
        {
            title: "compliant: an ephemeral debug container (which cannot have resources)",
            change: (rs) => (pod(rs).ephemeralContainers = [{ name: "debug", image: main(rs).image, securityContext: main(rs).securityContext }]),
            expect: [],
        },
    ]);

    describeRule("kubernetes-images-pinned-to-version", [
        {
            title: "an untagged image and :latest (even with a digest)",
            change: (rs) => {
                main(rs).image = "docker.io/grafana/grafana";
                grafana(rs).inputs.spec.template.spec.containers[0].image = `registry.example.com:5000/grafana/grafana:latest@sha256:${"a".repeat(64)}`;
            },
            expect: [
                `${owner} container 'main' image 'docker.io/grafana/grafana' is not pinned to a version tag.`,
                `Deployment 'tracing-grafana/grafana' container 'main' image 'registry.example.com:5000/grafana/grafana:latest@sha256:${"a".repeat(64)}' is not pinned to a version tag.`,
            ],
        },
    ]);

    describeRule("kubernetes-images-pinned-by-digest", [
        {
            title: "a tag without a digest; a truncated digest",
            change: (rs) => {
                main(rs).image = "ghcr.io/open-telemetry/collector:0.165.0";
                grafana(rs).inputs.spec.template.spec.containers[0].image = "docker.io/grafana/grafana:13.2.3@sha256:abc";
            },
            expect: [
                `${owner} container 'main' image 'ghcr.io/open-telemetry/collector:0.165.0' is not pinned by a sha256 digest.`,
                "Deployment 'tracing-grafana/grafana' container 'main' image 'docker.io/grafana/grafana:13.2.3@sha256:abc' is not pinned by a sha256 digest.",
            ],
        },
    ]);

    it("kubernetes-images-pinned-by-digest is advisory in dev and mandatory in prod", async () => {
        for (const [stack, level] of [["dev", "advisory"], ["prod", "mandatory"]] as const) {
            const resources = edited((rs) => (main(rs).image = "ghcr.io/open-telemetry/collector:0.165.0"), stack);
            const result = await runRule("kubernetes-images-pinned-by-digest", resources, stack);
            assert.deepStrictEqual(result.violations.map((v) => v.enforcementLevel), [level]);
        }
    });
});
