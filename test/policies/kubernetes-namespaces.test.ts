import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, gatewayContainer, gatewayLabel, grafanaDeployment, kubernetesObject } from "./helpers";

/** A copy of `workload` as a `kind` named `name` in the log agent's namespace. */
function inNodeLogs(workload: EditableResource, kind: string, name: string): EditableResource {
    const copy = structuredClone(workload);
    const type = kind === "Pod" ? "kubernetes:core/v1:Pod" : `kubernetes:apps/v1:${kind}`;
    Object.assign(copy, { type, name: `${name}-copy`, urn: copy.urn.replace(workload.type, type).replace(/::[^:]+$/, `::${name}-copy`) });
    Object.assign(copy.inputs, { kind, metadata: { ...copy.inputs.metadata, name, namespace: "tracing-node-logs" } });
    return copy;
}

describe("policies: Kubernetes namespaces, tokens and secrets", () => {
    describeRule("kubernetes-service-account-token-only-with-rbac", [
        {
            title: "Grafana mounts a token its service account has no binding for",
            change: (rs) => (grafanaDeployment(rs).inputs.spec.template.spec.automountServiceAccountToken = true),
            expect: [
                "Deployment 'tracing-grafana/grafana' mounts an API token for service account 'grafana', which no RoleBinding or ClusterRoleBinding in the stack grants anything; set automountServiceAccountToken: false.",
            ],
        },
        {
            title: "a pod on the default service account mounts its token (the service account default applies)",
            change: (rs) => {
                const spec = grafanaDeployment(rs).inputs.spec.template.spec;
                delete spec.serviceAccountName;
                delete spec.automountServiceAccountToken;
            },
            expect: [
                "Deployment 'tracing-grafana/grafana' mounts the token of the namespace's default service account; use its own service account or set automountServiceAccountToken: false.",
            ],
        },
        {
            title: "compliant: the pod leaves it to its service account, which turns it off",
            change: (rs) => delete grafanaDeployment(rs).inputs.spec.template.spec.automountServiceAccountToken,
            expect: [],
        },
        {
            title: "the gateway loses its ClusterRoleBinding",
            change: (rs) => rs.splice(rs.indexOf(kubernetesObject(rs, "ClusterRoleBinding", "tracing-otel-gateway-prod")), 1),
            expect: [
                "Deployment 'tracing-collectors/otel-gateway' mounts an API token for service account 'otel-gateway', which no RoleBinding or ClusterRoleBinding in the stack grants anything; set automountServiceAccountToken: false.",
            ],
        },
    ]);

    describeRule("kubernetes-namespaces-enforce-restricted-pss", [
        {
            title: "baseline enforcement, and a namespace without labels",
            change: (rs) => {
                kubernetesObject(rs, "Namespace", "tracing-tempo").inputs.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline";
                delete kubernetesObject(rs, "Namespace", "tracing-grafana").inputs.metadata.labels;
            },
            expect: [
                "namespace 'tracing-tempo' enforces Pod Security level 'baseline'; label it pod-security.kubernetes.io/enforce: restricted.",
                "namespace 'tracing-grafana' enforces Pod Security level 'none'; label it pod-security.kubernetes.io/enforce: restricted.",
            ],
        },
        {
            title: "compliant: the log agent's namespace enforcing privileged for its pod log mount, auditing and warning at restricted",
            change: (rs) => Object.assign(kubernetesObject(rs, "Namespace", "tracing-node-logs").inputs.metadata.labels, { "pod-security.kubernetes.io/enforce": "privileged" }),
            expect: [],
        },
        {
            title: "privileged in another namespace (the collectors' included), or in the log agent's without restricted audit and warn",
            change: (rs) => {
                Object.assign(kubernetesObject(rs, "Namespace", "tracing-node-logs").inputs.metadata.labels, {
                    "pod-security.kubernetes.io/enforce": "privileged",
                    "pod-security.kubernetes.io/warn": "baseline",
                });
                kubernetesObject(rs, "Namespace", "tracing-tempo").inputs.metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged";
                kubernetesObject(rs, "Namespace", "tracing-collectors").inputs.metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged";
            },
            expect: [
                "namespace 'tracing-collectors' enforces Pod Security level 'privileged'; label it pod-security.kubernetes.io/enforce: restricted.",
                "namespace 'tracing-tempo' enforces Pod Security level 'privileged'; label it pod-security.kubernetes.io/enforce: restricted.",
                "namespace 'tracing-node-logs' enforces Pod Security level 'privileged'; label it pod-security.kubernetes.io/enforce: restricted.",
            ],
        },
        {
            title: "privileged in the log agent's namespace with audit left unset",
            change: (rs) => {
                const labels = kubernetesObject(rs, "Namespace", "tracing-node-logs").inputs.metadata.labels;
                labels["pod-security.kubernetes.io/enforce"] = "privileged";
                delete labels["pod-security.kubernetes.io/audit"];
            },
            expect: ["namespace 'tracing-node-logs' enforces Pod Security level 'privileged'; label it pod-security.kubernetes.io/enforce: restricted."],
        },
    ]);

    describeRule("kubernetes-privileged-namespace-runs-only-log-agent", [
        {
            title: "compliant: the log agent DaemonSet in its namespace",
            change: (rs) => void rs.push(inNodeLogs(grafanaDeployment(rs), "DaemonSet", "otel-log-agent")),
            expect: [],
        },
        {
            title: "a Deployment, a bare Pod and a DaemonSet of another name in the log agent's namespace",
            change: (rs) => {
                rs.push(inNodeLogs(grafanaDeployment(rs), "Deployment", "debug"));
                rs.push(inNodeLogs(grafanaDeployment(rs), "DaemonSet", "log-shipper"));
                const pod = inNodeLogs(grafanaDeployment(rs), "Pod", "by-hand");
                pod.inputs.spec = pod.inputs.spec.template.spec;
                rs.push(pod);
            },
            expect: [
                "Deployment 'tracing-node-logs/debug' runs in tracing-node-logs, whose admission is privileged for the log agent alone; run it in its own namespace.",
                "DaemonSet 'tracing-node-logs/log-shipper' runs in tracing-node-logs, whose admission is privileged for the log agent alone; run it in its own namespace.",
                "Pod 'tracing-node-logs/by-hand' runs in tracing-node-logs, whose admission is privileged for the log agent alone; run it in its own namespace.",
            ],
        },
    ]);

    describeRule("kubernetes-workloads-in-dedicated-namespaces", [
        {
            title: "no namespace, and kube-system",
            change: (rs) => {
                delete kubernetesObject(rs, "ConfigMap", "grafana-config").inputs.metadata.namespace;
                kubernetesObject(rs, "Service", "grafana").inputs.metadata.namespace = "kube-system";
            },
            expect: [
                "ConfigMap 'grafana-config' names no namespace and lands in the provider's default.",
                "Service 'kube-system/grafana' is in the system namespace 'kube-system'.",
            ],
        },
    ]);

    describeRule("kubernetes-configmaps-no-plaintext-secrets", [
        {
            title: "a password entry, a PEM key, a static S3 secret in tempo.yaml, a literal Grafana admin password",
            change: (rs) => {
                const grafanaConfig = kubernetesObject(rs, "ConfigMap", "grafana-config").inputs.data;
                grafanaConfig["db-password"] = "hunter2";
                grafanaConfig["tls.key"] = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n";
                grafanaConfig["grafana.ini"] = grafanaConfig["grafana.ini"].replace("admin_password = $__file{/etc/grafana/secrets/admin_password}", "admin_password = s3cr3t");
                const tempo = kubernetesObject(rs, "ConfigMap", "tempo-config").inputs.data;
                tempo["tempo.yaml"] += "overrides:\n  s3:\n    access_key_id: AKIAABCDEFGHIJKLMNOP\n    secret_key: wJalrXUtnFEMI\n";
            },
            expect: [
                "ConfigMap 'tracing-grafana/grafana-config' key 'db-password' holds a literal credential.",
                "ConfigMap 'tracing-grafana/grafana-config' key 'tls.key' contains a PEM private key.",
                "ConfigMap 'tracing-grafana/grafana-config' file 'grafana.ini' sets [security] admin_password to a literal credential.",
                "ConfigMap 'tracing-tempo/tempo-config' key 'tempo.yaml' contains an AWS access key id.",
                "ConfigMap 'tracing-tempo/tempo-config' file 'tempo.yaml' sets 'overrides.s3.secret_key' to a literal credential.",
            ],
        },
        {
            title: "a base64 binaryData entry carrying a token",
            change: (rs) =>
                (kubernetesObject(rs, "ConfigMap", "grafana-config").inputs.binaryData = { "api-token": Buffer.from("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ").toString("base64") }),
            expect: [
                "ConfigMap 'tracing-grafana/grafana-config' key 'api-token' holds a literal credential.",
                "ConfigMap 'tracing-grafana/grafana-config' key 'api-token' contains a JSON Web Token.",
            ],
        },
        {
            title: "compliant: credentials referenced by file path or environment expansion; credential-named flags and numbers",
            change: (rs) => {
                const tempo = kubernetesObject(rs, "ConfigMap", "tempo-config").inputs.data;
                tempo["tempo.yaml"] += "ingest:\n  kafka:\n    sasl_password: ${KAFKA_PASSWORD}\n    tls_key_path: /etc/tls/tls.key\n    secret_name: tempo-kafka\n";
                const grafanaConfig = kubernetesObject(rs, "ConfigMap", "grafana-config").inputs.data;
                grafanaConfig["grafana.ini"] += "[auth.basic]\npassword_policy = true\n[security]\nsecret_key_rotation_days = 30\n";
            },
            expect: [],
        },
    ]);

    describeRule("kubernetes-env-no-plaintext-secrets", [
        {
            title: "a literal password and a bearer token",
            change: (rs) => (gatewayContainer(rs).env = [{ name: "DB_PASSWORD", value: "hunter2" }, { name: "UPSTREAM_HEADERS", value: "Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl" }]),
            expect: [
                `${gatewayLabel} container 'main' sets DB_PASSWORD to a literal credential.`,
                `${gatewayLabel} container 'main' env UPSTREAM_HEADERS contains a JSON Web Token.`,
            ],
        },
        {
            title: "compliant: secretKeyRef and __FILE variables",
            change: (rs) => (gatewayContainer(rs).env = [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }, { name: "GF_SECURITY_ADMIN_PASSWORD__FILE", value: "/secrets/admin" }]),
            expect: [],
        },
    ]);
});
