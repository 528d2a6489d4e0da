/** How each kind of destination is reached, and the peer that admits it (pure). */
import { strict as assert } from "assert";
import { kubernetesApiClusterIp, routeOf, type ClusterService, type EgressContext } from "../../components/network/egress-routes";
import { destination } from "../../components/platform/destinations";

const tempoIngest: ClusterService = {
    name: "tempo-ingest",
    namespace: "tracing-tempo",
    selector: { "app.kubernetes.io/name": "tempo", "app.kubernetes.io/component": "distributor" },
    headless: false,
    ports: [{ port: 4317, protocol: "TCP" }],
};
const memberlist: ClusterService = { name: "tempo-memberlist", namespace: "tracing-tempo", selector: { "app.kubernetes.io/name": "tempo" }, headless: true, ports: [{ port: 7946 }] };

const context: EgressContext = {
    region: "eu-west-1",
    vpcCidr: "10.40.0.0/16",
    kubernetesServiceCidr: "172.20.0.0/16",
    s3Cidrs: ["52.218.0.0/17", "3.5.64.0/21"],
    services: [tempoIngest, memberlist],
};
const route = (host: string, port: number) => routeOf(destination(host, port, "test"), context);

describe("egress routes", () => {
    it("reaches the Kubernetes API at the kubernetes Service's ClusterIP, the first host of the service CIDR", () => {
        assert.equal(kubernetesApiClusterIp("172.20.0.0/16"), "172.20.0.1");
        assert.equal(kubernetesApiClusterIp("10.100.0.0/16"), "10.100.0.1");
        for (const host of ["kubernetes.default.svc", "kubernetes.default", "kubernetes.default.svc.cluster.local"]) {
            assert.deepEqual(route(host, 443), { kind: "addresses", destination: destination(host, 443, "test"), cidrs: ["172.20.0.1/32"], what: "the Kubernetes API (the kubernetes Service's ClusterIP)" });
        }
    });

    it("reaches a Service's pods with the Service's own selector as the peer (what the VPC CNI needs to admit its ClusterIP)", () => {
        const r = route("tempo-ingest.tracing-tempo.svc.cluster.local", 4317);
        assert.equal(r.kind, "pods");
        if (r.kind !== "pods") return;
        assert.equal(r.workload, "tempo");
        assert.deepEqual(r.peer, {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tracing-tempo" } },
            podSelector: { matchLabels: tempoIngest.selector },
        });
        assert.equal(route("tempo-ingest.tracing-tempo", 4317).kind, "pods", "the short name works too");
    });

    it("refuses a ClusterIP port the Service does not forward, but dials any pod port behind a headless name", () => {
        assert.throws(() => route("tempo-ingest.tracing-tempo.svc", 3200), /does not offer/);
        assert.equal(route("tempo-memberlist.tracing-tempo.svc.cluster.local", 9095).kind, "pods");
    });

    it("fails on a cluster name the platform does not create (a config pointing nowhere)", () => {
        assert.throws(() => route("tempo-query.tracing-tempo.svc.cluster.local", 3200), /does not create/);
    });

    it("reaches S3 through the region's prefix list on 443 only, and MSK and interface endpoints in the VPC", () => {
        const s3 = route("s3.eu-west-1.amazonaws.com", 443);
        assert.deepEqual(s3.kind === "addresses" && s3.cidrs, context.s3Cidrs);
        assert.equal(route("s3.eu-west-1.amazonaws.com", 80).kind, "refused");
        const kafka = route("b-1.tempo.abc.c2.kafka.eu-west-1.amazonaws.com", 9096);
        assert.deepEqual(kafka.kind === "addresses" && kafka.cidrs, ["10.40.0.0/16"]);
        const sns = route("sns.eu-west-1.amazonaws.com", 443);
        assert.deepEqual(sns.kind === "addresses" && sns.cidrs, ["10.40.0.0/16"]);
        assert.equal(route("sns.eu-central-1.amazonaws.com", 443).kind, "refused", "another region has no endpoint here");
    });

    it("reaches the Pod Identity agent at its link-local address; loopback needs no peer; the internet is refused", () => {
        const agent = route("169.254.170.23", 80);
        assert.deepEqual(agent.kind === "addresses" && agent.cidrs, ["169.254.170.23/32"]);
        assert.equal(route("169.254.169.254", 80).kind, "refused", "IMDS is not the Pod Identity agent");
        assert.equal(route("127.0.0.1", 8888).kind, "loopback");
        for (const host of ["grafana.com", "stats.grafana.org", "93.184.216.34"]) assert.equal(route(host, 443).kind, "refused", host);
    });

    it("reaches the identity provider's hosts at their configured blocks on 443 only, even on an AWS name; unconfigured hosts stay refused", () => {
        const identityProvider = { hosts: ["sso.example.com", "tracing.auth.eu-west-1.amazonaws.com"], cidrs: ["10.60.10.0/28"] };
        const withIdp = (host: string, port: number) => routeOf(destination(host, port, "test"), { ...context, identityProvider });
        for (const host of identityProvider.hosts) {
            const idp = withIdp(host, 443);
            assert.deepEqual(idp.kind === "addresses" && idp.cidrs, ["10.60.10.0/28"], host);
            assert.equal(withIdp(host, 80).kind, "refused", `${host}:80`);
        }
        assert.equal(withIdp("login.example.com", 443).kind, "refused", "another host of the internet");
        assert.equal(route("sso.example.com", 443).kind, "refused", "no identity provider configured, no route");
    });
});
