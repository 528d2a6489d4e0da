/**
 * The platform's NetworkPolicies as plain manifests. Every platform namespace denies all ingress
 * and egress by default and allows DNS; each workload then gets exactly:
 *
 *  - egress: the routes (egress-routes.ts) of every destination its own rendered configuration
 *    dials (collectors/, tempo/, grafana/ destinations.ts), grouped by peer. Nothing is listed
 *    by hand: a new endpoint in a config changes the policy, or fails the plan if no peer is known;
 *  - ingress from other platform pods: the mirror of those egress routes (a workload admits a
 *    platform workload on a port exactly when that workload's config dials it there);
 *  - ingress from outside the platform, by design (below).
 *
 * Sources seen behind the load balancers (why some ingress names the VPC CIDR):
 *  - the gateway's OTLP NLB preserves client addresses, so the gateway sees the allow-listed
 *    application networks themselves; the NLB's health checks come from its own addresses in
 *    the VPC and connect to the OTLP port (a TCP check, so they fail when the listener does);
 *  - Grafana's NLB does not preserve client addresses (IP targets default), and its clients are
 *    Client VPN interfaces anyway (Client VPN source-NATs to them), so Grafana's pods see VPC
 *    addresses. The precise gate is the NLB's security group, which admits only the VPN endpoint's
 *    group; the policy keeps everything else in the cluster from reaching Grafana directly.
 * Applications in namespaces carrying appNamespaceLabel send OTLP to their node's agent. The
 * collectors push their own telemetry, so no collector scrape port is opened; the agents scrape
 * Tempo's and Grafana's /metrics (their configs dial those pods, so the ports open by derivation).
 * Pure data; no resources.
 */
import { describeDestination, type Destination } from "../platform/destinations";
import { namespaces, ports, workloads, type PlatformNamespace, type WorkloadKey } from "../platform/names";
import { routeOf, type EgressContext, type EgressRoute } from "./egress-routes";
import type { NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyManifest, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from "./policy-graph";

/** CoreDNS in EKS: kube-system pods labelled k8s-app=kube-dns (the kube-dns Service's selector). */
export const kubeDnsPeer: NetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
};

export interface NetworkPolicyPlanInput extends EgressContext {
    /** Environment name (label on every policy). */
    readonly environment: string;
    /** Application networks allowed to send OTLP through the gateway's NLB. */
    readonly appOtlpCidrs: readonly string[];
    /** Label marking application namespaces that may send OTLP to the agents. */
    readonly appNamespaceLabel: { readonly key: string; readonly value: string };
    /** What each workload's rendered configuration dials. */
    readonly destinations: Readonly<Record<WorkloadKey, readonly Destination[]>>;
}

export interface NetworkPolicyPlan {
    /** Every NetworkPolicy, in networkPolicySlots() order. */
    readonly policies: NetworkPolicyManifest[];
    /** How each workload's destinations are reached. */
    readonly routes: Readonly<Record<WorkloadKey, readonly EgressRoute[]>>;
    /** Destinations no policy admits (the public internet), with the reason; the program warns about them. */
    readonly refused: readonly { readonly workload: WorkloadKey; readonly destination: Destination; readonly reason: string }[];
}

/** One NetworkPolicy's place: its namespace, name and why it exists. */
export interface NetworkPolicySlot {
    readonly namespace: string;
    readonly name: string;
    readonly purpose: string;
    /** The workload it selects; absent for the namespace-wide baseline. */
    readonly workload?: WorkloadKey;
}

const purposeAnnotation = "tracing.platform/purpose";

const workloadPurposes: Readonly<Record<WorkloadKey, string>> = {
    agent: "OTLP from labelled application namespaces; egress to what its config dials (gateways, Kubernetes API, Tempo and Grafana metrics)",
    gateway: "OTLP from the agents, the log agents and allow-listed networks; egress to what its config dials (Tempo, Managed Prometheus, CloudWatch Logs, MSK metrics)",
    logAgent: "No ingress; egress to what its config dials (the gateways' OTLP port)",
    tempo: "OTLP from the gateways, queries from Grafana, metrics scrapes from the agents, its own cluster traffic; egress to what its config dials (S3, Kafka)",
    grafana: "HTTPS from the internal load balancer, metrics scrapes from the agents; egress to what its config dials (Tempo, Managed Prometheus, SNS)",
};

/** Every NetworkPolicy the plan produces, in order; fixed, so resources can be declared before the plan's inputs resolve. */
export function networkPolicySlots(): NetworkPolicySlot[] {
    const baseline = (Object.keys(namespaces) as PlatformNamespace[]).flatMap((key) => [
        { namespace: namespaces[key], name: "default-deny-all", purpose: "Deny every connection in and out unless another policy allows it" },
        { namespace: namespaces[key], name: "allow-dns", purpose: "Name resolution through the cluster DNS" },
    ]);
    const selecting = (Object.keys(workloads) as WorkloadKey[]).map((workload) => ({
        namespace: workloads[workload].namespace,
        name: workloads[workload].name,
        purpose: workloadPurposes[workload],
        workload,
    }));
    return [...baseline, ...selecting];
}

export function networkPolicyMetadata(slot: NetworkPolicySlot, environment: string): NetworkPolicyManifest["metadata"] {
    return {
        name: slot.name,
        namespace: slot.namespace,
        labels: { "app.kubernetes.io/part-of": "tracing-platform", "app.kubernetes.io/managed-by": "pulumi", environment },
        annotations: { [purposeAnnotation]: slot.purpose },
    };
}

function tcp(port: number): NetworkPolicyPort {
    return { protocol: "TCP", port };
}

function udp(port: number): NetworkPolicyPort {
    return { protocol: "UDP", port };
}

function cidrPeers(cidrs: readonly string[]): NetworkPolicyPeer[] {
    return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}

function podsOf(workload: WorkloadKey): NetworkPolicyPeer {
    return {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": workloads[workload].namespace } },
        podSelector: { matchLabels: { "app.kubernetes.io/name": workloads[workload].name } },
    };
}

/** Rules with the same peers become one rule with every port (a rule admits each peer on each port). */
function groupedRules(entries: readonly { readonly peers: readonly NetworkPolicyPeer[]; readonly port: NetworkPolicyPort }[]): { peers: NetworkPolicyPeer[]; ports: NetworkPolicyPort[] }[] {
    const groups = new Map<string, { peers: NetworkPolicyPeer[]; ports: NetworkPolicyPort[] }>();
    for (const { peers, port } of entries) {
        const key = JSON.stringify(peers);
        const group = groups.get(key) ?? { peers: [...peers], ports: [] };
        if (!group.ports.some((p) => p.port === port.port && p.protocol === port.protocol)) group.ports.push(port);
        groups.set(key, group);
    }
    return [...groups.values()];
}

const portOf = (d: Destination): NetworkPolicyPort => (d.protocol === "UDP" ? udp(d.port) : tcp(d.port));

function egressRules(routes: readonly EgressRoute[]): NetworkPolicyEgressRule[] {
    const entries = routes.flatMap((route) => {
        if (route.kind === "pods") return [{ peers: [route.peer], port: portOf(route.destination) }];
        if (route.kind === "addresses") return [{ peers: cidrPeers(route.cidrs), port: portOf(route.destination) }];
        return [];
    });
    return groupedRules(entries).map(({ peers, ports }) => ({ to: peers, ports }));
}

/** Platform pods that dial `target`, mirrored from their egress routes. */
function platformIngress(target: WorkloadKey, routes: NetworkPolicyPlan["routes"]): NetworkPolicyIngressRule[] {
    const entries = (Object.keys(routes) as WorkloadKey[]).flatMap((source) =>
        routes[source].flatMap((route) => (route.kind === "pods" && route.workload === target ? [{ peers: [podsOf(source)], port: portOf(route.destination) }] : [])),
    );
    return groupedRules(entries).map(({ peers, ports }) => ({ from: peers, ports }));
}

/** Ingress from outside the platform's pods, by design (see the header). */
function externalIngress(workload: WorkloadKey, input: NetworkPolicyPlanInput): NetworkPolicyIngressRule[] {
    const vpc = cidrPeers([input.vpcCidr]);
    switch (workload) {
        case "agent":
            return [
                {
                    from: [{ namespaceSelector: { matchLabels: { [input.appNamespaceLabel.key]: input.appNamespaceLabel.value } } }],
                    ports: [tcp(ports.otlpGrpc), tcp(ports.otlpHttp)],
                },
            ];
        case "gateway":
            return [
                { from: cidrPeers(input.appOtlpCidrs), ports: [tcp(ports.otlpGrpc)] },
                // The NLB's health checks connect to the OTLP port from the NLB's addresses in the VPC.
                { from: vpc, ports: [tcp(ports.otlpGrpc)] },
            ];
        case "grafana":
            return [{ from: vpc, ports: [tcp(ports.grafanaHttps)] }];
        // The log agent listens to nobody: it reads files and pushes.
        case "logAgent":
        case "tempo":
            return [];
    }
}

/** The namespace-wide baseline policies' specs (default deny, DNS). */
export function baselineSpec(name: string): NetworkPolicySpec {
    if (name === "default-deny-all") return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
    return { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [kubeDnsPeer], ports: [udp(ports.dns), tcp(ports.dns)] }] };
}

/** Every NetworkPolicy of the platform, with the routes they were built from. */
export function planNetworkPolicies(input: NetworkPolicyPlanInput): NetworkPolicyPlan {
    const keys = Object.keys(workloads) as WorkloadKey[];
    const routes = Object.fromEntries(keys.map((key) => [key, input.destinations[key].map((d) => routeOf(d, input))])) as Record<WorkloadKey, EgressRoute[]>;
    const refused = keys.flatMap((workload) =>
        routes[workload].flatMap((route) => (route.kind === "refused" ? [{ workload, destination: route.destination, reason: route.reason }] : [])),
    );
    const policies = networkPolicySlots().map((slot): NetworkPolicyManifest => {
        const metadata = networkPolicyMetadata(slot, input.environment);
        if (!slot.workload) return { metadata, spec: baselineSpec(slot.name) };
        return {
            metadata,
            spec: {
                podSelector: { matchLabels: { "app.kubernetes.io/name": workloads[slot.workload].name } },
                policyTypes: ["Ingress", "Egress"],
                ingress: [...platformIngress(slot.workload, routes), ...externalIngress(slot.workload, input)],
                egress: egressRules(routes[slot.workload]),
            },
        };
    });
    return { policies, routes, refused };
}

/** One line per refused destination, for the program's warning. */
export function describeRefused(plan: NetworkPolicyPlan): string[] {
    return plan.refused.map(({ workload, destination, reason }) => `${workloads[workload].name} dials ${describeDestination(destination)} (${destination.via}): ${reason}`);
}
