/**
 * Every number the capacity plan assumes, each with its unit and where it comes from: the load
 * model, the collectors' throughput, Tempo's documented sizing and the Kafka log's. A reviewer can
 * argue with a number instead of with a replica count.
 */

/** A named, sourced modelling assumption. */
export interface Assumption {
    readonly value: number;
    readonly unit: string;
    readonly source: string;
}

const tempoSizingDoc = "Grafana Tempo docs (v3), set-up-for-tracing/setup-tempo/plan/size";

/** The load model and the collectors' sizing. */
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
    headroom: {
        value: 2,
        unit: "times the planned peak every request, partition and volume is sized for",
        source: "Issue 17: every request sized from the load with at least 2x headroom at peak; the brokers carry 2x the peak too",
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
    collectorFloorCores: {
        value: 0.05,
        unit: "cores a collector pod requests at the least",
        source: "Our assumption: an idle collector (receivers, health check, self-metrics scrape) uses a few millicores",
    },
    collectorFloorMiB: {
        value: 128,
        unit: "MiB a collector pod requests at the least",
        source: "Our assumption: the collector binary's resident size at idle, below the memory limiter's working range",
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
    queueOutageHours: {
        value: 2,
        unit: "hours of Tempo outage each gateway's persistent queue bridges at twice the peak",
        source: "Our assumption: long enough for the tempo-ingestion alert to page on-call and for Tempo or its log to be restored",
    },
    queueVolumeShare: {
        value: 0.8,
        unit: "share of a gateway queue volume the persistent queue may fill",
        source: "Our margin for bbolt compaction (file_storage compaction.on_rebound needs free space to rewrite the file)",
    },
    compressionRatio: {
        value: 0.2,
        unit: "stored bytes / raw bytes",
        source: "Grafana Tempo docs, configuration/compression: zstd to ~15% of raw; vParquet column compression, third-party calculators assume ~4-5x",
    },
    distributorBytesPerSecond: {
        value: 10_000_000,
        unit: "bytes/s per distributor (2 cores, 2 GB)",
        source: `${tempoSizingDoc}: distributor, 1 replica per 10 MB/s, CPU 2 cores, memory 2 GB`,
    },
    liveStoreBytesPerSecond: {
        value: 6_000_000,
        unit: "bytes/s per live-store (1 core, 4 GB)",
        source: `${tempoSizingDoc}: live-store, 1 replica per 6-10 MB/s (lower bound taken), CPU 1 core, memory 4-20 GB (lower bound)`,
    },
    blockBuilderBytesPerSecond: {
        value: 10_000_000,
        unit: "bytes/s per block-builder, one per partition (0.5 core, 5 GB)",
        source: `${tempoSizingDoc}: block-builder, 1 replica per partition, CPU 0.5 cores, memory 5-10 GB; a partition carries 10 MB/s`,
    },
    querierBytesPerSecond: {
        value: 2_000_000,
        unit: "ingested bytes/s per querier (1 core, 4 GB)",
        source: `${tempoSizingDoc}: querier, 1 replica per 1-2 MB/s, memory 4-20 GB; CPU 'dependent on queries', 1 core is our assumption`,
    },
    backendWorkerBytesPerSecond: {
        value: 10_000_000,
        unit: "stored bytes/s per backend-worker (1 core, 2 GB)",
        source: "Our assumption: a worker compacts each stored byte once (s3WriteAmplification 2) and keeps up with 10 MB/s; Tempo's sizing page gives no figure",
    },
    tempoFloorCores: {
        value: 0.05,
        unit: "cores a Tempo pod requests at the least",
        source: "Our assumption: an idle Tempo process (gRPC servers, memberlist, ring heartbeats) uses a few millicores",
    },
    tempoFloorMiB: {
        value: 256,
        unit: "MiB a Tempo pod requests at the least",
        source: "Our assumption: an idle Tempo process's resident size (rings, memberlist state, automemlimit)",
    },
    queryFrontends: {
        value: 2,
        unit: "query-frontends in distributed mode",
        source: `${tempoSizingDoc}: query-frontend, 2 replicas for high availability`,
    },
    tempoLocalSeconds: {
        value: 1200,
        unit: "seconds of stored bytes a live-store (or the monolith) keeps on local disk",
        source: "Tempo live-store complete_block_timeout default (20 min): completed blocks stay local until then",
    },
    blockBuilderCycleSeconds: {
        value: 300,
        unit: "seconds of a partition one block-builder consume cycle holds on local disk",
        source: "Tempo block_builder consume_cycle_duration default 5m",
    },
    tempoScratchMiB: {
        value: 256,
        unit: "MiB of node disk (emptyDir) a Tempo pod without trace data on disk may write",
        source:
            "Our assumption: Tempo's start-up files and the backend scheduler's job list, flushed to the bucket every " +
            "backend_flush_interval; well inside the 1 GiB per pod a default 20 GiB EKS node root disk allows (test/platform/node-root-disk.test.ts)",
    },
    maxTraceLiveSeconds: {
        value: 30,
        unit: "seconds an acknowledged span may wait in memory before the monolith writes it to its WAL",
        source: "Tempo live-store max_trace_live default 30s (max_trace_idle 5s): the most a single-node crash loses",
    },
    monolithMaxBytesPerSecond: {
        value: 25_000_000,
        unit: "bytes/s one monolithic Tempo sustains",
        source: "Grafana Tempo docs, plan/deployment-modes: monolithic up to roughly 25-35 MB/s (lower bound taken)",
    },
    kafkaPartitionBytesPerSecond: {
        value: 10_000_000,
        unit: "bytes/s per Kafka partition",
        source: "Grafana Tempo docs, setup/configure-kafka: partitions >= ceil(peak bytes/s / 10 MB/s)",
    },
    kafkaCompressionRatio: {
        value: 0.5,
        unit: "bytes on the Kafka log / uncompressed span bytes",
        source: "Tempo's Kafka client (franz-go) produces snappy batches by default ('default preference is [snappy, none]'); google/snappy README: 2-4x on structured text, lower end taken",
    },
    kafkaConsumerGroups: {
        value: 2,
        unit: "consumers reading every record (live-stores, block-builders)",
        source: "Grafana Tempo docs (v3) architecture: live-stores and block-builders each consume every partition",
    },
    kafkaJvmMiB: {
        value: 1536,
        unit: "MiB an in-cluster Kafka broker or controller requests (1 GiB heap plus JVM overhead)",
        source: "Apache Kafka bin/kafka-server-start.sh default KAFKA_HEAP_OPTS -Xmx1G -Xms1G; 512 MiB for metaspace, threads and buffers is our estimate",
    },
    kafkaFloorCores: {
        value: 0.25,
        unit: "cores an in-cluster Kafka broker or controller requests at the least",
        source: "Our assumption: replication fetchers, request handlers and the KRaft heartbeat at idle",
    },
    kafkaBytesPerCore: {
        value: 50_000_000,
        unit: "network bytes/s one Kafka broker core handles",
        source: "Our assumption from Kafka's sequential-I/O design: a broker core moves tens of MB/s of batched, already-compressed records",
    },
} as const satisfies Record<string, Assumption>;
