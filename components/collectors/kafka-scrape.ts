/**
 * MSK's own metrics (distributed Tempo): the brokers' Open Monitoring endpoints, the JMX exporter
 * (11001: under-replicated partitions) and the node exporter (11002: data-log disk), scraped by
 * one gateway. Every gateway renders the same config, so the first ordinal alone keeps the targets:
 * a broker scraped by every gateway would be written to the workspace once per gateway. While
 * that gateway restarts the brokers go unscraped for a minute; the dashboard shows the gap.
 *
 * The broker addresses are known only once MSK exists, so each reaches the gateway as an
 * environment variable the collector expands in the scrape targets.
 */
import { ports } from "../platform/names";
import { collectorEnv, envRef } from "./config";
import type { PrometheusReceiverConfig, PrometheusScrapeConfig } from "./config-types";

/** MSK Open Monitoring ports (fixed by MSK). */
export const kafkaMonitoringPorts = { jmxExporter: ports.mskJmxExporter, nodeExporter: ports.mskNodeExporter } as const;

/** `job` label of each exporter's series. */
export const kafkaScrapeJobs = { jmx: "msk-jmx", node: "msk-node" } as const;

/** The series kept from each exporter: what the platform alerts and dashboard read, nothing of the hundreds more. */
export const kafkaKeptMetrics = {
    jmx: ["kafka_server_ReplicaManager_Value"],
    node: ["node_filesystem_avail_bytes", "node_filesystem_size_bytes"],
} as const;

/** Metric name prefixes the gateways forward from MSK. */
export const kafkaMetricPrefixes = ["kafka_server_", "node_filesystem_"] as const;

/** Environment variable holding broker `n`'s host name (1-based). */
export function kafkaBrokerEnv(n: number): string {
    return `MSK_BROKER_${n}`;
}

/** The gateway pod that scrapes the brokers (StatefulSet ordinal 0). */
export function kafkaScraperPod(gatewayName: string): string {
    return `${gatewayName}-0`;
}

function scrapeConfig(job: string, port: number, kept: readonly string[], brokerCount: number, gatewayName: string): PrometheusScrapeConfig {
    return {
        job_name: job,
        scrape_interval: "60s",
        static_configs: [{ targets: Array.from({ length: brokerCount }, (_, i) => `${envRef(kafkaBrokerEnv(i + 1))}:${port}`) }],
        relabel_configs: [
            // Only the first gateway keeps its targets.
            { target_label: "__tmp_scraper", replacement: envRef(collectorEnv.podName) },
            { source_labels: ["__tmp_scraper"], regex: kafkaScraperPod(gatewayName), action: "keep" },
        ],
        metric_relabel_configs: [{ source_labels: ["__name__"], regex: kept.join("|"), action: "keep" }],
    };
}

/** The gateways' receiver for the brokers' Open Monitoring endpoints. */
export function kafkaScrapeReceiver(brokerCount: number, gatewayName: string): PrometheusReceiverConfig {
    return {
        config: {
            scrape_configs: [
                scrapeConfig(kafkaScrapeJobs.jmx, kafkaMonitoringPorts.jmxExporter, kafkaKeptMetrics.jmx, brokerCount, gatewayName),
                scrapeConfig(kafkaScrapeJobs.node, kafkaMonitoringPorts.nodeExporter, kafkaKeptMetrics.node, brokerCount, gatewayName),
            ],
        },
    };
}

/** Broker host names from MSK's bootstrap string (`host:port,host:port,...`), in order. */
export function brokerHosts(bootstrapBrokers: string): string[] {
    return bootstrapBrokers
        .split(",")
        .map((entry) => entry.trim().replace(/:\d+$/, ""))
        .filter((host) => host.length > 0);
}

/**
 * Broker `n`'s host name (1-based). MSK names every broker `b-<n>.` followed by the cluster's
 * common suffix, and the bootstrap string need not list every broker, so the name is built from
 * whichever broker it lists first.
 */
export function brokerHost(bootstrapBrokers: string, n: number): string {
    const [first] = brokerHosts(bootstrapBrokers);
    if (!first || !/^b-\d+\./.test(first)) throw new Error(`MSK bootstrap brokers '${bootstrapBrokers}' name no b-<n>. broker`);
    return first.replace(/^b-\d+\./, `b-${n}.`);
}
