import * as assert from "assert";
import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, edited, runRule } from "./helpers";

/** A Kubernetes object by kind and metadata.name (Pulumi names repeat across AWS and Kubernetes). */
function object(resources: EditableResource[], kind: string, name: string): EditableResource {
    const found = resources.find((r) => r.type.startsWith("kubernetes:") && r.type.endsWith(`:${kind}`) && r.inputs.metadata?.name === name);
    assert.ok(found, `no ${kind} ${name}`);
    return found;
}
const gateway = (rs: EditableResource[]) => object(rs, "Deployment", "otel-gateway");
const grafana = (rs: EditableResource[]) => object(rs, "Deployment", "grafana");
const pod = (rs: EditableResource[]) => gateway(rs).inputs.spec.template.spec;
const main = (rs: EditableResource[]) => pod(rs).containers[0];
const owner = "Deployment 'tracing-collectors/otel-gateway'";

describe("policies: Kubernetes workloads", () => {
    describeRule("kubernetes-pods-run-as-non-root", [
        {
            title: "no runAsNonRoot anywhere, UID 0 on the pod",
            change: (rs) => {
                pod(rs).securityContext = { runAsUser: 0 };
                delete main(rs).securityContext.runAsNonRoot;
            },
            expect: [`${owner} sets runAsUser 0 for the pod; use a non-zero UID.`, `${owner} container 'main' may run as root; set runAsNonRoot: true.`],
        },
        {
            title: "a container overriding the pod with runAsNonRoot false and UID 0",
            change: (rs) => Object.assign(main(rs).securityContext, { runAsNonRoot: false, runAsUser: 0 }),
            expect: [`${owner} container 'main' may run as root; set runAsNonRoot: true.`, `${owner} container 'main' runs as UID 0; use a non-zero runAsUser.`],
        },
        {
            title: "compliant: an init container inheriting the pod's non-root setting",
            change: (rs) => (pod(rs).initContainers = [{ ...structuredClone(main(rs)), name: "init", securityContext: { ...main(rs).securityContext, runAsNonRoot: undefined } }]),
            expect: [],
        },
    ]);

    describeRule("kubernetes-containers-no-privilege-escalation", [
        {
            title: "escalation not forbidden, privileged init container",
            change: (rs) => {
                delete main(rs).securityContext.allowPrivilegeEscalation;
                pod(rs).initContainers = [{ ...structuredClone(main(rs)), name: "setup", securityContext: { ...main(rs).securityContext, allowPrivilegeEscalation: false, privileged: true } }];
            },
            expect: [`${owner} container 'main' does not set allowPrivilegeEscalation: false.`, `${owner} init container 'setup' is privileged.`],
        },
    ]);

    describeRule("kubernetes-containers-drop-all-capabilities", [
        {
            title: "nothing dropped, NET_ADMIN added",
            change: (rs) => (main(rs).securityContext.capabilities = { add: ["NET_ADMIN"] }),
            expect: [`${owner} container 'main' does not drop ALL capabilities.`, `${owner} container 'main' adds capabilities NET_ADMIN.`],
        },
        { title: "compliant: NET_BIND_SERVICE added back", change: (rs) => (main(rs).securityContext.capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] }), expect: [] },
    ]);

    describeRule("kubernetes-pods-seccomp-runtime-default", [
        {
            title: "no profile anywhere",
            change: (rs) => delete pod(rs).securityContext.seccompProfile,
            expect: [`${owner} container 'main' runs with seccomp profile 'unset'; use RuntimeDefault.`],
        },
        {
            title: "a container opting out with Unconfined",
            change: (rs) => (main(rs).securityContext.seccompProfile = { type: "Unconfined" }),
            expect: [`${owner} container 'main' runs with seccomp profile 'Unconfined'; use RuntimeDefault.`],
        },
        {
            title: "compliant: a Localhost profile per container",
            change: (rs) => {
                delete pod(rs).securityContext.seccompProfile;
                main(rs).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/otel.json" };
            },
            expect: [],
        },
    ]);

    describeRule("kubernetes-pods-no-host-access", [
        {
            title: "host network and PID, a host port, a hostPath volume",
            change: (rs) => {
                Object.assign(pod(rs), { hostNetwork: true, hostPID: true });
                main(rs).ports = [{ containerPort: 4317, hostPort: 4317 }];
                pod(rs).volumes.push({ name: "varlog", hostPath: { path: "/var/log" } });
            },
            expect: [
                `${owner} sets hostNetwork: true.`,
                `${owner} sets hostPID: true.`,
                `${owner} container 'main' binds host port 4317.`,
                `${owner} volume 'varlog' is of type hostPath; use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret.`,
            ],
        },
    ]);

    describeRule("kubernetes-containers-read-only-root-filesystem", [
        { title: "writable root", change: (rs) => delete main(rs).securityContext.readOnlyRootFilesystem, expect: [`${owner} container 'main' has a writable root filesystem; set readOnlyRootFilesystem: true.`] },
    ]);

    describeRule("kubernetes-containers-resources-bounded", [
        {
            title: "no CPU limit, no memory request",
            change: (rs) => {
                delete main(rs).resources.limits.cpu;
                delete main(rs).resources.requests.memory;
            },
            expect: [`${owner} container 'main' has no requests.memory, limits.cpu.`],
        },
        {
            title: "compliant: an ephemeral debug container (which cannot have resources)",
            change: (rs) => (pod(rs).ephemeralContainers = [{ name: "debug", image: main(rs).image, securityContext: main(rs).securityContext }]),
            expect: [],
        },
    ]);

    describeRule("kubernetes-images-pinned-to-version", [
        {
            title: "an untagged image and :latest (even with a digest)",
            change: (rs) => {
                main(rs).image = "docker.io/grafana/grafana";
                grafana(rs).inputs.spec.template.spec.containers[0].image = `registry.example.com:5000/grafana/grafana:latest@sha256:${"a".repeat(64)}`;
            },
            expect: [
                `${owner} container 'main' image 'docker.io/grafana/grafana' is not pinned to a version tag.`,
                `Deployment 'tracing-grafana/grafana' container 'main' image 'registry.example.com:5000/grafana/grafana:latest@sha256:${"a".repeat(64)}' is not pinned to a version tag.`,
            ],
        },
    ]);

    describeRule("kubernetes-images-pinned-by-digest", [
        {
            title: "a tag without a digest; a truncated digest",
            change: (rs) => {
                main(rs).image = "ghcr.io/open-telemetry/collector:0.165.0";
                grafana(rs).inputs.spec.template.spec.containers[0].image = "docker.io/grafana/grafana:13.2.3@sha256:abc";
            },
            expect: [
                `${owner} container 'main' image 'ghcr.io/open-telemetry/collector:0.165.0' is not pinned by a sha256 digest.`,
                "Deployment 'tracing-grafana/grafana' container 'main' image 'docker.io/grafana/grafana:13.2.3@sha256:abc' is not pinned by a sha256 digest.",
            ],
        },
    ]);

    it("kubernetes-images-pinned-by-digest is advisory in dev and mandatory in prod", async () => {
        for (const [stack, level] of [["dev", "advisory"], ["prod", "mandatory"]] as const) {
            const resources = edited((rs) => (main(rs).image = "ghcr.io/open-telemetry/collector:0.165.0"), stack);
            const result = await runRule("kubernetes-images-pinned-by-digest", resources, stack);
            assert.deepStrictEqual(result.violations.map((v) => v.enforcementLevel), [level]);
        }
    });

    describeRule("kubernetes-service-account-token-only-with-rbac", [
        {
            title: "Grafana mounts a token its service account has no binding for",
            change: (rs) => (grafana(rs).inputs.spec.template.spec.automountServiceAccountToken = true),
            expect: [
                "Deployment 'tracing-grafana/grafana' mounts an API token for service account 'grafana', which no RoleBinding or ClusterRoleBinding in the stack grants anything; set automountServiceAccountToken: false.",
            ],
        },
        {
            title: "a pod on the default service account mounts its token (the service account default applies)",
            change: (rs) => {
                const spec = grafana(rs).inputs.spec.template.spec;
                delete spec.serviceAccountName;
                delete spec.automountServiceAccountToken;
            },
            expect: [
                "Deployment 'tracing-grafana/grafana' mounts the token of the namespace's default service account; use its own service account or set automountServiceAccountToken: false.",
            ],
        },
        {
            title: "compliant: the pod leaves it to its service account, which turns it off",
            change: (rs) => delete grafana(rs).inputs.spec.template.spec.automountServiceAccountToken,
            expect: [],
        },
        {
            title: "the gateway loses its ClusterRoleBinding",
            change: (rs) => rs.splice(rs.indexOf(object(rs, "ClusterRoleBinding", "tracing-otel-gateway-prod")), 1),
            expect: [
                "Deployment 'tracing-collectors/otel-gateway' mounts an API token for service account 'otel-gateway', which no RoleBinding or ClusterRoleBinding in the stack grants anything; set automountServiceAccountToken: false.",
            ],
        },
    ]);
});

describe("policies: Kubernetes namespaces, secrets and exposure", () => {
    describeRule("kubernetes-namespaces-enforce-restricted-pss", [
        {
            title: "baseline enforcement, and a namespace without labels",
            change: (rs) => {
                object(rs, "Namespace", "tracing-tempo").inputs.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline";
                delete object(rs, "Namespace", "tracing-grafana").inputs.metadata.labels;
            },
            expect: [
                "namespace 'tracing-tempo' enforces Pod Security level 'baseline'; label it pod-security.kubernetes.io/enforce: restricted.",
                "namespace 'tracing-grafana' enforces Pod Security level 'none'; label it pod-security.kubernetes.io/enforce: restricted.",
            ],
        },
    ]);

    describeRule("kubernetes-workloads-in-dedicated-namespaces", [
        {
            title: "no namespace, and kube-system",
            change: (rs) => {
                delete object(rs, "ConfigMap", "grafana-config").inputs.metadata.namespace;
                object(rs, "Service", "grafana").inputs.metadata.namespace = "kube-system";
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
                const grafanaConfig = object(rs, "ConfigMap", "grafana-config").inputs.data;
                grafanaConfig["db-password"] = "hunter2";
                grafanaConfig["tls.key"] = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n";
                grafanaConfig["grafana.ini"] = grafanaConfig["grafana.ini"].replace("admin_password = $__file{/etc/grafana/secrets/admin_password}", "admin_password = s3cr3t");
                const tempo = object(rs, "ConfigMap", "tempo-config").inputs.data;
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
                (object(rs, "ConfigMap", "grafana-config").inputs.binaryData = { "api-token": Buffer.from("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ").toString("base64") }),
            expect: [
                "ConfigMap 'tracing-grafana/grafana-config' key 'api-token' holds a literal credential.",
                "ConfigMap 'tracing-grafana/grafana-config' key 'api-token' contains a JSON Web Token.",
            ],
        },
        {
            title: "compliant: credentials referenced by file path or environment expansion; credential-named flags and numbers",
            change: (rs) => {
                const tempo = object(rs, "ConfigMap", "tempo-config").inputs.data;
                tempo["tempo.yaml"] += "ingest:\n  kafka:\n    sasl_password: ${KAFKA_PASSWORD}\n    tls_key_path: /etc/tls/tls.key\n    secret_name: tempo-kafka\n";
                const grafanaConfig = object(rs, "ConfigMap", "grafana-config").inputs.data;
                grafanaConfig["grafana.ini"] += "[auth.basic]\npassword_policy = true\n[security]\nsecret_key_rotation_days = 30\n";
            },
            expect: [],
        },
    ]);

    describeRule("kubernetes-env-no-plaintext-secrets", [
        {
            title: "a literal password and a bearer token",
            change: (rs) => (main(rs).env = [{ name: "DB_PASSWORD", value: "hunter2" }, { name: "UPSTREAM_HEADERS", value: "Authorization=Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl" }]),
            expect: [
                `${owner} container 'main' sets DB_PASSWORD to a literal credential.`,
                `${owner} container 'main' env UPSTREAM_HEADERS contains a JSON Web Token.`,
            ],
        },
        {
            title: "compliant: secretKeyRef and __FILE variables",
            change: (rs) => (main(rs).env = [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }, { name: "GF_SECURITY_ADMIN_PASSWORD__FILE", value: "/secrets/admin" }]),
            expect: [],
        },
    ]);

    const service = (rs: EditableResource[]) => object(rs, "Service", "grafana");
    const ingress = (rs: EditableResource[], annotations: Record<string, string>) =>
        rs.push({
            ...structuredClone(service(rs)),
            urn: `${service(rs).urn}-ingress`,
            type: "kubernetes:networking.k8s.io/v1:Ingress",
            name: "grafana-ingress",
            inputs: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "grafana", namespace: "tracing-grafana", annotations }, spec: {} },
        });

    describeRule("kubernetes-services-not-public", [
        {
            title: "an internet-facing load balancer with external IPs",
            change: (rs) => {
                service(rs).inputs.metadata.annotations = {};
                service(rs).inputs.spec.externalIPs = ["203.0.113.10"];
            },
            expect: [
                "Service 'tracing-grafana/grafana' is an internet-facing load balancer; annotate service.beta.kubernetes.io/aws-load-balancer-scheme: internal.",
                "Service 'tracing-grafana/grafana' sets externalIPs.",
            ],
        },
        {
            title: "a NodePort Service and an internet-facing ALB Ingress",
            change: (rs) => {
                object(rs, "Service", "otel-gateway-headless").inputs.spec = { type: "NodePort", ports: [{ port: 4317 }] };
                ingress(rs, { "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/inbound-cidrs": "172.24.0.0/20" });
            },
            expect: [
                "Service 'tracing-collectors/otel-gateway-headless' is a NodePort Service, reachable on every node; use ClusterIP or an internal load balancer.",
                "Ingress 'tracing-grafana/grafana' is not an internal load balancer; annotate alb.ingress.kubernetes.io/scheme: internal.",
            ],
        },
        {
            title: "compliant: the legacy internal annotation",
            change: (rs) => (service(rs).inputs.metadata.annotations = { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }),
            expect: [],
        },
    ]);

    describeRule("kubernetes-load-balancers-allow-listed", [
        { title: "no source ranges", change: (rs) => delete service(rs).inputs.spec.loadBalancerSourceRanges, expect: ["Service 'tracing-grafana/grafana' admits any source; set its source ranges to the allow-list."] },
        {
            title: "0.0.0.0/0 on the Service, a public range on an Ingress",
            change: (rs) => {
                service(rs).inputs.spec.loadBalancerSourceRanges = ["0.0.0.0/0"];
                ingress(rs, { "alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/inbound-cidrs": "172.24.0.0/20, 198.51.100.0/24" });
            },
            expect: [
                "Service 'tracing-grafana/grafana' admits 0.0.0.0/0, outside the allow-list 10.40.0.0/16, 172.24.0.0/20, 10.40.64.0/18, 10.41.0.0/20.",
                "Ingress 'tracing-grafana/grafana' admits 198.51.100.0/24, outside the allow-list 10.40.0.0/16, 172.24.0.0/20, 10.40.64.0/18, 10.41.0.0/20.",
            ],
        },
    ]);

    describeRule("kubernetes-namespaces-default-deny-network-policy", [
        {
            title: "Grafana's namespace loses its default deny",
            change: (rs) => rs.splice(rs.findIndex((r) => r.inputs.metadata?.name === "default-deny" && r.inputs.metadata?.namespace === "tracing-grafana"), 1),
            expect: ["namespace 'tracing-grafana' runs pods but has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress])."],
        },
        {
            title: "a deny-ingress-only policy is not a default deny",
            change: (rs) => (rs.filter((r) => r.inputs.metadata?.name === "default-deny")[0].inputs.spec.policyTypes = ["Ingress"]),
            expect: ["namespace 'tracing-collectors' runs pods but has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress])."],
        },
        {
            title: "a policy selecting only some pods is not a default deny",
            change: (rs) => (rs.filter((r) => r.inputs.metadata?.name === "default-deny")[1].inputs.spec.podSelector = { matchLabels: { app: "x" } }),
            expect: ["namespace 'tracing-tempo' runs pods but has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress])."],
        },
    ]);

    const allowPolicy = (rs: EditableResource[]) => object(rs, "NetworkPolicy", "grafana-from-vpn");
    describeRule("kubernetes-network-policies-scoped", [
        {
            title: "an ingress rule without sources, one from 0.0.0.0/0, egress everywhere",
            change: (rs) => {
                const spec = allowPolicy(rs).inputs.spec;
                spec.ingress.push({ ports: [{ port: 3000 }] }, { from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
                spec.policyTypes.push("Egress");
                spec.egress = [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }] }];
            },
            expect: [
                "NetworkPolicy 'tracing-grafana/grafana-from-vpn' ingress[1] admits every source; name pod/namespace selectors or allow-listed ipBlocks.",
                "NetworkPolicy 'tracing-grafana/grafana-from-vpn' ingress[2] admits 0.0.0.0/0, outside the allow-list 10.40.0.0/16, 172.24.0.0/20, 10.40.64.0/18, 10.41.0.0/20.",
                "NetworkPolicy 'tracing-grafana/grafana-from-vpn' egress[0] lets all traffic out; name destinations or ports.",
            ],
        },
        {
            title: "compliant: HTTPS egress to anywhere, DNS to kube-dns",
            change: (rs) => {
                const spec = allowPolicy(rs).inputs.spec;
                spec.policyTypes.push("Egress");
                spec.egress = [
                    { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] },
                    { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }] },
                ];
            },
            expect: [],
        },
    ]);

    const release = (rs: EditableResource[], type: string, inputs: Record<string, unknown>) =>
        rs.push({ ...structuredClone(service(rs)), urn: `${service(rs).urn}-${type}`, type, name: "grafana-chart", inputs });
    describeRule("kubernetes-helm-releases-not-used", [
        {
            title: "a helm.sh/v3 Release",
            change: (rs) => release(rs, "kubernetes:helm.sh/v3:Release", { chart: "grafana", version: "8.0.0" }),
            expect: ["'grafana-chart' is a helm.sh/v3 Release, whose objects no policy can check; declare typed resources instead."],
        },
        {
            title: "a v4 Chart with a version range from plain HTTP",
            change: (rs) => release(rs, "kubernetes:helm.sh/v4:Chart", { chart: "grafana", version: "^8.0.0", repositoryOpts: { repo: "http://charts.example.com" } }),
            expect: ["chart 'grafana-chart' does not pin an exact version (got '^8.0.0').", "chart 'grafana-chart' comes from 'http://charts.example.com', not an HTTPS or OCI repository."],
        },
        {
            title: "compliant: a v4 Chart pinned exactly from HTTPS",
            change: (rs) => release(rs, "kubernetes:helm.sh/v4:Chart", { chart: "grafana", version: "8.0.0", repositoryOpts: { repo: "https://grafana.github.io/helm-charts" } }),
            expect: [],
        },
    ]);
});
