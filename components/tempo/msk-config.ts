/**
 * The Kafka side of distributed Tempo on Amazon MSK: broker properties, the trace topic, SCRAM
 * secret shape and a storage check. Pure: plain data in, plain data out.
 *
 * Topic settings follow Grafana's "Configure a Kafka-compatible backend" (grafana/tempo
 * docs/sources/tempo/set-up-for-tracing/setup-tempo/configure-kafka.md): one topic, replication
 * factor 3 with min.insync.replicas 2, delete (never compact), about 24 h retention (never below
 * 40 min), max.message.bytes >= 16,000,000, pre-created rather than auto-created.
 */
import { replicatedLog } from "../capacity/kafka-log";
import { mskSecretNamePrefix } from "../platform/names";

/** The trace topic (the name the tempo-distributed chart and Grafana's docs use). */
export const tempoTopic = {
    name: "tempo-traces",
    replicationFactor: replicatedLog.replicationFactor,
    minInsyncReplicas: replicatedLog.minInsyncReplicas,
    /** Covers a block-builder outage and catch-up, and twice the live-store's 20 min replay window. */
    retentionHours: replicatedLog.retentionHours,
    /** Tempo produces record batches up to 16,000,000 bytes. */
    maxMessageBytes: 16_000_000,
} as const;

/** The one SASL/SCRAM user; Tempo's distributors, live-stores and block-builders share it. */
export const scramUsername = "tempo";

export function scramSecretName(kafkaClusterName: string): string {
    return `${mskSecretNamePrefix}${kafkaClusterName}`;
}

/** The secret value MSK reads: a JSON object with exactly `username` and `password`. */
export function scramSecretString(username: string, password: string): string {
    return JSON.stringify({ username, password });
}

/** Broker-wide properties (MSK custom configuration), one `key=value` per line. */
export function mskServerProperties(): string {
    const properties: Record<string, string | number | boolean> = {
        // The program creates the topic (partitions from the capacity plan); a typo'd or stray
        // client must not create topics with broker defaults.
        "auto.create.topics.enable": false,
        "default.replication.factor": tempoTopic.replicationFactor,
        "min.insync.replicas": tempoTopic.minInsyncReplicas,
        // Never elect an out-of-sync replica: that silently drops acknowledged spans.
        "unclean.leader.election.enable": false,
        "log.retention.hours": tempoTopic.retentionHours,
        "message.max.bytes": tempoTopic.maxMessageBytes,
        // MSK sets this true by default; with unauthenticated access off, "everyone" means only
        // SCRAM-authenticated users, of which the program creates one (MSK has no API for Kafka ACLs).
        "allow.everyone.if.no.acl.found": true,
    };
    return Object.entries(properties)
        .map(([key, value]) => `${key}=${value}`)
        .join("\n");
}

/** Topic-level configuration (MSK topic API `configs`), as Kafka expects: string values. */
export function tempoTopicConfigs(): Record<string, string> {
    return {
        "cleanup.policy": "delete",
        "min.insync.replicas": String(tempoTopic.minInsyncReplicas),
        "retention.ms": String(tempoTopic.retentionHours * 3_600_000),
        "max.message.bytes": String(tempoTopic.maxMessageBytes),
    };
}

/** What each broker retains of the topic, and the volume that holds it: the capacity plan sizes the brokers with these. */
export { requiredBrokerVolumeGb, retainedGbPerBroker } from "../capacity/kafka-log";

/** Share of a broker volume the retained topic may fill, leaving room for traffic peaks and consumer catch-up. */
export const brokerVolumeMaxFill = replicatedLog.volumeMaxFill;
