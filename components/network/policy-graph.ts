/**
 * A pure evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), used to compute
 * which endpoint may open a connection to which port of which other endpoint. Tests and the policy
 * pack feed it the recorded NetworkPolicies plus a model of pods and hosts, then compare the
 * allowed set with what the design intends.
 *
 * Semantics implemented (Kubernetes documentation, "Network Policies"):
 *  - a pod is isolated for a direction only if some policy in its namespace selects it and lists
 *    that direction in `policyTypes` (absent `policyTypes` means Ingress, plus Egress when the
 *    policy has egress rules); a non-isolated direction allows everything;
 *  - a connection needs both the source's egress and the destination's ingress to allow it;
 *    policies are additive (any rule of any selecting policy allowing it is enough);
 *  - a rule without `from`/`to` matches every peer; without `ports`, every port;
 *  - a peer with only `podSelector` means pods in the policy's own namespace; `namespaceSelector`
 *    alone means all pods of matching namespaces; both together mean the intersection;
 *  - `ipBlock` matches endpoints whose address lies in `cidr` and not in any `except` entry. Pods
 *    without an address in the model never match an ipBlock (the API leaves pod-IP matching to
 *    the implementation; give a pod an `ip` to model a CNI that does match it, as the EKS VPC
 *    CNI's policy agent does);
 *  - a port without a protocol is TCP; `endPort` makes a range; a named port matches a container
 *    port of that name on the destination.
 * Hosts (anything that is not a pod) are never isolated: no NetworkPolicy applies to them.
 */
import { addressInCidr } from "../platform/cidr";

export type Protocol = "TCP" | "UDP" | "SCTP";
export type PolicyType = "Ingress" | "Egress";

export interface LabelSelectorRequirement {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: readonly string[];
}

export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface NetworkPolicyPeer {
    readonly podSelector?: LabelSelector;
    readonly namespaceSelector?: LabelSelector;
    readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface NetworkPolicyPort {
    readonly protocol?: Protocol;
    readonly port?: number | string;
    readonly endPort?: number;
}

export interface NetworkPolicyIngressRule {
    readonly from?: readonly NetworkPolicyPeer[];
    readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
    readonly to?: readonly NetworkPolicyPeer[];
    readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
    readonly podSelector: LabelSelector;
    readonly policyTypes?: readonly PolicyType[];
    readonly ingress?: readonly NetworkPolicyIngressRule[];
    readonly egress?: readonly NetworkPolicyEgressRule[];
}

export interface NetworkPolicyManifest {
    readonly metadata: {
        readonly name: string;
        readonly namespace: string;
        readonly labels?: Readonly<Record<string, string>>;
        readonly annotations?: Readonly<Record<string, string>>;
    };
    readonly spec: NetworkPolicySpec;
}

/** A port an endpoint listens on. */
export interface ListeningPort {
    readonly port: number;
    readonly protocol: Protocol;
    /** Container port name, for policies that use named ports. */
    readonly name?: string;
}

export interface PodEndpoint {
    readonly kind: "pod";
    readonly id: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The pod's address, if the modelled CNI matches pod addresses against ipBlocks. */
    readonly ip?: string;
    readonly ports: readonly ListeningPort[];
}

export interface HostEndpoint {
    readonly kind: "host";
    readonly id: string;
    readonly ip: string;
    readonly ports: readonly ListeningPort[];
}

export type Endpoint = PodEndpoint | HostEndpoint;

export interface ClusterModel {
    readonly policies: readonly NetworkPolicyManifest[];
    /** Labels of each namespace; `kubernetes.io/metadata.name` is added automatically, as the API server does. */
    readonly namespaceLabels: Readonly<Record<string, Readonly<Record<string, string>>>>;
    readonly endpoints: readonly Endpoint[];
}

export interface Flow {
    readonly from: string;
    readonly to: string;
    readonly port: number;
    readonly protocol: Protocol;
}

/** True when the labels satisfy the selector; the empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
        if (labels[key] !== value) return false;
    }
    for (const requirement of selector.matchExpressions ?? []) {
        const present = Object.prototype.hasOwnProperty.call(labels, requirement.key);
        const values = requirement.values ?? [];
        switch (requirement.operator) {
            case "In":
                if (!present || !values.includes(labels[requirement.key])) return false;
                break;
            case "NotIn":
                if (present && values.includes(labels[requirement.key])) return false;
                break;
            case "Exists":
                if (!present) return false;
                break;
            case "DoesNotExist":
                if (present) return false;
                break;
            default:
                throw new Error(`unknown label selector operator ${String((requirement as LabelSelectorRequirement).operator)}`);
        }
    }
    return true;
}

export function effectivePolicyTypes(spec: NetworkPolicySpec): readonly PolicyType[] {
    if (spec.policyTypes && spec.policyTypes.length > 0) return spec.policyTypes;
    return spec.egress && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

function namespaceLabelsOf(model: ClusterModel, namespace: string): Readonly<Record<string, string>> {
    return { ...(model.namespaceLabels[namespace] ?? {}), "kubernetes.io/metadata.name": namespace };
}

function peerMatches(model: ClusterModel, peer: NetworkPolicyPeer, endpoint: Endpoint, policyNamespace: string): boolean {
    if (peer.ipBlock) {
        if (peer.podSelector || peer.namespaceSelector) throw new Error("a NetworkPolicy peer may not combine ipBlock with selectors");
        const address = endpoint.ip;
        if (address === undefined) return false;
        return addressInCidr(address, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((cidr) => addressInCidr(address, cidr));
    }
    if (!peer.podSelector && !peer.namespaceSelector) throw new Error("a NetworkPolicy peer needs podSelector, namespaceSelector or ipBlock");
    if (endpoint.kind !== "pod") return false;
    const inNamespace = peer.namespaceSelector
        ? selectorMatches(peer.namespaceSelector, namespaceLabelsOf(model, endpoint.namespace))
        : endpoint.namespace === policyNamespace;
    return inNamespace && (!peer.podSelector || selectorMatches(peer.podSelector, endpoint.labels));
}

function portMatches(ports: readonly NetworkPolicyPort[] | undefined, target: ListeningPort): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((rule) => {
        if ((rule.protocol ?? "TCP") !== target.protocol) return false;
        if (rule.port === undefined) return true;
        if (typeof rule.port === "string") return target.name === rule.port;
        return rule.endPort === undefined ? rule.port === target.port : target.port >= rule.port && target.port <= rule.endPort;
    });
}

function selectingPolicies(model: ClusterModel, pod: PodEndpoint, type: PolicyType): NetworkPolicyManifest[] {
    return model.policies.filter(
        (policy) =>
            policy.metadata.namespace === pod.namespace &&
            selectorMatches(policy.spec.podSelector, pod.labels) &&
            effectivePolicyTypes(policy.spec).includes(type),
    );
}

/** The rules of one direction, with their peers under one name. */
function rulesOf(spec: NetworkPolicySpec, type: PolicyType): { readonly peers?: readonly NetworkPolicyPeer[]; readonly ports?: readonly NetworkPolicyPort[] }[] {
    return type === "Ingress"
        ? (spec.ingress ?? []).map((rule) => ({ peers: rule.from, ports: rule.ports }))
        : (spec.egress ?? []).map((rule) => ({ peers: rule.to, ports: rule.ports }));
}

/** Whether `endpoint`'s policies of one direction admit a connection with `peer` on `port`. */
function directionAllows(model: ClusterModel, endpoint: Endpoint, type: PolicyType, peer: Endpoint, port: ListeningPort): boolean {
    if (endpoint.kind !== "pod") return true;
    const policies = selectingPolicies(model, endpoint, type);
    if (policies.length === 0) return true;
    return policies.some((policy) =>
        rulesOf(policy.spec, type).some(
            (rule) =>
                (!rule.peers || rule.peers.length === 0 || rule.peers.some((candidate) => peerMatches(model, candidate, peer, policy.metadata.namespace))) &&
                portMatches(rule.ports, port),
        ),
    );
}

/** True when `from` may open a connection to `port` on `to`. */
export function connectionAllowed(model: ClusterModel, from: Endpoint, to: Endpoint, port: ListeningPort): boolean {
    return directionAllows(model, from, "Egress", to, port) && directionAllows(model, to, "Ingress", from, port);
}

/** Every allowed connection between distinct endpoints of the model, to each port the destination listens on. */
export function allowedFlows(model: ClusterModel): Flow[] {
    const flows: Flow[] = [];
    for (const from of model.endpoints) {
        for (const to of model.endpoints) {
            if (from.id === to.id) continue;
            for (const port of to.ports) {
                if (connectionAllowed(model, from, to, port)) flows.push({ from: from.id, to: to.id, port: port.port, protocol: port.protocol });
            }
        }
    }
    return flows;
}

/** `from -> to:port/protocol`, a stable, readable key for comparing flow sets. */
export function describeFlow(flow: Flow): string {
    return `${flow.from} -> ${flow.to}:${flow.port}/${flow.protocol}`;
}
