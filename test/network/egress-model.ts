/**
 * The recorded cluster as the network sees it, for the egress tests: what each workload's recorded
 * configuration dials, the pods (recorded labels and container ports), the Services, and where a
 * name resolves to. Resolution here follows DNS and Kubernetes, not the plan's own routes, so the
 * tests compare the policies with an independent account of the destinations.
 */
import * as ini from "ini";
import * as yaml from "yaml";
import type { ClusterModel, Endpoint, ListeningPort, PodEndpoint } from "../../components/network/policy-graph";
import { collectorDestinations } from "../../components/collectors/destinations";
import { grafanaDestinations } from "../../components/grafana/destinations";
import { tempoDestinations } from "../../components/tempo/destinations";
import { addressInBlock } from "../../components/platform/cidr";
import { podIdentityAgent, type Destination } from "../../components/platform/destinations";
import { ports, workloads, type WorkloadKey } from "../../components/platform/names";
import type { Settings } from "../../components/platform/settings";
import { kubernetesObject, kubernetesObjects, type RecordedResource, type StackRecording } from "../harness/program";
import { s3PrefixList } from "../harness/s3-prefix-lists";

/** EKS's CoreDNS Service (the CoreDNS add-on), which every name lookup goes through. */
export const kubeDnsService = { name: "kube-dns", namespace: "kube-system", selector: { "k8s-app": "kube-dns" }, ports: [53] } as const;

const configFile = (recording: StackRecording, configMap: string, namespace: string, file: string): string =>
    kubernetesObject(recording, "core/v1", "ConfigMap", configMap, namespace).inputs.data[file];

const containersOf = (workload: RecordedResource): any[] => workload.inputs.spec.template.spec.containers;

/** What each workload's recorded configuration (the ConfigMaps as deployed, parsed back) dials. */
export function recordedDestinations(recording: StackRecording): Record<WorkloadKey, Destination[]> {
    const collectors = workloads.agent.namespace;
    const gatewayEnv = Object.fromEntries(
        containersOf(kubernetesObject(recording, "apps/v1", "StatefulSet", workloads.gateway.name, collectors)).flatMap((c) =>
            (c.env ?? []).filter((e: any) => typeof e.value === "string").map((e: any) => [e.name, e.value]),
        ),
    );
    const grafana = workloads.grafana.namespace;
    return {
        agent: collectorDestinations(yaml.parse(configFile(recording, `${workloads.agent.name}-config`, collectors, "config.yaml"))),
        logAgent: collectorDestinations(yaml.parse(configFile(recording, `${workloads.logAgent.name}-config`, workloads.logAgent.namespace, "config.yaml"))),
        gateway: collectorDestinations(yaml.parse(configFile(recording, `${workloads.gateway.name}-config`, collectors, "config.yaml")), gatewayEnv),
        tempo: tempoDestinations(yaml.parse(configFile(recording, "tempo-config", workloads.tempo.namespace, "tempo.yaml"))),
        grafana: grafanaDestinations({
            ini: ini.parse(configFile(recording, "grafana-config", grafana, "grafana.ini")),
            datasources: yaml.parse(configFile(recording, "grafana-datasources", grafana, "datasources.yaml")),
            alerting: yaml.parse(configFile(recording, "grafana-alerting", grafana, "alerting.yaml")),
        }),
    };
}

/** One pod per recorded Deployment, StatefulSet and DaemonSet, labelled and listening as its template says. */
export function recordedPods(recording: StackRecording): (PodEndpoint & { readonly workload: WorkloadKey })[] {
    return ["DaemonSet", "Deployment", "StatefulSet"].flatMap((kind) =>
        kubernetesObjects(recording, "apps/v1", kind).map((w) => {
            const labels: Record<string, string> = w.inputs.spec.template.metadata.labels;
            const workload = (Object.keys(workloads) as WorkloadKey[]).find((key) => workloads[key].name === labels["app.kubernetes.io/name"])!;
            return {
                kind: "pod" as const,
                id: `${w.inputs.metadata.namespace}/${w.inputs.metadata.name}`,
                namespace: w.inputs.metadata.namespace,
                labels,
                workload,
                ports: containersOf(w).flatMap((c) => (c.ports ?? []).map((p: any): ListeningPort => ({ port: p.containerPort, protocol: p.protocol ?? "TCP", name: p.name }))),
            };
        }),
    );
}

const host = (id: string, ip: string, listening: number[]): Endpoint => ({ kind: "host", id, ip, ports: listening.map((port) => ({ port, protocol: "TCP" as const })) });

/**
 * Everything a platform pod could try to reach: the recorded pods, application pods, CoreDNS, the
 * Kubernetes API's ClusterIP and another ClusterIP, an address in every S3 prefix-list entry, the
 * interface endpoints' and an MSK broker's interfaces in the VPC (MSK listening on all its ports),
 * another VPC host, the identity provider (an address in each configured block, on 443 and 80), the
 * Pod Identity agent, IMDS and the internet.
 */
export function clusterModel(recording: StackRecording, settings: Settings): ClusterModel {
    const { vpcCidr, appNamespaceLabel } = settings.network;
    const serviceCidr = settings.cluster.serviceCidr;
    return {
        policies: kubernetesObjects(recording, "networking.k8s.io/v1", "NetworkPolicy").map((p) => ({ metadata: p.inputs.metadata, spec: p.inputs.spec })),
        namespaceLabels: {
            ...Object.fromEntries(kubernetesObjects(recording, "core/v1", "Namespace").map((n) => [n.inputs.metadata.name, n.inputs.metadata.labels ?? {}])),
            shop: { [appNamespaceLabel.key]: appNamespaceLabel.value },
            "kube-system": {},
        },
        endpoints: [
            ...recordedPods(recording),
            { kind: "pod", id: "shop/app", namespace: "shop", labels: { app: "shop" }, ports: [{ port: 8080, protocol: "TCP" }] },
            {
                kind: "pod",
                id: "kube-system/coredns",
                namespace: kubeDnsService.namespace,
                labels: { ...kubeDnsService.selector },
                ports: [{ port: ports.dns, protocol: "UDP" }, { port: ports.dns, protocol: "TCP" }],
            },
            host("kubernetes-api", addressInBlock(serviceCidr, 1), [ports.https]),
            host("other-cluster-ip", addressInBlock(serviceCidr, 0x40), [ports.https, ports.otlpGrpc, ports.tempoHttp, ports.tempoGrpc]),
            ...s3PrefixList(settings.aws.region).cidrs.map((cidr, i) => host(`s3-${i}`, addressInBlock(cidr, 9), [ports.https])),
            host("interface-endpoints", addressInBlock(vpcCidr, 0x0400 + 4), [ports.https]),
            host("msk-broker", addressInBlock(vpcCidr, 0x0500 + 5), [9094, ports.kafkaTlsSasl, ports.kafkaIam, ports.mskJmxExporter, ports.mskNodeExporter]),
            host("vpc-database", addressInBlock(vpcCidr, 0x0600 + 6), [22, 5432]),
            ...settings.identity.grafana.providerCidrs.map((cidr, i) => host(`identity-provider-${i}`, addressInBlock(cidr, 1), [ports.https, 80])),
            host("pod-identity-agent", podIdentityAgent.host, [podIdentityAgent.port]),
            host("imds", "169.254.169.254", [80]),
            host("internet", "93.184.216.34", [80, ports.https]),
        ],
    };
}

/** A recorded Service by in-cluster name (`svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`). */
export function recordedService(recording: StackRecording, hostName: string): RecordedResource | undefined {
    const match = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc(\.cluster\.local)?)?$/.exec(hostName);
    if (!match) return undefined;
    return kubernetesObjects(recording, "core/v1", "Service").find((s) => s.inputs.metadata.name === match[1] && s.inputs.metadata.namespace === match[2]);
}

/** The container port a Service port forwards to on a pod (named target ports by the pod's port names). */
export function targetPort(service: RecordedResource, port: number, pod: PodEndpoint): number | undefined {
    const entry = (service.inputs.spec.ports as any[]).find((p) => p.port === port);
    if (!entry) return undefined;
    const target = entry.targetPort ?? entry.port;
    return typeof target === "number" ? target : pod.ports.find((p) => p.name === target)?.port;
}

/** Where a dialled destination really ends up, as `endpoint id:port/protocol` flows; [] for loopback, ["internet"] for the rest of the world. */
export function landsOn(recording: StackRecording, model: ClusterModel, settings: Settings, d: Destination): { endpoint: string; port: number }[] | "loopback" | "internet" {
    const hosts = model.endpoints.filter((e): e is Extract<Endpoint, { kind: "host" }> => e.kind === "host");
    const region = settings.aws.region;
    if (/^127\./.test(d.host)) return "loopback";
    // Pods found through the Kubernetes API and dialled at their own addresses.
    if (d.pods) {
        const { namespace, name } = d.pods;
        return model.endpoints
            .filter((e): e is PodEndpoint => e.kind === "pod" && e.namespace === namespace && e.labels["app.kubernetes.io/name"] === name && e.ports.some((p) => p.port === d.port))
            .map((pod) => ({ endpoint: pod.id, port: d.port }));
    }
    if (d.host === podIdentityAgent.host) return [{ endpoint: "pod-identity-agent", port: d.port }];
    if (d.host === "kubernetes.default.svc") return [{ endpoint: "kubernetes-api", port: d.port }];
    if (d.host === `s3.${region}.amazonaws.com`) return hosts.filter((h) => h.id.startsWith("s3-")).map((h) => ({ endpoint: h.id, port: d.port }));
    if (d.host.endsWith(`.kafka.${region}.amazonaws.com`)) return [{ endpoint: "msk-broker", port: d.port }];
    if (d.host.endsWith(`.${region}.amazonaws.com`)) return [{ endpoint: "interface-endpoints", port: d.port }];
    // The IdP's names resolve into the blocks the stack declares for them.
    if (settings.identity.grafana.providerHosts.includes(d.host)) return hosts.filter((h) => h.id.startsWith("identity-provider-")).map((h) => ({ endpoint: h.id, port: d.port }));
    const service = recordedService(recording, d.host);
    if (!service) return "internet";
    const selector: Record<string, string> = service.inputs.spec.selector;
    const headless = service.inputs.spec.clusterIP === "None";
    return model.endpoints
        .filter((e): e is PodEndpoint => e.kind === "pod" && e.namespace === service.inputs.metadata.namespace && Object.entries(selector).every(([k, v]) => e.labels[k] === v))
        .flatMap((pod) => {
            const port = headless ? d.port : targetPort(service, d.port, pod);
            return port !== undefined && pod.ports.some((p) => p.port === port) ? [{ endpoint: pod.id, port }] : [];
        });
}
