/**
 * Where Kubernetes objects keep their pod templates and containers, so every workload rule checks
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs and bare Pods alike, including
 * init and ephemeral containers; and the type tokens of the other objects the rules look at.
 */
import type * as k8s from "@pulumi/kubernetes";
import type { Unwrap } from "@pulumi/pulumi";
import type { EditableResource } from "../../resource-shape";
import type { ResourceContext } from "./define";
import { pick } from "./mutate";
import { isRecord } from "./values";

export type PodSpec = Unwrap<k8s.types.input.core.v1.PodSpec>;
export type Container = Unwrap<k8s.types.input.core.v1.Container>;
export type ObjectMeta = Unwrap<k8s.types.input.meta.v1.ObjectMeta>;

const podSpecPaths: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
};

/** Types that run pods. */
export const workloadTypes: readonly string[] = Object.keys(podSpecPaths);

/** The pod spec of a workload object, or undefined when the type runs no pods or the spec is absent. */
export function podSpecOf(type: string, props: Record<string, any>): PodSpec | undefined {
    const path = podSpecPaths[type];
    if (!path) return undefined;
    let node: any = props;
    for (const key of path) {
        if (!isRecord(node)) return undefined;
        node = node[key];
    }
    return isRecord(node) ? (node as PodSpec) : undefined;
}

export interface NamedContainer {
    /** `containers`, `initContainers` or `ephemeralContainers`. */
    readonly list: string;
    readonly container: Container;
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function containersOf(spec: PodSpec): NamedContainer[] {
    const all: NamedContainer[] = [];
    for (const list of ["containers", "initContainers", "ephemeralContainers"] as const) {
        const containers = (spec as Record<string, unknown>)[list];
        if (!Array.isArray(containers)) continue;
        for (const container of containers) if (isRecord(container)) all.push({ list, container: container as Container });
    }
    return all;
}

/** How a container is named in messages. */
export function containerLabel(entry: NamedContainer): string {
    const kind = entry.list === "containers" ? "container" : entry.list === "initContainers" ? "init container" : "ephemeral container";
    return `${kind} '${entry.container.name ?? "?"}'`;
}

/** Metadata of any Kubernetes object. */
export function metadataOf(props: Record<string, any>): ObjectMeta {
    return isRecord(props.metadata) ? (props.metadata as ObjectMeta) : {};
}

/** `namespace/name` of an object, for messages. */
export function objectLabel(props: Record<string, any>, fallback: string): string {
    const metadata = metadataOf(props);
    const name = metadata.name ?? fallback;
    return metadata.namespace ? `${metadata.namespace}/${name}` : name;
}

/** A workload rule's check: runs `check` on the pod spec of every pod-running object, named `owner` in messages. */
export function podRule<C extends object = {}>(
    check: (spec: PodSpec, owner: string, report: (message: string) => void, resource: ResourceContext<C>) => void,
): (resource: ResourceContext<C>, report: (message: string) => void) => void {
    return (resource, report) => {
        const spec = podSpecOf(resource.type, resource.props);
        if (spec) check(spec, `${resource.type.split(":")[2]} '${objectLabel(resource.props, resource.name)}'`, report, resource);
    };
}

/** For mutations: the first workload with containers, its pod spec and its first container. */
export function firstWorkload(resources: EditableResource[]): { workload: EditableResource; spec: Record<string, any>; container: Record<string, any> } {
    const workload = pick(resources, workloadTypes, "workload with a pod spec", (r) => (podSpecOf(r.type, r.inputs)?.containers ?? []).length > 0);
    const spec = podSpecOf(workload.type, workload.inputs) as Record<string, any>;
    return { workload, spec, container: spec.containers[0] };
}

/** Namespaces where the platform's objects never belong. */
export const systemNamespaces: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

const objectTypes = {
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

/** Type tokens of the other Kubernetes objects rules look at, as string lists any type can be looked up in. */
export const kubernetesTypes: { readonly [K in keyof typeof objectTypes]: readonly string[] } = objectTypes;

/** Namespaced object types the platform creates; their objects must name a namespace of their own. */
export const namespacedTypes: readonly string[] = [
    ...workloadTypes,
    "kubernetes:core/v1:Service",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:ServiceAccount",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "kubernetes:policy/v1:PodDisruptionBudget",
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
];
