/**
 * The agents' config (one per node, otelcol-k8s): OTLP over TLS from applications -> memory_limiter ->
 * k8s_attributes -> resource_detection -> PII scrubbing -> batch -> load_balancing by trace id to
 * the gateways over mutual TLS. Its own metrics and those of the Tempo and Grafana pods on its node
 * go to the gateways too, which remote-write them, and so do the container logs of the platform's
 * pods on its node, which the gateways ship to CloudWatch Logs.
 */
import { piiTraceStatements } from "./pii-scrubbing";
import { platformScrapeReceiver } from "./platform-scrape";
import { logOffsetsDir, platformLogReceiver } from "./platform-logs";
import { assertImageSupportsConfig } from "./components";
import { ports, services } from "../platform/names";
import type { ImageRef } from "../platform/settings";
import { batch, collectorEnv, healthCheck, memoryLimiter, mutualClientTls, otlpReceiver, selfMetricsJobs, selfMetricsReceiver, telemetry } from "./config";
import type { CollectorConfig, LoadBalancingExporterConfig } from "./config-types";

/** Exporter-level queue and retry: a failed batch is re-routed to a live gateway, not retried against a departed one. */
function loadBalancing(routingKey: LoadBalancingExporterConfig["routing_key"]): LoadBalancingExporterConfig {
    const gateway = services.gatewayHeadless;
    return {
        routing_key: routingKey,
        protocol: {
            otlp: {
                tls: mutualClientTls(),
                compression: "gzip",
                timeout: "10s",
                sending_queue: { enabled: false },
                retry_on_failure: { enabled: false },
            },
        },
        // EndpointSlices of the headless Service (RBAC in the agent component), so scaling is seen at once.
        resolver: { k8s: { service: `${gateway.name}.${gateway.namespace}`, ports: [ports.otlpGrpc], timeout: "1s", return_hostnames: true } },
        timeout: "10s",
        sending_queue: { enabled: true, queue_size: 1000, num_consumers: 10 },
        retry_on_failure: { enabled: true, initial_interval: "1s", max_interval: "30s", max_elapsed_time: "300s" },
    };
}

/** The agent's pipelines and processors, named once so tests and policies can look for them. */
export const agentIds = {
    k8sAttributes: "k8s_attributes",
    resourceDetection: "resource_detection",
    pii: "transform/pii",
    tracesExporter: "load_balancing",
    selfMetricsReceiver: "prometheus/self",
    platformReceiver: "prometheus/platform",
    selfMetricsExporter: "load_balancing/self_metrics",
    logsReceiver: "file_log/platform",
    logOffsets: "file_storage/offsets",
    logsExporter: "load_balancing/logs",
    logsPipeline: "logs/platform",
} as const;

export interface AgentConfigInput {
    /** The agent image (config collectorImage); the config is checked against it. */
    readonly image: ImageRef;
    /** Drop client.address and related attributes (config piiDropClientAddress). */
    readonly dropClientAddress: boolean;
}

export function buildAgentConfig(input: AgentConfigInput): CollectorConfig {
    const config: CollectorConfig = {
        extensions: {
            health_check: healthCheck,
            [agentIds.logOffsets]: { directory: logOffsetsDir, create_directory: false, timeout: "1s" },
        },
        receivers: {
            otlp: otlpReceiver(false),
            [agentIds.selfMetricsReceiver]: selfMetricsReceiver(selfMetricsJobs.agent),
            // Tempo's and Grafana's own metrics, from the pods on this node.
            [agentIds.platformReceiver]: platformScrapeReceiver(),
            // The platform's own container logs on this node (Grafana's access log among them).
            [agentIds.logsReceiver]: platformLogReceiver(agentIds.logOffsets),
        },
        processors: {
            memory_limiter: memoryLimiter,
            [agentIds.k8sAttributes]: {
                auth_type: "serviceAccount",
                passthrough: false,
                // Spans are tagged correctly from the first request, or the agent is not ready.
                wait_for_metadata: true,
                wait_for_metadata_timeout: "10s",
                // Each agent watches only the pods of its own node.
                filter: { node_from_env_var: collectorEnv.nodeName },
                pod_association: [
                    { sources: [{ from: "resource_attribute", name: "k8s.pod.ip" }] },
                    { sources: [{ from: "resource_attribute", name: "k8s.pod.uid" }] },
                    { sources: [{ from: "connection" }] },
                ],
                extract: {
                    metadata: [
                        "k8s.namespace.name",
                        "k8s.pod.name",
                        "k8s.pod.uid",
                        "k8s.node.name",
                        "k8s.deployment.name",
                        "k8s.statefulset.name",
                        "k8s.daemonset.name",
                        "k8s.job.name",
                        "k8s.cronjob.name",
                    ],
                },
            },
            // Only the env detector: cluster and cloud attributes come from settings, so the agent needs
            // no instance metadata service (blocked for pods) and no extra RBAC.
            [agentIds.resourceDetection]: { detectors: ["env"], timeout: "2s", override: false },
            [agentIds.pii]: { error_mode: "ignore", trace_statements: piiTraceStatements({ dropClientAddress: input.dropClientAddress }) },
            batch,
        },
        exporters: {
            [agentIds.tracesExporter]: loadBalancing("traceID"),
            [agentIds.selfMetricsExporter]: loadBalancing("resource"),
            // By resource: each container's lines reach one gateway, so its log stream has one writer.
            [agentIds.logsExporter]: loadBalancing("resource"),
        },
        service: {
            extensions: ["health_check", agentIds.logOffsets],
            telemetry,
            pipelines: {
                traces: {
                    receivers: ["otlp"],
                    processors: ["memory_limiter", agentIds.k8sAttributes, agentIds.resourceDetection, agentIds.pii, "batch"],
                    exporters: [agentIds.tracesExporter],
                },
                "metrics/self": {
                    receivers: [agentIds.selfMetricsReceiver, agentIds.platformReceiver],
                    processors: ["memory_limiter", "batch"],
                    exporters: [agentIds.selfMetricsExporter],
                },
                // Scrubbed by the gateways, which ship them (the logs stay in the cluster until then).
                [agentIds.logsPipeline]: {
                    receivers: [agentIds.logsReceiver],
                    processors: ["memory_limiter", "batch"],
                    exporters: [agentIds.logsExporter],
                },
            },
        },
    };
    assertImageSupportsConfig(config, input.image, "collectorImage");
    return config;
}

/**
 * Cluster-wide resource attributes the agents' env detector adds to every span (never overriding
 * what an SDK set): which cluster, environment, cloud account and region a trace came from.
 */
export function clusterResourceAttributes(input: { environment: string; clusterName: string; region: string; accountId: string }): string {
    const attributes: Record<string, string> = {
        "deployment.environment.name": input.environment,
        "k8s.cluster.name": input.clusterName,
        "cloud.provider": "aws",
        "cloud.platform": "aws_eks",
        "cloud.region": input.region,
        "cloud.account.id": input.accountId,
    };
    return Object.entries(attributes)
        .map(([key, value]) => `${key}=${value}`)
        .join(",");
}
