/**
 * Capacity model: from the systems catalogue to replica counts, resource requests and storage. The
 * collector and Tempo components take their sizes from this plan, so the plan a reviewer reads and
 * the deployment are the same numbers. Pure: settings in, plan out. Sizes a stack fixes in its
 * settings are checked against the load here, before any resource exists.
 */
import { ConfigValidationError, type ConfigProblem, type Settings, type TempoMode, type TraceDurability, type TracedSystem } from "../platform/settings";
import { capacityAssumptions } from "./assumptions";
import { gibibytes, podResources, round, type PodResources } from "./sizing";
import { planDistributed, planMonolith, type TempoDistributedPlan, type TempoMonolithPlan } from "./tempo-sizing";

export { capacityAssumptions, type Assumption } from "./assumptions";
export type { PodResources } from "./sizing";
export type { TempoDistributedPlan, TempoMonolithPlan } from "./tempo-sizing";
export type { MskPlan } from "./kafka-log";

export interface SystemLoad {
    readonly id: string;
    /** Spans/s the system's SDKs export after head sampling. */
    readonly ingestSpansPerSecond: number;
    /** Share of that the tail sampler keeps. */
    readonly keptShare: number;
    /** Spans/s written to Tempo. */
    readonly storedSpansPerSecond: number;
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
    /** The node log shippers (one per node), which carry the platform's own log lines, not spans. */
    readonly logAgent: { readonly resources: PodResources };
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
        readonly durability: TraceDurability;
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
const collectorFloor = { cores: a.collectorFloorCores.value, memoryMiB: a.collectorFloorMiB.value };

/** Share of a system's traces the gateways keep: errors, SLO breaches and the probabilistic share. */
export function keptShare(system: TracedSystem): number {
    return Math.min(1, system.tailSamplingPercent / 100 + system.errorsPer1000Slo / 1000 + a.sloBreachShare.value);
}

function gatewayPlan(settings: Settings, peakIngestSpans: number, ingestTraces: number, storedBytes: number, problems: ConfigProblem[]): CapacityPlan["gateway"] {
    const headroom = a.headroom.value;
    const peakCores = peakIngestSpans / a.gatewaySpansPerCore.value;
    // N+1 over twice the peak, never below the configured floor.
    const replicas = Math.max(settings.collectors.gatewayMinReplicas, Math.ceil(peakCores * headroom) + 1);
    const maxReplicas = Math.max(settings.collectors.gatewayMaxReplicas, replicas);
    // Buffers are sized for the peak with one gateway down (N+1), so a rollout never drops traces early.
    const survivors = Math.max(1, replicas - 1);
    const tracesPerReplica = (ingestTraces * a.peakToAverage.value) / survivors;
    const numTraces = Math.max(10_000, Math.ceil((tracesPerReplica * a.decisionWaitSeconds.value * headroom) / 1000) * 1000);
    const bufferMiB = (numTraces * a.spansPerTrace.value * a.inMemorySpanBytes.value) / 2 ** 20;
    const cores = Math.max(collectorFloor.cores, (peakCores * headroom) / replicas);
    const memoryMiB = Math.max(collectorFloor.memoryMiB, cores * a.memoryMiBPerCore.value + bufferMiB);
    // The queue holds what one surviving gateway sends Tempo at twice the peak for the outage window.
    const queueBytes = (storedBytes * a.peakToAverage.value * headroom * a.queueOutageHours.value * 3600) / survivors / a.queueVolumeShare.value;
    const needed = gibibytes(queueBytes);
    const configured = settings.collectors.gatewayQueueVolumeGb;
    if (configured !== undefined && configured < needed) {
        problems.push({
            key: `${settings.project}:gatewayQueueVolumeGb`,
            value: String(configured),
            allowed: `at least ${needed} GiB (each gateway queues ${a.queueOutageHours.value} h of a Tempo outage at twice the peak), or unset`,
        });
    }
    return {
        replicas,
        maxReplicas,
        resources: podResources(cores, memoryMiB),
        numTraces,
        expectedNewTracesPerSecond: Math.ceil(tracesPerReplica),
        queueVolumeGb: configured ?? needed,
    };
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
    const ingestTraces = ingest / a.spansPerTrace.value;
    const problems: ConfigProblem[] = [];

    // Agents: one per node, sized for twice the busiest node's share of the peak.
    const agentCores = Math.max(collectorFloor.cores, (peakIngest * a.headroom.value * a.agentNodeShare.value) / a.agentSpansPerCore.value);
    const agentMemory = Math.max(collectorFloor.memoryMiB, agentCores * a.memoryMiBPerCore.value);
    // Log agents: the platform pods' log lines on one node (a few per second, bursts paused by the
    // file offsets rather than dropped) are what an idle collector's floor already carries.
    const logAgent = { resources: podResources(collectorFloor.cores, collectorFloor.memoryMiB) };
    const gateway = gatewayPlan(settings, peakIngest, ingestTraces, storedBytes, problems);

    const { durability, mode } = settings.tempo;
    const distributed = mode === "distributed" ? planDistributed(settings, storedBytes, problems) : undefined;
    const monolith = mode === "monolithic" ? planMonolith(settings, storedBytes, problems) : undefined;
    if (problems.length > 0) throw new ConfigValidationError(settings.stack, problems);

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
        logAgent,
        gateway,
        tempo: { durability, mode, ...(monolith ? { monolith } : {}), ...(distributed ? { distributed } : {}) },
        storage: {
            storedGbPerDay: round(storedGbPerDay),
            retentionDays: settings.retention.traceDays,
            traceBucketGb: round(storedGbPerDay * settings.retention.traceDays),
        },
    };
}
