/**
 * How each destination a workload's configuration dials is reached, and so which NetworkPolicy
 * peer admits it. Pure: the plan (pod-policy-plan.ts) builds every workload's egress from these.
 *
 *  - loopback: never leaves the pod; no policy applies;
 *  - an in-cluster Service name: the pods the Service selects. The peer's podSelector IS the
 *    Service's selector, because the VPC CNI's network policy controller adds a Service's
 *    ClusterIP to an egress rule only when the peer's podSelector matches the Service's selector
 *    labels (aws/amazon-network-policy-controller-k8s pkg/resolvers/endpoints.go,
 *    getMatchingServiceClusterIPs; issues #147, #207, #224): the policy agent filters on the pod's
 *    veth before kube-proxy's DNAT, so traffic to a ClusterIP the controller did not add is dropped.
 *    Headless Services resolve to pod addresses, which the same selector admits;
 *  - the Kubernetes API (`kubernetes.default`): an ipBlock of that Service's ClusterIP, the first
 *    host of the service CIDR (kubernetes pkg/controlplane/services.go, ServiceIPRange). The
 *    Service has no selector and its endpoints (the control plane's interfaces) are never what the
 *    agent sees, so neither a pod peer nor the VPC CIDR would admit it;
 *  - AWS APIs of the stack's region: S3 through the gateway endpoint, i.e. the region's S3 prefix
 *    list; MSK brokers at their interfaces in the VPC; every other service through its interface
 *    endpoint, whose private DNS answers with addresses in the VPC;
 *  - the EKS Pod Identity agent at its link-local address;
 *  - the identity provider's token and user-info hosts (Grafana's single sign-on): HTTPS to the
 *    address blocks configured for them (grafanaIdpCidrs), since a NetworkPolicy cannot name a host;
 *  - anything else is the public internet, which no policy opens: refused, with the reason.
 */
import { addressInBlock, addressInCidr } from "../platform/cidr";
import { describeDestination, kubernetesApi, podIdentityAgent, type Destination } from "../platform/destinations";
import { workloads, type WorkloadKey } from "../platform/names";
import type { NetworkPolicyPeer } from "./policy-graph";

/** A Kubernetes Service a workload may dial by name, as the cluster will hold it. */
export interface ClusterService {
    readonly name: string;
    readonly namespace: string;
    readonly selector: Readonly<Record<string, string>>;
    /** `clusterIP: None`: DNS answers with the selected pods' addresses. */
    readonly headless: boolean;
    readonly ports: readonly { readonly port: number; readonly protocol?: string }[];
}

/** What the routes of a stack depend on. */
export interface EgressContext {
    readonly region: string;
    readonly vpcCidr: string;
    /** The cluster's service CIDR (kubernetesNetworkConfig.serviceIpv4Cidr). */
    readonly kubernetesServiceCidr: string;
    /** Entries of the region's S3 managed prefix list (com.amazonaws.<region>.s3). */
    readonly s3Cidrs: readonly string[];
    /** Every Service of the platform a workload may dial by name. */
    readonly services: readonly ClusterService[];
    /** The identity provider's endpoint hosts and the address blocks they are reached at. */
    readonly identityProvider?: { readonly hosts: readonly string[]; readonly cidrs: readonly string[] };
}

export type EgressRoute =
    | { readonly kind: "loopback"; readonly destination: Destination }
    | {
          readonly kind: "pods";
          readonly destination: Destination;
          /** The workload whose pods the Service selects. */
          readonly workload: WorkloadKey;
          readonly service: ClusterService;
          readonly peer: NetworkPolicyPeer;
      }
    | { readonly kind: "addresses"; readonly destination: Destination; readonly cidrs: readonly string[]; readonly what: string }
    | { readonly kind: "refused"; readonly destination: Destination; readonly reason: string };

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const awsHost = /^(.+)\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/;
const kubernetesApiNames = ["kubernetes", "kubernetes.default", kubernetesApi.host, `${kubernetesApi.host}.cluster.local`];

/** The ClusterIP of the `kubernetes` Service: the first host of the service CIDR. */
export function kubernetesApiClusterIp(serviceCidr: string): string {
    return addressInBlock(serviceCidr, 1);
}

function workloadSelected(service: ClusterService): WorkloadKey {
    const key = (Object.keys(workloads) as WorkloadKey[]).find(
        (candidate) => workloads[candidate].namespace === service.namespace && workloads[candidate].name === service.selector["app.kubernetes.io/name"],
    );
    if (!key) throw new Error(`Service ${service.namespace}/${service.name} selects no platform workload (selector ${JSON.stringify(service.selector)})`);
    return key;
}

/** The Service an in-cluster name (`svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`) stands for, if it is one. */
function serviceNamed(host: string, services: readonly ClusterService[]): ClusterService | undefined {
    const match = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(host);
    if (!match) return undefined;
    const [, name, namespace, clusterSuffix] = match;
    const service = services.find((s) => s.name === name && s.namespace === namespace);
    if (!service && (clusterSuffix || services.some((s) => s.namespace === namespace))) {
        throw new Error(`${host} names Service ${namespace}/${name}, which the platform does not create`);
    }
    return service;
}

function podsRoute(destination: Destination, service: ClusterService): EgressRoute {
    // A ClusterIP forwards only the Service's ports; a headless name resolves to pod addresses, dialled on any port.
    const offered = service.headless || service.ports.some((p) => p.port === destination.port && (p.protocol ?? "TCP") === destination.protocol);
    if (!offered) throw new Error(`${destination.via} dials ${describeDestination(destination)}, a port Service ${service.namespace}/${service.name} does not offer`);
    return {
        kind: "pods",
        destination,
        workload: workloadSelected(service),
        service,
        peer: {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": service.namespace } },
            podSelector: { matchLabels: { ...service.selector } },
        },
    };
}

function awsRoute(destination: Destination, prefix: string, region: string, context: EgressContext): EgressRoute {
    if (region !== context.region) {
        return { kind: "refused", destination, reason: `an endpoint in ${region}; the platform's endpoints serve ${context.region} only` };
    }
    if (prefix === "s3" || prefix.endsWith(".s3")) {
        return destination.port === 443
            ? { kind: "addresses", destination, cidrs: context.s3Cidrs, what: `S3 through the gateway endpoint (prefix list com.amazonaws.${region}.s3)` }
            : { kind: "refused", destination, reason: "S3 is reached over HTTPS (443) only" };
    }
    if (prefix.endsWith(".kafka")) {
        return { kind: "addresses", destination, cidrs: [context.vpcCidr], what: "MSK brokers (their interfaces in the VPC)" };
    }
    if (destination.port !== 443) return { kind: "refused", destination, reason: "AWS APIs are reached over HTTPS (443) only" };
    return { kind: "addresses", destination, cidrs: [context.vpcCidr], what: `the ${prefix} interface endpoint (private DNS, addresses in the VPC)` };
}

/** How one destination is reached. */
export function routeOf(destination: Destination, context: EgressContext): EgressRoute {
    const host = destination.host.toLowerCase();
    if (ipv4.test(host)) {
        if (addressInCidr(host, "127.0.0.0/8")) return { kind: "loopback", destination };
        if (host === podIdentityAgent.host && destination.port === podIdentityAgent.port) {
            return { kind: "addresses", destination, cidrs: [`${host}/32`], what: "the EKS Pod Identity agent" };
        }
        return { kind: "refused", destination, reason: "an address no platform peer stands for" };
    }
    if (kubernetesApiNames.includes(host)) {
        return { kind: "addresses", destination, cidrs: [`${kubernetesApiClusterIp(context.kubernetesServiceCidr)}/32`], what: "the Kubernetes API (the kubernetes Service's ClusterIP)" };
    }
    // Before the AWS names: an IdP may live on an AWS host name (Cognito) yet never behind the VPC's endpoints.
    if (context.identityProvider?.hosts.includes(host)) {
        return destination.port === 443
            ? { kind: "addresses", destination, cidrs: context.identityProvider.cidrs, what: "the identity provider's token and user-info endpoints (grafanaIdpCidrs)" }
            : { kind: "refused", destination, reason: "the identity provider is reached over HTTPS (443) only" };
    }
    const service = serviceNamed(host, context.services);
    if (service) return podsRoute(destination, service);
    const aws = awsHost.exec(host);
    if (aws) return awsRoute(destination, aws[1], aws[2], context);
    return { kind: "refused", destination, reason: "a public internet host; the platform opens no internet egress" };
}
