/**
 * What the agent and gateway configs share: the names the pod specs mount and set, the TLS
 * settings, receivers and processors both tiers run, and rendering to YAML for the ConfigMaps.
 *
 * Every file path, port, env var and component id is a constant, so the pod specs that mount
 * and set them are built from the same names the config reads.
 */
import * as yaml from "yaml";
import { ports, workloads } from "../platform/names";
import type {
    BatchConfig,
    CollectorConfig,
    HealthCheckConfig,
    MemoryLimiterConfig,
    OtlpReceiverConfig,
    PrometheusReceiverConfig,
    TelemetryConfig,
    TlsClientSettings,
    TlsServerSettings,
} from "./config-types";

/** Where the pod specs mount what the config reads. */
export const collectorPaths = {
    configDir: "/conf",
    configFileName: "config.yaml",
    serverTlsDir: "/tls/server",
    clientTlsDir: "/tls/client",
    caDir: "/tls/ca",
    queueDir: "/var/lib/otelcol/queue",
    scratchDir: "/tmp",
} as const;

/** Environment variables the config expands (`${env:NAME}`) and the pod specs set. */
export const collectorEnv = {
    podIp: "MY_POD_IP",
    podName: "MY_POD_NAME",
    nodeName: "K8S_NODE_NAME",
    /** Remote-write URL of the metrics workspace; an env var so the rendered config is known before the workspace exists. */
    remoteWriteUrl: "PROMETHEUS_REMOTE_WRITE_URL",
    /** Read by resource_detection's env detector: cluster, environment and cloud attributes. */
    resourceAttributes: "OTEL_RESOURCE_ATTRIBUTES",
} as const;

/** Loopback address of the collectors' own Prometheus endpoint: scraped in-pod, reachable from nowhere else. */
export const selfMetricsAddress = { host: "127.0.0.1", port: ports.collectorMetrics } as const;

/** `job` label of each tier's otelcol_* series in the metrics workspace (`instance` is the pod name). */
export const selfMetricsJobs = { agent: workloads.agent.name, logAgent: workloads.logAgent.name, gateway: workloads.gateway.name } as const;

/** How often every TLS setting re-reads its certificate and key from the mounted Secret. */
export const certificateReloadInterval = "1h";

/** TLS 1.3 on every hop: every SDK and collector in the platform supports it, and it drops legacy suites. */
export const tlsMinVersion = "1.3";

/** Batch size in spans; also the largest request the persistent queue stores. */
export const batchSpans = 8192;

/** A reference the collector expands from the container environment. */
export const envRef = (name: string) => `\${env:${name}}`;
const podAddress = (port: number) => `${envRef(collectorEnv.podIp)}:${port}`;

function serverTls(mutual: boolean): TlsServerSettings {
    return {
        cert_file: `${collectorPaths.serverTlsDir}/tls.crt`,
        key_file: `${collectorPaths.serverTlsDir}/tls.key`,
        ...(mutual ? { client_ca_file: `${collectorPaths.caDir}/ca.crt`, client_ca_file_reload: true } : {}),
        min_version: tlsMinVersion,
        // Certificates are renewed by `pulumi up` before they expire and the kubelet refreshes the
        // files; the old certificate stays valid for weeks, so an hour's delay costs nothing.
        reload_interval: certificateReloadInterval,
    };
}

export function mutualClientTls(serverName?: string): TlsClientSettings {
    return {
        insecure: false,
        ca_file: `${collectorPaths.caDir}/ca.crt`,
        cert_file: `${collectorPaths.clientTlsDir}/tls.crt`,
        key_file: `${collectorPaths.clientTlsDir}/tls.key`,
        min_version: tlsMinVersion,
        ...(serverName ? { server_name_override: serverName } : {}),
        // Reloads cert_file/key_file only: ca_file is read once, so a new CA bundle rolls the pods (pod.ts).
        reload_interval: certificateReloadInterval,
    };
}

export function otlpReceiver(mutual: boolean): OtlpReceiverConfig {
    return {
        protocols: {
            // Bound to the pod IP: not loopback (kubelet and peers reach it), not 0.0.0.0 (no other interface).
            grpc: { endpoint: podAddress(ports.otlpGrpc), tls: serverTls(mutual) },
            http: { endpoint: podAddress(ports.otlpHttp), tls: serverTls(mutual) },
        },
    };
}

/** Scrapes the collector's own loopback metrics endpoint; `instance` becomes the pod name. */
export function selfMetricsReceiver(job: string): PrometheusReceiverConfig {
    return {
        config: {
            scrape_configs: [
                {
                    job_name: job,
                    scrape_interval: "30s",
                    static_configs: [{ targets: [`${selfMetricsAddress.host}:${selfMetricsAddress.port}`] }],
                    relabel_configs: [{ target_label: "instance", replacement: envRef(collectorEnv.podName) }],
                },
            ],
        },
    };
}

export const memoryLimiter: MemoryLimiterConfig = {
    // Limits follow the container's cgroup limit; GOMEMLIMIT (80%) makes the Go GC work before the soft limit.
    check_interval: "1s",
    limit_percentage: 80,
    spike_limit_percentage: 20,
};

export const batch: BatchConfig = { send_batch_size: batchSpans, send_batch_max_size: batchSpans, timeout: "200ms" };

export const telemetry: TelemetryConfig = {
    logs: { level: "info", encoding: "json" },
    // `normal` includes batch and exporter queue metrics; served on loopback only and pushed by the self-metrics pipeline.
    metrics: { level: "normal", readers: [{ pull: { exporter: { prometheus: { ...selfMetricsAddress } } } }] },
};

export const healthCheck: HealthCheckConfig = { endpoint: podAddress(ports.collectorHealth) };

/** The config as the collector reads it: plain YAML, no anchors, long OTTL statements on one line. */
export function renderCollectorConfig(config: CollectorConfig): string {
    return yaml.stringify(config, { aliasDuplicateObjects: false, lineWidth: 0 });
}
