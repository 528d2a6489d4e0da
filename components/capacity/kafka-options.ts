/**
 * Every Kafka-compatible log that could carry replicated durability at the plan's load, priced the
 * same way: MSK Standard brokers (what the program deploys), MSK Serverless, and Apache Kafka run in
 * the cluster. Client traffic to the log (distributors producing, live-stores and block-builders
 * consuming) is the same for all three and not priced; what differs is listed.
 */
import type { Settings } from "../platform/settings";
import { capacityAssumptions as a } from "./assumptions";
import { hoursPerMonth as hours, secondsPerMonth } from "./cost-assumptions";
import { computeLine, ebsLine, priced, requested, total, type CostLine } from "./cost-lines";
import { brokerNetworkBytesPerSecond, logLoad, planMsk, replicatedLog, requiredBrokerVolumeGb, type LogLoad, type MskPlan } from "./kafka-log";
import type { CapacityPlan } from "./plan";
import { number, plural } from "./markdown";
import { mskBrokerHour } from "./prices";
import { podResources } from "./sizing";

export interface KafkaLogOption {
    readonly id: "msk-provisioned" | "msk-serverless" | "in-cluster";
    readonly label: string;
    readonly sizing: string;
    /** Keeps every acknowledged span through a single pod, node or zone failure. */
    readonly meetsReplicated: boolean;
    /** Whether Tempo can use it as configured (message size, authentication). */
    readonly compatible: boolean;
    /** Whether this program deploys it. */
    readonly deployed: boolean;
    readonly note: string;
    readonly lines: readonly CostLine[];
    readonly usdPerMonth: number;
}

const group = "traceBackend" as const;
const gbPerMonth = (bytesPerSecond: number) => (bytesPerSecond * secondsPerMonth) / 1e9;

/** The deployed MSK brokers and storage, as the cost estimate bills them. */
export function mskLines(msk: MskPlan): CostLine[] {
    return [
        {
            id: "msk-brokers",
            label: `MSK brokers (${msk.brokerCount} x ${msk.instanceType})`,
            group,
            quantity: msk.brokerCount * hours,
            unit: "broker-hours",
            usdPerMonth: msk.brokerCount * hours * mskBrokerHour[msk.instanceType].value,
            prices: ["mskBrokerHour"],
            assumptions: ["hoursPerMonth"],
        },
        priced("mskStorageGbMonth", {
            id: "msk-storage",
            label: `MSK broker storage (${msk.brokerCount} x ${msk.volumeGb} GB)`,
            group,
            quantity: msk.brokerCount * msk.volumeGb,
            unit: "GB-month",
        }),
    ];
}

function option(fields: Omit<KafkaLogOption, "usdPerMonth">): KafkaLogOption {
    return { ...fields, usdPerMonth: total(fields.lines) };
}

function provisioned(msk: MskPlan): KafkaLogOption {
    return option({
        id: "msk-provisioned",
        label: "Amazon MSK, Standard brokers",
        sizing: `${msk.brokerCount} x ${msk.instanceType}, ${msk.volumeGb} GiB each; ${Math.round(msk.networkUtilisation * 100)}% of baseline network at twice the peak`,
        meetsReplicated: true,
        compatible: true,
        deployed: true,
        note: "brokers in three zones, replication factor 3, min.insync.replicas 2; MSK replaces failed brokers and charges nothing for replication traffic",
        lines: mskLines(msk),
    });
}

function serverless(load: LogLoad): KafkaLogOption {
    const written = gbPerMonth(load.averageBytesPerSecond);
    const retainedGb = (load.averageBytesPerSecond * replicatedLog.retentionHours * 3600) / 1e9;
    return option({
        id: "msk-serverless",
        label: "Amazon MSK Serverless",
        sizing: `${plural(load.partitions, "partition")}, ${number(written)} GB written a month`,
        meetsReplicated: true,
        compatible: false,
        deployed: false,
        note: "replicates across three zones, but caps a message at 8 MiB (docs.aws.amazon.com/msk/latest/developerguide/limits.html) while Tempo produces batches up to 16 MB, and admits only IAM clients",
        lines: [
            priced("mskServerlessClusterHour", { id: "msk-serverless-cluster", label: "MSK Serverless cluster-hours", group, quantity: hours, unit: "cluster-hours", assumptions: ["hoursPerMonth"] }),
            priced("mskServerlessPartitionHour", { id: "msk-serverless-partitions", label: "MSK Serverless partition-hours", group, quantity: load.partitions * hours, unit: "partition-hours" }),
            priced("mskServerlessDataInGb", { id: "msk-serverless-in", label: "MSK Serverless data in", group, quantity: written, unit: "GB" }),
            priced("mskServerlessDataOutGb", { id: "msk-serverless-out", label: "MSK Serverless data out (two consumer groups)", group, quantity: written * a.kafkaConsumerGroups.value, unit: "GB" }),
            priced("mskServerlessStorageGbMonth", { id: "msk-serverless-storage", label: "MSK Serverless storage", group, quantity: retainedGb, unit: "GB-month" }),
        ],
    });
}

/** Three KRaft controllers and three brokers, one of each per zone, on encrypted gp3 volumes. */
function inCluster(load: LogLoad): KafkaLogOption {
    const brokers = replicatedLog.replicationFactor;
    const network = brokerNetworkBytesPerSecond(load.peakBytesPerSecond * a.headroom.value, brokers);
    const broker = podResources(Math.max(a.kafkaFloorCores.value, network / a.kafkaBytesPerCore.value), a.kafkaJvmMiB.value);
    const controller = podResources(a.kafkaFloorCores.value, a.kafkaJvmMiB.value);
    const volumeGb = requiredBrokerVolumeGb(load.averageBytesPerSecond, brokers);
    const compute = requested(broker, brokers);
    const quorum = requested(controller, brokers);
    return option({
        id: "in-cluster",
        label: "Apache Kafka (KRaft) in the cluster",
        sizing: `${brokers} brokers (${broker.requests.cpu}, ${broker.requests.memory}) and ${brokers} controllers, ${volumeGb} GiB gp3 per broker`,
        meetsReplicated: true,
        compatible: true,
        deployed: false,
        note: "as durable as MSK with one broker per zone, RF 3 and min.insync.replicas 2, but the program would have to run it: broker upgrades, certificates, SCRAM users and network policies it does not build today",
        lines: [
            computeLine("kafka-in-cluster-compute", "Kafka brokers and KRaft controllers", group, { cores: compute.cores + quorum.cores, gib: compute.gib + quorum.gib }),
            ebsLine("kafka-in-cluster-volumes", `Kafka broker volumes (${brokers} x ${volumeGb} GB) and controller volumes (${brokers} x 1 GB)`, group, brokers * (volumeGb + 1)),
            priced("ec2CrossZoneTransferGb", {
                id: "kafka-in-cluster-replication",
                label: `Replication between zones (${replicatedLog.replicationFactor - 1} copies of every byte written)`,
                group,
                quantity: gbPerMonth(load.averageBytesPerSecond) * (replicatedLog.replicationFactor - 1),
                unit: "GB",
                assumptions: ["hoursPerMonth"],
            }),
        ],
    });
}

/** The options at the plan's load, cheapest first; the deployed brokers are the plan's, or what replicated would plan. */
export function kafkaLogOptions(settings: Settings, plan: CapacityPlan): KafkaLogOption[] {
    const load = plan.tempo.distributed?.log ?? logLoad(plan.load.storedBytesPerSecond);
    const msk = plan.tempo.distributed?.msk ?? planMsk({ ...settings, tempo: { ...settings.tempo, msk: { kafkaVersion: settings.tempo.msk.kafkaVersion } } }, load, []);
    const options = [...(msk ? [provisioned(msk)] : []), serverless(load), inCluster(load)];
    return options.sort((x, y) => x.usdPerMonth - y.usdPerMonth);
}
