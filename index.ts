import * as pulumi from "@pulumi/pulumi";
import { capacityPlanOutput, planCapacity } from "./components/capacity";
import { CollectorFleet } from "./components/collectors";
import {
    AccessLogBucket,
    AlertTopic,
    AuditBucket,
    AuditTrail,
    auditObjectLockMode,
    EncryptedLogGroup,
    EncryptedStorageClass,
    MetricsStore,
    PlatformKeys,
    SecurityAlarms,
    TraceBucket,
    WorkloadIdentities,
} from "./components/data-plane";
import { Grafana } from "./components/grafana";
import { ClientVpn, InternalEndpoints, NetworkPerimeter, PlatformNetworkPolicies } from "./components/network";
import { CertificateExpiryAlarm, PlatformPki, vpnServerAlarmDays } from "./components/pki";
import { awsResourceNames, loadSettings, platformClock, PlatformNamespaces, Providers } from "./components/platform";
import { Tempo, TempoKafka } from "./components/tempo";

const settings = loadSettings();
const now = platformClock();
const capacity = planCapacity(settings);
const providers = new Providers("tracing", { settings });
const awsOnly = { providers: [providers.aws, providers.random] };
const kubernetesOnly = { providers: [providers.kubernetes] };
const kubernetesWithSecrets = { providers: [providers.kubernetes, providers.random] };
const platformNamespaces = new PlatformNamespaces("tracing", { environment: settings.environment }, kubernetesOnly);

const { accountId, region } = settings.aws;
const names = awsResourceNames(settings.environment, accountId, region);
const retain = settings.protectStatefulResources;

const keys = new PlatformKeys(
    "tracing",
    { environment: settings.environment, accountId, region, names, deletionWindowDays: settings.kms.deletionWindowDays, retain },
    awsOnly,
);
// Every persistent volume (Tempo's WAL and blocks, gateway queues, Grafana's database) is EBS encrypted with the trace key.
const storageClass = new EncryptedStorageClass(
    "tracing",
    { environment: settings.environment, keyArn: keys.traceKeyArn, retainVolumes: retain, tags: settings.tags },
    kubernetesOnly,
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
    awsOnly,
);
// AWS: the perimeter before the buckets, because the trace bucket only admits data access through
// the S3 endpoint; the metrics workspace before the perimeter, whose Managed Prometheus endpoint
// policy (when the platform creates that endpoint) protects it.
const perimeter = new NetworkPerimeter(
    "tracing",
    {
        environment: settings.environment,
        accountId: settings.aws.accountId,
        region: settings.aws.region,
        network: settings.network,
        nodeSecurityGroupId: settings.cluster.nodeSecurityGroupId,
        metricsWorkspaceArn: metricsStore.workspaceArn,
    },
    awsOnly,
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
    awsOnly,
);
const traceBucket = new TraceBucket(
    "tracing-traces",
    {
        bucketName: names.traceBucket,
        accountId,
        keyArn: keys.traceKeyArn,
        retentionDays: settings.retention.traceDays,
        accessLogBucketName: accessLogBucket.bucketName,
        s3VpcEndpointId: perimeter.s3GatewayEndpointId,
        retain,
    },
    awsOnly,
);
const auditBucket = new AuditBucket(
    "tracing-audit",
    {
        bucketName: names.auditBucket,
        accountId,
        region,
        trailName: names.trail,
        keyArn: keys.auditKeyArn,
        lockMode: auditObjectLockMode(settings.isProduction),
        retentionDays: settings.retention.auditDays,
        accessLogBucketName: accessLogBucket.bucketName,
        retain,
    },
    awsOnly,
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
    awsOnly,
);
const alertTopic = new AlertTopic(
    "tracing-alerts",
    {
        environment: settings.environment,
        accountId,
        region,
        names,
        keyArn: keys.auditKeyArn,
        email: settings.grafana.alertEmail,
        retain,
    },
    awsOnly,
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
        alertTopicArn: alertTopic.topicArn,
        alertTopicKeyArn: keys.auditKeyArn,
    },
    awsOnly,
);

// Certificates before the workloads that mount them; the gateway certificate names every pod the autoscaler may run.
const pki = new PlatformPki(
    "tracing",
    {
        environment: settings.environment,
        validity: settings.pki,
        now,
        grafanaHostname: settings.grafana.hostname,
        gatewayMaxReplicas: capacity.gateway.maxReplicas,
        externalSenders: settings.collectors.externalSenders,
        namespaces: platformNamespaces.namespaces,
    },
    { providers: [providers.tls, providers.kubernetes] },
);

const vpn = new ClientVpn(
    "tracing",
    {
        environment: settings.environment,
        network: settings.network,
        logRetentionDays: settings.retention.logDays,
        protectLogs: settings.protectStatefulResources,
        logsKmsKeyArn: keys.auditKeyArn,
        securityGroupId: perimeter.vpnEndpointSecurityGroupId,
        serverCertificate: pki.vpnServer,
        caCertificatePem: pki.vpnCaCertificatePem,
        identity: settings.identity.vpn,
    },
    awsOnly,
);

// Logs of the platform's own pods, which the collector gateways ship (Grafana's access and login log among them).
const workloadLogs = new EncryptedLogGroup(
    "tracing-workload-logs",
    { logGroupName: names.workloadLogGroup, keyArn: keys.auditKeyArn, retentionDays: settings.retention.logDays, retain },
    awsOnly,
);
new SecurityAlarms(
    "tracing-security",
    {
        environment: settings.environment,
        platformBucketNames: [names.traceBucket, names.auditBucket, names.accessLogBucket],
        logGroupNames: { trail: auditTrail.logGroup.logGroupName, vpn: vpn.logGroupName, workloads: workloadLogs.logGroupName },
        alertTopicArn: alertTopic.topicArn,
    },
    awsOnly,
);

// ACM never renews an imported certificate: if the scheduled deploy stops renewing it, say so in time.
new CertificateExpiryAlarm(
    "tracing-vpn-server",
    {
        environment: settings.environment,
        certificate: "vpn-server",
        certificateArn: vpn.serverCertificateArn,
        topicArn: alertTopic.topicArn,
        thresholdDays: vpnServerAlarmDays(settings.pki),
    },
    awsOnly,
);

new InternalEndpoints(
    "tracing",
    {
        environment: settings.environment,
        vpcCidr: settings.network.vpcCidr,
        appOtlpCidrs: settings.network.appOtlpCidrs,
        privateSubnetIds: settings.network.privateSubnetIds,
        grafanaHostname: settings.grafana.hostname,
        grafanaLoadBalancerSecurityGroupId: perimeter.grafanaLoadBalancerSecurityGroupId,
        gatewayLoadBalancerSecurityGroupId: perimeter.gatewayLoadBalancerSecurityGroupId,
        namespaces: platformNamespaces.namespaces,
    },
    kubernetesOnly,
);

const tempoKafka =
    capacity.tempo.mode === "distributed" && capacity.tempo.distributed
        ? new TempoKafka(
              "tempo-kafka",
              {
                  settings,
                  plan: capacity.tempo.distributed,
                  kmsKeyArn: keys.traceKeyArn,
                  logsKmsKeyArn: keys.auditKeyArn,
              },
              awsOnly,
          )
        : undefined;

const tempo = new Tempo(
    "tempo",
    {
        settings,
        plan: capacity.tempo,
        namespace: platformNamespaces.namespaces.tempo.metadata.name,
        traceBucketName: traceBucket.bucketName,
        traceKeyArn: keys.traceKeyArn,
        storageClassName: storageClass.name,
        ...(tempoKafka ? { kafka: tempoKafka.connection } : {}),
        tlsHash: pki.tlsHash("tempoServer"),
    },
    { ...kubernetesOnly, dependsOn: [pki, workloadIdentities.associations.tempo, ...(tempoKafka ? [tempoKafka] : [])] },
);

const grafana = new Grafana(
    "grafana",
    {
        settings,
        prometheusEndpoint: metricsStore.prometheusEndpoint,
        alertTopicArn: alertTopic.topicArn,
        // The trace key, which Grafana depends on already (it encrypts what Grafana shows); the audit key stays for audit evidence.
        // It encrypts Grafana's image repository and its break-glass admin secret.
        kmsKeyArn: keys.traceKeyArn,
        tlsHash: pki.tlsHash("grafanaClient"),
        storageClassName: storageClass.name,
    },
    {
        providers: [providers.aws, providers.dockerBuild, providers.kubernetes, providers.random],
        dependsOn: [platformNamespaces, pki, workloadIdentities.associations.grafana],
    },
);

const collectors = new CollectorFleet(
    "tracing-collectors",
    {
        settings,
        plan: capacity,
        remoteWriteUrl: metricsStore.remoteWriteUrl,
        region: settings.aws.region,
        tlsHash: pki.tlsHash(),
        storageClassName: storageClass.name,
        ...(tempoKafka ? { kafkaBootstrapBrokers: tempoKafka.connection.bootstrapBrokers } : {}),
    },
    { ...kubernetesWithSecrets, dependsOn: [platformNamespaces, pki, workloadIdentities.associations.gateway] },
);

// Each workload's egress is what its rendered configuration dials, so the policies come last.
new PlatformNetworkPolicies(
    "tracing",
    {
        environment: settings.environment,
        region,
        vpcCidr: settings.network.vpcCidr,
        kubernetesServiceCidr: settings.cluster.serviceCidr,
        appOtlpCidrs: settings.network.appOtlpCidrs,
        appNamespaceLabel: settings.network.appNamespaceLabel,
        identityProvider: { hosts: settings.identity.grafana.providerHosts, cidrs: settings.identity.grafana.providerCidrs },
        destinations: {
            agent: collectors.agent.destinations,
            logAgent: collectors.logAgent.destinations,
            gateway: collectors.gateway.destinations,
            tempo: tempo.destinations,
            grafana: grafana.destinations,
        },
        services: [collectors.agent.service, collectors.gateway.headlessService, ...tempo.services],
        namespaces: platformNamespaces.namespaces,
    },
    // The AWS provider answers the S3 prefix-list lookup.
    { providers: [providers.kubernetes, providers.aws] },
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
/** Topic Grafana's alert notifications go to; alertEmail must confirm its subscription once. */
export const alertTopicArn = alertTopic.topicArn;
/** The platform CAs trusted now (public PEM bundle): install it where users and senders must trust the platform's endpoints. */
export const caCertificate = pki.trustBundlePem;
/** The clock this update computed certificate renewal windows from; the weekly drift check previews with it. */
export const renewalClock = now.toISOString();
export const grafanaUrl = `https://${settings.grafana.hostname}`;
export const vpnEndpointId = vpn.endpointId;
export const capacityPlan = capacityPlanOutput(settings, capacity);
export const tempoMode = capacity.tempo.mode;
export const tempoIngestEndpoint = tempo.ingestEndpoint;
export const tempoQueryUrl = tempo.queryUrl;
export const kafkaBootstrapBrokers = tempoKafka?.cluster.bootstrapBrokersSaslScram;
export const grafanaDeployment = grafana.deployment.metadata.name;
/** Secrets Manager secret of Grafana's break-glass admin (username and password; runbook: Break-glass access). */
export const grafanaBreakGlassSecretArn = grafana.breakGlassSecretArn;
/** Each external OTLP sender's client certificate (public), by sender name: the gateway's load balancer admits only these. */
export const otlpSenderCertificates = Object.fromEntries(Object.entries(pki.externalSenders).map(([sender, issued]) => [sender, issued.certificatePem]));
/** Each external OTLP sender's private key (secret), by sender name; hand each sender only its own. */
export const otlpSenderPrivateKeys = pulumi.secret(
    pulumi.output(Object.fromEntries(Object.entries(pki.externalSenders).map(([sender, issued]) => [sender, issued.privateKeyPem]))),
);
/** OTLP/gRPC endpoint for in-cluster applications: the node-local agents, TLS with the platform CA. */
export const otlpEndpoint = collectors.otlpEndpoint;
