/**
 * The usage figures the cost model needs and the capacity plan does not give (how many engineers
 * connect, how often they search, how Tempo touches S3), each a named assumption with its source,
 * so a reviewer can argue with a number instead of with a total.
 */
import type { Assumption } from "./assumptions";
import { spanMetricsFlushSeconds } from "../platform/span-metrics";

/** Usage the cost model needs beyond the capacity plan. */
export const costAssumptions = {
    hoursPerMonth: {
        value: 730,
        unit: "hours per month",
        source: "AWS pricing pages and calculator bill a month as 730 hours",
    },
    vpnEngineers: {
        value: 10,
        unit: "engineers with a VPN profile for the environment",
        source: "Our assumption: the platform team plus the on-call engineers of the ten traced systems",
    },
    vpnHoursPerEngineer: {
        value: 40,
        unit: "connected hours per engineer per month",
        source: "Our assumption: about two hours on each of 20 working days",
    },
    searchesPerEngineerHour: {
        value: 20,
        unit: "TraceQL searches or trace lookups per connected hour",
        source: "Our assumption for interactive investigation (dashboard trace panels included)",
    },
    s3GetsPerSearch: {
        value: 400,
        unit: "S3 GET requests per search",
        source: "Our assumption: a search reads footers, bloom shards and row groups of a few dozen parquet blocks",
    },
    s3PartBytes: {
        value: 5 * 2 ** 20,
        unit: "bytes per S3 PUT (multipart part)",
        source: "Tempo storage.trace.s3.part_size of 5 MiB, the S3 multipart minimum, as Tempo S3 configurations set it",
    },
    s3WriteAmplification: {
        value: 2,
        unit: "times each stored byte is written to S3",
        source: "Our assumption: a block is written once when cut and rewritten once by compaction (Tempo 3 backend-workers)",
    },
    traceNoncurrentDays: {
        value: 3,
        unit: "days a deleted or compacted-away trace object stays as a noncurrent version",
        source: "The data plane's trace-bucket lifecycle (traceNoncurrentVersionDays = 3 in components/data-plane/bucket-lifecycle.ts): versioning makes deletions recoverable for three days",
    },
    blocklistPollSeconds: {
        value: 300,
        unit: "seconds between blocklist polls",
        source: "Tempo storage.trace.blocklist_poll default 5m (Tempo docs, configuration/polling)",
    },
    tenantIndexBuilders: {
        value: 2,
        unit: "components listing the bucket each poll",
        source: "Tempo storage.trace.blocklist_poll_tenant_index_builders default 2 (Tempo docs, configuration/polling)",
    },
    listRequestsPerPoll: {
        value: 10,
        unit: "LIST requests per poll per index builder",
        source: "Our assumption: tenant and block prefixes paged at 1,000 keys per LIST",
    },
    bucketKeyKmsReduction: {
        value: 0.973,
        unit: "share of S3-to-KMS requests an S3 Bucket Key removes",
        source: "aws-samples/s3-bucketkey-poc measured 97.3%; AWS S3 docs say up to 99%",
    },
    cloudTrailFileMinutes: {
        value: 5,
        unit: "minutes between CloudTrail log file deliveries (one KMS data key each)",
        source: "AWS CloudTrail docs: log files are delivered about every 5 minutes",
    },
    otherManagementEvents: {
        value: 300_000,
        unit: "other management events per month",
        source: "Our assumption for the account's control plane (STS for workload identity, EKS, EC2 describes); read the real figure from CloudTrail before budgeting",
    },
    cloudTrailRecordBytes: {
        value: 1_500,
        unit: "bytes per CloudTrail record (JSON)",
        source: "Our estimate of an S3 data event record with request parameters, resources and identity",
    },
    s3AccessLogRecordBytes: {
        value: 350,
        unit: "bytes per S3 server access log record",
        source: "Our estimate from the server access log format (about 25 space-separated fields)",
    },
    gzipRatio: {
        value: 0.1,
        unit: "stored bytes / raw bytes of compressed JSON and text logs",
        source: "Our estimate: CloudTrail files and CloudWatch Logs archives are gzip-compressed JSON, typically about ten to one",
    },
    otherLogGbPerMonth: {
        value: 1,
        unit: "GB per month of VPN connection and metrics-workspace logs",
        source: "Our allowance: a few KB per VPN session and per rule-evaluation warning",
    },
    operationsPerService: {
        value: 20,
        unit: "span names per service",
        source: "Our assumption: routes, RPC methods, queries and queue operations per service once instrumentation groups paths into routes",
    },
    statusCodesPerOperation: {
        value: 2,
        unit: "status codes seen per operation",
        source: "Our assumption: UNSET or OK, and ERROR",
    },
    spanMetricsFlushSeconds: {
        value: spanMetricsFlushSeconds,
        unit: "seconds between span-metric flushes (one sample per series each)",
        source: "The gateways' span_metrics and service_graph metrics_flush_interval (components/platform/span-metrics.ts): the 5-minute alert windows still cover five flushes",
    },
    serviceGraphEdgesPerService: {
        value: 2,
        unit: "service-graph edges (caller, callee) per service",
        source: "Our assumption: each service calls about two others (an API its auth service and database, a worker its queue and store)",
    },
    ampRetentionDays: {
        value: 150,
        unit: "days Managed Prometheus keeps samples",
        source: "Amazon Managed Service for Prometheus default retention of 150 days",
    },
    ampBytesPerSample: {
        value: 2,
        unit: "stored bytes per sample",
        source: "aws.amazon.com/prometheus/pricing: samples are typically 1 or 2 bytes (upper value taken)",
    },
    queryReadsPerSample: {
        value: 10,
        unit: "times each sample is read by alert rules and dashboards",
        source: "Our assumption: a 5-minute rate window evaluated every minute reads each sample five times; dashboards about as often",
    },
    clusterNodes: {
        value: 10,
        unit: "EKS nodes running a collector agent and a log agent",
        source: "Our assumption about the existing cluster; the agent and log agent DaemonSets run on every node",
    },
    nodeVcpus: {
        value: 2,
        unit: "vCPU per m7g.large",
        source: "aws.amazon.com/ec2/instance-types/m7g (m7g.large: 2 vCPU, 8 GiB)",
    },
    nodeMemoryGib: {
        value: 8,
        unit: "GiB per m7g.large",
        source: "aws.amazon.com/ec2/instance-types/m7g (m7g.large: 2 vCPU, 8 GiB)",
    },
    xrayScannedShare: {
        value: 0.1,
        unit: "share of recorded traces scanned by searches and service maps",
        source: "Our assumption for interactive use comparable to the self-hosted query load",
    },
} as const satisfies Record<string, Assumption>;

export type CostAssumptionKey = keyof typeof costAssumptions;

/** The month the assumptions bill, in the units the cost lines count. */
export const hoursPerMonth = costAssumptions.hoursPerMonth.value;
export const secondsPerMonth = hoursPerMonth * 3600;
export const daysPerMonth = hoursPerMonth / 24;
