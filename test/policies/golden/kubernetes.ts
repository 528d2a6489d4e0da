/**
 * The golden stack's Kubernetes side: restricted namespaces with default-deny policies, hardened
 * workloads pinned by digest, the collector, Tempo and Grafana configuration files, and Grafana
 * exposed only to the VPN.
 */
import * as yaml from "yaml";
import { namespaces, ports, services, standardLabels, workloads } from "../../../components/platform/names";
import type { Settings } from "../../../components/platform/settings";
import type { RecordedResource } from "../../harness/recording";
import type { GoldenTraceStore } from "./aws";
import type { StackBuilder } from "./builder";

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
            "transform/pii_logs": { log_statements: ['delete_key(log.attributes, "http.request.header.authorization")'] },
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
            awscloudwatchlogs: { log_group_name: `/tracing/${settings.environment}/workloads`, log_stream_name: "{InstanceId}", region: settings.aws.region },
        },
        extensions: { sigv4auth: { region: settings.aws.region }, health_check: { endpoint: `\${env:POD_IP}:${ports.collectorHealth}` } },
        service: {
            extensions: ["sigv4auth", "health_check"],
            pipelines: {
                traces: { receivers: ["otlp"], processors: ["memory_limiter", "redaction/pii", "transform/pii", "batch"], exporters: ["span_metrics", "forward"] },
                "traces/sampled": { receivers: ["forward"], processors: ["tail_sampling", "batch"], exporters: ["otlp_grpc/tempo"] },
                metrics: { receivers: ["span_metrics"], processors: ["batch"], exporters: ["prometheusremotewrite"] },
                logs: { receivers: ["otlp"], processors: ["memory_limiter", "transform/pii_logs", "batch"], exporters: ["awscloudwatchlogs"] },
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
    "router_logging = true",
    "",
    "[security]",
    "cookie_secure = true",
    "cookie_samesite = strict",
    "brute_force_login_protection_max_attempts = 5",
    "disable_ip_address_login_protection = false",
    "secret_key = $__file{/etc/grafana/secrets/secret_key}",
    "admin_password = $__file{/etc/grafana/secrets/admin_password}",
    "",
    "[auth]",
    "disable_login_form = true",
    "",
    "[auth.basic]",
    "enabled = false",
    "",
    "[auth.generic_oauth]",
    "enabled = true",
    "",
    "[auth.anonymous]",
    "enabled = false",
    "",
    "[users]",
    "allow_sign_up = false",
    "",
].join("\n");

/** Adds the Kubernetes objects, all through the explicit `kubernetes` provider. */
export function addKubernetesResources(b: StackBuilder, settings: Settings, kubernetes: RecordedResource, traceStore: GoldenTraceStore): void {
    const stack = b.stack;
    const onKubernetes = { provider: kubernetes };

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
        { apiVersion: "v1", kind: "ConfigMap", metadata: meta(workloads.tempo, "tempo-config"), data: { "tempo.yaml": tempoConfig(settings, traceStore.bucketName, traceStore.keyArn) } },
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
}
