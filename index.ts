import { loadSettings } from "./components/config";
import { Providers } from "./components/providers";
import { PlatformNamespaces } from "./components/namespaces";
import { awsResourceNames } from "./components/names";
import { auditObjectLockMode } from "./components/builders/bucket-lifecycle";
import { PlatformKeys } from "./components/kms-keys";
import { AccessLogBucket } from "./components/access-log-bucket";
import { TraceBucket } from "./components/trace-bucket";
import { AuditBucket } from "./components/audit-bucket";
import { AuditTrail } from "./components/audit-trail";
import { MetricsStore } from "./components/metrics-store";
import { WorkloadIdentities } from "./components/workload-identities";

const settings = loadSettings();
const providers = new Providers("tracing", { settings });
const platformNamespaces = new PlatformNamespaces(
    "tracing",
    { environment: settings.environment },
    { providers: [providers.aws, providers.kubernetes] },
);

const { accountId, region } = settings.aws;
const names = awsResourceNames(settings.environment, accountId, region);
const retain = settings.protectStatefulResources;
const onAws = { providers: [providers.aws] };

const keys = new PlatformKeys(
    "tracing",
    { environment: settings.environment, accountId, region, names, deletionWindowDays: settings.kms.deletionWindowDays, retain },
    onAws,
);
const accessLogBucket = new AccessLogBucket(
    "tracing-access-logs",
    {
        bucketName: names.accessLogBucket,
        accountId,
        sourceBucketNames: [names.traceBucket, names.auditBucket],
        retentionDays: settings.retention.auditDays,
        retain,
    },
    onAws,
);
const traceBucket = new TraceBucket(
    "tracing-traces",
    {
        bucketName: names.traceBucket,
        accountId,
        traceKeyArn: keys.traceKeyArn,
        retentionDays: settings.retention.traceDays,
        accessLogBucketName: accessLogBucket.bucketName,
        retain,
    },
    onAws,
);
const auditBucket = new AuditBucket(
    "tracing-audit",
    {
        bucketName: names.auditBucket,
        accountId,
        region,
        trailName: names.trail,
        auditKeyArn: keys.auditKeyArn,
        lockMode: auditObjectLockMode(settings.isProduction),
        retentionDays: settings.retention.auditDays,
        accessLogBucketName: accessLogBucket.bucketName,
        retain,
    },
    onAws,
);
const auditTrail = new AuditTrail(
    "tracing-audit",
    {
        accountId,
        region,
        names,
        auditBucketName: auditBucket.bucketName,
        auditKeyArn: keys.auditKeyArn,
        logRetentionDays: settings.retention.logDays,
        retain,
    },
    onAws,
);
const metricsStore = new MetricsStore(
    "tracing-span-metrics",
    {
        workspaceAlias: names.metricsWorkspace,
        logGroupName: names.metricsLogGroup,
        metricsKeyArn: keys.traceKeyArn,
        logKeyArn: keys.auditKeyArn,
        logRetentionDays: settings.retention.logDays,
        retain,
    },
    onAws,
);
const workloadIdentities = new WorkloadIdentities(
    "tracing",
    {
        accountId,
        region,
        clusterName: settings.cluster.name,
        names,
        traceKeyArn: keys.traceKeyArn,
        metricsWorkspaceArn: metricsStore.workspaceArn,
    },
    onAws,
);

export const environment = settings.environment;
export const awsAccountId = settings.aws.accountId;
export const awsRegion = settings.aws.region;
export const namespaces = Object.values(platformNamespaces.namespaces).map((ns) => ns.metadata.name);
export const traceBucketName = traceBucket.bucketName;
export const auditBucketName = auditBucket.bucketName;
export const accessLogBucketName = accessLogBucket.bucketName;
export const traceKeyArn = keys.traceKeyArn;
export const auditKeyArn = keys.auditKeyArn;
export const auditTrailArn = auditTrail.trailArn;
export const metricsWorkspaceId = metricsStore.workspaceId;
export const metricsWorkspaceArn = metricsStore.workspaceArn;
export const metricsWorkspaceEndpoint = metricsStore.prometheusEndpoint;
export const workloadRoleArns = workloadIdentities.roleArns;
