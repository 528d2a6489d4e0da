/**
 * Kubernetes pods: every container meets the restricted Pod Security Standard, runs with bounded
 * resources and runs an image pinned to a version and a digest.
 */
import { rulesFor } from "./lib/define";
import { containerLabel, containersOf, firstWorkload, podRule, podSpecOf, workloadTypes, type NamedContainer, type PodSpec } from "./lib/kubernetes";
import { ensurePath, mutation, MutationTargetMissing } from "./lib/mutate";
import { isPodLogReader, podLogMountProblem, podLogReader } from "./lib/pod-logs";
import { asList, isRecord, isSet, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

const { resourceRule } = rulesFor("kubernetes-pods");

/** A container's securityContext, created when missing so mutations can set fields on it. */
function containerSecurityContext(container: Record<string, any>): Record<string, any> {
    return ensurePath(container, ["securityContext"]);
}

const pssRestricted = "PSS restricted" as const;

const runAsNonRoot = resourceRule({
    name: "kubernetes-pods-run-as-non-root",
    description:
        "Every container runs as a non-root user: runAsNonRoot true (pod or container level), never runAsUser 0. Fix: set " +
        "securityContext { runAsNonRoot: true, runAsUser/runAsGroup: <non-zero> } on the pod template.",
    severity: "high",
    securityRule: 7,
    controls: [`${pssRestricted}: Running as Non-root`, `${pssRestricted}: Running as Non-root user`, "Checkov CKV_K8S_23", "Checkov CKV_K8S_40", "CIS Kubernetes 5.2.7"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        const pod = spec.securityContext;
        if (pod?.runAsUser === 0) report(`${owner} sets runAsUser 0 for the pod; use a non-zero UID.`);
        for (const entry of containersOf(spec)) {
            const context = entry.container.securityContext;
            if ((context?.runAsNonRoot ?? pod?.runAsNonRoot) !== true) report(`${owner} ${containerLabel(entry)} may run as root; set runAsNonRoot: true.`);
            if (context?.runAsUser === 0) report(`${owner} ${containerLabel(entry)} runs as UID 0; use a non-zero runAsUser.`);
        }
    }),
    violate: mutation("run the first workload's first container as UID 0", (resources) => {
        containerSecurityContext(firstWorkload(resources).container).runAsUser = 0;
    }),
});

const noPrivilegeEscalation = resourceRule({
    name: "kubernetes-containers-no-privilege-escalation",
    description:
        "No container is privileged or can gain privileges (setuid binaries, ptrace). Fix: set securityContext " +
        "{ allowPrivilegeEscalation: false } on every container and never privileged: true.",
    severity: "high",
    securityRule: 7,
    controls: [`${pssRestricted}: Privilege Escalation`, "PSS baseline: Privileged Containers", "Checkov CKV_K8S_20", "Checkov CKV_K8S_16", "CIS Kubernetes 5.2.2", "CIS Kubernetes 5.2.6"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        for (const entry of containersOf(spec)) {
            const context = entry.container.securityContext;
            if (context?.allowPrivilegeEscalation !== false) report(`${owner} ${containerLabel(entry)} does not set allowPrivilegeEscalation: false.`);
            if (context?.privileged === true) report(`${owner} ${containerLabel(entry)} is privileged.`);
        }
    }),
    violate: mutation("allow privilege escalation in the first workload's first container", (resources) => {
        containerSecurityContext(firstWorkload(resources).container).allowPrivilegeEscalation = true;
    }),
});

const dropAllCapabilities = resourceRule({
    name: "kubernetes-containers-drop-all-capabilities",
    description:
        "Every container drops all Linux capabilities and adds back at most NET_BIND_SERVICE. Fix: set securityContext " +
        "{ capabilities: { drop: ['ALL'] } } and remove other added capabilities.",
    severity: "high",
    securityRule: 7,
    controls: [`${pssRestricted}: Capabilities`, "Checkov CKV_K8S_28", "Checkov CKV_K8S_37", "Checkov CKV_K8S_25", "CIS Kubernetes 5.2.8", "CIS Kubernetes 5.2.9", "CIS Kubernetes 5.2.10"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        for (const entry of containersOf(spec)) {
            const capabilities = entry.container.securityContext?.capabilities;
            if (!stringList(capabilities?.drop).some((c) => c.toUpperCase() === "ALL")) report(`${owner} ${containerLabel(entry)} does not drop ALL capabilities.`);
            const added = stringList(capabilities?.add).filter((c) => c.toUpperCase().replace(/^CAP_/, "") !== "NET_BIND_SERVICE");
            if (added.length > 0) report(`${owner} ${containerLabel(entry)} adds capabilities ${added.join(", ")}.`);
        }
    }),
    violate: mutation("add SYS_ADMIN to the first workload's first container", (resources) => {
        containerSecurityContext(firstWorkload(resources).container).capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] };
    }),
});

const allowedSeccompProfiles = ["RuntimeDefault", "Localhost"];

const seccompRuntimeDefault = resourceRule({
    name: "kubernetes-pods-seccomp-runtime-default",
    description:
        "Every container runs under a seccomp profile (RuntimeDefault or a Localhost profile), never Unconfined. Fix: set " +
        "securityContext { seccompProfile: { type: 'RuntimeDefault' } } on the pod template.",
    severity: "medium",
    securityRule: 7,
    controls: [`${pssRestricted}: Seccomp`, "Checkov CKV_K8S_31", "CIS Kubernetes 5.7.2"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        const podProfile = spec.securityContext?.seccompProfile?.type;
        for (const entry of containersOf(spec)) {
            const profile = entry.container.securityContext?.seccompProfile?.type ?? podProfile;
            if (!profile || !allowedSeccompProfiles.includes(profile)) report(`${owner} ${containerLabel(entry)} runs with seccomp profile '${profile ?? "unset"}'; use RuntimeDefault.`);
        }
    }),
    violate: mutation("run the first workload's first container Unconfined", (resources) => {
        containerSecurityContext(firstWorkload(resources).container).seccompProfile = { type: "Unconfined" };
    }),
});

/** Volume types the restricted Pod Security Standard admits. */
const restrictedVolumeTypes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

const noHostAccess = resourceRule({
    name: "kubernetes-pods-no-host-access",
    description:
        "Pods share nothing with the node: no host network, PID or IPC namespace (which bypass NetworkPolicies), no host " +
        `ports, and only restricted volume types (no hostPath), except that the log agent DaemonSet ${podLogReader.namespace}/` +
        `${podLogReader.name} may mount the kubelet's pod log directory ${podLogReader.path} read-only (it ships the platform's own logs). Fix: remove ` +
        "hostNetwork/hostPID/hostIPC, hostPort and hostPath; use Services, emptyDir, ConfigMap/Secret or PVC volumes.",
    severity: "critical",
    securityRule: 2,
    controls: [
        "PSS baseline: Host Namespaces",
        "PSS baseline: HostPath Volumes",
        "PSS baseline: Host Ports",
        `${pssRestricted}: Volume Types`,
        "Checkov CKV_K8S_17",
        "Checkov CKV_K8S_18",
        "Checkov CKV_K8S_19",
        "Checkov CKV_K8S_26",
        "CIS Kubernetes 5.2.3",
        "CIS Kubernetes 5.2.4",
        "CIS Kubernetes 5.2.5",
        "CIS Kubernetes 5.2.12",
        "CIS Kubernetes 5.2.13",
    ],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report, { type, props }) => {
        for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) if (spec[field] === true) report(`${owner} sets ${field}: true.`);
        for (const entry of containersOf(spec)) {
            for (const port of asList(entry.container.ports)) {
                if (typeof port.hostPort === "number" && port.hostPort !== 0) report(`${owner} ${containerLabel(entry)} binds host port ${port.hostPort}.`);
            }
        }
        for (const volume of asList(spec.volumes)) {
            const kinds = Object.keys(volume).filter((key) => key !== "name");
            if (kinds.length === 1 && kinds[0] === "hostPath" && isPodLogReader(type, props)) {
                const problem = podLogMountProblem(spec, volume);
                if (problem) report(`${owner} volume '${volume.name}' ${problem}.`);
                continue;
            }
            const forbidden = kinds.filter((kind) => !restrictedVolumeTypes.includes(kind));
            if (forbidden.length > 0) report(`${owner} volume '${volume.name}' is of type ${forbidden.join(", ")}; use ${restrictedVolumeTypes.join(", ")}.`);
        }
    }),
    violate: mutation("put the first workload on the host network", (resources) => {
        firstWorkload(resources).spec.hostNetwork = true;
    }),
});

const readOnlyRootFilesystem = resourceRule({
    name: "kubernetes-containers-read-only-root-filesystem",
    description:
        "Every container's root filesystem is read-only, so a compromised process cannot drop tools or alter binaries. " +
        "Fix: set securityContext { readOnlyRootFilesystem: true } and mount emptyDir volumes where the program writes.",
    severity: "medium",
    securityRule: 7,
    controls: ["Checkov CKV_K8S_22"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        for (const entry of containersOf(spec)) {
            if (entry.container.securityContext?.readOnlyRootFilesystem !== true) report(`${owner} ${containerLabel(entry)} has a writable root filesystem; set readOnlyRootFilesystem: true.`);
        }
    }),
    violate: mutation("make the first workload's first container root filesystem writable", (resources) => {
        containerSecurityContext(firstWorkload(resources).container).readOnlyRootFilesystem = false;
    }),
});

const resourcesBounded = resourceRule({
    name: "kubernetes-containers-resources-bounded",
    description:
        "Every container requests and is limited in CPU and memory, so one workload cannot starve the others on a node. " +
        "Fix: set resources { requests: { cpu, memory }, limits: { cpu, memory } } (from the capacity model).",
    severity: "medium",
    securityRule: 7,
    controls: ["Checkov CKV_K8S_10", "Checkov CKV_K8S_11", "Checkov CKV_K8S_12", "Checkov CKV_K8S_13"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        for (const entry of containersOf(spec).filter((e) => e.list !== "ephemeralContainers")) {
            const resources = entry.container.resources;
            const missing = [
                ...["cpu", "memory"].filter((r) => !isSet(String(resources?.requests?.[r] ?? ""))).map((r) => `requests.${r}`),
                ...["cpu", "memory"].filter((r) => !isSet(String(resources?.limits?.[r] ?? ""))).map((r) => `limits.${r}`),
            ];
            if (missing.length > 0) report(`${owner} ${containerLabel(entry)} has no ${missing.join(", ")}.`);
        }
    }),
    violate: mutation("remove the limits of the first workload's first container", (resources) => {
        const { container } = firstWorkload(resources);
        if (isRecord(container.resources)) delete container.resources.limits;
    }),
});

/** `registry/repo:tag@sha256:digest` split into parts (the tag is after the last `/`). */
function imageParts(image: string): { name: string; tag?: string; digest?: string } {
    const [withoutDigest, digest] = image.split("@");
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.indexOf(":", slash + 1);
    return colon < 0
        ? { name: withoutDigest, ...(digest ? { digest } : {}) }
        : { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), ...(digest ? { digest } : {}) };
}

function imagesOf(spec: PodSpec): { entry: NamedContainer; image: string }[] {
    return containersOf(spec).map((entry) => ({ entry, image: String(entry.container.image ?? "") }));
}

const imagesPinnedToVersion = resourceRule({
    name: "kubernetes-images-pinned-to-version",
    description:
        "Every container image names an explicit version tag, never 'latest' or none, so what runs is what was reviewed " +
        "and patched. Fix: use the image references from the stack config (repository:x.y.z).",
    severity: "high",
    securityRule: 5,
    controls: ["Checkov CKV_K8S_14"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        for (const { entry, image } of imagesOf(spec)) {
            const { tag } = imageParts(image);
            if (!tag || tag === "latest") report(`${owner} ${containerLabel(entry)} image '${image}' is not pinned to a version tag.`);
        }
    }),
    violate: mutation("retag the first workload's first image as latest (keeping any digest)", (resources) => {
        const { container } = firstWorkload(resources);
        const { name, digest } = imageParts(String(container.image));
        container.image = `${name}:latest${digest ? `@${digest}` : ""}`;
    }),
});

const digestPattern = /^sha256:[0-9a-f]{64}$/;

const imagesPinnedByDigest = resourceRule({
    name: "kubernetes-images-pinned-by-digest",
    description:
        "Every container image is pinned by its sha256 digest as well, so a re-pushed tag cannot change what runs. Fix: " +
        "append @sha256:<digest> of the reviewed multi-arch index to the image reference in the stack config.",
    severity: "medium",
    securityRule: 5,
    controls: ["Checkov CKV_K8S_43"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        for (const { entry, image } of imagesOf(spec)) {
            const { digest } = imageParts(image);
            if (!digest || !digestPattern.test(digest)) report(`${owner} ${containerLabel(entry)} image '${image}' is not pinned by a sha256 digest.`);
        }
    }),
    violate: mutation("strip the digest from the first digest-pinned image", (resources) => {
        for (const workload of resources.filter((r) => workloadTypes.includes(r.type))) {
            const spec = podSpecOf(workload.type, workload.inputs);
            for (const { container } of spec ? containersOf(spec) : []) {
                const { name, tag, digest } = imageParts(String(container.image ?? ""));
                if (!digest) continue;
                (container as Record<string, any>).image = `${name}${tag ? `:${tag}` : ""}`;
                return;
            }
        }
        throw new MutationTargetMissing("image pinned by digest");
    }),
});

export const kubernetesPodRules: readonly RuleDefinition[] = [
    runAsNonRoot,
    noPrivilegeEscalation,
    dropAllCapabilities,
    seccompRuntimeDefault,
    noHostAccess,
    readOnlyRootFilesystem,
    resourcesBounded,
    imagesPinnedToVersion,
    imagesPinnedByDigest,
];
