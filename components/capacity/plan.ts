/**
 * Capacity model: from the systems catalogue to replica counts, resource requests and storage. The
 * collector and Tempo components take their sizes from this plan, so the plan a reviewer reads and
 * the deployment are the same numbers. Pure: settings in, plan out.
 */
import type { Settings, TempoMode, TracedSystem } from "../platform/settings";

/** A named, sourced modelling assumption. */
export interface Assumption {
    readonly value: number;
    readonly unit: string;
    readonly source: string;
}

/** Every number the model assumes, with where it comes from. */
export const capacityAssumptions = {
    bytesPerSpan: {
        value: 500,
        unit: "bytes per span (OTLP, uncompressed)",
        source: "Grafana Tempo docs, operations/manage-trace-ingestion: 15 MB/s per distributor ≈ 30,000 spans/s at a typical ~500 B/span",
    },
    spansPerTrace: {
        value: 8,
        unit: "spans per trace",
        source: "Our assumption for request traces across API, auth, database and cache hops; matches the worked cost example in the project's tracing reference",
    },
    sloBreachShare: {
        value: 0.05,
        unit: "share of traces slower than the p95 objective",
        source: "Definition of a p95 objective: when it is met, at most 5% of requests are slower, and the tail sampler keeps all of them",
    },
    peakToAverage: {
        value: 1.5,
        unit: "peak / average load",
        source: "Our assumption for daily traffic peaks; capacity is planned for the peak",
    },
    gatewaySpansPerCore: {
        value: 10_000,
        unit: "spans/s per gateway core",
        source: "Splunk OTel sizing guide: 1 core per 15k spans/s for pass-through; two thirds of it for tail sampling plus span metrics",
    },
    agentSpansPerCore: {
        value: 15_000,
        unit: "spans/s per agent core",
        source: "Splunk OTel sizing guide (15k spans/s per core); OTel testbed: 10k spans/s OTLP pass-through used 6.2% of a core",
    },
    memoryMiBPerCore: {
        value: 2048,
        unit: "MiB per core",
        source: "Splunk OTel sizing guide: 1 CPU : 2 GB memory",
    },
    agentNodeShare: {
        value: 0.25,
        unit: "largest share of total traffic on one node",
        source: "Our assumption: application replicas spread over at least four nodes",
    },
    decisionWaitSeconds: {
        value: 30,
        unit: "seconds a trace is buffered before the tail-sampling decision",
        source: "tail_sampling processor default decision_wait (opentelemetry-collector-contrib README)",
    },
    inMemorySpanBytes: {
        value: 2048,
        unit: "bytes per buffered span in the gateway",
        source: "Our estimate: decoded pdata span with attributes is ~4x its OTLP wire size",
    },
    compressionRatio: {
        value: 0.2,
        unit: "stored bytes / raw bytes",
        source: "Grafana Tempo docs, configuration/compression: zstd to ~15% of raw; vParquet column compression, third-party calculators assume ~4-5x",
    },
    kafkaPartitionBytesPerSecond: {
        value: 10_000_000,
        unit: "bytes/s per Kafka partition",
        source: "Grafana Tempo docs, setup/configure-kafka: partitions >= ceil(peak bytes/s / 10 MB/s)",
    },
    distributorBytesPerSecond: {
        value: 10_000_000,
        unit: "bytes/s per distributor",
        source: "Grafana Tempo docs, plan/size: one distributor per 10 MB/s",
    },
    querierBytesPerSecond: {
        value: 2_000_000,
        unit: "ingested bytes/s per querier",
        source: "Grafana Tempo docs, plan/size: one querier per 1-2 MB/s",
    },
    monolithMaxBytesPerSecond: {
        value: 25_000_000,
        unit: "bytes/s one monolithic Tempo sustains",
        source: "Grafana Tempo docs, plan/deployment-modes: monolithic up to roughly 25-35 MB/s (lower bound taken)",
    },
} as const satisfies Record<string, Assumption>;

/** Kubernetes resource requests and limits. */
export interface PodResources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface SystemLoad {
    readonly id: string;
    /** Spans/s the system's SDKs export after head sampling. */
    readonly ingestSpansPerSecond: number;
    /** Share of that the tail sampler keeps. */
    readonly keptShare: number;
    /** Spans/s written to Tempo. */
    readonly storedSpansPerSecond: number;
}

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
    readonly resources: Readonly<Record<"distributor" | "liveStore" | "blockBuilder" | "querier" | "queryFrontend" | "backendScheduler" | "backendWorker", PodResources>>;
}

export interface TempoMonolithPlan {
    readonly resources: PodResources;
    readonly volumeGb: number;
    /** Share of a single instance's ingest ceiling the planned peak uses. */
    readonly peakUtilisation: number;
}

export interface CapacityPlan {
    readonly load: {
        readonly producedSpansPerSecond: number;
        readonly ingestSpansPerSecond: number;
        readonly storedSpansPerSecond: number;
        readonly ingestBytesPerSecond: number;
        readonly storedBytesPerSecond: number;
        readonly peakIngestBytesPerSecond: number;
        readonly ingestTracesPerSecond: number;
        readonly perSystem: readonly SystemLoad[];
    };
    readonly agent: { readonly resources: PodResources };
    readonly gateway: {
        readonly replicas: number;
        readonly maxReplicas: number;
        readonly resources: PodResources;
        /** tail_sampling num_traces per gateway: traces buffered over decision_wait, doubled. */
        readonly numTraces: number;
        readonly expectedNewTracesPerSecond: number;
        readonly queueVolumeGb: number;
    };
    readonly tempo: {
        readonly mode: TempoMode;
        readonly monolith?: TempoMonolithPlan;
        readonly distributed?: TempoDistributedPlan;
    };
    readonly storage: {
        readonly storedGbPerDay: number;
        readonly retentionDays: number;
        /** Steady-state size of the trace bucket. */
        readonly traceBucketGb: number;
    };
}

const a = capacityAssumptions;

function cpu(millicores: number): string {
    return `${Math.ceil(millicores)}m`;
}

function mebibytes(value: number): string {
    return `${Math.ceil(value)}Mi`;
}

/** Requests at the planned load, limits with room for the peak. */
function podResources(cores: number, memoryMiB: number, limitFactor = 2): PodResources {
    return {
        requests: { cpu: cpu(cores * 1000), memory: mebibytes(memoryMiB) },
        limits: { cpu: cpu(cores * 1000 * limitFactor), memory: mebibytes(memoryMiB * limitFactor) },
    };
}

function round(value: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

/** Share of a system's traces the gateways keep: errors, SLO breaches and the probabilistic share. */
export function keptShare(system: TracedSystem): number {
    return Math.min(1, system.tailSamplingPercent / 100 + system.errorsPer1000Slo / 1000 + a.sloBreachShare.value);
}

export function planCapacity(settings: Settings): CapacityPlan {
    const perSystem: SystemLoad[] = settings.systems.map((system) => {
        const ingest = system.spansPerSecond * (system.headSamplingPercent / 100);
        const kept = keptShare(system);
        return { id: system.id, ingestSpansPerSecond: round(ingest), keptShare: round(kept, 4), storedSpansPerSecond: round(ingest * kept) };
    });
    const produced = settings.systems.reduce((sum, s) => sum + s.spansPerSecond, 0);
    const ingest = perSystem.reduce((sum, s) => sum + s.ingestSpansPerSecond, 0);
    const stored = perSystem.reduce((sum, s) => sum + s.storedSpansPerSecond, 0);
    const peakIngest = ingest * a.peakToAverage.value;
    const ingestBytes = ingest * a.bytesPerSpan.value;
    const storedBytes = stored * a.bytesPerSpan.value;
    const peakStoredBytes = storedBytes * a.peakToAverage.value;
    const ingestTraces = ingest / a.spansPerTrace.value;

    // Agents: one per node, sized for the busiest node's share of the peak, at least a tenth of a core.
    const agentCores = Math.max(0.1, (peakIngest * a.agentNodeShare.value) / a.agentSpansPerCore.value);
    const agentMemory = Math.max(256, agentCores * a.memoryMiBPerCore.value);

    // Gateways: one core each; N+1 replicas over the peak, never below the configured floor.
    const gatewayCoresNeeded = peakIngest / a.gatewaySpansPerCore.value;
    const replicas = Math.max(settings.collectors.gatewayMinReplicas, Math.ceil(gatewayCoresNeeded) + 1);
    const maxReplicas = Math.max(settings.collectors.gatewayMaxReplicas, replicas);
    // Buffers are sized for the peak with one gateway down (N+1), so a rollout never drops traces early.
    const tracesPerReplica = (ingestTraces * a.peakToAverage.value) / Math.max(1, replicas - 1);
    const numTraces = Math.max(10_000, Math.ceil((tracesPerReplica * a.decisionWaitSeconds.value * 2) / 1000) * 1000);
    const bufferMiB = (numTraces * a.spansPerTrace.value * a.inMemorySpanBytes.value) / 2 ** 20;
    const gatewayMemory = Math.max(a.memoryMiBPerCore.value, bufferMiB * 1.25);

    const mode = settings.tempo.mode;
    const floor = settings.tempo.replicas;
    let tempo: CapacityPlan["tempo"];
    if (mode === "monolithic") {
        const utilisation = peakStoredBytes / a.monolithMaxBytesPerSecond.value;
        const cores = Math.max(1, Math.ceil(utilisation * 8));
        tempo = {
            mode,
            monolith: {
                resources: podResources(cores, Math.max(4096, cores * 4096), 1.5),
                volumeGb: settings.tempo.volumeGb,
                peakUtilisation: round(utilisation, 4),
            },
        };
    } else {
        const partitions = Math.max(floor, Math.ceil(peakStoredBytes / a.kafkaPartitionBytesPerSecond.value));
        tempo = {
            mode,
            distributed: {
                kafkaPartitions: partitions,
                distributor: Math.max(floor, Math.ceil(peakStoredBytes / a.distributorBytesPerSecond.value)),
                liveStore: partitions,
                blockBuilder: partitions,
                querier: Math.max(floor, Math.ceil(peakStoredBytes / a.querierBytesPerSecond.value)),
                queryFrontend: 2,
                backendScheduler: 1,
                backendWorker: Math.max(2, Math.ceil(partitions / 2)),
                resources: {
                    distributor: podResources(2, 2048, 1.5),
                    liveStore: podResources(1, 4096, 1.5),
                    blockBuilder: podResources(0.5, 5120, 1.5),
                    querier: podResources(1, 4096, 1.5),
                    queryFrontend: podResources(1, 4096, 1.5),
                    backendScheduler: podResources(0.5, 1024, 2),
                    backendWorker: podResources(0.5, 1024, 2),
                },
            },
        };
    }

    const storedGbPerDay = (storedBytes * 86_400 * a.compressionRatio.value) / 1e9;
    return {
        load: {
            producedSpansPerSecond: round(produced),
            ingestSpansPerSecond: round(ingest),
            storedSpansPerSecond: round(stored),
            ingestBytesPerSecond: Math.round(ingestBytes),
            storedBytesPerSecond: Math.round(storedBytes),
            peakIngestBytesPerSecond: Math.round(ingestBytes * a.peakToAverage.value),
            ingestTracesPerSecond: round(ingestTraces),
            perSystem,
        },
        agent: { resources: podResources(agentCores, agentMemory) },
        gateway: {
            replicas,
            maxReplicas,
            resources: podResources(1, gatewayMemory, 1.5),
            numTraces,
            expectedNewTracesPerSecond: Math.ceil(tracesPerReplica),
            queueVolumeGb: settings.collectors.gatewayQueueVolumeGb,
        },
        tempo,
        storage: {
            storedGbPerDay: round(storedGbPerDay),
            retentionDays: settings.retention.traceDays,
            traceBucketGb: round(storedGbPerDay * settings.retention.traceDays),
        },
    };
}
