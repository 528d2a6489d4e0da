/**
 * The agents' config (one per node, otelcol-k8s): OTLP over TLS from applications -> memory_limiter ->
 * k8s_attributes -> resource_detection -> PII scrubbing -> batch -> load_balancing by trace id to
 * the gateways over mutual TLS. Its own metrics and those of the Tempo and Grafana pods on its node
 * go to the gateways too, which remote-write them. The platform's container logs are not its
 * business: the log agents in their own namespace read them (log-agent-config.ts), so this pod
 * needs no host access.
 */
import { piiTraceStatements } from "./pii-scrubbing";
import { platformScrapeReceiver } from "./platform-scrape";
import { assertImageSupportsConfig } from "./components";
import type { ImageRef } from "../platform/settings";
import { batch, collectorEnv, healthCheck, memoryLimiter, otlpReceiver, selfMetricsJobs, selfMetricsReceiver, telemetry } from "./config";
import type { CollectorConfig } from "./config-types";
import { loadBalancingToGateways } from "./gateway-routing";

/** The agent's pipelines and processors, named once so tests and policies can look for them. */
export const agentIds = {
    k8sAttributes: "k8s_attributes",
    resourceDetection: "resource_detection",
    pii: "transform/pii",
    tracesExporter: "load_balancing",
    selfMetricsReceiver: "prometheus/self",
    platformReceiver: "prometheus/platform",
    selfMetricsExporter: "load_balancing/self_metrics",
} as const;

export interface AgentConfigInput {
    /** The agent image (config collectorImage); the config is checked against it. */
    readonly image: ImageRef;
    /** Drop client.address and related attributes (config piiDropClientAddress). */
    readonly dropClientAddress: boolean;
}

export function buildAgentConfig(input: AgentConfigInput): CollectorConfig {
    const config: CollectorConfig = {
        extensions: { health_check: healthCheck },
        receivers: {
            otlp: otlpReceiver(false),
            [agentIds.selfMetricsReceiver]: selfMetricsReceiver(selfMetricsJobs.agent),
            // Tempo's and Grafana's own metrics, from the pods on this node.
            [agentIds.platformReceiver]: platformScrapeReceiver(),
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
            [agentIds.tracesExporter]: loadBalancingToGateways("traceID", "k8s"),
            [agentIds.selfMetricsExporter]: loadBalancingToGateways("resource", "k8s"),
        },
        service: {
            extensions: ["health_check"],
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
