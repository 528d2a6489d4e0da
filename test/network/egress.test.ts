/**
 * Egress derived from configuration, proved on the recorded stacks: every destination each
 * workload's deployed configuration dials is listed, and the recorded NetworkPolicies (evaluated
 * with the policy graph) admit each of them and nothing else. Then the VPC CNI's own rule for
 * traffic through a ClusterIP is checked for every Service dialled.
 */
import { strict as assert } from "assert";
import { allowedFlows, describeFlow, selectorMatches, type ClusterModel, type NetworkPolicyManifest } from "../../components/network/policy-graph";
import { describeDestination, type Destination } from "../../components/platform/destinations";
import { ports, workloads, type WorkloadKey } from "../../components/platform/names";
import type { Settings } from "../../components/platform/settings";
import { kubernetesObjects, ofType, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { settingsOf } from "../harness/recorded";
import { clusterModel, kubeDnsService, landsOn, recordedDestinations, recordedPods, recordedService, targetPort } from "./egress-model";

const workloadKeys = Object.keys(workloads) as WorkloadKey[];

/** The destinations each stack's configs dial, written out: a config change that dials something new shows up here first. */
function expectedDestinations(recording: StackRecording, settings: Settings): Record<WorkloadKey, string[]> {
    const region = settings.aws.region;
    const tempo = (name: string, port: number) => `${name}.tracing-tempo.svc.cluster.local:${port}/TCP`;
    const credentials = "169.254.170.23:80/TCP";
    const metrics = `aps-workspaces.${region}.amazonaws.com:443/TCP`;
    const msk = ofType(recording, "aws:msk/cluster:Cluster").map((c) => `b-1.${c.name}.kafka.${region}.amazonaws.com:9096/TCP`);
    // The first gateway scrapes every broker's Open Monitoring exporters (distributed Tempo).
    const mskExporters = ofType(recording, "aws:msk/cluster:Cluster").flatMap((c) =>
        Array.from({ length: c.inputs.numberOfBrokerNodes as number }, (_, i) => [ports.mskJmxExporter, ports.mskNodeExporter].map((port) => `b-${i + 1}.${c.name}.kafka.${region}.amazonaws.com:${port}/TCP`)).flat(),
    );
    const grafanaIni = kubernetesObjects(recording, "core/v1", "ConfigMap").find((c) => c.inputs.metadata.name === "grafana-config")!.inputs.data["grafana.ini"] as string;
    return {
        // The agents also scrape the Tempo and Grafana pods of their node, found through the Kubernetes API.
        agent: [
            "127.0.0.1:8888/TCP",
            "kubernetes.default.svc:443/TCP",
            "otel-gateway-headless.tracing-collectors.svc.cluster.local:4317/TCP",
            `pods tracing-tempo/tempo:${ports.tempoHttp}/TCP`,
            `pods tracing-grafana/grafana:${ports.grafanaHttps}/TCP`,
        ],
        // The log agents read files and find the gateways by DNS: no Kubernetes API.
        logAgent: ["127.0.0.1:8888/TCP", "otel-gateway-headless.tracing-collectors.svc.cluster.local:4317/TCP"],
        // The platform's logs go to CloudWatch Logs (awscloudwatchlogs, through the logs interface endpoint).
        gateway: ["127.0.0.1:8888/TCP", credentials, metrics, `logs.${region}.amazonaws.com:443/TCP`, tempo("tempo-ingest", 4317), ...mskExporters],
        tempo:
            settings.tempo.mode === "monolithic"
                ? ["127.0.0.1:9095/TCP", credentials, `s3.${region}.amazonaws.com:443/TCP`, tempo("tempo-memberlist", 9095)]
                : [
                      credentials,
                      ...msk,
                      `s3.${region}.amazonaws.com:443/TCP`,
                      tempo("tempo-backend-scheduler", 9095),
                      tempo("tempo-memberlist", 7946),
                      tempo("tempo-memberlist", 9095),
                      tempo("tempo-query-frontend-discovery", 9095),
                  ],
        // The plugin catalogue stays listed while grafana.ini preinstalls plugins (no policy admits it).
        // Single sign-on: the IdP's token and user-info host (the browser, not Grafana, opens the authorization URL).
        grafana: [
            credentials,
            metrics,
            `sns.${region}.amazonaws.com:443/TCP`,
            tempo("tempo-query", 3200),
            ...settings.identity.grafana.providerHosts.map((idp) => `${idp}:443/TCP`),
            ...(/^preinstall(_sync|_async)? = \S/m.test(grafanaIni) ? ["grafana.com:443/TCP"] : []),
        ],
    };
}

for (const stack of shippedStacks) {
    describe(`NetworkPolicy egress is what each workload's recorded configuration dials (${stack})`, () => {
        let recording: StackRecording;
        let settings: Settings;
        let model: ClusterModel;
        let destinations: Record<WorkloadKey, Destination[]>;
        before(async () => {
            recording = await stackRecording(stack);
            settings = settingsOf(recording);
            model = clusterModel(recording, settings);
            destinations = recordedDestinations(recording);
        });

        it("lists every destination each rendered config dials", () => {
            const listed = Object.fromEntries(workloadKeys.map((key) => [key, destinations[key].map(describeDestination).sort()]));
            const expected = expectedDestinations(recording, settings);
            assert.deepEqual(listed, Object.fromEntries(workloadKeys.map((key) => [key, [...expected[key]].sort()])));
        });

        it("admits every destination and nothing else: the policy graph's flows from each platform pod are exactly where its config's destinations land (plus DNS)", () => {
            const pods = recordedPods(recording);
            const expected = new Set<string>();
            const unreachable: string[] = [];
            for (const pod of pods) {
                for (const d of destinations[pod.workload]) {
                    const targets = landsOn(recording, model, settings, d);
                    if (targets === "loopback") continue;
                    if (targets === "internet") {
                        unreachable.push(`${pod.id} -> ${describeDestination(d)}`);
                        continue;
                    }
                    assert.ok(targets.length > 0, `${pod.workload} dials ${describeDestination(d)} (${d.via}), which lands on no endpoint of the model`);
                    for (const t of targets) if (t.endpoint !== pod.id) expected.add(`${pod.id} -> ${t.endpoint}:${t.port}/${d.protocol}`);
                }
                // Every workload dials names, so each resolves them through CoreDNS.
                assert.ok(destinations[pod.workload].some((d) => /[a-z]/.test(d.host)), `${pod.workload} dials no name`);
                for (const protocol of ["UDP", "TCP"]) expected.add(`${pod.id} -> kube-system/coredns:${ports.dns}/${protocol}`);
            }
            const podIds = new Set(pods.map((p) => p.id));
            const actual = new Set(allowedFlows(model).filter((f) => podIds.has(f.from)).map(describeFlow));
            const missing = [...expected].filter((f) => !actual.has(f)).sort();
            const extra = [...actual].filter((f) => !expected.has(f)).sort();
            assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
            assert.ok(![...actual].some((f) => / -> (internet|imds|vpc-database|other-cluster-ip):/.test(f)), "a platform pod reaches the internet, IMDS or an unrelated address");
            // Only the plugin catalogue download, which no policy may admit, lands outside.
            assert.ok(unreachable.every((f) => f.includes("grafana") && f.endsWith("grafana.com:443/TCP")), unreachable.join("\n"));
        });

        // AWS VPC CNI: the network policy controller adds a Service's ClusterIP to a policy only when an
        // egress peer's podSelector matches the Service's selector labels, in a namespace the peer selects
        // (aws/amazon-network-policy-controller-k8s pkg/resolvers/endpoints.go, getMatchingServiceClusterIPs;
        // issues #147, #207, #224), and the EKS user guide ("Restrict Pod network traffic with Kubernetes
        // network policies", considerations) needs the Service port to equal the container port.
        it("every Service dialled through a ClusterIP is one the VPC CNI admits: a peer whose podSelector matches its selector, on its port", () => {
            const policies = model.policies;
            const namespaceLabels = (ns: string) => ({ ...(model.namespaceLabels[ns] ?? {}), "kubernetes.io/metadata.name": ns });
            const pods = recordedPods(recording);
            const dialled = workloadKeys.flatMap((workload) =>
                destinations[workload].flatMap((d) => {
                    const service = recordedService(recording, d.host);
                    return service && service.inputs.spec.clusterIP !== "None"
                        ? [{ workload, port: d.port, name: service.inputs.metadata.name, namespace: service.inputs.metadata.namespace, selector: service.inputs.spec.selector, service }]
                        : [];
                }),
            );
            // Every workload's name lookups go through EKS's kube-dns Service.
            const dns = workloadKeys.map((workload) => ({ workload, port: ports.dns, ...kubeDnsService, service: undefined }));
            assert.ok(dialled.length >= (settings.tempo.mode === "distributed" ? 3 : 2), "the gateway, Grafana (and distributed Tempo) dial ClusterIPs");
            for (const target of [...dialled, ...dns]) {
                const source = pods.find((p) => p.workload === target.workload)!;
                if (target.service) {
                    for (const pod of pods.filter((p) => p.namespace === target.namespace && selectorMatches({ matchLabels: target.selector }, p.labels))) {
                        assert.equal(targetPort(target.service, target.port, pod), target.port, `${target.name}:${target.port} forwards to another container port on ${pod.id}`);
                    }
                }
                const admitting = policies
                    .filter((p: NetworkPolicyManifest) => p.metadata.namespace === source.namespace && selectorMatches(p.spec.podSelector, source.labels))
                    .flatMap((p) => (p.spec.egress ?? []).map((rule) => ({ rule, namespace: p.metadata.namespace })))
                    .filter(({ rule, namespace }) =>
                        (rule.ports ?? []).some((p) => p.port === target.port) &&
                        (rule.to ?? []).some(
                            (peer) =>
                                !peer.ipBlock &&
                                (peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, namespaceLabels(target.namespace)) : namespace === target.namespace) &&
                                selectorMatches(peer.podSelector ?? {}, target.selector),
                        ),
                    );
                assert.ok(admitting.length > 0, `${workloads[target.workload].name} -> Service ${target.namespace}/${target.name}:${target.port}: no egress peer's podSelector matches the Service's selector ${JSON.stringify(target.selector)}`);
            }
        });

        it("reaches every AWS API other than S3 and MSK through an interface endpoint with private DNS in the stack", () => {
            const region = settings.aws.region;
            const endpoints = ofType(recording, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface" && e.inputs.privateDnsEnabled === true);
            const services = new Set(endpoints.map((e) => e.inputs.serviceName));
            for (const d of workloadKeys.flatMap((key) => destinations[key])) {
                const match = new RegExp(`^([a-z0-9-]+)\\.${region}\\.amazonaws\\.com$`).exec(d.host);
                if (!match || match[1] === "s3") continue;
                assert.ok(services.has(`com.amazonaws.${region}.${match[1]}`), `${d.host} (${d.via}) has no interface endpoint with private DNS`);
            }
        });
    });
}
