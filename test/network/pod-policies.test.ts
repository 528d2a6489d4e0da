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

const tcp = (port: number): ListeningPort => ({ port, protocol: "TCP" });
const udp = (port: number): ListeningPort => ({ port, protocol: "UDP" });

const listening: Record<WorkloadKey, ListeningPort[]> = {
    agent: [tcp(ports.otlpGrpc), tcp(ports.otlpHttp), tcp(ports.collectorHealth), tcp(ports.collectorMetrics)],
    gateway: [tcp(ports.otlpGrpc), tcp(ports.collectorHealth), tcp(ports.collectorMetrics)],
    tempo: [tcp(ports.otlpGrpc), tcp(ports.tempoHttp), tcp(ports.tempoGrpc), tcp(ports.tempoMemberlist), udp(ports.tempoMemberlist)],
    grafana: [tcp(ports.grafanaHttps)],
};

/**
 * The cluster and its surroundings as the policies see them: the platform's pods (labelled as the
 * workloads label them), two Tempo pods to show intra-cluster traffic, application pods in a
 * labelled and an unlabelled namespace, CoreDNS, and hosts outside the cluster: Client VPN and NLB
 * interfaces, an AWS service address in the VPC (API server, interface endpoint, MSK broker), the
 * application networks, S3, the Pod Identity agent, IMDS and the internet.
 */
function clusterModel(recording: StackRecording): ClusterModel {
    const settings = settingsOf(recording);
    const { vpcCidr, appOtlpCidrs, s3Cidrs, appNamespaceLabel } = settings.network;
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
            platformPod("gateway", "gateway"),
            platformPod("tempo-distributor", "tempo", "distributor"),
            platformPod("tempo-querier", "tempo", "querier"),
            platformPod("grafana", "grafana"),
            { kind: "pod", id: "app-labelled", namespace: "shop", labels: { app: "shop" }, ports: [tcp(8080)] },
            { kind: "pod", id: "app-unlabelled", namespace: "batch", labels: { "app.kubernetes.io/name": workloads.gateway.name }, ports: [tcp(8080)] },
            { kind: "pod", id: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ports: [udp(ports.dns), tcp(ports.dns)] },
            host("vpn-interface", addressInBlock(vpcCidr, 0x0100 + 10)),
            host("nlb-node", addressInBlock(vpcCidr, 0x0200 + 20)),
            host("vpc-service", addressInBlock(vpcCidr, 0x0300 + 30), [tcp(ports.https), tcp(ports.kafkaTlsSasl)]),
            ...appOtlpCidrs.map((cidr, i) => host(`app-network-${i}`, addressInBlock(cidr, 10))),
            host("s3", addressInBlock(s3Cidrs[0], 5), [tcp(ports.https)]),
            host("pod-identity-agent", "169.254.170.23", [tcp(80)]),
            host("imds", "169.254.169.254", [tcp(80)]),
            host("internet", "93.184.216.34", [tcp(ports.https), tcp(80)]),
        ],
    };
}

const platformPods = new Set(["agent", "gateway", "tempo-distributor", "tempo-querier", "grafana"]);

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
                const tempoPods = ["tempo-distributor", "tempo-querier"];

                for (const port of [tcp(ports.otlpGrpc), tcp(ports.otlpHttp)]) allow("app-labelled", "agent", port);
                allow("agent", "gateway", tcp(ports.otlpGrpc));
                const hosts = model.endpoints.filter((e) => e.kind === "host");
                for (const source of hosts) {
                    if (settings.network.appOtlpCidrs.some((cidr) => addressInCidr(source.ip!, cidr))) allow(source.id, "gateway", tcp(ports.otlpGrpc));
                    // NLB interfaces, Client VPN interfaces and anything else in the VPC: the
                    // security groups are the precise gate in front of these two ports.
                    if (addressInCidr(source.ip!, vpcCidr)) {
                        allow(source.id, "grafana", tcp(ports.grafanaHttps));
                        allow(source.id, "gateway", tcp(ports.collectorHealth));
                    }
                }
                for (const tempo of tempoPods) {
                    allow("gateway", tempo, tcp(ports.otlpGrpc));
                    allow("grafana", tempo, tcp(ports.tempoHttp));
                    // The agent on the pod's node scrapes Tempo's /metrics.
                    allow("agent", tempo, tcp(ports.tempoHttp));
                    for (const peer of tempoPods.filter((p) => p !== tempo)) {
                        for (const port of [tcp(ports.tempoGrpc), tcp(ports.tempoMemberlist), udp(ports.tempoMemberlist), tcp(ports.tempoHttp)]) allow(tempo, peer, port);
                    }
                    allow(tempo, "s3", tcp(ports.https));
                    allow(tempo, "pod-identity-agent", tcp(80));
                    if (settings.tempo.mode === "distributed") allow(tempo, "vpc-service", tcp(ports.kafkaTlsSasl));
                }
                for (const pod of platformPods) for (const port of [udp(ports.dns), tcp(ports.dns)]) allow(pod, "kube-dns", port);
                allow("agent", "vpc-service", tcp(ports.https));
                allow("agent", "grafana", tcp(ports.grafanaHttps));
                for (const pod of ["gateway", "grafana"]) {
                    allow(pod, "vpc-service", tcp(ports.https));
                    allow(pod, "pod-identity-agent", tcp(80));
                }

                const missing = [...expected].filter((f) => !flows.has(f)).sort();
                const unexpected = [...flows].filter((f) => !expected.has(f)).sort();
                assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
            });

            it("keeps an unlabelled namespace away from the collectors, even with a look-alike pod label", () => {
                for (const target of ["agent", "gateway"]) {
                    assert.ok(![...flows].some((f) => f.startsWith(`app-unlabelled -> ${target}:`)), `app-unlabelled reaches ${target}`);
                }
                assert.ok(![...flows].some((f) => f.startsWith("app-labelled -> gateway:")), "applications send to their node's agent, not the gateway");
            });

            it("never lets Grafana reach S3, nor anything reach IMDS or the internet", () => {
                assert.ok(!flows.has(`grafana -> s3:${ports.https}/TCP`));
                assert.ok(![...flows].some((f) => / -> (imds|internet):/.test(f)));
                assert.ok(![...flows].some((f) => f.startsWith("internet -> ")));
                assert.ok(!flows.has(`agent -> s3:${ports.https}/TCP`) && !flows.has(`gateway -> s3:${ports.https}/TCP`));
            });

            it("opens Kafka from Tempo only where Tempo runs distributed", () => {
                const kafka = [...flows].filter((f) => f.endsWith(`:${ports.kafkaTlsSasl}/TCP`));
                assert.equal(kafka.length > 0, settingsOf(recording).tempo.mode === "distributed");
            });
        });
    }
});
