/**
 * A small, fully compliant stack in the recorded-resource shape: one of everything the policy pack
 * checks (providers, KMS keys, trace and audit buckets with all their side resources, CloudTrail,
 * Client VPN, security groups, IAM, Kubernetes workloads and configs, PKI), built from the real
 * stack settings so its accounts, regions, CIDRs and images are the environment's own. The mutation
 * hooks are proven on it until the components exist; then the same hooks run on the real stacks.
 */
import * as yaml from "yaml";
import { eksKubeconfig } from "../../components/platform/kubeconfig";
import { awsResourceNames, namespaces, ports, services, standardLabels, tlsSecrets, workloads } from "../../components/platform/names";
import { parseSettings, type Settings } from "../../components/platform/settings";
import type { RecordedResource } from "../harness/recording";
import { stackConfig } from "../harness/stack-config";

const project = "tracing-platform";

interface AddOptions {
    readonly parent?: RecordedResource;
    readonly provider?: RecordedResource;
    /** Input property → resources its value was computed from. */
    readonly from?: Readonly<Record<string, readonly RecordedResource[]>>;
    readonly protect?: boolean;
}

/** Registers resources the way the engine records them (URNs, provider references, property dependencies). */
class StackBuilder {
    readonly resources: RecordedResource[] = [];

    constructor(readonly stack: string) {}

    add(type: string, name: string, inputs: Record<string, any>, options: AddOptions = {}): RecordedResource {
        const parentType = options.parent ? options.parent.urn.split("::")[2] : undefined;
        const propertyDependencies: Record<string, string[]> = {};
        for (const key of Object.keys(inputs)) propertyDependencies[key] = [];
        for (const [key, from] of Object.entries(options.from ?? {})) propertyDependencies[key] = from.map((r) => r.urn);
        const resource: RecordedResource = {
            urn: `urn:pulumi:${this.stack}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`,
            type,
            name,
            custom: !type.startsWith("tracing:"),
            ...(options.parent ? { parent: options.parent.urn } : {}),
            ...(options.provider ? { provider: `${options.provider.urn}::${options.provider.name}-id` } : {}),
            inputs,
            secretPaths: [],
            dependencies: [...new Set(Object.values(propertyDependencies).flat())],
            propertyDependencies,
            protect: options.protect ?? false,
            retainOnDelete: options.protect ?? false,
            additionalSecretOutputs: [],
            replaceWith: [],
        };
        this.resources.push(resource);
        return resource;
    }
}

const json = (value: unknown) => JSON.stringify(value);

/** The hardened pod spec every golden workload runs (the restricted PSS plus limits). */
function hardenedPodSpec(serviceAccountName: string, image: string, automount: boolean, extra: Record<string, any> = {}): Record<string, any> {
    return {
        serviceAccountName,
        automountServiceAccountToken: automount,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
            {
                name: "main",
                image,
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                ...extra,
            },
        ],
        volumes: [{ name: "tmp", emptyDir: {} }],
    };
}

/** An image reference pinned by version and digest (the golden stack is fully compliant, dev included). */
function pinned(image: Settings["images"]["collector"]): string {
    return `${image.repository}:${image.tag}@sha256:${image.digest?.replace(/^sha256:/, "") ?? "0".repeat(64)}`;
}

function collectorConfig(settings: Settings): string {
    const tls = { cert_file: "/etc/otel/tls/tls.crt", key_file: "/etc/otel/tls/tls.key", client_ca_file: "/etc/otel/ca/ca.crt", min_version: "1.3" };
    return yaml.stringify({
        receivers: { otlp: { protocols: { grpc: { endpoint: `\${env:POD_IP}:${ports.otlpGrpc}`, tls }, http: { endpoint: `\${env:POD_IP}:${ports.otlpHttp}`, tls } } } },
        processors: {
            memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
            "redaction/pii": { allow_all_keys: true, blocked_key_patterns: ["^user\\.", "^enduser\\."], blocked_values: ["[\\w.+-]+@[\\w-]+\\.[\\w.]+"] },
            "transform/pii": { trace_statements: ['delete_key(span.attributes, "http.request.header.authorization")'] },
            tail_sampling: { decision_wait: "10s", policies: [{ name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } }] },
            batch: {},
        },
        connectors: { span_metrics: {}, forward: {} },
        exporters: {
            "otlp_grpc/tempo": {
                endpoint: `${services.tempoIngest.name}.${services.tempoIngest.namespace}.svc:${ports.otlpGrpc}`,
                tls: { ca_file: "/etc/otel/ca/ca.crt", cert_file: "/etc/otel/client/tls.crt", key_file: "/etc/otel/client/tls.key" },
            },
            prometheusremotewrite: { endpoint: `https://aps-workspaces.${settings.aws.region}.amazonaws.com/workspaces/ws-golden/api/v1/remote_write`, auth: { authenticator: "sigv4auth" } },
            debug: {},
        },
        extensions: { sigv4auth: { region: settings.aws.region }, health_check: { endpoint: `\${env:POD_IP}:${ports.collectorHealth}` } },
        service: {
            extensions: ["sigv4auth", "health_check"],
            pipelines: {
                traces: { receivers: ["otlp"], processors: ["memory_limiter", "redaction/pii", "transform/pii", "batch"], exporters: ["span_metrics", "forward"] },
                "traces/sampled": { receivers: ["forward"], processors: ["tail_sampling", "batch"], exporters: ["otlp_grpc/tempo"] },
                metrics: { receivers: ["span_metrics"], processors: ["batch"], exporters: ["prometheusremotewrite"] },
            },
        },
    });
}

function tempoConfig(settings: Settings, bucket: string, keyArn: string): string {
    const tls = { cert_file: "/etc/tempo/tls/tls.crt", key_file: "/etc/tempo/tls/tls.key", client_ca_file: "/etc/tempo/ca/ca.crt", client_auth_type: "RequireAndVerifyClientCert" };
    return yaml.stringify({
        server: { http_listen_port: ports.tempoHttp, grpc_listen_port: ports.tempoGrpc, http_tls_config: tls, grpc_tls_config: tls, tls_min_version: "VersionTLS13" },
        distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${ports.otlpGrpc}`, tls: { cert_file: tls.cert_file, key_file: tls.key_file, client_ca_file: tls.client_ca_file } } } } } },
        storage: {
            trace: {
                backend: "s3",
                s3: { bucket, endpoint: `s3.${settings.aws.region}.amazonaws.com`, region: settings.aws.region, sse: { type: "SSE-KMS", kms_key_id: keyArn } },
            },
        },
        usage_report: { reporting_enabled: false },
    });
}

const grafanaIni = [
    "[server]",
    "protocol = https",
    "cert_file = /etc/grafana/tls/tls.crt",
    "cert_key = /etc/grafana/tls/tls.key",
    "",
    "[security]",
    "cookie_secure = true",
    "cookie_samesite = strict",
    "secret_key = $__file{/etc/grafana/secrets/secret_key}",
    "admin_password = $__file{/etc/grafana/secrets/admin_password}",
    "",
    "[auth.anonymous]",
    "enabled = false",
    "",
    "[users]",
    "allow_sign_up = false",
    "",
].join("\n");

/** The compliant golden stack for `dev` or `prod`, from that stack's real settings. */
export function goldenStack(stack: "dev" | "prod"): RecordedResource[] {
    const settings = parseSettings(stackConfig(stack), stack);
    const { accountId, region } = settings.aws;
    const names = awsResourceNames(settings.environment, accountId, region);
    const protect = settings.protectStatefulResources;
    const b = new StackBuilder(stack);

    // Providers: explicit, locked to the environment's account, tagged.
    const providers = b.add("tracing:platform:Providers", "tracing", {});
    const aws = b.add(
        "pulumi:providers:aws",
        "tracing-aws",
        { region, allowedAccountIds: json([accountId]), defaultTags: json({ tags: settings.tags }), skipCredentialsValidation: "false" },
        { parent: providers },
    );
    const kubeconfig = eksKubeconfig({
        name: settings.cluster.name,
        arn: `arn:aws:eks:${region}:${accountId}:cluster/${settings.cluster.name}`,
        endpoint: `https://0123456789ABCDEF.gr7.${region}.eks.amazonaws.com`,
        certificateAuthorityData: "TU9DSw==",
        region,
    });
    const kubernetes = b.add("pulumi:providers:kubernetes", "tracing-kubernetes", { kubeconfig, enableServerSideApply: "true" }, { parent: providers });
    const tlsProvider = b.add("pulumi:providers:tls", "tracing-tls", {}, { parent: providers });
    const onAws = { provider: aws };
    const onKubernetes = { provider: kubernetes };
    const onTls = { provider: tlsProvider };
    const root = `arn:aws:iam::${accountId}:root`;

    // KMS keys.
    const keyPolicy = (extra: object[]) =>
        json({ Version: "2012-10-17", Statement: [{ Sid: "AccountAdmin", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" }, ...extra] });
    const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${names.trail}`;
    const traceKey = b.add(
        "aws:kms/key:Key",
        "tracing-traces-key",
        { description: "Encrypts trace blocks in the trace bucket", enableKeyRotation: true, deletionWindowInDays: settings.kms.deletionWindowDays, policy: keyPolicy([]) },
        { ...onAws, protect },
    );
    const auditKey = b.add(
        "aws:kms/key:Key",
        "tracing-audit-key",
        {
            description: "Encrypts CloudTrail logs and audit log groups",
            enableKeyRotation: true,
            deletionWindowInDays: settings.kms.deletionWindowDays,
            policy: keyPolicy([
                {
                    Sid: "CloudTrailEncrypts",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceArn": trailArn } },
                },
            ]),
        },
        { ...onAws, protect },
    );
    const traceKeyArn = `arn:aws:kms:${region}:${accountId}:key/tracing-traces-key-id`;
    const auditKeyArn = `arn:aws:kms:${region}:${accountId}:key/tracing-audit-key-id`;

    // Buckets and their side resources.
    const lockDays = settings.retention.auditDays;
    const traceBucket = b.add("aws:s3/bucket:Bucket", "tracing-traces", { bucket: names.traceBucket, forceDestroy: false }, { ...onAws, protect });
    const auditBucket = b.add("aws:s3/bucket:Bucket", "tracing-audit", { bucket: names.auditBucket, objectLockEnabled: true, forceDestroy: false }, { ...onAws, protect });
    const tlsOnly = (bucketName: string) => ({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    for (const [bucket, bucketName, key, keyArn] of [
        [traceBucket, names.traceBucket, traceKey, traceKeyArn],
        [auditBucket, names.auditBucket, auditKey, auditKeyArn],
    ] as const) {
        const on = { ...onAws, from: { bucket: [bucket] } };
        b.add(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `${bucket.name}-encryption`,
            { bucket: bucketName, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"] }] },
            { ...onAws, from: { bucket: [bucket], rules: [key] } },
        );
        b.add(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            `${bucket.name}-public-access`,
            { bucket: bucketName, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            on,
        );
        b.add("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${bucket.name}-ownership`, { bucket: bucketName, rule: { objectOwnership: "BucketOwnerEnforced" } }, on);
        b.add("aws:s3/bucketVersioning:BucketVersioning", `${bucket.name}-versioning`, { bucket: bucketName, versioningConfiguration: { status: "Enabled" } }, on);
        const extra =
            bucket === auditBucket
                ? [
                      { Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${bucketName}`, Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
                      { Sid: "CloudTrailWrite", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucketName}/AWSLogs/${accountId}/*`, Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
                      { Sid: "AccessLogDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucketName}/access-logs/*`, Condition: { StringEquals: { "aws:SourceAccount": accountId } } },
                  ]
                : [];
        b.add("aws:s3/bucketPolicy:BucketPolicy", `${bucket.name}-policy`, { bucket: bucketName, policy: json({ Version: "2012-10-17", Statement: [tlsOnly(bucketName), ...extra] }) }, on);
        const expiration = bucket === auditBucket ? lockDays + 1 : settings.retention.traceDays;
        b.add(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            `${bucket.name}-lifecycle`,
            {
                bucket: bucketName,
                rules: [
                    { id: "expire", status: "Enabled", filter: {}, expiration: { days: expiration }, noncurrentVersionExpiration: { noncurrentDays: 1 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
                ],
            },
            on,
        );
    }
    b.add(
        "aws:s3/bucketLogging:BucketLogging",
        "tracing-traces-access-logs",
        { bucket: names.traceBucket, targetBucket: names.auditBucket, targetPrefix: "access-logs/traces/" },
        { ...onAws, from: { bucket: [traceBucket], targetBucket: [auditBucket] } },
    );
    b.add(
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "tracing-audit-object-lock",
        { bucket: names.auditBucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: settings.isProduction ? "COMPLIANCE" : "GOVERNANCE", days: lockDays } } },
        { ...onAws, from: { bucket: [auditBucket] } },
    );

    // CloudTrail.
    b.add(
        "aws:cloudtrail/trail:Trail",
        "tracing-audit-trail",
        {
            name: names.trail,
            s3BucketName: names.auditBucket,
            kmsKeyId: auditKeyArn,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            eventSelectors: [{ readWriteType: "All", includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${names.traceBucket}/`] }] }],
        },
        { ...onAws, from: { s3BucketName: [auditBucket], kmsKeyId: [auditKey], eventSelectors: [traceBucket] } },
    );

    // Client VPN with its log group and security groups.
    const vpnLogGroup = b.add(
        "aws:cloudwatch/logGroup:LogGroup",
        "tracing-vpn-connections",
        { name: `/tracing/${stack}/client-vpn`, kmsKeyId: auditKeyArn, retentionInDays: settings.retention.logDays },
        { ...onAws, from: { kmsKeyId: [auditKey] } },
    );
    /** A security group managed by standalone rules, with one HTTPS rule. */
    const securityGroup = (name: string, description: string, rule: { direction: "Ingress" | "Egress"; name: string; cidr: string; description: string }) => {
        const group = b.add("aws:ec2/securityGroup:SecurityGroup", name, { vpcId: settings.network.vpcId, description }, onAws);
        b.add(
            `aws:vpc/securityGroup${rule.direction}Rule:SecurityGroup${rule.direction}Rule`,
            rule.name,
            { securityGroupId: `${name}-id`, cidrIpv4: rule.cidr, ipProtocol: "tcp", fromPort: ports.https, toPort: ports.https, description: rule.description },
            { ...onAws, from: { securityGroupId: [group] } },
        );
        return group;
    };
    const vpnGroup = securityGroup("tracing-vpn", "Client VPN endpoint: VPN users into the platform VPC", {
        direction: "Egress",
        name: "tracing-vpn-to-vpc-https",
        cidr: settings.network.vpcCidr,
        description: "VPN users reach internal load balancers over HTTPS",
    });
    securityGroup("tracing-grafana-lb", "Internal load balancer in front of Grafana", {
        direction: "Ingress",
        name: "tracing-grafana-lb-from-vpn",
        cidr: settings.network.vpnClientCidr,
        description: "VPN clients reach Grafana over HTTPS",
    });
    const endpoint = b.add(
        "aws:ec2clientvpn/endpoint:Endpoint",
        "tracing-vpn",
        {
            description: `tracing-platform ${stack} Client VPN`,
            clientCidrBlock: settings.network.vpnClientCidr,
            serverCertificateArn: `arn:aws:acm:${region}:${accountId}:certificate/vpn-server`,
            authenticationOptions: [{ type: "certificate-authentication", rootCertificateChainArn: `arn:aws:acm:${region}:${accountId}:certificate/vpn-client-ca` }],
            connectionLogOptions: { enabled: true, cloudwatchLogGroup: `/tracing/${stack}/client-vpn` },
            vpcId: settings.network.vpcId,
            securityGroupIds: ["tracing-vpn-id"],
            sessionTimeoutHours: settings.network.vpnSessionTimeoutHours,
            clientLoginBannerOptions: { enabled: true, bannerText: settings.network.vpnLoginBanner },
            selfServicePortal: "disabled",
            splitTunnel: true,
            transportProtocol: "udp",
            vpnPort: 443,
        },
        { ...onAws, from: { connectionLogOptions: [vpnLogGroup], securityGroupIds: [vpnGroup] } },
    );
    b.add(
        "aws:ec2clientvpn/authorizationRule:AuthorizationRule",
        "tracing-vpn-platform-vpc",
        { clientVpnEndpointId: "tracing-vpn-id", targetNetworkCidr: settings.network.vpcCidr, authorizeAllGroups: true, description: "VPN users may reach the platform VPC" },
        { ...onAws, from: { clientVpnEndpointId: [endpoint] } },
    );

    // Tempo's workload identity.
    const issuer = `oidc.eks.${region}.amazonaws.com/id/GOLDEN0123456789ABCDEF`;
    const tempoRole = b.add(
        "aws:iam/role:Role",
        "tracing-tempo",
        {
            name: `tracing-tempo-${stack}`,
            assumeRolePolicy: json({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/${issuer}` },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${workloads.tempo.namespace}:${workloads.tempo.serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
                    },
                ],
            }),
        },
        onAws,
    );
    b.add(
        "aws:iam/rolePolicy:RolePolicy",
        "tracing-tempo-storage",
        {
            role: `tracing-tempo-${stack}`,
            policy: json({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "TraceBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${names.traceBucket}` },
                    { Sid: "TraceObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${names.traceBucket}/*` },
                    { Sid: "TraceKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: traceKeyArn },
                ],
            }),
        },
        { ...onAws, from: { role: [tempoRole], policy: [traceBucket, traceKey] } },
    );

    // Kubernetes: restricted namespaces, default-deny, workloads, configs, exposure.
    const namespaceComponent = b.add("tracing:kubernetes:PlatformNamespaces", "tracing", {});
    for (const [key, namespace] of Object.entries(namespaces)) {
        b.add(
            "kubernetes:core/v1:Namespace",
            `tracing-${key}`,
            {
                apiVersion: "v1",
                kind: "Namespace",
                metadata: {
                    name: namespace,
                    labels: {
                        "app.kubernetes.io/part-of": "tracing-platform",
                        environment: stack,
                        "pod-security.kubernetes.io/enforce": "restricted",
                        "pod-security.kubernetes.io/enforce-version": "latest",
                        "pod-security.kubernetes.io/audit": "restricted",
                        "pod-security.kubernetes.io/warn": "restricted",
                    },
                },
            },
            { ...onKubernetes, parent: namespaceComponent },
        );
        b.add(
            "kubernetes:networking.k8s.io/v1:NetworkPolicy",
            `tracing-${key}-default-deny`,
            {
                apiVersion: "networking.k8s.io/v1",
                kind: "NetworkPolicy",
                metadata: { name: "default-deny", namespace, labels: standardLabels("network-policy", stack) },
                spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
            },
            onKubernetes,
        );
    }
    const meta = (workload: (typeof workloads)[keyof typeof workloads], name: string = workload.name) => ({
        name,
        namespace: workload.namespace,
        labels: standardLabels(workload.name, stack),
    });
    const serviceAccount = (workload: (typeof workloads)[keyof typeof workloads], automount: boolean) =>
        b.add("kubernetes:core/v1:ServiceAccount", `tracing-${workload.name}-sa`, { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(workload, workload.serviceAccount), automountServiceAccountToken: automount }, onKubernetes);
    serviceAccount(workloads.gateway, true);
    serviceAccount(workloads.tempo, false);
    serviceAccount(workloads.grafana, false);
    b.add(
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        "tracing-otel-gateway-k8sattributes",
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: `tracing-otel-gateway-${stack}`, labels: standardLabels(workloads.gateway.name, stack) },
            rules: [{ apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] }],
        },
        onKubernetes,
    );
    b.add(
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        "tracing-otel-gateway-k8sattributes",
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: `tracing-otel-gateway-${stack}`, labels: standardLabels(workloads.gateway.name, stack) },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `tracing-otel-gateway-${stack}` },
            subjects: [{ kind: "ServiceAccount", name: workloads.gateway.serviceAccount, namespace: workloads.gateway.namespace }],
        },
        onKubernetes,
    );
    const template = (workload: (typeof workloads)[keyof typeof workloads], spec: Record<string, any>) => ({
        selector: { matchLabels: { "app.kubernetes.io/name": workload.name } },
        template: { metadata: { labels: standardLabels(workload.name, stack) }, spec },
    });
    b.add(
        "kubernetes:apps/v1:Deployment",
        "tracing-otel-gateway",
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: meta(workloads.gateway),
            spec: { replicas: settings.collectors.gatewayMinReplicas, ...template(workloads.gateway, hardenedPodSpec(workloads.gateway.serviceAccount, pinned(settings.images.collector), true)) },
        },
        onKubernetes,
    );
    b.add(
        "kubernetes:apps/v1:StatefulSet",
        "tracing-tempo",
        {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: meta(workloads.tempo),
            spec: { serviceName: services.tempoQuery.name, replicas: 1, ...template(workloads.tempo, hardenedPodSpec(workloads.tempo.serviceAccount, pinned(settings.images.tempo), false)) },
        },
        onKubernetes,
    );
    b.add(
        "kubernetes:apps/v1:Deployment",
        "tracing-grafana",
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: meta(workloads.grafana),
            spec: {
                replicas: 1,
                ...template(
                    workloads.grafana,
                    hardenedPodSpec(workloads.grafana.serviceAccount, pinned(settings.images.grafana), false, {
                        env: [
                            { name: "GF_SECURITY_ADMIN_PASSWORD__FILE", value: "/etc/grafana/secrets/admin_password" },
                            { name: "GF_SERVER_ROOT_URL", value: `https://${settings.grafana.hostname}/` },
                        ],
                    }),
                ),
            },
        },
        onKubernetes,
    );
    b.add(
        "kubernetes:core/v1:ConfigMap",
        "tracing-otel-gateway-config",
        { apiVersion: "v1", kind: "ConfigMap", metadata: meta(workloads.gateway, "otel-gateway-config"), data: { "config.yaml": collectorConfig(settings) } },
        onKubernetes,
    );
    b.add(
        "kubernetes:core/v1:ConfigMap",
        "tracing-tempo-config",
        { apiVersion: "v1", kind: "ConfigMap", metadata: meta(workloads.tempo, "tempo-config"), data: { "tempo.yaml": tempoConfig(settings, names.traceBucket, traceKeyArn) } },
        onKubernetes,
    );
    b.add(
        "kubernetes:core/v1:ConfigMap",
        "tracing-grafana-config",
        { apiVersion: "v1", kind: "ConfigMap", metadata: meta(workloads.grafana, "grafana-config"), data: { "grafana.ini": grafanaIni } },
        onKubernetes,
    );
    b.add(
        "kubernetes:core/v1:Service",
        "tracing-otel-gateway-headless",
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { ...meta(workloads.gateway, services.gatewayHeadless.name) },
            spec: { clusterIP: "None", selector: { "app.kubernetes.io/name": workloads.gateway.name }, ports: [{ name: "otlp-grpc", port: ports.otlpGrpc }] },
        },
        onKubernetes,
    );
    b.add(
        "kubernetes:core/v1:Service",
        "tracing-grafana",
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { ...meta(workloads.grafana, services.grafana.name), annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" } },
            spec: {
                type: "LoadBalancer",
                loadBalancerSourceRanges: [settings.network.vpnClientCidr],
                selector: { "app.kubernetes.io/name": workloads.grafana.name },
                ports: [{ name: "https", port: ports.https, targetPort: ports.grafanaHttps }],
            },
        },
        onKubernetes,
    );
    b.add(
        "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        "tracing-grafana-from-vpn",
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta(workloads.grafana, "grafana-from-vpn"),
            spec: {
                podSelector: { matchLabels: { "app.kubernetes.io/name": workloads.grafana.name } },
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ ipBlock: { cidr: settings.network.vpnClientCidr } }], ports: [{ protocol: "TCP", port: ports.grafanaHttps }] }],
            },
        },
        onKubernetes,
    );

    // PKI: an ECDSA P-384 CA, a P-256 server certificate for Grafana, a VPN client certificate.
    const caKey = b.add("tls:index/privateKey:PrivateKey", "tracing-ca-key", { algorithm: "ECDSA", ecdsaCurve: "P384" }, onTls);
    const caCert = b.add(
        "tls:index/selfSignedCert:SelfSignedCert",
        "tracing-ca",
        {
            privateKeyPem: "[secret]",
            subject: { commonName: `tracing-platform ${stack} CA`, organization: "tracing-platform" },
            isCaCertificate: true,
            maxPathLength: 0,
            allowedUses: ["cert_signing", "crl_signing"],
            validityPeriodHours: settings.pki.caValidityHours,
            earlyRenewalHours: settings.pki.earlyRenewalHours,
        },
        { ...onTls, from: { privateKeyPem: [caKey] } },
    );
    const leaf = (name: string, dnsNames: string[], uses: string[]) => {
        const key = b.add("tls:index/privateKey:PrivateKey", `${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, onTls);
        const request = b.add(
            "tls:index/certRequest:CertRequest",
            `${name}-request`,
            { privateKeyPem: "[secret]", subject: { commonName: name }, ...(dnsNames.length > 0 ? { dnsNames } : {}) },
            { ...onTls, from: { privateKeyPem: [key] } },
        );
        b.add(
            "tls:index/locallySignedCert:LocallySignedCert",
            `${name}-cert`,
            {
                certRequestPem: "[pem]",
                caCertPem: "[pem]",
                caPrivateKeyPem: "[secret]",
                allowedUses: uses,
                validityPeriodHours: settings.pki.certValidityHours,
                earlyRenewalHours: settings.pki.earlyRenewalHours,
            },
            { ...onTls, from: { certRequestPem: [request], caCertPem: [caCert], caPrivateKeyPem: [caKey] } },
        );
    };
    leaf(tlsSecrets.grafanaServer.name, [settings.grafana.hostname, `${services.grafana.name}.${services.grafana.namespace}.svc`], ["digital_signature", "key_encipherment", "server_auth"]);
    leaf("vpn-client", [], ["digital_signature", "client_auth"]);
    return b.resources;
}
