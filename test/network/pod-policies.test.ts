import { strict as assert } from "assert";
import { addressInBlock, addressInCidr } from "../../components/platform/cidr";
import {
    allowedFlows,
    describeFlow,
    type ClusterModel,
    type Endpoint,
    type ListeningPort,
    type NetworkPolicyManifest,
} from "../../components/network/policy-graph";
import { namespaces, ports, standardLabels, workloads, type WorkloadKey } from "../../components/platform/names";
import { kubernetesObjects, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { settingsOf, validateKubernetesObjects } from "../harness/recorded";
import { s3PrefixList } from "../harness/s3-prefix-lists";

const tcp = (port: number): ListeningPort => ({ port, protocol: "TCP" });
const udp = (port: number): ListeningPort => ({ port, protocol: "UDP" });

const listening: Record<WorkloadKey, ListeningPort[]> = {
    agent: [tcp(ports.otlpGrpc), tcp(ports.otlpHttp), tcp(ports.collectorHealth), tcp(ports.collectorMetrics)],
    gateway: [tcp(ports.otlpGrpc), tcp(ports.collectorHealth), tcp(ports.collectorMetrics)],
    // Receives nothing: the health check (kubelet) and its loopback metrics.
    logAgent: [tcp(ports.collectorHealth), tcp(ports.collectorMetrics)],
    // Memberlist gossips over TCP only (grafana/dskit kv/memberlist/tcp_transport.go): no UDP listener.
    tempo: [tcp(ports.otlpGrpc), tcp(ports.tempoHttp), tcp(ports.tempoGrpc), tcp(ports.tempoMemberlist)],
    grafana: [tcp(ports.grafanaHttps)],
};

/** Two Tempo pods of the stack's mode, labelled as the Tempo component labels them: the one(s) taking OTLP first, then the one(s) serving queries. */
const tempoPodsByMode = {
    monolithic: [
        { id: "tempo-0", component: "monolith" },
        { id: "tempo-1", component: "monolith" },
    ],
    distributed: [
        { id: "tempo-distributor", component: "distributor" },
        { id: "tempo-query-frontend", component: "query-frontend" },
    ],
} as const;

/**
 * The cluster and its surroundings as the policies see them: the platform's pods (labelled as the
 * workloads label them), two Tempo pods to show intra-cluster traffic, application pods in a
 * labelled and an unlabelled namespace, CoreDNS, and hosts outside the cluster: Client VPN and NLB
 * interfaces, an AWS service address in the VPC (interface endpoint, MSK broker), the Kubernetes
 * API's ClusterIP and another address of the service range, the application networks, an address
 * in every entry of the region's S3 prefix list, the Pod Identity agent, IMDS and the internet.
 */
function clusterModel(recording: StackRecording): ClusterModel {
    const settings = settingsOf(recording);
    const { vpcCidr, appOtlpCidrs, appNamespaceLabel } = settings.network;
    const serviceCidr = settings.cluster.serviceCidr;
    const platformPod = (id: string, workload: WorkloadKey, component?: string): Endpoint => ({
        kind: "pod",
        id,
        namespace: workloads[workload].namespace,
        labels: standardLabels(workloads[workload].name, settings.environment, component),
        ports: listening[workload],
    });
    const host = (id: string, ip: string, hostPorts: ListeningPort[] = []): Endpoint => ({ kind: "host", id, ip, ports: hostPorts });
    const recordedNamespaces = kubernetesObjects(recording, "core/v1", "Namespace");
    return {
        policies: kubernetesObjects(recording, "networking.k8s.io/v1", "NetworkPolicy").map(
            (r): NetworkPolicyManifest => ({ metadata: r.inputs.metadata, spec: r.inputs.spec }),
        ),
        namespaceLabels: {
            ...Object.fromEntries(recordedNamespaces.map((ns) => [ns.inputs.metadata.name, ns.inputs.metadata.labels ?? {}])),
            shop: { [appNamespaceLabel.key]: appNamespaceLabel.value },
            batch: {},
            "kube-system": {},
        },
        endpoints: [
            platformPod("agent", "agent"),
            platformPod("log-agent", "logAgent"),
            platformPod("gateway", "gateway"),
            ...tempoPodsByMode[settings.tempo.mode].map((pod) => platformPod(pod.id, "tempo", pod.component)),
            platformPod("grafana", "grafana"),
            { kind: "pod", id: "app-labelled", namespace: "shop", labels: { app: "shop" }, ports: [tcp(8080)] },
            { kind: "pod", id: "app-unlabelled", namespace: "batch", labels: { "app.kubernetes.io/name": workloads.gateway.name }, ports: [tcp(8080)] },
            { kind: "pod", id: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ports: [udp(ports.dns), tcp(ports.dns)] },
            host("vpn-interface", addressInBlock(vpcCidr, 0x0100 + 10)),
            host("nlb-node", addressInBlock(vpcCidr, 0x0200 + 20)),
            host("vpc-service", addressInBlock(vpcCidr, 0x0300 + 30), [tcp(ports.https), tcp(ports.kafkaTlsSasl), tcp(ports.mskJmxExporter), tcp(ports.mskNodeExporter)]),
            ...appOtlpCidrs.map((cidr, i) => host(`app-network-${i}`, addressInBlock(cidr, 10))),
            host("kubernetes-api", addressInBlock(serviceCidr, 1), [tcp(ports.https)]),
            host("other-cluster-ip", addressInBlock(serviceCidr, 0x20), [tcp(ports.https)]),
            ...s3PrefixList(settings.aws.region).cidrs.map((cidr, i) => host(`s3-${i}`, addressInBlock(cidr, 5), [tcp(ports.https)])),
            host("pod-identity-agent", "169.254.170.23", [tcp(80)]),
            host("imds", "169.254.169.254", [tcp(80)]),
            host("internet", "93.184.216.34", [tcp(ports.https), tcp(80)]),
        ],
    };
}

const tempoPodIds = new Set<string>(Object.values(tempoPodsByMode).flatMap((pods) => pods.map((pod) => pod.id)));
const platformPods = new Set(["agent", "log-agent", "gateway", ...tempoPodIds, "grafana"]);
const isS3 = (id: string) => /^s3-\d+$/.test(id);

describe("NetworkPolicies", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            let model: ClusterModel;
            let flows: Set<string>;
            before(async () => {
                recording = await stackRecording(stack);
                model = clusterModel(recording);
                flows = new Set(
                    allowedFlows(model)
                        .filter((f) => platformPods.has(f.from) || platformPods.has(f.to))
                        .map(describeFlow),
                );
            });

            it("records only schema-valid NetworkPolicies", () => {
                assert.ok(validateKubernetesObjects(recording, "networking.k8s.io/v1", "NetworkPolicy", NetworkPolicy) >= 2 * Object.keys(namespaces).length);
            });

            it("denies all ingress and egress by default in every platform namespace", () => {
                for (const namespace of Object.values(namespaces)) {
                    const denies = model.policies.filter(
                        (p) =>
                            p.metadata.namespace === namespace &&
                            Object.keys(p.spec.podSelector).length === 0 &&
                            [...(p.spec.policyTypes ?? [])].sort().join() === "Egress,Ingress" &&
                            !p.spec.ingress?.length &&
                            !p.spec.egress?.length,
                    );
                    assert.equal(denies.length, 1, `${namespace} has one default-deny policy`);
                }
            });

            it("allows exactly the architecture's flows to and from platform pods", () => {
                const settings = settingsOf(recording);
                const { vpcCidr } = settings.network;
                const expected = new Set<string>();
                const allow = (from: string, to: string, port: ListeningPort) => expected.add(`${from} -> ${to}:${port.port}/${port.protocol}`);
                const [ingest, query] = tempoPodsByMode[settings.tempo.mode].map((pod) => pod.id);
                const tempoPods = [ingest, query];
                const present = model.endpoints.filter((e) => platformPods.has(e.id)).map((e) => e.id);

                for (const port of [tcp(ports.otlpGrpc), tcp(ports.otlpHttp)]) allow("app-labelled", "agent", port);
                allow("agent", "gateway", tcp(ports.otlpGrpc));
                // The node log shipper pushes the platform's logs (and its own metrics) to the gateways, and dials nothing else.
                allow("log-agent", "gateway", tcp(ports.otlpGrpc));
                const hosts = model.endpoints.filter((e) => e.kind === "host");
                for (const source of hosts) {
                    if (settings.network.appOtlpCidrs.some((cidr) => addressInCidr(source.ip!, cidr))) allow(source.id, "gateway", tcp(ports.otlpGrpc));
                    // NLB interfaces, Client VPN interfaces and anything else in the VPC: the
                    // security groups are the precise gate in front of these two ports.
                    if (addressInCidr(source.ip!, vpcCidr)) {
                        allow(source.id, "grafana", tcp(ports.grafanaHttps));
                        allow(source.id, "gateway", tcp(ports.otlpGrpc));
                    }
                }
                // Monolith pods both ingest and serve queries; distributed mode splits the two.
                for (const tempo of settings.tempo.mode === "monolithic" ? tempoPods : [ingest]) allow("gateway", tempo, tcp(ports.otlpGrpc));
                for (const tempo of settings.tempo.mode === "monolithic" ? tempoPods : [query]) allow("grafana", tempo, tcp(ports.tempoHttp));
                for (const tempo of tempoPods) {
                    // Ring members' gRPC, and memberlist gossip (TCP) where there are members to join; nothing else.
                    for (const peer of tempoPods.filter((p) => p !== tempo)) {
                        allow(tempo, peer, tcp(ports.tempoGrpc));
                        if (settings.tempo.mode === "distributed") allow(tempo, peer, tcp(ports.tempoMemberlist));
                    }
                    for (const s3 of hosts.filter((h) => isS3(h.id))) allow(tempo, s3.id, tcp(ports.https));
                    allow(tempo, "pod-identity-agent", tcp(80));
                    if (settings.tempo.mode === "distributed") allow(tempo, "vpc-service", tcp(ports.kafkaTlsSasl));
                    // The agent on the pod's node scrapes its /metrics.
                    allow("agent", tempo, tcp(ports.tempoHttp));
                }
                allow("agent", "grafana", tcp(ports.grafanaHttps));
                // The first gateway scrapes MSK's Open Monitoring exporters in the VPC.
                if (settings.tempo.mode === "distributed") for (const port of [tcp(ports.mskJmxExporter), tcp(ports.mskNodeExporter)]) allow("gateway", "vpc-service", port);
                for (const pod of present) for (const port of [udp(ports.dns), tcp(ports.dns)]) allow(pod, "kube-dns", port);
                allow("agent", "kubernetes-api", tcp(ports.https));
                for (const pod of ["gateway", "grafana"]) {
                    // Managed Prometheus and SNS through their interface endpoints in the VPC.
                    allow(pod, "vpc-service", tcp(ports.https));
                    allow(pod, "pod-identity-agent", tcp(80));
                }

                const missing = [...expected].filter((f) => !flows.has(f)).sort();
                const unexpected = [...flows].filter((f) => !expected.has(f)).sort();
                assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
            });

            it("keeps an unlabelled namespace away from the collectors, even with a look-alike pod label", () => {
                for (const target of ["agent", "log-agent", "gateway"]) {
                    assert.ok(![...flows].some((f) => f.startsWith(`app-unlabelled -> ${target}:`)), `app-unlabelled reaches ${target}`);
                }
                assert.ok(![...flows].some((f) => f.startsWith("app-labelled -> gateway:")), "applications send to their node's agent, not the gateway");
            });

            it("admits nothing into the log agent's namespace and lets the log agent out only to DNS and the gateways' OTLP port", () => {
                assert.deepEqual([...flows].filter((f) => / -> log-agent:/.test(f)), []);
                assert.deepEqual(
                    [...flows].filter((f) => f.startsWith("log-agent -> ")).sort(),
                    [`log-agent -> gateway:${ports.otlpGrpc}/TCP`, `log-agent -> kube-dns:${ports.dns}/TCP`, `log-agent -> kube-dns:${ports.dns}/UDP`],
                );
            });

            it("never lets Grafana reach S3, nor anything reach IMDS or the internet", () => {
                const toS3 = [...flows].filter((f) => / -> s3-\d+:/.test(f));
                assert.ok(toS3.length > 0 && toS3.every((f) => [...tempoPodIds].some((tempo) => f.startsWith(`${tempo} -> `))), "only Tempo reaches S3");
                assert.ok(![...flows].some((f) => / -> (imds|internet):/.test(f)));
                assert.ok(![...flows].some((f) => f.startsWith("internet -> ")));
            });

            // EKS: in-cluster clients dial the kubernetes Service's ClusterIP (the first host of the service
            // CIDR; kubernetes pkg/controlplane/services.go), outside the VPC CIDR, and the VPC CNI filters
            // on the pod's interface before DNAT (aws/amazon-network-policy-controller-k8s
            // pkg/resolvers/endpoints.go), so only an ipBlock of that address admits it.
            it("lets the agents, and only them, reach the Kubernetes API at its ClusterIP on 443, and no other service address", () => {
                assert.deepEqual([...flows].filter((f) => f.includes(" -> kubernetes-api:")), [`agent -> kubernetes-api:${ports.https}/TCP`]);
                assert.ok(![...flows].some((f) => f.includes(" -> other-cluster-ip:")), "another ClusterIP is reachable by address");
            });

            // EC2: the S3 managed prefix list com.amazonaws.<region>.s3 holds every range S3 answers from
            // in the region (Amazon VPC user guide, "AWS-managed prefix lists"); a gateway endpoint routes them all.
            it("lets Tempo reach an address in every entry of the region's S3 prefix list on 443", () => {
                const s3Hosts = model.endpoints.filter((e) => isS3(e.id));
                assert.equal(s3Hosts.length, s3PrefixList(settingsOf(recording).aws.region).cidrs.length);
                for (const tempo of tempoPodIds) {
                    if (!model.endpoints.some((e) => e.id === tempo)) continue;
                    for (const s3 of s3Hosts) assert.ok(flows.has(`${tempo} -> ${s3.id}:${ports.https}/TCP`), `${tempo} cannot reach ${s3.id} (${s3.kind === "host" ? s3.ip : ""})`);
                }
            });

            it("opens Kafka from Tempo only where Tempo runs distributed", () => {
                const kafka = [...flows].filter((f) => f.endsWith(`:${ports.kafkaTlsSasl}/TCP`));
                assert.equal(kafka.length > 0, settingsOf(recording).tempo.mode === "distributed");
            });
        });
    }
});
