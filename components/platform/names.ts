/**
 * The platform's in-cluster contract: namespaces, service accounts, Services, Secrets, labels and
 * ports that several components must agree on (certificates name Services, NetworkPolicies select
 * labels, workloads mount Secrets). Defined once so no component retypes another's names.
 */

/** Namespaces the platform owns; application namespaces are selected by label instead. */
export const namespaces = {
    collectors: "tracing-collectors",
    tempo: "tracing-tempo",
    grafana: "tracing-grafana",
    /** The node log shipper alone: the one namespace whose admission lets a hostPath through (podSecurityEnforcement). */
    nodeLogs: "tracing-node-logs",
} as const;

export type PlatformNamespace = keyof typeof namespaces;

/** The key in `namespaces` of a platform namespace name; throws for any other namespace. */
export function platformNamespaceKey(namespace: string): PlatformNamespace {
    const key = (Object.keys(namespaces) as PlatformNamespace[]).find((candidate) => namespaces[candidate] === namespace);
    if (!key) throw new Error(`${namespace} is not a platform namespace (${Object.values(namespaces).join(", ")})`);
    return key;
}

/**
 * The Pod Security level each platform namespace enforces. Only `tracing-node-logs` enforces
 * `privileged`: its log shipper mounts the node's pod log directory, a hostPath that even
 * `baseline` refuses, and EKS offers no admission exemption per workload. So that a pod created
 * there by hand can reach nothing worth having, the namespace holds that DaemonSet alone: no
 * certificate but its client one, no AWS role, no API token. Audit and warn stay `restricted`
 * there (the API server records and warns of every pod that is not), and the policy pack holds its
 * pod to `restricted` except that one read-only mount, and the namespace to that one DaemonSet.
 */
export const podSecurityEnforcement: Readonly<Record<PlatformNamespace, "restricted" | "privileged">> = {
    collectors: "restricted",
    tempo: "restricted",
    grafana: "restricted",
    nodeLogs: "privileged",
};

/** Value of `app.kubernetes.io/part-of` on every platform object. */
export const partOf = "tracing-platform";

/** Workload identities: `app.kubernetes.io/name` label, ServiceAccount and namespace of each workload. */
export const workloads = {
    agent: { name: "otel-agent", serviceAccount: "otel-agent", namespace: namespaces.collectors },
    gateway: { name: "otel-gateway", serviceAccount: "otel-gateway", namespace: namespaces.collectors },
    /** Ships the platform's container logs from each node's /var/log/pods to the gateways. */
    logAgent: { name: "otel-log-agent", serviceAccount: "otel-log-agent", namespace: namespaces.nodeLogs },
    tempo: { name: "tempo", serviceAccount: "tempo", namespace: namespaces.tempo },
    grafana: { name: "grafana", serviceAccount: "grafana", namespace: namespaces.grafana },
} as const;

export type WorkloadKey = keyof typeof workloads;

/** Kubernetes Services other components address by DNS name (and certificates carry as SANs). */
export const services = {
    /** Node-local OTLP endpoint applications send to (internalTrafficPolicy: Local). */
    agent: { name: "otel-agent", namespace: namespaces.collectors },
    /** Headless Service the agents' load_balancing exporter resolves gateway pods through. */
    gatewayHeadless: { name: "otel-gateway-headless", namespace: namespaces.collectors },
    /** Internal load balancer for OTLP senders outside the cluster (allow-listed CIDRs). */
    gatewayExternal: { name: "otel-gateway-otlp", namespace: namespaces.collectors },
    /** Tempo's OTLP ingest (monolith or distributors, whichever the mode runs). */
    tempoIngest: { name: "tempo-ingest", namespace: namespaces.tempo },
    /** Tempo's query API (monolith or query-frontend). */
    tempoQuery: { name: "tempo-query", namespace: namespaces.tempo },
    /** Grafana behind an internal load balancer allow-listed to the VPN. */
    grafana: { name: "grafana", namespace: namespaces.grafana },
} as const;

export type ServiceKey = keyof typeof services;

/** In-cluster DNS names a Service answers to, most specific last. */
export function serviceDnsNames(key: ServiceKey): string[] {
    const { name, namespace } = services[key];
    return [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`];
}

/** Wildcard-free DNS names of the pods behind a headless Service (`<pod>.<svc>.<ns>.svc`). */
export function headlessPodDnsSuffix(key: ServiceKey): string {
    const { name, namespace } = services[key];
    return `${name}.${namespace}.svc.cluster.local`;
}

/** Ports, named as the protocols they carry. */
export const ports = {
    otlpGrpc: 4317,
    otlpHttp: 4318,
    collectorHealth: 13133,
    collectorMetrics: 8888,
    tempoHttp: 3200,
    tempoGrpc: 9095,
    /** Tempo's internal server: only /ready, for kubelet probes (which present no client certificate). */
    tempoInternalHttp: 3101,
    tempoMemberlist: 7946,
    grafanaHttps: 3000,
    https: 443,
    dns: 53,
    kafkaTlsSasl: 9096,
    kafkaIam: 9098,
    /** MSK Open Monitoring: the brokers' JMX exporter and node exporter (plain HTTP inside the VPC). */
    mskJmxExporter: 11001,
    mskNodeExporter: 11002,
} as const;

/** A workload's certificate Secret: in the workload's namespace, named after it and the side of TLS it serves. */
function workloadTlsSecret(key: WorkloadKey, side: "server" | "client"): { readonly name: string; readonly namespace: string } {
    const { name, namespace } = workloads[key];
    return { name: `${name}-${side}-tls`, namespace };
}

/** Kubernetes Secrets (type kubernetes.io/tls unless noted) the PKI component writes and workloads mount. */
export const tlsSecrets = {
    /** CA bundle (key `ca.crt`), one copy in every platform namespace. */
    caBundle: "tracing-ca-bundle",
    agentServer: workloadTlsSecret("agent", "server"),
    agentClient: workloadTlsSecret("agent", "client"),
    gatewayServer: workloadTlsSecret("gateway", "server"),
    gatewayClient: workloadTlsSecret("gateway", "client"),
    logAgentClient: workloadTlsSecret("logAgent", "client"),
    tempoServer: workloadTlsSecret("tempo", "server"),
    grafanaServer: workloadTlsSecret("grafana", "server"),
    grafanaClient: workloadTlsSecret("grafana", "client"),
} as const;

/**
 * Pod-template annotation holding a hash of the TLS material a workload reads only when it starts
 * (CA bundles, certificates behind a `$__file{}` or a listener without reload), so a renewal rolls
 * its pods; material the software reloads by itself stays out of it.
 */
export const tlsHashAnnotation = "tracing.platform/tls-hash";

/**
 * The StorageClass every platform volume is provisioned from (cluster-scoped, so it carries the
 * environment: two stacks sharing a cluster never fight over one class).
 */
export function storageClassName(environment: string): string {
    return `tracing-${environment}-gp3-encrypted`;
}

/** The EBS CSI driver, the provisioner of that class (kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md). */
export const ebsCsiProvisioner = "ebs.csi.aws.com";

/** Standard labels for an object of the given workload. */
export function standardLabels(workload: string, environment: string, component?: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": workload,
        "app.kubernetes.io/part-of": partOf,
        "app.kubernetes.io/managed-by": "pulumi",
        ...(component ? { "app.kubernetes.io/component": component } : {}),
        environment,
    };
}

/**
 * Globally unique AWS names derived from environment, account and region, so that dev, test and
 * prod can never collide or share, and so a component can name another's bucket (an endpoint or
 * key policy) without a dependency cycle.
 */
export function awsResourceNames(environment: string, accountId: string, region: string) {
    const suffix = `${environment}-${accountId}-${region}`;
    // IAM is global to the account, so role names carry the region too.
    const roleSuffix = `${environment}-${region}`;
    return {
        traceBucket: `tracing-traces-${suffix}`,
        auditBucket: `tracing-audit-${suffix}`,
        /** S3 server access logs: S3 cannot deliver them to a bucket with Object Lock, hence apart from the audit bucket. */
        accessLogBucket: `tracing-access-logs-${suffix}`,
        traceKeyAlias: `alias/tracing-traces-${environment}`,
        auditKeyAlias: `alias/tracing-audit-${environment}`,
        trail: `tracing-audit-${environment}`,
        trailLogGroup: `/aws/cloudtrail/tracing-audit-${environment}`,
        trailLogsRole: `tracing-cloudtrail-logs-${roleSuffix}`,
        /** Logs of the platform's own pods (Grafana's access and login logs, Tempo, collectors), shipped by the gateways. */
        workloadLogGroup: `/tracing/${environment}/workloads`,
        metricsWorkspace: `tracing-span-metrics-${environment}`,
        /** Vended-logs prefix: CloudWatch Logs keeps the delivery resource policy small for /aws/vendedlogs/ groups. */
        metricsLogGroup: `/aws/vendedlogs/prometheus/tracing-span-metrics-${environment}`,
        kafkaCluster: `tracing-tempo-${environment}`,
        /** SNS topic Grafana publishes alert notifications to (topic names are per account and region). */
        alertTopic: `tracing-alerts-${environment}`,
        /** Private ECR repository of the Grafana image with the plugins baked in (per account and region). */
        grafanaImageRepository: `tracing-${environment}/grafana`,
        /** Secrets Manager secret holding Grafana's break-glass admin login (encrypted with the trace key). */
        grafanaBreakGlassSecret: `tracing-${environment}/grafana/break-glass-admin`,
        /** Pod Identity roles of the workloads that call AWS (the agents do not). */
        workloadRoles: {
            tempo: `tracing-tempo-${roleSuffix}`,
            gateway: `tracing-otel-gateway-${roleSuffix}`,
            grafana: `tracing-grafana-${roleSuffix}`,
        },
    } as const;
}

export type AwsResourceNames = ReturnType<typeof awsResourceNames>;

/** Workloads that get an AWS identity (EKS Pod Identity role). */
export type AwsWorkloadKey = keyof AwsResourceNames["workloadRoles"];

/** MSK only associates Secrets Manager secrets whose names start with this prefix (the trace key's policy admits them). */
export const mskSecretNamePrefix = "AmazonMSK_";
