/**
 * The platform's NetworkPolicies as plain manifests. Every platform namespace denies all ingress
 * and egress by default; the policies below open exactly the flows of the architecture:
 *
 *   labelled app namespaces -> agent 4317/4318        agent -> gateway 4317
 *   appOtlpCidrs (via NLB)  -> gateway 4317           VPC (NLB health) -> gateway 13133
 *   gateway -> Tempo 4317                              Grafana -> Tempo 3200
 *   VPC (NLB, VPN) -> Grafana 3000                     Tempo <-> Tempo 9095, 7946, 3200
 *   everyone -> kube-dns 53 UDP/TCP                    Tempo -> S3 443 (s3Cidrs)
 *   Tempo -> MSK 9096 (VPC, distributed mode)          agent -> Kubernetes API 443 (VPC)
 *   gateway, Grafana -> AWS APIs 443 (VPC interface endpoints)
 *   gateway, Grafana, Tempo -> EKS Pod Identity agent 169.254.170.23:80
 *   agent -> Tempo 3200, Grafana 3000 (each agent scrapes the /metrics of the pods on its node)
 *   gateway -> MSK Open Monitoring 11001-11002 (VPC, distributed mode: broker metrics)
 *
 * Sources seen behind the load balancers (why some ingress names the VPC CIDR):
 *  - the gateway's OTLP NLB preserves client addresses, so the gateway sees the allow-listed
 *    application networks themselves; the NLB's health checks come from its own addresses in
 *    the VPC and go to the health port only;
 *  - Grafana's NLB does not preserve client addresses (IP targets default), and its clients are
 *    Client VPN interfaces anyway (Client VPN source-NATs to them), so Grafana's pods see VPC
 *    addresses. The precise gate is the NLB's security group, which admits only the VPN endpoint's
 *    group; the policy keeps everything else in the cluster from reaching Grafana directly.
 * The collectors push their own telemetry, so no collector scrape port is opened; Tempo and Grafana
 * serve /metrics on their HTTPS ports, which the agents scrape. Pure data; no resources.
 */
import { namespaces, ports, workloads, type PlatformNamespace, type WorkloadKey } from "../platform/names";
import type { TempoMode } from "../platform/settings";
import type { NetworkPolicyManifest, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from "./policy-graph";

/** The EKS Pod Identity agent's link-local address (IPv4), where pods fetch their credentials. */
export const podIdentityAgentCidr = "169.254.170.23/32";
export const podIdentityAgentPort = 80;

/** CoreDNS in EKS: kube-system pods labelled k8s-app=kube-dns. */
export const kubeDnsPeer: NetworkPolicyPeer = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
};

export interface NetworkPolicyPlanInput {
    /** Environment name (label on every policy). */
    readonly environment: string;
    /** The VPC's CIDR: where load balancers, interface endpoints, the API server and MSK live. */
    readonly vpcCidr: string;
    /** Application networks allowed to send OTLP through the gateway's NLB. */
    readonly appOtlpCidrs: readonly string[];
    /** The region's S3 address ranges: the only HTTPS egress Tempo gets. */
    readonly s3Cidrs: readonly string[];
    /** Label marking application namespaces that may send OTLP to the agents. */
    readonly appNamespaceLabel: { readonly key: string; readonly value: string };
    /** Distributed Tempo talks to MSK; monolithic Tempo does not. */
    readonly tempoMode: TempoMode;
}

const purposeAnnotation = "tracing.platform/purpose";

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

function manifest(namespace: string, name: string, environment: string, purpose: string, spec: NetworkPolicySpec): NetworkPolicyManifest {
    return {
        metadata: {
            name,
            namespace,
            labels: { "app.kubernetes.io/part-of": "tracing-platform", "app.kubernetes.io/managed-by": "pulumi", environment },
            annotations: { [purposeAnnotation]: purpose },
        },
        spec,
    };
}

function workloadPolicy(
    workload: WorkloadKey,
    environment: string,
    purpose: string,
    rules: Pick<NetworkPolicySpec, "ingress" | "egress">,
): NetworkPolicyManifest {
    return manifest(workloads[workload].namespace, workloads[workload].name, environment, purpose, {
        podSelector: { matchLabels: { "app.kubernetes.io/name": workloads[workload].name } },
        policyTypes: ["Ingress", "Egress"],
        ingress: rules.ingress ?? [],
        egress: rules.egress ?? [],
    });
}

/** Every NetworkPolicy of the platform, namespace by namespace. */
export function platformNetworkPolicies(input: NetworkPolicyPlanInput): NetworkPolicyManifest[] {
    const { environment, vpcCidr } = input;
    const vpc = cidrPeers([vpcCidr]);
    const podIdentity = { to: cidrPeers([podIdentityAgentCidr]), ports: [tcp(podIdentityAgentPort)] };
    const tempoCluster = [tcp(ports.tempoGrpc), tcp(ports.tempoMemberlist), udp(ports.tempoMemberlist), tcp(ports.tempoHttp)];

    const baseline = (Object.keys(namespaces) as PlatformNamespace[]).flatMap((key) => [
        manifest(namespaces[key], "default-deny-all", environment, "Deny every connection in and out unless another policy allows it", {
            podSelector: {},
            policyTypes: ["Ingress", "Egress"],
        }),
        manifest(namespaces[key], "allow-dns", environment, "Name resolution through the cluster DNS", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [kubeDnsPeer], ports: [udp(ports.dns), tcp(ports.dns)] }],
        }),
    ]);

    return [
        ...baseline,
        workloadPolicy("agent", environment, "OTLP from labelled application namespaces; to the gateways, the Kubernetes API and the metrics of Tempo and Grafana", {
            ingress: [
                {
                    from: [{ namespaceSelector: { matchLabels: { [input.appNamespaceLabel.key]: input.appNamespaceLabel.value } } }],
                    ports: [tcp(ports.otlpGrpc), tcp(ports.otlpHttp)],
                },
            ],
            egress: [
                { to: [podsOf("gateway")], ports: [tcp(ports.otlpGrpc)] },
                // k8s_attributes and the load_balancing resolver watch the API server, whose
                // endpoints are the control plane's interfaces in the cluster's subnets.
                { to: vpc, ports: [tcp(ports.https)] },
                { to: [podsOf("tempo")], ports: [tcp(ports.tempoHttp)] },
                { to: [podsOf("grafana")], ports: [tcp(ports.grafanaHttps)] },
            ],
        }),
        workloadPolicy("gateway", environment, "OTLP from the agents and allow-listed networks; to Tempo and Managed Prometheus", {
            ingress: [
                { from: [podsOf("agent")], ports: [tcp(ports.otlpGrpc)] },
                { from: cidrPeers(input.appOtlpCidrs), ports: [tcp(ports.otlpGrpc)] },
                { from: vpc, ports: [tcp(ports.collectorHealth)] },
            ],
            egress: [
                { to: [podsOf("tempo")], ports: [tcp(ports.otlpGrpc)] },
                { to: vpc, ports: [tcp(ports.https)] },
                podIdentity,
                ...(input.tempoMode === "distributed" ? [{ to: vpc, ports: [tcp(ports.mskJmxExporter), tcp(ports.mskNodeExporter)] }] : []),
            ],
        }),
        workloadPolicy("tempo", environment, "OTLP from the gateways, queries from Grafana, metrics scrapes from the agents, its own cluster traffic; to S3", {
            ingress: [
                { from: [podsOf("gateway")], ports: [tcp(ports.otlpGrpc)] },
                { from: [podsOf("grafana")], ports: [tcp(ports.tempoHttp)] },
                { from: [podsOf("agent")], ports: [tcp(ports.tempoHttp)] },
                { from: [podsOf("tempo")], ports: tempoCluster },
            ],
            egress: [
                { to: [podsOf("tempo")], ports: tempoCluster },
                { to: cidrPeers(input.s3Cidrs), ports: [tcp(ports.https)] },
                podIdentity,
                ...(input.tempoMode === "distributed" ? [{ to: vpc, ports: [tcp(ports.kafkaTlsSasl)] }] : []),
            ],
        }),
        workloadPolicy("grafana", environment, "HTTPS from the internal load balancer, metrics scrapes from the agents; to Tempo and Managed Prometheus", {
            ingress: [
                { from: vpc, ports: [tcp(ports.grafanaHttps)] },
                { from: [podsOf("agent")], ports: [tcp(ports.grafanaHttps)] },
            ],
            egress: [{ to: [podsOf("tempo")], ports: [tcp(ports.tempoHttp)] }, { to: vpc, ports: [tcp(ports.https)] }, podIdentity],
        }),
    ];
}
