/** Tempo's deployment mode and size, and the MSK (Kafka) cluster distributed mode writes through. */
import { formatVersion, versionAtLeast } from "./images";
import type { Reader } from "./reader";
import { tempoModes, type ImageRef, type Settings, type TempoMode } from "./types";

/**
 * Distributed Tempo talks to MSK, which only offers TLS with SASL/SCRAM (or IAM). Tempo's Kafka
 * client gained TLS and SCRAM in grafana/tempo#7586 (merged 2026-08-04, after v3.0.3 was cut from
 * release-v3.0); 3.1.0 is the first release carrying it, so 3.0.x can only speak plaintext.
 */
export const tempoKafkaSecurityMinimumVersion = { major: 3, minor: 1, patch: 0 } as const;

/** What the Tempo settings are checked against: the stage, the Tempo image read already, and the subnets MSK spreads over. */
export interface TempoContext {
    readonly isProduction: boolean;
    readonly image: ImageRef;
    readonly privateSubnetIds: readonly string[];
}

export function readTempo(r: Reader, context: TempoContext): Settings["tempo"] {
    const { isProduction, image } = context;
    const mode = r.oneOf("tempoMode", tempoModes);
    const replicas = r.integer("tempoReplicas", 1, 100);
    if (mode === "monolithic" && replicas !== 1) {
        r.problem("tempoReplicas", replicas, "1 in monolithic mode (Tempo 3 monolithic runs a single instance)");
    }
    if (isProduction && mode !== "distributed") {
        r.problem("tempoMode", mode, "distributed in prod (monolithic mode has no redundancy)");
    }
    if (isProduction && replicas < 3) r.problem("tempoReplicas", replicas, "at least 3 in prod");
    if (mode === "distributed" && image.repository && !versionAtLeast(image.version, tempoKafkaSecurityMinimumVersion)) {
        r.problem(
            "tempoImage",
            image.reference,
            `Tempo ${formatVersion(tempoKafkaSecurityMinimumVersion)} or later in distributed mode (older Tempo has no Kafka TLS or SASL/SCRAM client, and MSK accepts nothing less)`,
        );
    }
    const volumeGb = r.integer("tempoVolumeGb", 5, 16000, "GiB");
    return { mode, replicas, volumeGb, msk: readMsk(r, mode, context.privateSubnetIds.length) };
}

/** The MSK cluster distributed Tempo writes through; Tempo's own limits on it apply only in distributed mode. */
export function readMsk(r: Reader, mode: TempoMode, subnetCount: number): Settings["tempo"]["msk"] {
    const instanceType = r.string("mskInstanceType", "an MSK broker type such as kafka.m7g.large");
    if (instanceType && !/^kafka\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceType)) {
        r.problem("mskInstanceType", instanceType, "an MSK broker type such as kafka.m7g.large");
    }
    const brokerCount = r.integer("mskBrokerCount", 2, 30);
    if (mode === "distributed" && subnetCount > 0 && brokerCount % subnetCount !== 0) {
        r.problem("mskBrokerCount", brokerCount, `a multiple of the number of privateSubnetIds (${subnetCount})`);
    }
    // Tempo's topic has replication factor 3 with min.insync.replicas 2: two brokers could not
    // take a write while one of them is down.
    if (mode === "distributed" && brokerCount < 3) {
        r.problem("mskBrokerCount", brokerCount, "at least 3 in distributed mode (the trace topic has replication factor 3)");
    }
    const volumeGb = r.integer("mskVolumeGb", 1, 16384, "GiB");
    const kafkaVersion = r.string("kafkaVersion", "an MSK Kafka version such as 3.9.x");
    const kafkaVersionParts = /^(\d+)\.(\d+)\.(x|\d+)(\.kraft)?$/.exec(kafkaVersion);
    if (kafkaVersion && !kafkaVersionParts) {
        r.problem("kafkaVersion", kafkaVersion, "an MSK Kafka version such as 3.9.x");
    }
    // The program creates the trace topic through MSK's topic API, which needs Kafka 3.6.0 or later.
    if (mode === "distributed" && kafkaVersionParts) {
        const [major, minor] = [Number(kafkaVersionParts[1]), Number(kafkaVersionParts[2])];
        if (major < 3 || (major === 3 && minor < 6)) {
            r.problem("kafkaVersion", kafkaVersion, "3.6.x or later in distributed mode (MSK's topic API creates the trace topic)");
        }
    }
    return { instanceType, brokerCount, volumeGb, kafkaVersion };
}
