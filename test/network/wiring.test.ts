/**
 * The NetworkPolicies evaluated against the pods the workloads really run: namespaces, pod template
 * labels and container ports as recorded, not as the policy author imagined them. A workload that
 * changes its labels or ports without the policies following makes these fail.
 */
import { strict as assert } from "assert";
import { connectionAllowed, type ClusterModel, type Endpoint, type PodEndpoint } from "../../components/network/policy-graph";
import { namespaces, ports, services } from "../../components/platform/names";
import { kubernetesObject, kubernetesObjects, shippedStacks, stackRecording, type StackRecording } from "../harness/program";

const workloadKinds = ["DaemonSet", "Deployment", "StatefulSet"];

/** One endpoint per recorded workload, with its pod template's labels and declared container ports. */
function recordedPods(recording: StackRecording): PodEndpoint[] {
    return workloadKinds.flatMap((kind) =>
        kubernetesObjects(recording, "apps/v1", kind).map((w) => {
            const template = w.inputs.spec.template;
            const containers: any[] = template.spec.containers ?? [];
            return {
                kind: "pod" as const,
                id: `${w.inputs.metadata.namespace}/${w.inputs.metadata.name}`,
                namespace: w.inputs.metadata.namespace,
                labels: template.metadata.labels,
                ports: containers.flatMap((c) => (c.ports ?? []).map((p: any) => ({ port: p.containerPort, protocol: p.protocol ?? "TCP", name: p.name }))),
            };
        }),
    );
}

function model(recording: StackRecording, extra: Endpoint[]): ClusterModel {
    const [labelKey, labelValue] = (recording.config["tracing-platform:appNamespaceLabel"] ?? "").split("=");
    return {
        policies: kubernetesObjects(recording, "networking.k8s.io/v1", "NetworkPolicy").map((p) => ({ metadata: p.inputs.metadata, spec: p.inputs.spec })),
        namespaceLabels: {
            ...Object.fromEntries(kubernetesObjects(recording, "core/v1", "Namespace").map((n) => [n.inputs.metadata.name, n.inputs.metadata.labels ?? {}])),
            shop: { [labelKey]: labelValue },
            batch: {},
        },
        endpoints: [...recordedPods(recording), ...extra],
    };
}

/** Pods a Service routes to, by its selector. */
function backends(recording: StackRecording, pods: PodEndpoint[], service: { name: string; namespace: string }): PodEndpoint[] {
    const selector: Record<string, string> = kubernetesObject(recording, "core/v1", "Service", service.name, service.namespace).inputs.spec.selector;
    const selected = pods.filter((p) => p.namespace === service.namespace && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    assert.ok(selected.length > 0, `Service ${service.name} selects no recorded pod`);
    return selected;
}

function mustReach(m: ClusterModel, from: Endpoint, to: PodEndpoint, port: number): void {
    const listening = to.ports.find((p) => p.port === port);
    assert.ok(listening, `${to.id} declares no container port ${port}`);
    assert.ok(connectionAllowed(m, from, to, listening), `${from.id} cannot reach ${to.id}:${port}`);
}

for (const stack of shippedStacks) {
    describe(`NetworkPolicies let the recorded workloads talk as the architecture says (${stack})`, () => {
        it("applications -> agents -> gateways -> Tempo ingest, Grafana -> Tempo query; nothing from an unlabelled namespace", async () => {
            const recording = await stackRecording(stack);
            const app: PodEndpoint = { kind: "pod", id: "shop/app", namespace: "shop", labels: { app: "shop" }, ports: [] };
            const stranger: PodEndpoint = { kind: "pod", id: "batch/job", namespace: "batch", labels: { app: "job" }, ports: [] };
            const m = model(recording, [app, stranger]);
            const pods = recordedPods(recording);
            const agents = backends(recording, pods, services.agent);
            const gateways = backends(recording, pods, services.gatewayHeadless);
            const ingest = backends(recording, pods, services.tempoIngest);
            const query = backends(recording, pods, services.tempoQuery);
            const grafana = backends(recording, pods, services.grafana);
            for (const agent of agents) {
                mustReach(m, app, agent, ports.otlpGrpc);
                assert.ok(!connectionAllowed(m, stranger, agent, { port: ports.otlpGrpc, protocol: "TCP" }), "unlabelled namespace reaches the agent");
                for (const gateway of gateways) mustReach(m, agent, gateway, ports.otlpGrpc);
            }
            for (const gateway of gateways) {
                assert.ok(!connectionAllowed(m, stranger, gateway, { port: ports.otlpGrpc, protocol: "TCP" }), "unlabelled namespace reaches the gateway");
                for (const tempo of ingest) mustReach(m, gateway, tempo, ports.otlpGrpc);
            }
            for (const g of grafana) for (const tempo of query) mustReach(m, g, tempo, ports.tempoHttp);
            for (const g of grafana) for (const tempo of ingest) {
                if (!query.includes(tempo)) assert.ok(!connectionAllowed(m, g, tempo, { port: ports.otlpGrpc, protocol: "TCP" }), "Grafana writes to Tempo");
            }
        });

        it("every platform workload runs in a platform namespace whose policies select it", async () => {
            const recording = await stackRecording(stack);
            const platform = new Set<string>(Object.values(namespaces));
            for (const pod of recordedPods(recording)) {
                assert.ok(platform.has(pod.namespace), `${pod.id} runs outside the platform namespaces`);
                assert.ok(pod.labels["app.kubernetes.io/name"], `${pod.id} has no app.kubernetes.io/name label for policies to select`);
            }
        });
    });
}
