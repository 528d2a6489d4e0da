/**
 * The platform's other components scraped by the agents: every Tempo pod (all its targets in
 * distributed mode) and Grafana, each by the agent on its own node, so each pod is scraped exactly
 * once and no target is written twice to the metrics workspace. The agents reach them over TLS
 * with the platform CA (Tempo's HTTP port demands the agent's client certificate) and forward the
 * samples to the gateways with their own telemetry, which remote-write them.
 */
import { ports, serviceDnsNames, workloads, type WorkloadKey } from "../platform/names";
import { collectorEnv, collectorPaths, envRef } from "./config";
import type { PrometheusReceiverConfig, PrometheusScrapeConfig } from "./config-types";

/** `job` label of each scraped component's series. */
export const platformScrapeJobs = { tempo: "tempo", grafana: "grafana" } as const;

/** Metric name prefixes the gateways forward from these jobs (besides the collectors' otelcol_* and up). */
export const platformMetricPrefixes = ["tempo_", "tempodb_", "grafana_"] as const;

/**
 * The series kept of each component: what the platform dashboard and alerts read. Tempo alone
 * exposes thousands of series; each one kept is billed per sample in the metrics workspace.
 */
export const platformKeptMetrics = {
    tempo: [
        "tempo_discarded_spans_total",
        "tempo_distributor_produce_failures_total",
        "tempo_ingest_group_partition_lag_seconds",
        "tempo_block_builder_fetch_errors_total",
        "tempodb_compaction_errors_total",
        "tempo_request_duration_seconds_bucket",
    ],
    grafana: ["grafana_datasource_request_total"],
} as const;

/** Seconds between scrapes: component health changes over minutes, and every series costs per sample. */
export const platformScrapeIntervalSeconds = 30;

interface ScrapeTarget {
    readonly job: string;
    readonly workload: WorkloadKey;
    /** The container port serving /metrics. */
    readonly port: number;
    /** The name the server certificate carries (pods are addressed by IP). */
    readonly serverName: string;
    /** Present the agent's client certificate (Tempo requires one from the platform CA). */
    readonly clientCertificate: boolean;
    readonly kept: readonly string[];
}

const targets: readonly ScrapeTarget[] = [
    {
        job: platformScrapeJobs.tempo,
        workload: "tempo",
        port: ports.tempoHttp,
        serverName: serviceDnsNames("tempoQuery").at(-1)!,
        clientCertificate: true,
        kept: platformKeptMetrics.tempo,
    },
    {
        job: platformScrapeJobs.grafana,
        workload: "grafana",
        port: ports.grafanaHttps,
        serverName: serviceDnsNames("grafana").at(-1)!,
        clientCertificate: false,
        kept: platformKeptMetrics.grafana,
    },
];

function scrapeConfig(target: ScrapeTarget): PrometheusScrapeConfig {
    const { name, namespace } = workloads[target.workload];
    return {
        job_name: target.job,
        scrape_interval: `${platformScrapeIntervalSeconds}s`,
        scheme: "https",
        tls_config: {
            ca_file: `${collectorPaths.caDir}/ca.crt`,
            ...(target.clientCertificate ? { cert_file: `${collectorPaths.clientTlsDir}/tls.crt`, key_file: `${collectorPaths.clientTlsDir}/tls.key` } : {}),
            server_name: target.serverName,
            min_version: "TLS13",
            insecure_skip_verify: false,
        },
        kubernetes_sd_configs: [
            {
                role: "pod",
                namespaces: { names: [namespace] },
                // Only this node's pods: every pod is scraped by exactly one agent.
                selectors: [{ role: "pod", field: `spec.nodeName=${envRef(collectorEnv.nodeName)}` }],
            },
        ],
        relabel_configs: [
            { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex: name, action: "keep" },
            { source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: String(target.port), action: "keep" },
            { source_labels: ["__meta_kubernetes_pod_name"], target_label: "instance" },
            { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_component"], target_label: "component" },
        ],
        metric_relabel_configs: [{ source_labels: ["__name__"], regex: target.kept.join("|"), action: "keep" }],
    };
}

/** The agents' receiver for the platform's components. */
export function platformScrapeReceiver(): PrometheusReceiverConfig {
    return { config: { scrape_configs: targets.map(scrapeConfig) } };
}
