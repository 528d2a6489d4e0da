/**
 * Tempo sized from the stored load: each component gets its documented resources per MB/s (Grafana's
 * sizing page) for twice the planned peak, split over its replicas, never below an idle process.
 * Replicated durability runs the microservices on the Kafka log; single-node runs the monolith,
 * which has a throughput ceiling.
 */
import type { ConfigProblem, Settings } from "../platform/settings";
import { capacityAssumptions as a } from "./assumptions";
import { logLoad, planMsk, type LogLoad, type MskPlan } from "./kafka-log";
import { gibibytes, podResources, round, scaledToLoad, type DocumentedSize, type PodResources } from "./sizing";

export type TempoComponent = "distributor" | "liveStore" | "blockBuilder" | "querier" | "queryFrontend" | "backendScheduler" | "backendWorker";

export interface TempoDistributedPlan {
    readonly kafkaPartitions: number;
    readonly distributor: number;
    /** One live-store per active partition. */
    readonly liveStore: number;
    /** One block-builder per partition. */
    readonly blockBuilder: number;
    readonly querier: number;
    readonly queryFrontend: number;
    /** The backend scheduler is a singleton by design. */
    readonly backendScheduler: number;
    readonly backendWorker: number;
    readonly resources: Readonly<Record<TempoComponent, PodResources>>;
    /**
     * Persistent volume per pod, GiB, of the two components that keep trace data on local disk: a
     * live-store's WAL and complete blocks, a block-builder's consume cycle (docs/storage.md).
     */
    readonly volumeGb: Readonly<Record<"liveStore" | "blockBuilder", number>>;
    /** Node-disk scratch (emptyDir) of every other component, MiB. */
    readonly scratchMiB: number;
    /** Snappy-compressed bytes/s the distributors write to the log. */
    readonly log: LogLoad;
    /** The MSK brokers that carry it. */
    readonly msk: MskPlan;
}

export interface TempoMonolithPlan {
    readonly resources: PodResources;
    readonly volumeGb: number;
    /** Share of a single instance's ingest ceiling the planned peak uses. */
    readonly peakUtilisation: number;
}

const floor = { cores: a.tempoFloorCores.value, memoryMiB: a.tempoFloorMiB.value };

const documented: Readonly<Record<"distributor" | "liveStore" | "blockBuilder" | "querier" | "backendWorker", DocumentedSize>> = {
    distributor: { bytesPerSecond: a.distributorBytesPerSecond.value, cores: 2, memoryGb: 2 },
    liveStore: { bytesPerSecond: a.liveStoreBytesPerSecond.value, cores: 1, memoryGb: 4 },
    blockBuilder: { bytesPerSecond: a.blockBuilderBytesPerSecond.value, cores: 0.5, memoryGb: 5 },
    querier: { bytesPerSecond: a.querierBytesPerSecond.value, cores: 1, memoryGb: 4 },
    backendWorker: { bytesPerSecond: a.backendWorkerBytesPerSecond.value, cores: 1, memoryGb: 2 },
};

/** Replicas that keep a stateless path serving with one pod, node or zone lost. */
const zoneSpread = 2;

function sized(component: keyof typeof documented, bytesPerSecond: number): PodResources {
    const { cores, memoryMiB } = scaledToLoad(documented[component], bytesPerSecond, floor);
    return podResources(cores, memoryMiB);
}

function replicasFor(component: keyof typeof documented, load: number, minimum: number): number {
    return Math.max(minimum, Math.ceil(load / documented[component].bytesPerSecond));
}

/** Microservices on the replicated log; `storedBytesPerSecond` is the average the gateways keep. */
export function planDistributed(settings: Settings, storedBytesPerSecond: number, problems: ConfigProblem[]): TempoDistributedPlan | undefined {
    const log = logLoad(storedBytesPerSecond);
    const msk = planMsk(settings, log, problems);
    if (!msk) return undefined;
    const load = storedBytesPerSecond * a.peakToAverage.value * a.headroom.value;
    const partitions = log.partitions;
    const replicas = {
        distributor: replicasFor("distributor", load, zoneSpread),
        liveStore: partitions,
        blockBuilder: partitions,
        querier: replicasFor("querier", load, zoneSpread),
        queryFrontend: a.queryFrontends.value,
        backendScheduler: 1,
        backendWorker: replicasFor("backendWorker", load, 1),
    };
    const perPartition = load / partitions;
    return {
        kafkaPartitions: partitions,
        ...replicas,
        resources: {
            distributor: sized("distributor", load / replicas.distributor),
            liveStore: sized("liveStore", perPartition),
            blockBuilder: sized("blockBuilder", perPartition),
            querier: sized("querier", load / replicas.querier),
            // Frontends queue and merge searches (a few per engineer-hour); Grafana gives no per-MB/s figure.
            queryFrontend: podResources(floor.cores, floor.memoryMiB),
            backendScheduler: podResources(floor.cores, floor.memoryMiB),
            backendWorker: sized("backendWorker", load / replicas.backendWorker),
        },
        volumeGb: {
            liveStore: gibibytes(perPartition * a.tempoLocalSeconds.value),
            blockBuilder: gibibytes(perPartition * a.blockBuilderCycleSeconds.value),
        },
        scratchMiB: a.tempoScratchMiB.value,
        log,
        msk,
    };
}

/** One process doing every component's work, with its WAL and recent blocks on a volume. */
export function planMonolith(settings: Settings, storedBytesPerSecond: number, problems: ConfigProblem[]): TempoMonolithPlan {
    const peak = storedBytesPerSecond * a.peakToAverage.value;
    const load = peak * a.headroom.value;
    if (load > a.monolithMaxBytesPerSecond.value) {
        problems.push({
            key: `${settings.project}:traceDurability`,
            value: "'single-node'",
            allowed: `replicated at this load: twice the peak (${round(load / 1e6)} MB/s) exceeds what one monolithic Tempo sustains (${a.monolithMaxBytesPerSecond.value / 1e6} MB/s)`,
        });
    }
    const parts = (["distributor", "liveStore", "querier", "backendWorker"] as const).map((c) =>
        scaledToLoad(documented[c], load, { cores: 0, memoryMiB: 0 }),
    );
    const cores = Math.max(floor.cores, parts.reduce((sum, p) => sum + p.cores, 0));
    const memoryMiB = Math.max(floor.memoryMiB, parts.reduce((sum, p) => sum + p.memoryMiB, 0));
    const needed = gibibytes(load * a.tempoLocalSeconds.value);
    const configured = settings.tempo.volumeGb;
    if (configured !== undefined && configured < needed) {
        problems.push({
            key: `${settings.project}:tempoVolumeGb`,
            value: String(configured),
            allowed: `at least ${needed} GiB (${a.tempoLocalSeconds.value / 60} min of twice the peak stored bytes stay on the volume before S3 is the only copy), or unset`,
        });
    }
    return {
        resources: podResources(cores, memoryMiB),
        volumeGb: configured ?? needed,
        peakUtilisation: round(peak / a.monolithMaxBytesPerSecond.value, 4),
    };
}
