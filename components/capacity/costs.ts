/**
 * Monthly cost of the capacity plan, line by line, and what the same stored load would cost on
 * AWS X-Ray and on a per-GB hosted tracing service. Pure: settings and plan in, estimate out.
 * Unit prices live in prices.ts; the usage figures the plan does not give (how many engineers
 * connect, how often they search) are named assumptions below, each with its source, so a
 * reviewer can argue with a number instead of with a total.
 */
import type { Settings } from "../platform/settings";
import { awsResourceNames } from "../platform/names";
import { capacityAssumptions, type Assumption, type CapacityPlan, type PodResources } from "./plan";
import { spanMetricsBucketsMs } from "../platform/span-metrics";
import { ampSamplesIngested, freeAllowances, mskBrokerHour, prices, tieredCost, type UnitPrice } from "./prices";

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
        source: "The data plane's trace-bucket lifecycle (traceNoncurrentVersionDays = 3 in components/builders/bucket-lifecycle.ts): versioning makes deletions recoverable for three days",
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
        value: 15,
        unit: "seconds between span-metric flushes (one sample per series each)",
        source: "spanmetrics connector metrics_flush_interval default 15s (opentelemetry-collector-contrib connector README)",
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
        unit: "EKS nodes running a collector agent",
        source: "Our assumption about the existing cluster; the agent DaemonSet runs on every node",
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
export type PriceKey = keyof typeof prices | "mskBrokerHour" | "ampSamplesIngested" | keyof typeof freeAllowances;

/** What a line pays for; the comparison swaps the trace backend only. */
export const costGroups = {
    traceBackend: "Trace backend (Tempo, S3, MSK)",
    collection: "Collection (agents, gateways)",
    metrics: "Span metrics (Managed Prometheus)",
    accessAudit: "Access and audit (VPN, CloudTrail, KMS, logs, Grafana)",
} as const;
export type CostGroup = keyof typeof costGroups;

export interface CostLine {
    /** Stable id, used by tests and the stack output. */
    readonly id: string;
    readonly label: string;
    readonly group: CostGroup;
    /** Billed quantity per month, after free allowances. */
    readonly quantity: number;
    readonly unit: string;
    readonly usdPerMonth: number;
    /** Keys in prices.ts this line is priced with. */
    readonly prices: readonly PriceKey[];
    readonly assumptions: readonly CostAssumptionKey[];
    /** Set when no price exists for the configured option; the line then counts as 0. */
    readonly unpriced?: string;
}

export interface AlternativeCost {
    readonly label: string;
    readonly lines: readonly CostLine[];
    readonly usdPerMonth: number;
    readonly note: string;
}

export interface CostEstimate {
    readonly lines: readonly CostLine[];
    readonly subtotals: Readonly<Record<CostGroup, number>>;
    readonly totalUsdPerMonth: number;
    /** The same stored load on the self-hosted backend, on AWS X-Ray and on a per-GB hosted service. */
    readonly comparison: {
        readonly load: {
            readonly storedTracesPerMonth: number;
            readonly storedGbPerMonth: number;
            readonly retentionDays: number;
        };
        readonly selfHostedUsdPerMonth: number;
        readonly xray: AlternativeCost;
        readonly hostedPerGb: AlternativeCost;
    };
}

const c = costAssumptions;
const hours = c.hoursPerMonth.value;
const secondsPerMonth = hours * 3600;
const daysPerMonth = hours / 24;

function cpuCores(quantity: string): number {
    return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

function memoryGib(quantity: string): number {
    const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(quantity);
    if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
    return match[2] === "Gi" ? Number(match[1]) : Number(match[1]) / 1024;
}

/** Requests of `count` pods, as the scheduler reserves them. */
function requested(resources: PodResources, count: number): { cores: number; gib: number } {
    return { cores: cpuCores(resources.requests.cpu) * count, gib: memoryGib(resources.requests.memory) * count };
}

function sum(parts: readonly { cores: number; gib: number }[]): { cores: number; gib: number } {
    return parts.reduce((a, b) => ({ cores: a.cores + b.cores, gib: a.gib + b.gib }), { cores: 0, gib: 0 });
}

/** Node-hours of cluster capacity the pods reserve, priced as m7g.large nodes (CPU or memory, whichever binds). */
function computeLine(
    id: string,
    label: string,
    group: CostGroup,
    reserved: { cores: number; gib: number },
    extraAssumptions: readonly CostAssumptionKey[] = [],
): CostLine {
    const nodes = Math.max(reserved.cores / c.nodeVcpus.value, reserved.gib / c.nodeMemoryGib.value);
    return {
        id,
        label: `${label}: ${round(reserved.cores, 1)} vCPU, ${round(reserved.gib, 1)} GiB requested`,
        group,
        quantity: nodes * hours,
        unit: "m7g.large node-hours",
        usdPerMonth: nodes * hours * prices.ec2M7gLargeHour.value,
        prices: ["ec2M7gLargeHour"],
        assumptions: [...extraAssumptions, "nodeVcpus", "nodeMemoryGib", "hoursPerMonth"],
    };
}

function round(value: number, digits: number): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

/** What a line uses; `priced` turns it into dollars with one price from prices.ts. */
interface Usage {
    readonly id: string;
    readonly label: string;
    readonly group: CostGroup;
    readonly quantity: number;
    readonly unit: string;
    readonly assumptions?: readonly CostAssumptionKey[];
    /** Free allowances already subtracted from `quantity`. */
    readonly allowances?: readonly (keyof typeof freeAllowances)[];
}

function priced(price: keyof typeof prices, usage: Usage): CostLine {
    const unitPrice: UnitPrice = prices[price];
    return {
        id: usage.id,
        label: usage.label,
        group: usage.group,
        quantity: usage.quantity,
        unit: usage.unit,
        usdPerMonth: (usage.quantity / (unitPrice.per ?? 1)) * unitPrice.value,
        prices: [price, ...(usage.allowances ?? [])],
        assumptions: usage.assumptions ?? [],
    };
}

function ebsLine(id: string, label: string, group: CostGroup, gb: number): CostLine {
    return priced("ebsGp3GbMonth", { id, label, group, quantity: gb, unit: "GB-month gp3" });
}

/** Span-metric series the gateways remote-write: every dimension combination, per gateway (instance label). */
export function spanMetricSeries(settings: Settings, gatewayReplicas: number): number {
    // calls counter + one series per bucket and +Inf + _sum + _count of the duration histogram
    const seriesPerCombination = 1 + spanMetricsBucketsMs.length + 1 + 2;
    const perOperation = c.statusCodesPerOperation.value * seriesPerCombination;
    const perGateway = settings.systems.reduce((total, system) => {
        const operations = system.serviceNames.length * c.operationsPerService.value;
        // consumer spans carry messaging.destination.name, one extra combination per queue
        return total + (operations + system.queues.length) * perOperation;
    }, 0);
    return perGateway * gatewayReplicas;
}

function storedTracesPerMonth(plan: CapacityPlan): number {
    return (plan.load.storedSpansPerSecond / capacityAssumptions.spansPerTrace.value) * secondsPerMonth;
}

function storedRawGbPerMonth(plan: CapacityPlan): number {
    return (plan.load.storedBytesPerSecond * secondsPerMonth) / 1e9;
}

export function planCosts(settings: Settings, plan: CapacityPlan): CostEstimate {
    const lines: CostLine[] = [];
    const add = (line: CostLine) => lines.push(line);

    // --- trace storage backend -------------------------------------------------------------------
    const traceBackend = "traceBackend" as const;
    add(
        priced("s3StandardGbMonth", {
            id: "s3-trace-storage",
            label: `S3 trace bucket (${plan.storage.retentionDays} days retained)`,
            group: traceBackend,
            quantity: plan.storage.traceBucketGb,
            unit: "GB-month",
        }),
    );
    // Every byte written is deleted again (by compaction or retention) and lingers as a noncurrent version.
    add(
        priced("s3StandardGbMonth", {
            id: "s3-trace-noncurrent",
            label: `S3 trace bucket noncurrent versions (${c.traceNoncurrentDays.value} days recoverable)`,
            group: traceBackend,
            quantity: plan.storage.storedGbPerDay * c.s3WriteAmplification.value * c.traceNoncurrentDays.value,
            unit: "GB-month",
            assumptions: ["s3WriteAmplification", "traceNoncurrentDays"],
        }),
    );
    const writtenBytes = plan.storage.storedGbPerDay * 1e9 * daysPerMonth * c.s3WriteAmplification.value;
    const putRequests = writtenBytes / c.s3PartBytes.value;
    const listRequests = c.tenantIndexBuilders.value * (secondsPerMonth / c.blocklistPollSeconds.value) * c.listRequestsPerPoll.value;
    const searches = c.vpnEngineers.value * c.vpnHoursPerEngineer.value * c.searchesPerEngineerHour.value;
    const getRequests = searches * c.s3GetsPerSearch.value;
    add(
        priced("s3PutPer1000", {
            id: "s3-trace-writes",
            label: "S3 PUT and LIST requests (block uploads, compaction, polling)",
            group: traceBackend,
            quantity: putRequests + listRequests,
            unit: "requests",
            assumptions: ["s3PartBytes", "s3WriteAmplification", "blocklistPollSeconds", "tenantIndexBuilders", "listRequestsPerPoll"],
        }),
    );
    add(
        priced("s3GetPer1000", {
            id: "s3-trace-reads",
            label: "S3 GET requests (searches and trace lookups)",
            group: traceBackend,
            quantity: getRequests,
            unit: "requests",
            assumptions: ["vpnEngineers", "vpnHoursPerEngineer", "searchesPerEngineerHour", "s3GetsPerSearch"],
        }),
    );
    const tempo = plan.tempo;
    if (tempo.distributed) {
        const d = tempo.distributed;
        const r = d.resources;
        add(
            computeLine(
                "tempo-compute",
                "Tempo pods",
                traceBackend,
                sum([
                    requested(r.distributor, d.distributor),
                    requested(r.liveStore, d.liveStore),
                    requested(r.blockBuilder, d.blockBuilder),
                    requested(r.querier, d.querier),
                    requested(r.queryFrontend, d.queryFrontend),
                    requested(r.backendScheduler, d.backendScheduler),
                    requested(r.backendWorker, d.backendWorker),
                ]),
            ),
        );
        const { instanceType, brokerCount, volumeGb } = settings.tempo.msk;
        const brokerPrice = (mskBrokerHour as Record<string, UnitPrice>)[instanceType];
        add({
            id: "msk-brokers",
            label: `MSK brokers (${brokerCount} x ${instanceType})`,
            group: traceBackend,
            quantity: brokerCount * hours,
            unit: "broker-hours",
            usdPerMonth: brokerPrice ? brokerCount * hours * brokerPrice.value : 0,
            prices: ["mskBrokerHour"],
            assumptions: ["hoursPerMonth"],
            ...(brokerPrice
                ? {}
                : { unpriced: `no price for ${instanceType} in components/builders/prices.ts (mskBrokerHour); add it` }),
        });
        add(
            priced("mskStorageGbMonth", {
                id: "msk-storage",
                label: `MSK broker storage (${brokerCount} x ${volumeGb} GB)`,
                group: traceBackend,
                quantity: brokerCount * volumeGb,
                unit: "GB-month",
            }),
        );
    } else if (tempo.monolith) {
        add(computeLine("tempo-compute", "Tempo monolith", traceBackend, requested(tempo.monolith.resources, 1)));
        add(ebsLine("tempo-volume", "Tempo volume (WAL, blocks being cut)", traceBackend, tempo.monolith.volumeGb));
    }

    // --- collection --------------------------------------------------------------------------------
    add(
        computeLine(
            "collector-compute",
            `Collectors (${c.clusterNodes.value} agents, ${plan.gateway.replicas} gateways)`,
            "collection",
            sum([requested(plan.agent.resources, c.clusterNodes.value), requested(plan.gateway.resources, plan.gateway.replicas)]),
            ["clusterNodes"],
        ),
    );
    add(
        ebsLine(
            "gateway-queues",
            `Gateway queue volumes (${plan.gateway.replicas} x ${plan.gateway.queueVolumeGb} GB)`,
            "collection",
            plan.gateway.replicas * plan.gateway.queueVolumeGb,
        ),
    );

    // --- span metrics --------------------------------------------------------------------------------
    const series = spanMetricSeries(settings, plan.gateway.replicas);
    const samples = series * (secondsPerMonth / c.spanMetricsFlushSeconds.value);
    add({
        id: "amp-ingest",
        label: `Managed Prometheus samples ingested (${Math.round(series).toLocaleString("en-US")} series)`,
        group: "metrics",
        quantity: samples,
        unit: "samples",
        usdPerMonth: tieredCost(ampSamplesIngested, samples),
        prices: ["ampSamplesIngested"],
        assumptions: ["operationsPerService", "statusCodesPerOperation", "spanMetricsFlushSeconds", "hoursPerMonth"],
    });
    add(
        priced("ampStorageGbMonth", {
            id: "amp-storage",
            label: `Managed Prometheus storage (${c.ampRetentionDays.value} days)`,
            group: "metrics",
            quantity: (samples * (c.ampRetentionDays.value / daysPerMonth) * c.ampBytesPerSample.value) / 2 ** 30,
            unit: "GB-month",
            assumptions: ["ampRetentionDays", "ampBytesPerSample"],
        }),
    );
    add(
        priced("ampQuerySamplesPerBillion", {
            id: "amp-query",
            label: "Managed Prometheus query samples (alerts, dashboards)",
            group: "metrics",
            quantity: samples * c.queryReadsPerSample.value,
            unit: "samples",
            assumptions: ["queryReadsPerSample"],
        }),
    );

    // --- access, audit and keys --------------------------------------------------------------------
    const accessAudit = "accessAudit" as const;
    const associations = settings.network.privateSubnetIds.length;
    add(
        priced("clientVpnAssociationHour", {
            id: "vpn-associations",
            label: `Client VPN endpoint associations (${associations} subnets)`,
            group: accessAudit,
            quantity: associations * hours,
            unit: "association-hours",
            assumptions: ["hoursPerMonth"],
        }),
    );
    add(
        priced("clientVpnConnectionHour", {
            id: "vpn-connections",
            label: `Client VPN connections (${c.vpnEngineers.value} engineers x ${c.vpnHoursPerEngineer.value} h)`,
            group: accessAudit,
            quantity: c.vpnEngineers.value * c.vpnHoursPerEngineer.value,
            unit: "connection-hours",
            assumptions: ["vpnEngineers", "vpnHoursPerEngineer"],
        }),
    );
    // Every object-level request on the trace bucket is one data event (trail selects read and write).
    const dataEvents = putRequests + listRequests + getRequests;
    add(
        priced("cloudTrailDataEventsPer100000", {
            id: "cloudtrail-data-events",
            label: "CloudTrail S3 data events (trace bucket)",
            group: accessAudit,
            quantity: dataEvents,
            unit: "events",
        }),
    );
    const keyCount = Object.keys(awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region)).filter((k) =>
        k.endsWith("KeyAlias"),
    ).length;
    const s3KmsRequests = (putRequests + getRequests) * (1 - c.bucketKeyKmsReduction.value);
    const trailKmsRequests = (hours * 60) / c.cloudTrailFileMinutes.value;
    const kmsRequests = s3KmsRequests + trailKmsRequests;
    const managementEvents = kmsRequests + c.otherManagementEvents.value;
    add(
        priced("cloudTrailManagementFirstCopy", {
            id: "cloudtrail-management",
            label: "CloudTrail management events (first copy)",
            group: accessAudit,
            quantity: managementEvents,
            unit: "events",
            assumptions: ["otherManagementEvents"],
        }),
    );
    const trailEvents = dataEvents + managementEvents;
    const auditMonths = settings.retention.auditDays / daysPerMonth;
    const auditBytesPerMonth = trailEvents * c.cloudTrailRecordBytes.value * c.gzipRatio.value + dataEvents * c.s3AccessLogRecordBytes.value;
    add(
        priced("s3StandardGbMonth", {
            id: "s3-audit-storage",
            label: `S3 audit and access-log buckets (${settings.retention.auditDays} days, Standard price as upper bound)`,
            group: accessAudit,
            quantity: (auditBytesPerMonth * auditMonths) / 1e9,
            unit: "GB-month",
            assumptions: ["cloudTrailRecordBytes", "gzipRatio", "s3AccessLogRecordBytes"],
        }),
    );
    const logGb = (trailEvents * c.cloudTrailRecordBytes.value) / 1e9 + c.otherLogGbPerMonth.value;
    add(
        priced("cloudWatchLogsIngestGb", {
            id: "cloudwatch-logs-ingest",
            label: "CloudWatch Logs ingestion (trail events, VPN connections)",
            group: accessAudit,
            quantity: logGb,
            unit: "GB",
            assumptions: ["cloudTrailRecordBytes", "otherLogGbPerMonth"],
        }),
    );
    add(
        priced("cloudWatchLogsStorageGbMonth", {
            id: "cloudwatch-logs-storage",
            label: `CloudWatch Logs storage (${settings.retention.logDays} days)`,
            group: accessAudit,
            quantity: logGb * c.gzipRatio.value * (settings.retention.logDays / daysPerMonth),
            unit: "GB-month",
            assumptions: ["gzipRatio"],
        }),
    );
    add(
        priced("kmsKeyMonth", {
            id: "kms-keys",
            label: `KMS customer managed keys (${keyCount})`,
            group: accessAudit,
            quantity: keyCount,
            unit: "keys",
        }),
    );
    add(
        priced("kmsRequestsPer10000", {
            id: "kms-requests",
            label: "KMS requests (S3 with Bucket Key, CloudTrail files; after free tier)",
            group: accessAudit,
            quantity: Math.max(0, kmsRequests - freeAllowances.kmsRequests.value),
            unit: "requests",
            assumptions: ["bucketKeyKmsReduction", "cloudTrailFileMinutes"],
            allowances: ["kmsRequests"],
        }),
    );
    add(ebsLine("grafana-volume", "Grafana volume", accessAudit, settings.grafana.volumeGb));

    const subtotals = Object.fromEntries(
        (Object.keys(costGroups) as CostGroup[]).map((group) => [group, total(lines.filter((l) => l.group === group))]),
    ) as Record<CostGroup, number>;

    return {
        lines,
        subtotals,
        totalUsdPerMonth: total(lines),
        comparison: compare(settings, plan, subtotals.traceBackend),
    };
}

function total(lines: readonly CostLine[]): number {
    return lines.reduce((acc, line) => acc + line.usdPerMonth, 0);
}

/**
 * The same collectors in front (so the same tail-sampled, stored load), a different backend behind.
 * Span metrics, VPN and audit stay the same whichever backend stores the traces.
 */
function compare(settings: Settings, plan: CapacityPlan, selfHostedUsdPerMonth: number): CostEstimate["comparison"] {
    const traces = storedTracesPerMonth(plan);
    const gb = storedRawGbPerMonth(plan);
    const retentionDays = settings.retention.traceDays;

    const recorded = Math.max(0, traces - freeAllowances.xrayTracesRecorded.value);
    const scanned = Math.max(0, traces * c.xrayScannedShare.value - freeAllowances.xrayTracesRetrieved.value);
    const group = "traceBackend" as const;
    const xrayLines: CostLine[] = [
        priced("xrayTracesRecordedPerMillion", {
            id: "xray-recorded",
            label: "X-Ray traces recorded",
            group,
            quantity: recorded,
            unit: "traces",
            allowances: ["xrayTracesRecorded"],
        }),
        priced("xrayTracesRetrievedPerMillion", {
            id: "xray-scanned",
            label: "X-Ray traces retrieved or scanned",
            group,
            quantity: scanned,
            unit: "traces",
            assumptions: ["xrayScannedShare"],
            allowances: ["xrayTracesRetrieved"],
        }),
    ];

    const extraIncrements = Math.max(0, Math.ceil((retentionDays - 30) / 30));
    const hostedLines: CostLine[] = [
        priced("grafanaCloudTracesProcessedGb", { id: "hosted-processed", label: "Grafana Cloud Traces GB processed", group, quantity: gb, unit: "GB" }),
        priced("grafanaCloudTracesWrittenGb", {
            id: "hosted-written",
            label: "Grafana Cloud Traces GB written (30 days included)",
            group,
            quantity: Math.max(0, gb - freeAllowances.grafanaCloudTracesGb.value),
            unit: "GB",
            allowances: ["grafanaCloudTracesGb"],
        }),
        priced("grafanaCloudTracesRetentionGbPer30Days", {
            id: "hosted-retention",
            label: `Grafana Cloud Traces retention beyond 30 days (${extraIncrements} x 30 days)`,
            group,
            quantity: gb * extraIncrements,
            unit: "GB x 30 days",
        }),
    ];

    return {
        load: { storedTracesPerMonth: traces, storedGbPerMonth: gb, retentionDays },
        selfHostedUsdPerMonth,
        xray: {
            label: "AWS X-Ray",
            lines: xrayLines,
            usdPerMonth: total(xrayLines),
            note: "30 days retention included, not configurable",
        },
        hostedPerGb: {
            label: "Grafana Cloud Traces (per GB)",
            lines: hostedLines,
            usdPerMonth: total(hostedLines),
            note: "billed on uncompressed GB received",
        },
    };
}
