/**
 * Where a workload opens connections to, as its own configuration says: the vocabulary the config
 * builders' destination readers (collectors, Tempo, Grafana) share with the network concern, which
 * turns each destination into a NetworkPolicy peer. Pure data; no resources.
 */

export type DestinationProtocol = "TCP" | "UDP";

/** One connection a workload opens. */
export interface Destination {
    /** The host as the workload dials it: a DNS name or an IPv4 address. */
    readonly host: string;
    readonly port: number;
    readonly protocol: DestinationProtocol;
    /** The configuration setting that makes the workload dial it, e.g. `exporters.otlp_grpc/tempo.endpoint`. */
    readonly via: string;
}

/**
 * The EKS Pod Identity agent on every node (IPv4 link-local), where the AWS SDK's default credential
 * chain fetches a pod's credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI, injected at admission).
 */
export const podIdentityAgent = { host: "169.254.170.23", port: 80 } as const;

/**
 * The Kubernetes API as in-cluster clients reach it: the `kubernetes` Service in `default`, whose
 * ClusterIP client-go reads from KUBERNETES_SERVICE_HOST and dials on 443.
 */
export const kubernetesApi = { host: "kubernetes.default.svc", port: 443 } as const;

export function destination(host: string, port: number, via: string, protocol: DestinationProtocol = "TCP"): Destination {
    if (!host) throw new Error(`${via} names no host`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${via} names port ${port}, which is not a TCP/UDP port`);
    return { host, port, protocol, via };
}

/** The credentials a workload's AWS SDK fetches from the Pod Identity agent for the call `via` describes. */
export function awsCredentials(via: string): Destination {
    return destination(podIdentityAgent.host, podIdentityAgent.port, `${via} (AWS credentials from EKS Pod Identity)`);
}

/** A client of the in-cluster Kubernetes API. */
export function kubernetesApiClient(via: string): Destination {
    return destination(kubernetesApi.host, kubernetesApi.port, via);
}

/** `host:port` as collector and Tempo settings write an address (an optional `dns+` discovery prefix is dropped). */
export function hostPort(address: string, via: string): Destination {
    const match = /^(?:dns\+)?([^:/\s]+):(\d+)$/.exec(address.trim());
    if (!match) throw new Error(`${via} is '${address}', not host:port`);
    return destination(match[1], Number(match[2]), via);
}

const defaultPorts: Readonly<Record<string, number>> = { "https:": 443, "http:": 80 };

/** The host and port a URL connects to (the scheme's port unless one is given). */
export function urlDestination(url: string, via: string): Destination {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        throw new Error(`${via} is '${url}', not a URL`);
    }
    const port = parsed.port ? Number(parsed.port) : defaultPorts[parsed.protocol];
    if (port === undefined) throw new Error(`${via} uses ${parsed.protocol}, whose port is not known`);
    return destination(parsed.hostname, port, via);
}

/** Every destination once, in first-seen order (several settings may dial the same host and port). */
export function distinctDestinations(destinations: readonly Destination[]): Destination[] {
    const seen = new Map<string, Destination>();
    for (const d of destinations) {
        const key = `${d.host}:${d.port}/${d.protocol}`;
        const earlier = seen.get(key);
        seen.set(key, earlier ? { ...earlier, via: earlier.via.split("; ").includes(d.via) ? earlier.via : `${earlier.via}; ${d.via}` } : d);
    }
    return [...seen.values()];
}

/** `host:port/protocol`, a stable key for comparing destination lists. */
export function describeDestination(d: Destination): string {
    return `${d.host}:${d.port}/${d.protocol}`;
}
