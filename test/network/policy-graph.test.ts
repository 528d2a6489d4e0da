import { strict as assert } from "assert";
import {
    allowedFlows,
    connectionAllowed,
    describeFlow,
    selectorMatches,
    type ClusterModel,
    type Endpoint,
    type NetworkPolicyManifest,
    type NetworkPolicySpec,
    type PodEndpoint,
} from "../../components/network/policy-graph";

function pod(id: string, namespace: string, labels: Record<string, string> = { app: id }, extra: Partial<PodEndpoint> = {}): PodEndpoint {
    return { kind: "pod", id, namespace, labels, ports: [{ port: 8080, protocol: "TCP", name: "http" }], ...extra };
}

function policy(namespace: string, name: string, spec: NetworkPolicySpec): NetworkPolicyManifest {
    return { metadata: { name, namespace }, spec };
}

function model(policies: NetworkPolicyManifest[], endpoints: Endpoint[], namespaceLabels: ClusterModel["namespaceLabels"] = {}): ClusterModel {
    return { policies, endpoints, namespaceLabels };
}

const tcp8080 = { port: 8080, protocol: "TCP" as const, name: "http" };
const denyAll = (namespace: string) => policy(namespace, "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

describe("NetworkPolicy graph evaluator", () => {
    const a = pod("a", "one");
    const b = pod("b", "one");
    const c = pod("c", "two", { app: "c", tier: "web" });

    it("allows everything where no policy selects a pod", () => {
        const flows = allowedFlows(model([], [a, b, c])).map(describeFlow);
        assert.equal(flows.length, 6);
        assert.ok(flows.includes("a -> c:8080/TCP"));
    });

    it("isolates every pod a default-deny policy selects, in both directions, and only in its namespace", () => {
        const flows = allowedFlows(model([denyAll("one")], [a, b, c, pod("d", "two")])).map(describeFlow);
        assert.deepEqual(flows.sort(), ["c -> d:8080/TCP", "d -> c:8080/TCP"]);
    });

    it("needs both the source's egress and the destination's ingress", () => {
        const ingressOnly = policy("one", "in", {
            podSelector: { matchLabels: { app: "b" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "a" } } }] }],
        });
        assert.equal(connectionAllowed(model([denyAll("one"), ingressOnly], [a, b]), a, b, tcp8080), false, "a's egress is still denied");
        const egress = policy("one", "out", { podSelector: { matchLabels: { app: "a" } }, policyTypes: ["Egress"], egress: [{}] });
        assert.equal(connectionAllowed(model([denyAll("one"), ingressOnly, egress], [a, b]), a, b, tcp8080), true);
    });

    it("reads a lone podSelector peer as the policy's own namespace, and namespace+pod selectors as their intersection", () => {
        const sameNamespace = policy("two", "p", {
            podSelector: { matchLabels: { app: "c" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "a" } } }] }],
        });
        assert.equal(connectionAllowed(model([sameNamespace], [a, c]), a, c, tcp8080), false, "a lives in another namespace");
        const both = policy("two", "p", {
            podSelector: { matchLabels: { app: "c" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } }, podSelector: { matchLabels: { app: "a" } } }] }],
        });
        const labelled = { one: { team: "x" } };
        assert.equal(connectionAllowed(model([both], [a, b, c], labelled), a, c, tcp8080), true);
        assert.equal(connectionAllowed(model([both], [a, b, c], labelled), b, c, tcp8080), false, "b matches the namespace but not the pod selector");
        assert.equal(connectionAllowed(model([both], [a, c]), a, c, tcp8080), false, "namespace one lacks the label");
        const byName = policy("two", "p", {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "one" } } }] }],
        });
        assert.equal(connectionAllowed(model([byName], [a, c]), a, c, tcp8080), true, "the API server's namespace name label is implied");
    });

    it("matches ipBlocks against addresses (with except), never against pods without one", () => {
        const host: Endpoint = { kind: "host", id: "h", ip: "10.0.1.5", ports: [] };
        const excluded: Endpoint = { kind: "host", id: "x", ip: "10.0.9.9", ports: [] };
        const spec: NetworkPolicySpec = {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.9.0/24"] } }] }],
        };
        const m = model([policy("two", "ip", spec)], [host, excluded, a, c]);
        assert.equal(connectionAllowed(m, host, c, tcp8080), true);
        assert.equal(connectionAllowed(m, excluded, c, tcp8080), false);
        assert.equal(connectionAllowed(m, a, c, tcp8080), false, "a has no modelled address");
        assert.equal(connectionAllowed(m, pod("a", "one", { app: "a" }, { ip: "10.0.3.3" }), c, tcp8080), true, "a CNI that matches pod IPs");
        assert.throws(() => connectionAllowed(model([policy("two", "bad", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }] }] })], []), host, c, tcp8080));
    });

    it("matches ports by protocol (TCP by default), range and name", () => {
        const withPorts = (ports: NonNullable<NetworkPolicySpec["ingress"]>[number]["ports"]) =>
            model([policy("two", "ports", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports }] })], [a, c]);
        const udp53 = { port: 53, protocol: "UDP" as const };
        assert.equal(connectionAllowed(withPorts([{ port: 53 }]), a, c, udp53), false, "a port without protocol is TCP");
        assert.equal(connectionAllowed(withPorts([{ protocol: "UDP", port: 53 }]), a, c, udp53), true);
        assert.equal(connectionAllowed(withPorts([{ port: 8000, endPort: 8100 }]), a, c, tcp8080), true);
        assert.equal(connectionAllowed(withPorts([{ port: 8000, endPort: 8079 }]), a, c, tcp8080), false);
        assert.equal(connectionAllowed(withPorts([{ port: "http" }]), a, c, tcp8080), true);
        assert.equal(connectionAllowed(withPorts([{ port: "grpc" }]), a, c, tcp8080), false);
        assert.equal(connectionAllowed(withPorts([{ protocol: "TCP" }]), a, c, tcp8080), true, "protocol without port: all ports");
    });

    it("infers policyTypes when absent: Ingress always, Egress only with egress rules", () => {
        const ingressOnly = policy("one", "p", { podSelector: {}, ingress: [] });
        assert.equal(connectionAllowed(model([ingressOnly], [a, c]), a, c, tcp8080), true, "egress stays open");
        assert.equal(connectionAllowed(model([ingressOnly], [a, c]), c, a, tcp8080), false, "ingress is isolated");
        const withEgress = policy("one", "p", { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] });
        assert.equal(connectionAllowed(model([withEgress], [a, b, c]), a, c, tcp8080), false, "egress isolated to the own namespace");
        assert.equal(connectionAllowed(model([withEgress], [a, b, c]), a, b, tcp8080), false, "ingress isolated too");
    });

    it("evaluates matchExpressions operators", () => {
        const labels = { app: "web", tier: "front" };
        assert.equal(selectorMatches({}, labels), true);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "app", operator: "In", values: ["web", "api"] }] }, labels), true);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }] }, labels), false);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, labels), true);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, labels), true);
        assert.equal(selectorMatches({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, labels), false);
        assert.equal(selectorMatches({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["back"] }] }, labels), false);
    });
});
