/**
 * Monthly cost of the capacity plan, line by line, and what the same stored load would cost on
 * AWS X-Ray and on a per-GB hosted tracing service. Pure: settings and plan in, estimate out.
 * Unit prices live in prices.ts; the usage figures the plan does not give are named assumptions
 * in cost-assumptions.ts.
 */
import type { Settings } from "../platform/settings";
import { awsResourceNames } from "../platform/names";
import type { CapacityPlan } from "./plan";
import { ampSamplesIngested, freeAllowances, tieredCost } from "./prices";
import { costAssumptions as c, daysPerMonth, hoursPerMonth as hours, secondsPerMonth } from "./cost-assumptions";
import { compareBackends, type CostComparison } from "./cost-comparison";
import { computeLine, costGroups, ebsLine, priced, requested, sum, total, type CostGroup, type CostLine } from "./cost-lines";
import { mskLines } from "./kafka-options";
import { spanMetricSeries } from "./span-metric-series";

export { spanMetricSeries } from "./span-metric-series";

export interface CostEstimate {
    readonly lines: readonly CostLine[];
    readonly subtotals: Readonly<Record<CostGroup, number>>;
    readonly totalUsdPerMonth: number;
    /** The same stored load on the self-hosted backend, on AWS X-Ray and on a per-GB hosted service. */
    readonly comparison: CostComparison;
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
        for (const line of mskLines(d.msk)) add(line);
        add(
            ebsLine(
                "tempo-volumes",
                `Tempo volumes (${d.liveStore} x ${d.volumeGb.liveStore} GB live-store, ${d.blockBuilder} x ${d.volumeGb.blockBuilder} GB block-builder)`,
                traceBackend,
                d.liveStore * d.volumeGb.liveStore + d.blockBuilder * d.volumeGb.blockBuilder,
            ),
        );
    } else if (tempo.monolith) {
        add(computeLine("tempo-compute", "Tempo monolith", traceBackend, requested(tempo.monolith.resources, 1)));
        add(ebsLine("tempo-volume", "Tempo volume (WAL, blocks being cut)", traceBackend, tempo.monolith.volumeGb));
    }

    // --- collection --------------------------------------------------------------------------------
    add(
        computeLine(
            "collector-compute",
            `Collectors (${c.clusterNodes.value} agents, ${c.clusterNodes.value} log agents, ${plan.gateway.replicas} gateways)`,
            "collection",
            sum([
                requested(plan.agent.resources, c.clusterNodes.value),
                requested(plan.logAgent.resources, c.clusterNodes.value),
                requested(plan.gateway.resources, plan.gateway.replicas),
            ]),
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
    const associations = settings.network.vpnSubnetAssociations;
    add(
        priced("clientVpnAssociationHour", {
            id: "vpn-associations",
            label: `Client VPN endpoint associations (${associations} ${associations === 1 ? "zone" : "zones"})`,
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
        comparison: compareBackends(settings, plan, subtotals.traceBackend),
    };
}
