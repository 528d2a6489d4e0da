/** The durability a stack promises, the Tempo mode that delivers it, and the MSK (Kafka) brokers distributed mode writes through. */
import { formatVersion, versionAtLeast } from "./images";
import type { Reader } from "./reader";
import { tempoModes, traceDurabilities, type ImageRef, type Settings, type TempoMode, type TraceDurability } from "./types";

/**
 * Distributed Tempo talks to MSK, which only offers TLS with SASL/SCRAM (or IAM). Tempo's Kafka
 * client gained TLS and SCRAM in grafana/tempo#7586 (merged 2026-08-04, after v3.0.3 was cut from
 * release-v3.0); 3.1.0 is the first release carrying it, so 3.0.x can only speak plaintext.
 */
export const tempoKafkaSecurityMinimumVersion = { major: 3, minor: 1, patch: 0 } as const;

/**
 * Only distributed Tempo acknowledges a span after a replicated log holds it: its distributors
 * answer once Kafka has the record on min.insync.replicas brokers. The monolith acknowledges spans
 * that are still in memory.
 */
export const tempoModeFor: Readonly<Record<TraceDurability, TempoMode>> = {
    replicated: "distributed",
    "single-node": "monolithic",
};

/** What the Tempo settings are checked against: the Tempo image read already, and the subnets MSK spreads over. */
export interface TempoContext {
    readonly image: ImageRef;
    readonly privateSubnetIds: readonly string[];
}

export function readTempo(r: Reader, context: TempoContext): Settings["tempo"] {
    const { image } = context;
    const durability = r.oneOf("traceDurability", traceDurabilities);
    const mode = tempoModeFor[durability];
    readConfiguredMode(r, durability, mode);
    if (mode === "distributed" && image.repository && !versionAtLeast(image.version, tempoKafkaSecurityMinimumVersion)) {
        r.problem(
            "tempoImage",
            image.reference,
            `Tempo ${formatVersion(tempoKafkaSecurityMinimumVersion)} or later in distributed mode (older Tempo has no Kafka TLS or SASL/SCRAM client, and MSK accepts nothing less)`,
        );
    }
    const volumeGb = r.optionalInteger("tempoVolumeGb", 1, 16000, "GiB");
    return { durability, mode, ...(volumeGb === undefined ? {} : { volumeGb }), msk: readMsk(r, mode, context.privateSubnetIds.length) };
}

/** `tempoMode` is derived from `traceDurability`; a stack that still sets it must agree. */
function readConfiguredMode(r: Reader, durability: TraceDurability, mode: TempoMode): void {
    const configured = r.rawValue("tempoMode");
    if (configured === undefined) return;
    if (!(tempoModes as readonly string[]).includes(configured)) {
        r.problem("tempoMode", configured, `one of ${tempoModes.join(", ")} (or unset: traceDurability decides)`);
    } else if (configured !== mode) {
        r.problem(
            "tempoMode",
            configured,
            durability === "replicated"
                ? `distributed with traceDurability replicated (only distributed Tempo acknowledges spans after a replicated Kafka log holds them), or unset`
                : `monolithic with traceDurability single-node, or unset`,
        );
    }
}

/** The MSK cluster distributed Tempo writes through; Tempo's own limits on it apply only in distributed mode. */
export function readMsk(r: Reader, mode: TempoMode, subnetCount: number): Settings["tempo"]["msk"] {
    const instanceType = r.rawValue("mskInstanceType");
    if (instanceType !== undefined && !/^kafka\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceType)) {
        r.problem("mskInstanceType", instanceType, "an MSK broker type such as kafka.t3.small, or unset (the capacity plan chooses)");
    }
    const brokerCount = r.optionalInteger("mskBrokerCount", 2, 30);
    if (brokerCount !== undefined && mode === "distributed" && subnetCount > 0 && brokerCount % subnetCount !== 0) {
        r.problem("mskBrokerCount", brokerCount, `a multiple of the number of privateSubnetIds (${subnetCount})`);
    }
    // Tempo's topic has replication factor 3 with min.insync.replicas 2: two brokers could not
    // take a write while one of them is down.
    if (brokerCount !== undefined && mode === "distributed" && brokerCount < 3) {
        r.problem("mskBrokerCount", brokerCount, "at least 3 in distributed mode (the trace topic has replication factor 3)");
    }
    const volumeGb = r.optionalInteger("mskVolumeGb", 1, 16384, "GiB");
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
    return {
        ...(instanceType === undefined ? {} : { instanceType }),
        ...(brokerCount === undefined ? {} : { brokerCount }),
        ...(volumeGb === undefined ? {} : { volumeGb }),
        kafkaVersion,
    };
}
