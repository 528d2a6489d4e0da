/**
 * Kubernetes workloads and exposure: pods meet the restricted Pod Security Standard, run pinned
 * images with bounded resources, mount API tokens only where RBAC grants them something, keep
 * secrets out of ConfigMaps and env literals, live in their own restricted namespaces behind
 * default-deny NetworkPolicies, and are never exposed outside the VPN/allow-list.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { PolicyResource } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import type { EditableResource } from "../resource-shape";
import { effectiveAllowList, isAllowListed, isOpenCidr } from "./lib/cidrs";
import { iniDocuments, yamlDocuments } from "./lib/config-documents";
import { type ResourceContext, rulesFor } from "./lib/define";
import {
    containerLabel,
    containersOf,
    metadataOf,
    namespacedTypes,
    objectLabel,
    podSpecOf,
    systemNamespaces,
    workloadTypes,
    type NamedContainer,
    type PodSpec,
} from "./lib/kubernetes";
import { addSibling, ensurePath, mutation, MutationTargetMissing, pick, remove } from "./lib/mutate";
import { holdsLiteralSecret, literalCredentials, secretShapeIn } from "./lib/secrets";
import { asList, isRecord, isSet, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

type ServiceInputs = Unwrap<k8s.core.v1.ServiceArgs>;
type IngressInputs = Unwrap<k8s.networking.v1.IngressArgs>;
type NetworkPolicyInputs = Unwrap<k8s.networking.v1.NetworkPolicyArgs>;
type NamespaceInputs = Unwrap<k8s.core.v1.NamespaceArgs>;
type RoleBindingInputs = Unwrap<k8s.rbac.v1.RoleBindingArgs>;
type ServiceAccountInputs = Unwrap<k8s.core.v1.ServiceAccountArgs>;

const { resourceRule, stackRule } = rulesFor("kubernetes");

const types = {
    namespace: ["kubernetes:core/v1:Namespace"],
    service: ["kubernetes:core/v1:Service"],
    configMap: ["kubernetes:core/v1:ConfigMap"],
    serviceAccount: ["kubernetes:core/v1:ServiceAccount"],
    ingress: ["kubernetes:networking.k8s.io/v1:Ingress"],
    networkPolicy: ["kubernetes:networking.k8s.io/v1:NetworkPolicy"],
    bindings: ["kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"],
    helmRelease: ["kubernetes:helm.sh/v3:Release"],
    helmChart: ["kubernetes:helm.sh/v4:Chart"],
} as const;

/** A workload rule: runs `check` on the pod spec of every pod-running object. */
function podRule<C extends object = {}>(
    check: (spec: PodSpec, owner: string, report: (message: string) => void, resource: ResourceContext<C>) => void,
): (resource: ResourceContext<C>, report: (message: string) => void) => void {
    return (resource, report) => {
        const spec = podSpecOf(resource.type, resource.props);
        if (spec) check(spec, `${resource.type.split(":")[2]} '${objectLabel(resource.props, resource.name)}'`, report, resource);
    };
}

/** The first workload with a pod spec, and its first container's securityContext (created if missing). */
function firstWorkload(resources: EditableResource[]): { workload: EditableResource; spec: Record<string, any>; container: Record<string, any> } {
    const workload = pick(resources, workloadTypes, "workload with a pod spec", (r) => (podSpecOf(r.type, r.inputs)?.containers ?? []).length > 0);
    const spec = podSpecOf(workload.type, workload.inputs) as Record<string, any>;
    return { workload, spec, container: spec.containers[0] };
}

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
        "ports, and only restricted volume types (no hostPath). Fix: remove hostNetwork/hostPID/hostIPC, hostPort and " +
        "hostPath; use Services, emptyDir, ConfigMap/Secret or PVC volumes.",
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
    validate: podRule((spec, owner, report) => {
        for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) if (spec[field] === true) report(`${owner} sets ${field}: true.`);
        for (const entry of containersOf(spec)) {
            for (const port of asList(entry.container.ports)) {
                if (typeof port.hostPort === "number" && port.hostPort !== 0) report(`${owner} ${containerLabel(entry)} binds host port ${port.hostPort}.`);
            }
        }
        for (const volume of asList(spec.volumes)) {
            const kinds = Object.keys(volume).filter((key) => key !== "name");
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

interface TokenMount {
    readonly owner: string;
    readonly urn: string;
    readonly problem?: string;
}

/** Whether each workload mounts a service-account token it has no RBAC use for (plain data in, so mutations can use it too). */
function tokenMounts(
    workloads: readonly { type: string; name: string; urn: string; props: Record<string, any> }[],
    serviceAccounts: readonly { props: Record<string, any> }[],
    bindings: readonly { props: Record<string, any> }[],
): TokenMount[] {
    return workloads.flatMap((workload) => {
        const spec = podSpecOf(workload.type, workload.props);
        if (!spec) return [];
        const namespace = metadataOf(workload.props).namespace ?? "default";
        const accountName = spec.serviceAccountName ?? "default";
        const account = serviceAccounts.find((sa) => metadataOf(sa.props).name === accountName && (metadataOf(sa.props).namespace ?? "default") === namespace);
        const mounts = spec.automountServiceAccountToken ?? (account?.props as ServiceAccountInputs | undefined)?.automountServiceAccountToken ?? true;
        const owner = `${workload.type.split(":")[2]} '${objectLabel(workload.props, workload.name)}'`;
        if (!mounts) return [{ owner, urn: workload.urn }];
        if (accountName === "default") return [{ owner, urn: workload.urn, problem: `${owner} mounts the token of the namespace's default service account; use its own service account or set automountServiceAccountToken: false.` }];
        const bound = bindings.some((binding) => {
            const inputs = binding.props as RoleBindingInputs;
            return asList(inputs.subjects).some(
                (subject) => subject.kind === "ServiceAccount" && subject.name === accountName && (subject.namespace ?? metadataOf(binding.props).namespace) === namespace,
            );
        });
        return bound ? [{ owner, urn: workload.urn }] : [{ owner, urn: workload.urn, problem: `${owner} mounts an API token for service account '${accountName}', which no RoleBinding or ClusterRoleBinding in the stack grants anything; set automountServiceAccountToken: false.` }];
    });
}

const apiTokenOnlyWithRbac = stackRule({
    name: "kubernetes-service-account-token-only-with-rbac",
    description:
        "Pods mount a Kubernetes API token only when their own (non-default) service account is bound to a Role or " +
        "ClusterRole in the stack (e.g. the collector's k8sattributes processor); every other pod sets " +
        "automountServiceAccountToken: false. Fix: set automountServiceAccountToken: false on the pod spec or service account.",
    severity: "medium",
    securityRule: 2,
    controls: ["Checkov CKV_K8S_38", "Checkov CKV_K8S_41", "CIS Kubernetes 5.1.6"],
    appliesTo: workloadTypes,
    validate: ({ view }, report) => {
        const serviceAccounts = view.ofType(types.serviceAccount);
        const bindings = view.ofType(types.bindings);
        view.each(view.ofType(workloadTypes), (workload) => {
            for (const mount of tokenMounts([workload], serviceAccounts, bindings)) if (mount.problem) report(mount.problem, mount.urn);
        });
    },
    violate: mutation("mount the API token in a workload whose service account has no RBAC binding", (resources) => {
        const plain = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));
        const serviceAccounts = plain.filter((r) => types.serviceAccount.includes(r.type as "kubernetes:core/v1:ServiceAccount"));
        const bindings = plain.filter((r) => (types.bindings as readonly string[]).includes(r.type));
        const unbound = resources.find((r) => {
            const spec = podSpecOf(r.type, r.inputs);
            if (!spec || spec.automountServiceAccountToken !== false) return false;
            const mounted = structuredClone(r.inputs);
            (podSpecOf(r.type, mounted) as Record<string, any>).automountServiceAccountToken = true;
            return tokenMounts([{ type: r.type, name: r.name, urn: r.urn, props: mounted }], serviceAccounts, bindings)[0]?.problem !== undefined;
        });
        const target = unbound ?? pick(resources, workloadTypes, "workload with a pod spec", (r) => podSpecOf(r.type, r.inputs) !== undefined);
        const spec = podSpecOf(target.type, target.inputs) as Record<string, any>;
        if (!unbound) spec.serviceAccountName = "default";
        spec.automountServiceAccountToken = true;
    }),
});

const namespacesRestricted = resourceRule({
    name: "kubernetes-namespaces-enforce-restricted-pss",
    description:
        "Every namespace the stack creates enforces the restricted Pod Security Standard, so the API server itself refuses " +
        "non-compliant pods. Fix: label the Namespace pod-security.kubernetes.io/enforce: restricted (plus audit and warn).",
    severity: "high",
    securityRule: 7,
    controls: ["PSS restricted: Pod Security Admission enforce label", "CIS Kubernetes 5.2.1"],
    appliesTo: types.namespace,
    validate: ({ name, props }, report) => {
        const level = (props as NamespaceInputs).metadata?.labels?.["pod-security.kubernetes.io/enforce"];
        if (level !== "restricted") report(`namespace '${metadataOf(props).name ?? name}' enforces Pod Security level '${level ?? "none"}'; label it pod-security.kubernetes.io/enforce: restricted.`);
    },
    violate: mutation("lower the first namespace's Pod Security enforcement to baseline", (resources) => {
        const namespace = pick(resources, types.namespace, "namespace");
        ensurePath(namespace.inputs, ["metadata", "labels"])["pod-security.kubernetes.io/enforce"] = "baseline";
    }),
});

const dedicatedNamespaces = resourceRule({
    name: "kubernetes-workloads-in-dedicated-namespaces",
    description:
        "Namespaced objects name their namespace explicitly and never use default or kube-* namespaces (which have no " +
        "restricted Pod Security, NetworkPolicies or quotas of ours). Fix: set metadata.namespace to the platform namespace from names.ts.",
    severity: "medium",
    securityRule: 7,
    controls: ["Checkov CKV_K8S_21", "CIS Kubernetes 5.7.4"],
    appliesTo: namespacedTypes,
    validate: ({ type, name, props }, report) => {
        const namespace = metadataOf(props).namespace;
        if (!isSet(namespace)) report(`${type.split(":")[2]} '${metadataOf(props).name ?? name}' names no namespace and lands in the provider's default.`);
        else if (systemNamespaces.includes(namespace)) report(`${type.split(":")[2]} '${objectLabel(props, name)}' is in the system namespace '${namespace}'.`);
    },
    violate: mutation("move the first ConfigMap to the default namespace", (resources) => {
        ensurePath(pick(resources, types.configMap, "ConfigMap").inputs, ["metadata"]).namespace = "default";
    }),
});

const configMapsWithoutSecrets = resourceRule({
    name: "kubernetes-configmaps-no-plaintext-secrets",
    description:
        "ConfigMaps carry no secrets: no credential-named setting with a literal value (in data keys or inside YAML/INI " +
        "files), no private keys, access keys or tokens. Fix: put the value in a Kubernetes Secret (from a Pulumi secret) " +
        "and reference it as a mounted file (`*_file`, `$__file{}`) or an environment variable.",
    severity: "critical",
    securityRule: 1,
    controls: ["CIS Kubernetes 5.4.1"],
    appliesTo: types.configMap,
    validate: ({ name, props }, report) => {
        const label = `ConfigMap '${objectLabel(props, name)}'`;
        for (const field of ["data", "binaryData"] as const) {
            const entries = isRecord(props[field]) ? Object.entries(props[field] as Record<string, unknown>) : [];
            for (const [key, value] of entries) {
                const text = typeof value === "string" ? value : "";
                const decoded = field === "binaryData" ? Buffer.from(text, "base64").toString("utf8") : text;
                if (holdsLiteralSecret(key, decoded)) report(`${label} key '${key}' holds a literal credential.`);
                const shape = secretShapeIn(decoded);
                if (shape) report(`${label} key '${key}' contains ${shape}.`);
            }
        }
        for (const { key, document } of yamlDocuments(props)) {
            for (const path of literalCredentials(document)) report(`${label} file '${key}' sets '${path}' to a literal credential.`);
        }
        for (const { key, document } of iniDocuments(props)) {
            for (const [section, settings] of Object.entries(document)) {
                for (const [setting, value] of Object.entries(settings)) {
                    if (holdsLiteralSecret(setting, value)) report(`${label} file '${key}' sets [${section}] ${setting} to a literal credential.`);
                }
            }
        }
    },
    violate: mutation("add a database-password entry to the first ConfigMap", (resources) => {
        ensurePath(pick(resources, types.configMap, "ConfigMap").inputs, ["data"])["database-password"] = "correct-horse-battery-staple";
    }),
});

const envWithoutSecrets = resourceRule({
    name: "kubernetes-env-no-plaintext-secrets",
    description:
        "Container environment variables never carry credentials as literal values. Fix: use valueFrom.secretKeyRef, or " +
        "better mount the Secret as a file (e.g. GF_SECURITY_ADMIN_PASSWORD__FILE).",
    severity: "critical",
    securityRule: 1,
    controls: ["Checkov CKV_K8S_35", "CIS Kubernetes 5.4.1"],
    appliesTo: workloadTypes,
    validate: podRule((spec, owner, report) => {
        for (const entry of containersOf(spec)) {
            for (const variable of asList(entry.container.env)) {
                if (typeof variable.value !== "string" || variable.value === "") continue;
                if (holdsLiteralSecret(variable.name, variable.value)) report(`${owner} ${containerLabel(entry)} sets ${variable.name} to a literal credential.`);
                const shape = secretShapeIn(variable.value);
                if (shape) report(`${owner} ${containerLabel(entry)} env ${variable.name} contains ${shape}.`);
            }
        }
    }),
    violate: mutation("add a DB_PASSWORD literal to the first workload's first container", (resources) => {
        const { container } = firstWorkload(resources);
        container.env = [...asList(container.env), { name: "DB_PASSWORD", value: "correct-horse-battery-staple" }];
    }),
});

const internalSchemeAnnotations: Readonly<Record<string, string>> = {
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
};

function isInternalLoadBalancer(annotations: Record<string, string> | undefined): boolean {
    return Object.entries(internalSchemeAnnotations).some(([key, value]) => annotations?.[key] === value);
}

const servicesNotPublic = resourceRule({
    name: "kubernetes-services-not-public",
    description:
        "Nothing in the cluster is reachable from outside the VPC: no NodePort Services or externalIPs, load balancers " +
        "only internal. Fix: use ClusterIP, or type LoadBalancer with service.beta.kubernetes.io/aws-load-balancer-scheme: " +
        "internal (Ingress: alb.ingress.kubernetes.io/scheme: internal); users arrive through the Client VPN.",
    severity: "critical",
    securityRule: 3,
    controls: [],
    appliesTo: [...types.service, ...types.ingress],
    validate: ({ type, name, props }, report) => {
        const label = `${type.split(":")[2]} '${objectLabel(props, name)}'`;
        const annotations = metadataOf(props).annotations as Record<string, string> | undefined;
        if (types.ingress.includes(type as "kubernetes:networking.k8s.io/v1:Ingress")) {
            if (annotations?.["alb.ingress.kubernetes.io/scheme"] !== "internal") report(`${label} is not an internal load balancer; annotate alb.ingress.kubernetes.io/scheme: internal.`);
            return;
        }
        const spec = (props as ServiceInputs).spec;
        if (spec?.type === "NodePort") report(`${label} is a NodePort Service, reachable on every node; use ClusterIP or an internal load balancer.`);
        if (spec?.type === "LoadBalancer" && !isInternalLoadBalancer(annotations)) {
            report(`${label} is an internet-facing load balancer; annotate service.beta.kubernetes.io/aws-load-balancer-scheme: internal.`);
        }
        if (stringList(spec?.externalIPs).length > 0) report(`${label} sets externalIPs.`);
    },
    violate: mutation("make the first load balancer Service internet-facing", (resources) => {
        const balancer = resources.find((r) => types.service.includes(r.type as "kubernetes:core/v1:Service") && r.inputs.spec?.type === "LoadBalancer");
        if (balancer) {
            for (const key of Object.keys(internalSchemeAnnotations)) delete balancer.inputs.metadata?.annotations?.[key];
            return;
        }
        ensurePath(pick(resources, types.service, "Service").inputs, ["spec"]).type = "NodePort";
    }),
});

const loadBalancersAllowListed = resourceRule<{ allowedCidrs: string[] }>({
    name: "kubernetes-load-balancers-allow-listed",
    description:
        "Every load balancer admits only allow-listed source networks (the VPN client range for Grafana, application " +
        "networks for OTLP). Fix: set spec.loadBalancerSourceRanges (Ingress: alb.ingress.kubernetes.io/inbound-cidrs) " +
        "to CIDRs from the allow-list.",
    severity: "high",
    securityRule: 2,
    controls: [],
    config: {
        allowedCidrs: { type: "array", items: { type: "string" }, default: [], description: "Source networks load balancers may admit (default: private address space)." },
    },
    appliesTo: [...types.service, ...types.ingress],
    validate: ({ type, name, props, config }, report) => {
        const label = `${type.split(":")[2]} '${objectLabel(props, name)}'`;
        let ranges: string[];
        if (types.ingress.includes(type as "kubernetes:networking.k8s.io/v1:Ingress")) {
            const annotation = (props as IngressInputs).metadata?.annotations?.["alb.ingress.kubernetes.io/inbound-cidrs"];
            ranges = (annotation ?? "").split(",").map((c) => c.trim()).filter(isSet);
        } else {
            const spec = (props as ServiceInputs).spec;
            if (spec?.type !== "LoadBalancer") return;
            ranges = stringList(spec.loadBalancerSourceRanges);
        }
        const allowList = effectiveAllowList(config.allowedCidrs);
        if (ranges.length === 0) report(`${label} admits any source; set its source ranges to the allow-list.`);
        for (const range of ranges) {
            if (isOpenCidr(range) || !isAllowListed(range, allowList)) report(`${label} admits ${range}, outside the allow-list ${allowList.join(", ")}.`);
        }
    },
    violate: mutation("open the first load balancer to 0.0.0.0/0", (resources) => {
        const balancer = resources.find((r) => types.service.includes(r.type as "kubernetes:core/v1:Service") && r.inputs.spec?.type === "LoadBalancer");
        if (balancer) {
            balancer.inputs.spec.loadBalancerSourceRanges = ["0.0.0.0/0"];
            return;
        }
        ensurePath(pick(resources, types.ingress, "load balancer Service or Ingress").inputs, ["metadata", "annotations"])["alb.ingress.kubernetes.io/inbound-cidrs"] = "0.0.0.0/0";
    }),
});

/** True for a NetworkPolicy that selects every pod and allows nothing in or out. */
function isDefaultDeny(props: Record<string, any>): boolean {
    const spec = (props as NetworkPolicyInputs).spec;
    if (!spec) return false;
    const selector = spec.podSelector ?? {};
    const selectsAll = Object.keys(selector.matchLabels ?? {}).length === 0 && asList(selector.matchExpressions).length === 0;
    const policyTypes = stringList(spec.policyTypes);
    return selectsAll && policyTypes.includes("Ingress") && policyTypes.includes("Egress") && asList(spec.ingress).length === 0 && asList(spec.egress).length === 0;
}

const defaultDenyPerNamespace = stackRule({
    name: "kubernetes-namespaces-default-deny-network-policy",
    description:
        "Every namespace that runs pods has a default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress], " +
        "no rules), so only explicitly allowed flows exist. Fix: add that NetworkPolicy to the namespace, then allow flows " +
        "one by one.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV2_K8S_6", "CIS Kubernetes 5.3.2"],
    appliesTo: workloadTypes,
    validate: ({ view }, report) => {
        const denied = new Set<string>();
        view.each(view.ofType(types.networkPolicy), (policy) => {
            if (isDefaultDeny(policy.props)) denied.add(metadataOf(policy.props).namespace ?? "default");
        });
        const reported = new Set<string>();
        view.each(view.ofType(workloadTypes), (workload) => {
            const namespace = metadataOf(workload.props).namespace ?? "default";
            if (denied.has(namespace) || reported.has(namespace)) return;
            reported.add(namespace);
            const namespaceResource = view.ofType(types.namespace).find((n: PolicyResource) => metadataOf(n.props).name === namespace);
            report(`namespace '${namespace}' runs pods but has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress]).`, (namespaceResource ?? workload).urn);
        });
    },
    violate: mutation("delete the default-deny NetworkPolicy of a namespace that runs pods", (resources) => {
        const namespaces = new Set(resources.filter((r) => workloadTypes.includes(r.type)).map((r) => metadataOf(r.inputs).namespace ?? "default"));
        remove(resources, "default-deny NetworkPolicy", (r) => types.networkPolicy.includes(r.type as "kubernetes:networking.k8s.io/v1:NetworkPolicy") && isDefaultDeny(r.inputs) && namespaces.has(metadataOf(r.inputs).namespace ?? "default"));
    }),
});

const networkPoliciesScoped = resourceRule<{ allowedCidrs: string[] }>({
    name: "kubernetes-network-policies-scoped",
    description:
        "NetworkPolicy allow rules name their peers: every ingress rule has sources (pod/namespace selectors or " +
        "allow-listed CIDRs, never 0.0.0.0/0), and egress to everywhere is limited to named ports. Fix: add from/to " +
        "selectors or allow-listed ipBlocks and ports to each rule.",
    severity: "high",
    securityRule: 2,
    controls: ["Checkov CKV2_K8S_6"],
    config: {
        allowedCidrs: { type: "array", items: { type: "string" }, default: [], description: "Source networks ingress ipBlocks may name (default: private address space)." },
    },
    appliesTo: types.networkPolicy,
    validate: ({ name, props, config }, report) => {
        const label = `NetworkPolicy '${objectLabel(props, name)}'`;
        const spec = (props as NetworkPolicyInputs).spec;
        const allowList = effectiveAllowList(config.allowedCidrs);
        asList(spec?.ingress).forEach((rule, index) => {
            const peers = asList(rule.from);
            if (peers.length === 0) report(`${label} ingress[${index}] admits every source; name pod/namespace selectors or allow-listed ipBlocks.`);
            for (const cidr of peers.map((peer) => peer.ipBlock?.cidr).filter(isSet)) {
                if (isOpenCidr(cidr) || !isAllowListed(cidr, allowList)) report(`${label} ingress[${index}] admits ${cidr}, outside the allow-list ${allowList.join(", ")}.`);
            }
        });
        asList(spec?.egress).forEach((rule, index) => {
            const peers = asList(rule.to);
            const everywhere = peers.length === 0 || peers.some((peer) => isSet(peer.ipBlock?.cidr) && isOpenCidr(peer.ipBlock.cidr));
            if (everywhere && asList(rule.ports).length === 0) report(`${label} egress[${index}] lets all traffic out; name destinations or ports.`);
        });
    },
    violate: mutation("admit 0.0.0.0/0 in a NetworkPolicy ingress rule", (resources) => {
        const policy = resources.find((r) => types.networkPolicy.includes(r.type as "kubernetes:networking.k8s.io/v1:NetworkPolicy") && asList(r.inputs.spec?.ingress).length > 0);
        if (policy) {
            policy.inputs.spec.ingress = [...policy.inputs.spec.ingress, { from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }];
            return;
        }
        const sibling = pick(resources, types.networkPolicy, "NetworkPolicy");
        addSibling(resources, sibling, sibling.type, `${sibling.name}-mutated-open`, {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { ...sibling.inputs.metadata, name: "mutated-open-ingress" },
            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] },
        });
    }),
});

const exactChartVersion = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const helmChartsVisible = resourceRule({
    name: "kubernetes-helm-releases-not-used",
    description:
        "Kubernetes objects are declared so policies can see them: no helm.sh/v3 Release (its manifests are installed by " +
        "embedded Helm, invisible to every rule here), and any helm.sh/v4 Chart pins an exact version from an HTTPS or OCI " +
        "repository. Fix: declare typed @pulumi/kubernetes resources (or a v4 Chart with an exact version).",
    severity: "medium",
    securityRule: 5,
    controls: [],
    appliesTo: [...types.helmRelease, ...types.helmChart],
    validate: ({ type, name, props }, report) => {
        if (types.helmRelease.includes(type as "kubernetes:helm.sh/v3:Release")) {
            report(`'${name}' is a helm.sh/v3 Release, whose objects no policy can check; declare typed resources instead.`);
            return;
        }
        if (!isSet(props.version) || !exactChartVersion.test(props.version)) report(`chart '${name}' does not pin an exact version (got '${props.version ?? ""}').`);
        const repo = props.repositoryOpts?.repo;
        if (isSet(repo) && !/^(https|oci):\/\//.test(repo)) report(`chart '${name}' comes from '${repo}', not an HTTPS or OCI repository.`);
    },
    violate: mutation("install a chart with a helm.sh/v3 Release", (resources) => {
        const sibling = pick(resources, types.namespace, "namespace");
        addSibling(resources, sibling, types.helmRelease[0], "mutated-release", {
            chart: "grafana",
            version: "8.0.0",
            namespace: metadataOf(sibling.inputs).name ?? "mutated",
            repositoryOpts: { repo: "https://grafana.github.io/helm-charts" },
        });
    }),
});

export const kubernetesRules: readonly RuleDefinition[] = [
    runAsNonRoot,
    noPrivilegeEscalation,
    dropAllCapabilities,
    seccompRuntimeDefault,
    noHostAccess,
    readOnlyRootFilesystem,
    resourcesBounded,
    imagesPinnedToVersion,
    imagesPinnedByDigest,
    apiTokenOnlyWithRbac,
    namespacesRestricted,
    dedicatedNamespaces,
    configMapsWithoutSecrets,
    envWithoutSecrets,
    servicesNotPublic,
    loadBalancersAllowListed,
    defaultDenyPerNamespace,
    networkPoliciesScoped,
    helmChartsVisible,
];
