/**
 * The log agents' config (one per node, otelcol-k8s, in their own namespace): the platform's
 * container log files on the node -> memory_limiter -> batch -> load_balancing by resource to the
 * gateways over mutual TLS, which scrub the lines and ship them to CloudWatch Logs
 * (platform-logs.ts). Its own metrics go the same way, as the agents' do.
 *
 * Nothing here calls the Kubernetes API: the file_log receiver takes namespace, pod and container
 * from each file's path, and the gateways are found through their headless Service's DNS name
 * (gateway-routing.ts). So the pod gets no API token and its NetworkPolicy no API egress: the one
 * pod admitted with a host mount holds as little as a collector can.
 */
import { assertImageSupportsConfig } from "./components";
import { batch, healthCheck, memoryLimiter, selfMetricsJobs, selfMetricsReceiver, telemetry } from "./config";
import type { CollectorConfig } from "./config-types";
import { loadBalancingToGateways } from "./gateway-routing";
import { logOffsetsDir, platformLogReceiver } from "./platform-logs";
import type { ImageRef } from "../platform/settings";

/** The log agent's components, named once so tests and policies can look for them. */
export const logAgentIds = {
    logsReceiver: "file_log/platform",
    logOffsets: "file_storage/offsets",
    logsExporter: "load_balancing/logs",
    logsPipeline: "logs/platform",
    selfMetricsReceiver: "prometheus/self",
    selfMetricsExporter: "load_balancing/self_metrics",
} as const;

export interface LogAgentConfigInput {
    /** The log agent image (config collectorImage, as the agents); the config is checked against it. */
    readonly image: ImageRef;
}

export function buildLogAgentConfig(input: LogAgentConfigInput): CollectorConfig {
    const config: CollectorConfig = {
        extensions: {
            health_check: healthCheck,
            [logAgentIds.logOffsets]: { directory: logOffsetsDir, create_directory: false, timeout: "1s" },
        },
        receivers: {
            // The platform's own container logs on this node (Grafana's access log among them).
            [logAgentIds.logsReceiver]: platformLogReceiver(logAgentIds.logOffsets),
            [logAgentIds.selfMetricsReceiver]: selfMetricsReceiver(selfMetricsJobs.logAgent),
        },
        processors: { memory_limiter: memoryLimiter, batch },
        exporters: {
            // By resource: each container's lines reach one gateway, so its log stream has one writer.
            [logAgentIds.logsExporter]: loadBalancingToGateways("resource", "dns"),
            [logAgentIds.selfMetricsExporter]: loadBalancingToGateways("resource", "dns"),
        },
        service: {
            extensions: ["health_check", logAgentIds.logOffsets],
            telemetry,
            pipelines: {
                // Scrubbed by the gateways, which ship them (the logs stay in the cluster until then).
                [logAgentIds.logsPipeline]: {
                    receivers: [logAgentIds.logsReceiver],
                    processors: ["memory_limiter", "batch"],
                    exporters: [logAgentIds.logsExporter],
                },
                "metrics/self": {
                    receivers: [logAgentIds.selfMetricsReceiver],
                    processors: ["memory_limiter", "batch"],
                    exporters: [logAgentIds.selfMetricsExporter],
                },
            },
        },
    };
    assertImageSupportsConfig(config, input.image, "collectorImage");
    return config;
}
