import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, kubernetesObject } from "./helpers";

describe("policies: Kubernetes network exposure", () => {
    const service = (rs: EditableResource[]) => kubernetesObject(rs, "Service", "grafana");
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
                kubernetesObject(rs, "Service", "otel-gateway-headless").inputs.spec = { type: "NodePort", ports: [{ port: 4317 }] };
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

    const allowPolicy = (rs: EditableResource[]) => kubernetesObject(rs, "NetworkPolicy", "grafana-from-vpn");
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
});
