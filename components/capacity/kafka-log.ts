/**
 * The replicated Kafka log distributed Tempo acknowledges spans through, sized from the stored load:
 * the topic's partitions, and the MSK brokers (class, count, volume) that carry twice the peak. The
 * brokers are the cheapest MSK Standard configuration that fits, unless the stack fixes a class,
 * count or volume, which must then fit too.
 */
import type { ConfigProblem, Settings } from "../platform/settings";
import { capacityAssumptions as a } from "./assumptions";
import { costAssumptions } from "./cost-assumptions";
import { mskBrokerHour, prices } from "./prices";
import { round } from "./sizing";

/**
 * What "no acknowledged span lost on any single pod, node or zone failure" takes of the log: three
 * copies in three zones, a write acknowledged once two hold it, no unclean leader election, and
 * about a day of retention (Grafana's configure-kafka guidance; never below the live-store's 40 min
 * replay window).
 */
export const replicatedLog = {
    replicationFactor: 3,
    minInsyncReplicas: 2,
    retentionHours: 24,
    /** Share of a broker volume the retained topic may fill: room for peaks and consumer catch-up. */
    volumeMaxFill: 0.5,
} as const;

/** An MSK Standard broker class: the network it sustains and the partitions MSK supports on it. */
export interface BrokerClass {
    readonly vcpus: number;
    readonly memoryGib: number;
    /** Baseline network bandwidth of the underlying instance, Gbit/s (bursts above it are not planned on). */
    readonly baselineGbps: number;
    readonly maxPartitionsPerBroker: number;
    readonly source: string;
}

const ec2Bandwidth = "docs.aws.amazon.com/ec2/latest/instancetypes (network baseline bandwidth)";
const mskPartitions = "docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html (partitions per broker)";

/** The classes the planner may choose, cheapest first. Each has a price in prices.ts (mskBrokerHour). */
export const mskBrokerClasses = {
    "kafka.t3.small": { vcpus: 2, memoryGib: 2, baselineGbps: 0.128, maxPartitionsPerBroker: 300, source: `${ec2Bandwidth}: t3.small 0.128 Gbit/s; ${mskPartitions}: 300` },
    "kafka.m7g.large": { vcpus: 2, memoryGib: 8, baselineGbps: 0.937, maxPartitionsPerBroker: 1000, source: `${ec2Bandwidth}: m7g.large 0.937 Gbit/s; ${mskPartitions}: 1000` },
    "kafka.m5.large": { vcpus: 2, memoryGib: 8, baselineGbps: 0.75, maxPartitionsPerBroker: 1000, source: `${ec2Bandwidth}: m5.large 0.75 Gbit/s; ${mskPartitions}: 1000` },
    "kafka.m7g.xlarge": { vcpus: 4, memoryGib: 16, baselineGbps: 1.876, maxPartitionsPerBroker: 1000, source: `${ec2Bandwidth}: m7g.xlarge 1.876 Gbit/s; ${mskPartitions}: 1000` },
    "kafka.m7g.2xlarge": { vcpus: 8, memoryGib: 32, baselineGbps: 3.75, maxPartitionsPerBroker: 2000, source: `${ec2Bandwidth}: m7g.2xlarge 3.75 Gbit/s; ${mskPartitions}: 2000` },
    "kafka.m7g.4xlarge": { vcpus: 16, memoryGib: 64, baselineGbps: 7.5, maxPartitionsPerBroker: 4000, source: `${ec2Bandwidth}: m7g.4xlarge 7.5 Gbit/s; ${mskPartitions}: 4000` },
} as const satisfies Record<string, BrokerClass>;
export type MskBrokerClass = keyof typeof mskBrokerClasses;

/** What reaches the log: stored spans only (the gateways tail-sample first), snappy-compressed. */
export interface LogLoad {
    readonly averageBytesPerSecond: number;
    readonly peakBytesPerSecond: number;
    readonly partitions: number;
}

/** The MSK cluster the program deploys. */
export interface MskPlan {
    readonly instanceType: MskBrokerClass;
    readonly brokerCount: number;
    readonly volumeGb: number;
    /** Share of the brokers' baseline network the log uses at twice the peak. */
    readonly networkUtilisation: number;
    readonly retainedGbPerBroker: number;
}

export function logLoad(storedBytesPerSecond: number): LogLoad {
    const average = storedBytesPerSecond * a.kafkaCompressionRatio.value;
    const peakStored = storedBytesPerSecond * a.peakToAverage.value;
    return {
        averageBytesPerSecond: Math.round(average),
        peakBytesPerSecond: Math.round(average * a.peakToAverage.value),
        // Grafana sizes partitions on the bytes Tempo receives, before the client compresses them.
        partitions: Math.max(1, Math.ceil((peakStored * a.headroom.value) / a.kafkaPartitionBytesPerSecond.value)),
    };
}

/**
 * Network bytes/s through each broker: it receives its leader and follower shares of every write
 * (replication factor times its share), sends its leader share to the other replicas and to each
 * consumer group.
 */
export function brokerNetworkBytesPerSecond(writeBytesPerSecond: number, brokers: number): number {
    const rf = replicatedLog.replicationFactor;
    return (writeBytesPerSecond / brokers) * (rf + (rf - 1) + a.kafkaConsumerGroups.value);
}

/** Bytes each broker keeps of the topic over its retention (every broker holds RF/brokers of it). */
export function retainedGbPerBroker(bytesPerSecond: number, brokerCount: number): number {
    const bytes = bytesPerSecond * replicatedLog.retentionHours * 3600 * replicatedLog.replicationFactor;
    return round(bytes / brokerCount / 1e9);
}

/** Broker volume that holds the retained topic at most `volumeMaxFill` full. */
export function requiredBrokerVolumeGb(bytesPerSecond: number, brokerCount: number): number {
    return Math.max(1, Math.ceil(retainedGbPerBroker(bytesPerSecond, brokerCount) / replicatedLog.volumeMaxFill));
}

function brokerCounts(settings: Settings): number[] {
    if (settings.tempo.msk.brokerCount !== undefined) return [settings.tempo.msk.brokerCount];
    const zones = Math.max(1, settings.network.privateSubnetIds.length);
    const counts: number[] = [];
    for (let n = zones; n <= 30; n += zones) if (n >= replicatedLog.replicationFactor) counts.push(n);
    return counts;
}

function mskMonthlyUsd(instanceType: MskBrokerClass, brokers: number, volumeGb: number): number {
    const hours = costAssumptions.hoursPerMonth.value;
    return brokers * (hours * mskBrokerHour[instanceType].value + volumeGb * prices.mskStorageGbMonth.value);
}

/**
 * The cheapest MSK brokers that carry twice the peak within their baseline network and partition
 * limits, with volumes for the retention. Problems name the configured key that cannot fit.
 */
export function planMsk(settings: Settings, load: LogLoad, problems: ConfigProblem[]): MskPlan | undefined {
    const configured = settings.tempo.msk;
    const key = (name: string) => `${settings.project}:${name}`;
    const classes = Object.keys(mskBrokerClasses) as MskBrokerClass[];
    if (configured.instanceType !== undefined && !(classes as string[]).includes(configured.instanceType)) {
        problems.push({ key: key("mskInstanceType"), value: `'${configured.instanceType}'`, allowed: `one of ${classes.join(", ")} (classes the capacity plan has throughput and prices for), or unset` });
        return undefined;
    }
    const candidates = configured.instanceType !== undefined ? [configured.instanceType as MskBrokerClass] : classes;
    const written = load.peakBytesPerSecond * a.headroom.value;
    let best: (MskPlan & { usd: number }) | undefined;
    for (const instanceType of candidates) {
        const brokerClass: BrokerClass = mskBrokerClasses[instanceType];
        for (const brokerCount of brokerCounts(settings)) {
            const utilisation = brokerNetworkBytesPerSecond(written, brokerCount) / ((brokerClass.baselineGbps * 1e9) / 8);
            const partitionsPerBroker = (load.partitions * replicatedLog.replicationFactor) / brokerCount;
            if (utilisation > 1 || partitionsPerBroker > brokerClass.maxPartitionsPerBroker) continue;
            const volumeGb = configured.volumeGb ?? requiredBrokerVolumeGb(load.averageBytesPerSecond, brokerCount);
            const usd = mskMonthlyUsd(instanceType, brokerCount, volumeGb);
            if (!best || usd < best.usd - 1e-9) {
                best = { instanceType, brokerCount, volumeGb, networkUtilisation: round(utilisation, 4), retainedGbPerBroker: retainedGbPerBroker(load.averageBytesPerSecond, brokerCount), usd };
            }
        }
    }
    if (!best) {
        const fixed = configured.instanceType !== undefined ? "mskInstanceType" : "mskBrokerCount";
        const value = configured.instanceType !== undefined ? `'${configured.instanceType}'` : String(configured.brokerCount);
        problems.push({ key: key(fixed), value, allowed: `a broker ${fixed === "mskInstanceType" ? "class" : "count"} whose brokers carry twice the peak log traffic (${round(written / 1e6, 2)} MB/s written, replication factor 3), or unset` });
        return undefined;
    }
    const needed = requiredBrokerVolumeGb(load.averageBytesPerSecond, best.brokerCount);
    if (configured.volumeGb !== undefined && configured.volumeGb < needed) {
        problems.push({
            key: key("mskVolumeGb"),
            value: String(configured.volumeGb),
            allowed: `at least ${needed} GiB (each broker retains ~${best.retainedGbPerBroker} GB of the trace topic over ${replicatedLog.retentionHours} h at replication factor ${replicatedLog.replicationFactor}, and may be at most ${replicatedLog.volumeMaxFill * 100}% full), or unset`,
        });
    }
    const { usd: _usd, ...plan } = best;
    return plan;
}
