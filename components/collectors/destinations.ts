/**
 * Every connection a collector opens, read from its rendered configuration: what its exporters,
 * processors, receivers and extensions dial. The NetworkPolicies of both tiers (agents, gateways)
 * are derived from this list, so a new exporter or endpoint either maps to a peer or fails the
 * plan; nothing is opened by hand.
 *
 * Only components the service starts count (a configured but unused component is never built).
 * Component behaviour, from opentelemetry-collector(-contrib) READMEs at the pinned release:
 *  - otlp_grpc: one gRPC connection to `endpoint` (host:port);
 *  - load_balancing with the k8s resolver: watches the Service's EndpointSlices through the
 *    Kubernetes API and, with return_hostnames, dials each backend pod by its hostname on `ports`;
 *  - prometheus_remote_write: HTTPS to `endpoint`; with the sigv4auth authenticator the AWS SDK's
 *    default chain fetches credentials (EKS Pod Identity here);
 *  - k8s_attributes: watches pods (and replica sets, namespaces) through the Kubernetes API;
 *  - resource_detection: the env detector reads the environment only; every other detector calls
 *    an API (EC2/EKS metadata, ...), so any other is refused here until it is mapped;
 *  - prometheus receiver: scrapes its static targets.
 */
import type { CollectorConfig, LoadBalancingExporterConfig, PrometheusReceiverConfig, PrometheusRemoteWriteExporterConfig } from "./config-types";
import {
    awsCredentials,
    destination,
    distinctDestinations,
    hostPort,
    kubernetesApiClient,
    urlDestination,
    type Destination,
} from "../platform/destinations";

/** Component kinds that only listen or transform in-process, by type (the id up to `/`). */
const dialsNothing = {
    receivers: ["otlp"],
    processors: ["memory_limiter", "batch", "transform", "resource", "filter", "tail_sampling"],
    connectors: ["forward", "span_metrics", "service_graph"],
    extensions: ["health_check", "file_storage"],
} as const;

const typeOf = (id: string) => id.split("/")[0];

/** Expands `${env:NAME}` references the way the collector does, from the pod's environment. */
function expand(value: string, env: Readonly<Record<string, string>>, via: string): string {
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
        const resolved = env[name];
        if (resolved === undefined) throw new Error(`${via} reads \${env:${name}}, which the pod does not set`);
        return resolved;
    });
}

function usedIds(config: CollectorConfig, kind: "receivers" | "processors" | "exporters"): string[] {
    return [...new Set(Object.values(config.service.pipelines).flatMap((pipeline) => pipeline[kind]))];
}

function refuse(kind: string, id: string): never {
    throw new Error(`${kind}.${id}: no destination reader knows what this component dials; teach collectors/destinations.ts before using it`);
}

function loadBalancingDestinations(id: string, exporter: LoadBalancingExporterConfig): Destination[] {
    const via = `exporters.${id}`;
    const resolver = exporter.resolver.k8s;
    if (!resolver) refuse("exporters", `${id}.resolver`);
    const [service, namespace] = resolver.service.split(".");
    if (!service || !namespace) throw new Error(`${via}.resolver.k8s.service '${resolver.service}' must name the namespace too (name.namespace)`);
    return [
        kubernetesApiClient(`${via}.resolver.k8s (EndpointSlices of ${resolver.service})`),
        ...resolver.ports.map((port) => destination(`${service}.${namespace}.svc.cluster.local`, port, `${via}.resolver.k8s.ports`)),
    ];
}

function remoteWriteDestinations(id: string, exporter: PrometheusRemoteWriteExporterConfig, config: CollectorConfig, env: Readonly<Record<string, string>>): Destination[] {
    const via = `exporters.${id}`;
    const authenticator = exporter.auth?.authenticator;
    if (authenticator !== undefined && typeOf(authenticator) !== "sigv4auth") refuse("extensions", authenticator);
    if (authenticator !== undefined && !config.service.extensions.includes(authenticator)) {
        throw new Error(`${via}.auth names ${authenticator}, which service.extensions does not start`);
    }
    return [
        urlDestination(expand(exporter.endpoint, env, `${via}.endpoint`), `${via}.endpoint`),
        ...(authenticator ? [awsCredentials(`extensions.${authenticator}`)] : []),
    ];
}

function exporterDestinations(id: string, config: CollectorConfig, env: Readonly<Record<string, string>>): Destination[] {
    const exporter = config.exporters[id];
    if (!exporter) throw new Error(`a pipeline uses exporter ${id}, which the config does not define`);
    switch (typeOf(id)) {
        case "otlp_grpc": {
            const endpoint = (exporter as { endpoint?: string }).endpoint;
            if (!endpoint) throw new Error(`exporters.${id} has no endpoint`);
            return [hostPort(expand(endpoint, env, `exporters.${id}.endpoint`), `exporters.${id}.endpoint`)];
        }
        case "load_balancing":
            return loadBalancingDestinations(id, exporter as LoadBalancingExporterConfig);
        case "prometheus_remote_write":
            return remoteWriteDestinations(id, exporter as PrometheusRemoteWriteExporterConfig, config, env);
        default:
            return refuse("exporters", id);
    }
}

function processorDestinations(id: string, config: CollectorConfig): Destination[] {
    const type = typeOf(id);
    if (type === "k8s_attributes") return [kubernetesApiClient(`processors.${id} (pod metadata)`)];
    if (type === "resource_detection") {
        const detectors = (config.processors[id] as { detectors?: readonly string[] }).detectors ?? [];
        const calling = detectors.filter((detector) => detector !== "env");
        if (calling.length > 0) refuse("processors", `${id}.detectors[${calling.join(", ")}]`);
        return [];
    }
    if ((dialsNothing.processors as readonly string[]).includes(type)) return [];
    return refuse("processors", id);
}

function receiverDestinations(id: string, config: CollectorConfig, env: Readonly<Record<string, string>>): Destination[] {
    const type = typeOf(id);
    if (type === "prometheus") {
        const scrape = (config.receivers[id] as PrometheusReceiverConfig).config.scrape_configs;
        return scrape.flatMap((job) =>
            job.static_configs.flatMap((group) =>
                group.targets.map((target) => hostPort(expand(target, env, `receivers.${id}`), `receivers.${id} (scrape job ${job.job_name})`)),
            ),
        );
    }
    if ((dialsNothing.receivers as readonly string[]).includes(type)) return [];
    return refuse("receivers", id);
}

function extensionDestinations(id: string): Destination[] {
    const type = typeOf(id);
    // sigv4auth only signs; the exporter using it accounts for the credential fetch.
    if (type === "sigv4auth" || (dialsNothing.extensions as readonly string[]).includes(type)) return [];
    return refuse("extensions", id);
}

/**
 * Every host and port a collector (agent or gateway) with this configuration connects to.
 * `env` is the pod's environment, for the `${env:NAME}` references the config expands.
 */
export function collectorDestinations(config: CollectorConfig, env: Readonly<Record<string, string>> = {}): Destination[] {
    for (const id of Object.keys(config.connectors ?? {})) {
        if (!(dialsNothing.connectors as readonly string[]).includes(typeOf(id))) refuse("connectors", id);
    }
    return distinctDestinations([
        ...usedIds(config, "receivers").filter((id) => id in config.receivers).flatMap((id) => receiverDestinations(id, config, env)),
        ...usedIds(config, "processors").flatMap((id) => processorDestinations(id, config)),
        ...usedIds(config, "exporters").filter((id) => id in config.exporters).flatMap((id) => exporterDestinations(id, config, env)),
        ...config.service.extensions.flatMap((id) => extensionDestinations(id)),
    ]);
}
