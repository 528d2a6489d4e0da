/**
 * Kubernetes namespaces and what their pods may use: each namespace enforces the restricted Pod
 * Security Standard (the log agent's alone may enforce privileged, and then runs nothing else) and
 * holds only platform objects, pods mount an API token only where RBAC grants
 * it something, and no credential sits in a ConfigMap or an env literal.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import { iniDocuments, yamlDocuments } from "./lib/config-documents";
import { rulesFor } from "./lib/define";
import {
    containerLabel,
    containersOf,
    firstWorkload,
    kubernetesTypes,
    metadataOf,
    namespacedTypes,
    objectLabel,
    podRule,
    podSpecOf,
    systemNamespaces,
    workloadTypes,
} from "./lib/kubernetes";
import { addSibling, ensurePath, mutation, pick } from "./lib/mutate";
import { isPodLogReader, podLogReader } from "./lib/pod-logs";
import { holdsLiteralSecret, literalCredentials, secretShapeIn } from "./lib/secrets";
import { asList, isRecord, isSet } from "./lib/values";
import type { RuleDefinition } from "./types";

type NamespaceInputs = Unwrap<k8s.core.v1.NamespaceArgs>;
type RoleBindingInputs = Unwrap<k8s.rbac.v1.RoleBindingArgs>;
type ServiceAccountInputs = Unwrap<k8s.core.v1.ServiceAccountArgs>;

const { resourceRule, stackRule } = rulesFor("kubernetes-namespaces");

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
        const serviceAccounts = view.ofType(kubernetesTypes.serviceAccount);
        const bindings = view.ofType(kubernetesTypes.bindings);
        view.each(view.ofType(workloadTypes), (workload) => {
            for (const mount of tokenMounts([workload], serviceAccounts, bindings)) if (mount.problem) report(mount.problem, mount.urn);
        });
    },
    violate: mutation("mount the API token in a workload whose service account has no RBAC binding", (resources) => {
        const plain = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));
        const serviceAccounts = plain.filter((r) => kubernetesTypes.serviceAccount.includes(r.type));
        const bindings = plain.filter((r) => kubernetesTypes.bindings.includes(r.type));
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
        `non-compliant pods; only ${podLogReader.namespace}, whose log agent mounts the node's pod logs (a hostPath even ` +
        "baseline refuses), may enforce privileged, and only while it audits and warns at restricted. Fix: label the Namespace " +
        "pod-security.kubernetes.io/enforce: restricted (plus audit and warn).",
    severity: "high",
    securityRule: 7,
    controls: ["PSS restricted: Pod Security Admission enforce label", "CIS Kubernetes 5.2.1"],
    appliesTo: kubernetesTypes.namespace,
    validate: ({ name, props }, report) => {
        const labels = (props as NamespaceInputs).metadata?.labels ?? {};
        const level = labels["pod-security.kubernetes.io/enforce"];
        const namespace = metadataOf(props).name ?? name;
        // The log agent's namespace: the pod rules hold its pod to restricted but that one read-only mount, and
        // kubernetes-privileged-namespace-runs-only-log-agent keeps every other workload out of it.
        const logReaderException =
            namespace === podLogReader.namespace && level === "privileged" && labels["pod-security.kubernetes.io/audit"] === "restricted" && labels["pod-security.kubernetes.io/warn"] === "restricted";
        if (level !== "restricted" && !logReaderException) report(`namespace '${metadataOf(props).name ?? name}' enforces Pod Security level '${level ?? "none"}'; label it pod-security.kubernetes.io/enforce: restricted.`);
    },
    violate: mutation("lower the first namespace's Pod Security enforcement to baseline", (resources) => {
        const namespace = pick(resources, kubernetesTypes.namespace, "namespace");
        ensurePath(namespace.inputs, ["metadata", "labels"])["pod-security.kubernetes.io/enforce"] = "baseline";
    }),
});

const privilegedNamespaceRunsOnlyLogAgent = stackRule({
    name: "kubernetes-privileged-namespace-runs-only-log-agent",
    description:
        `The one namespace allowed to enforce the privileged Pod Security level, ${podLogReader.namespace}, runs no workload ` +
        `but the log agent DaemonSet ${podLogReader.name}: admission there lets a hostPath through, so any other pod in it ` +
        "(Deployment, StatefulSet, Job, bare Pod...) would escape the restricted standard the API server enforces everywhere " +
        "else. Fix: move the workload to its component's own namespace (components/platform/names.ts).",
    severity: "high",
    securityRule: 7,
    controls: ["CIS Kubernetes 5.7.1", "CIS Kubernetes 5.2.1"],
    appliesTo: workloadTypes,
    validate: ({ view }, report) => {
        view.each(view.ofType(workloadTypes), (workload) => {
            if (metadataOf(workload.props).namespace !== podLogReader.namespace || isPodLogReader(workload.type, workload.props)) return;
            report(
                `${workload.type.split(":")[2]} '${objectLabel(workload.props, workload.name)}' runs in ${podLogReader.namespace}, whose admission is ` +
                    `privileged for the log agent alone; run it in its own namespace.`,
                workload.urn,
            );
        });
    },
    violate: mutation("create a bare Pod in the log agent's namespace with a hardened workload's pod spec", (resources) => {
        // A pod created by hand with the spec of a workload that mounts no token and runs digest-pinned
        // images (advisory in dev), so only the namespace is wrong.
        const sibling = pick(resources, workloadTypes, "workload without an API token", (r) => {
            const spec = podSpecOf(r.type, r.inputs);
            if (spec?.automountServiceAccountToken !== false || metadataOf(r.inputs).namespace === podLogReader.namespace) return false;
            return containersOf(spec).every((entry) => String(entry.container.image ?? "").includes("@sha256:"));
        });
        addSibling(resources, sibling, "kubernetes:core/v1:Pod", `${sibling.name}-by-hand`, {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "debug-by-hand", namespace: podLogReader.namespace, labels: structuredClone(metadataOf(sibling.inputs).labels ?? {}) },
            spec: structuredClone(podSpecOf(sibling.type, sibling.inputs)),
        });
    }),
});

const dedicatedNamespaces = resourceRule({
    name: "kubernetes-workloads-in-dedicated-namespaces",
    description:
        "Namespaced objects name their namespace explicitly and never use default or kube-* namespaces (which have no " +
        "restricted Pod Security, NetworkPolicies or quotas of ours). Fix: set metadata.namespace to the platform namespace from components/platform/names.ts.",
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
        ensurePath(pick(resources, kubernetesTypes.configMap, "ConfigMap").inputs, ["metadata"]).namespace = "default";
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
    appliesTo: kubernetesTypes.configMap,
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
        ensurePath(pick(resources, kubernetesTypes.configMap, "ConfigMap").inputs, ["data"])["database-password"] = "correct-horse-battery-staple";
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

export const kubernetesNamespaceRules: readonly RuleDefinition[] = [
    apiTokenOnlyWithRbac,
    namespacesRestricted,
    privilegedNamespaceRunsOnlyLogAgent,
    dedicatedNamespaces,
    configMapsWithoutSecrets,
    envWithoutSecrets,
];
