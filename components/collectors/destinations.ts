/**
 * Every connection a collector opens, read from its rendered configuration: what its exporters,
 * processors, receivers and extensions dial. The NetworkPolicies of every collector (agents, log
 * agents, gateways) are derived from this list, so a new exporter or endpoint either maps to a
 * peer or fails the plan; nothing is opened by hand.
 *
 * Only components the service starts count (a configured but unused component is never built).
 * Component behaviour, from opentelemetry-collector(-contrib) READMEs at the pinned release:
 *  - otlp_grpc: one gRPC connection to `endpoint` (host:port);
 *  - load_balancing with the k8s resolver: watches the Service's EndpointSlices through the
 *    Kubernetes API and, with return_hostnames, dials each backend pod by its hostname on `ports`;
 *    with the dns resolver: looks `hostname` up through the cluster DNS (a headless Service answers
 *    with its ready pods) and dials each address on `port`, calling no API;
 *  - prometheus_remote_write: HTTPS to `endpoint`; with the sigv4auth authenticator the AWS SDK's
 *    default chain fetches credentials (EKS Pod Identity here);
 *  - awscloudwatchlogs: HTTPS to `endpoint` (else the regional `logs.<region>.amazonaws.com`), with
 *    credentials from the AWS SDK's default chain (README: "AWS credentials are retrieved from the
 *    default credential chain");
 *  - file_log receiver: reads files on the node, dials nothing;
 *  - k8s_attributes: watches pods (and replica sets, namespaces) through the Kubernetes API;
 *  - resource_detection: the env detector reads the environment only; every other detector calls
 *    an API (EC2/EKS metadata, ...), so any other is refused here until it is mapped;
 *  - prometheus receiver: scrapes its static targets; a job with pod discovery (kubernetes_sd_configs,
 *    role pod) watches pods through the Kubernetes API and scrapes the pods it keeps at their own
 *    addresses, so such a job must keep one platform workload's pods (app.kubernetes.io/name) on
 *    one container port; any wider job is refused.
 */
import type {
    AwsCloudWatchLogsExporterConfig,
    CollectorConfig,
    LoadBalancingExporterConfig,
    PrometheusReceiverConfig,
    PrometheusRemoteWriteExporterConfig,
    PrometheusScrapeConfig,
} from "./config-types";
import {
    awsCredentials,
    destination,
    distinctDestinations,
    hostPort,
    kubernetesApiClient,
    podsDestination,
    urlDestination,
    type Destination,
} from "../platform/destinations";

/** Component kinds that only listen or transform in-process, by type (the id up to `/`). */
const dialsNothing = {
    receivers: ["otlp", "file_log"],
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
    const { resolver } = exporter;
    if ("dns" in resolver) {
        // Looks the name up (cluster DNS, which every namespace admits) and dials each address on the port.
        const port = Number(resolver.dns.port);
        return [destination(resolver.dns.hostname, port, `${via}.resolver.dns`)];
    }
    if (!("k8s" in resolver)) refuse("exporters", `${id}.resolver`);
    const [service, namespace] = resolver.k8s.service.split(".");
    if (!service || !namespace) throw new Error(`${via}.resolver.k8s.service '${resolver.k8s.service}' must name the namespace too (name.namespace)`);
    return [
        kubernetesApiClient(`${via}.resolver.k8s (EndpointSlices of ${resolver.k8s.service})`),
        ...resolver.k8s.ports.map((port) => destination(`${service}.${namespace}.svc.cluster.local`, port, `${via}.resolver.k8s.ports`)),
    ];
}

function remoteWriteDestinations(id: string, exporter: PrometheusRemoteWriteExporterConfig, config: CollectorConfig, env: Readonly<Record<string, string>>): Destination[] {
    const via = `exporters.${id}`;
    // The HTTP client settings sit under `http:` (exporter.prometheusremotewritexporter.removeTopLevelHTTPSettings).
    const authenticator = exporter.http.auth?.authenticator;
    if (authenticator !== undefined && typeOf(authenticator) !== "sigv4auth") refuse("extensions", authenticator);
    if (authenticator !== undefined && !config.service.extensions.includes(authenticator)) {
        throw new Error(`${via}.http.auth names ${authenticator}, which service.extensions does not start`);
    }
    return [
        urlDestination(expand(exporter.http.endpoint, env, `${via}.http.endpoint`), `${via}.http.endpoint`),
        ...(authenticator ? [awsCredentials(`extensions.${authenticator}`)] : []),
    ];
}

function cloudWatchLogsDestinations(id: string, exporter: AwsCloudWatchLogsExporterConfig): Destination[] {
    const via = `exporters.${id}`;
    const endpoint = exporter.endpoint || (exporter.region ? `https://logs.${exporter.region}.amazonaws.com` : undefined);
    if (!endpoint) throw new Error(`${via} sets neither endpoint nor region, so where it sends depends on the pod's AWS environment`);
    return [urlDestination(endpoint.includes("://") ? endpoint : `https://${endpoint}`, `${via}.endpoint`), awsCredentials(via)];
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
        case "awscloudwatchlogs":
            return cloudWatchLogsDestinations(id, exporter as AwsCloudWatchLogsExporterConfig);
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

/** The literal value a `keep` relabelling demands of a discovery label, if the job has exactly one. */
function keptValue(job: PrometheusScrapeConfig, label: string): string | undefined {
    const keeps = job.relabel_configs.filter((r) => r.action === "keep" && r.source_labels?.length === 1 && r.source_labels[0] === label);
    const regex = keeps.length === 1 ? keeps[0].regex : undefined;
    return regex !== undefined && /^[A-Za-z0-9_.-]+$/.test(regex) ? regex : undefined;
}

/** What a pod-discovery job dials: the Kubernetes API, and the one workload's pods on the one port it keeps. */
function discoveredTargets(id: string, job: PrometheusScrapeConfig): Destination[] {
    const via = `receivers.${id} (scrape job ${job.job_name})`;
    const sd = job.kubernetes_sd_configs ?? [];
    if (sd.length === 0) return [];
    const name = keptValue(job, "__meta_kubernetes_pod_label_app_kubernetes_io_name");
    const port = keptValue(job, "__meta_kubernetes_pod_container_port_number");
    if (name === undefined || port === undefined || !/^\d+$/.test(port)) {
        refuse("receivers", `${id} scrape job ${job.job_name} (pod discovery must keep one app.kubernetes.io/name and one container port number)`);
    }
    return sd.flatMap((discovery) => [
        kubernetesApiClient(`${via}: pod discovery`),
        ...discovery.namespaces.names.map((namespace) => podsDestination({ namespace, name }, Number(port), via)),
    ]);
}

function receiverDestinations(id: string, config: CollectorConfig, env: Readonly<Record<string, string>>): Destination[] {
    const type = typeOf(id);
    if (type === "prometheus") {
        const scrape = (config.receivers[id] as PrometheusReceiverConfig).config.scrape_configs;
        return scrape.flatMap((job) => [
            ...(job.static_configs ?? []).flatMap((group) =>
                group.targets.map((target) => hostPort(expand(target, env, `receivers.${id}`), `receivers.${id} (scrape job ${job.job_name})`)),
            ),
            ...discoveredTargets(id, job),
        ]);
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
