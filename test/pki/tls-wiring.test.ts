/**
 * Cross-component TLS: every name a client dials (as rendered in the collector, Grafana and Tempo
 * configs) is a name in the certificate of the server it reaches, so a handshake can verify it.
 * Each component is tested on its own elsewhere; this catches them drifting apart.
 */
import { strict as assert } from "assert";
import * as yaml from "yaml";
import { namespaces, services, workloads } from "../../components/platform/names";
import { kubernetesObject, ofType, shippedStacks, stackRecording, type StackRecording } from "../harness/program";

function certificateNames(recording: StackRecording, leaf: string): string[] {
    const request = ofType(recording, "tls:index/certRequest:CertRequest").find((r) => r.name === `tracing-${leaf}-server-csr`);
    assert.ok(request, `no certificate request for ${leaf}`);
    return request.inputs.dnsNames ?? [];
}

function configYaml(recording: StackRecording, name: string, namespace: string, key: string): any {
    return yaml.parse(kubernetesObject(recording, "core/v1", "ConfigMap", name, namespace).inputs.data[key]);
}

function host(endpoint: string): string {
    return new URL(endpoint.includes("://") ? endpoint : `https://${endpoint}`).hostname;
}

for (const stack of shippedStacks) {
    describe(`TLS names agree across components (${stack})`, () => {
        it("agents dial each gateway pod by a hostname its certificate lists, up to the autoscaler's maximum", async () => {
            const recording = await stackRecording(stack);
            const agent = configYaml(recording, "otel-agent-config", namespaces.collectors, "config.yaml");
            const balancers = Object.entries(agent.exporters).filter(([id]) => id.startsWith("load_balancing"));
            assert.ok(balancers.length > 0);
            for (const [, exporter] of balancers as [string, any][]) {
                assert.equal(exporter.resolver.k8s.return_hostnames, true);
                assert.equal(exporter.protocol.otlp.tls.server_name_override, undefined);
                assert.equal(exporter.resolver.k8s.service, `${services.gatewayHeadless.name}.${services.gatewayHeadless.namespace}`);
            }
            const statefulSet = kubernetesObject(recording, "apps/v1", "StatefulSet", workloads.gateway.name, namespaces.collectors);
            assert.equal(statefulSet.inputs.spec.serviceName, services.gatewayHeadless.name);
            const hpa = kubernetesObject(recording, "autoscaling/v2", "HorizontalPodAutoscaler", workloads.gateway.name, namespaces.collectors);
            const names = certificateNames(recording, "gateway");
            for (let ordinal = 0; ordinal < hpa.inputs.spec.maxReplicas; ordinal++) {
                const dialled = `${workloads.gateway.name}-${ordinal}.${services.gatewayHeadless.name}.${namespaces.collectors}`;
                assert.ok(names.includes(dialled), `${dialled} is not in the gateway certificate`);
            }
        });

        it("gateways reach Tempo at a name in Tempo's certificate", async () => {
            const recording = await stackRecording(stack);
            const gateway = configYaml(recording, "otel-gateway-config", namespaces.collectors, "config.yaml");
            const tempoExporters = Object.entries(gateway.exporters).filter(([id]) => id.startsWith("otlp_grpc"));
            assert.ok(tempoExporters.length > 0);
            const names = certificateNames(recording, "tempo");
            for (const [id, exporter] of tempoExporters as [string, any][]) {
                assert.ok(names.includes(host(exporter.endpoint)), `${id} dials ${exporter.endpoint}`);
                assert.ok(exporter.tls.cert_file && exporter.tls.ca_file, `${id} presents a client certificate and verifies the CA`);
            }
        });

        it("Grafana queries Tempo at a name in Tempo's certificate, and users reach Grafana at a name in its own", async () => {
            const recording = await stackRecording(stack);
            const datasources = configYaml(recording, "grafana-datasources", namespaces.grafana, "datasources.yaml").datasources as any[];
            const tempo = datasources.find((d) => d.type === "tempo");
            assert.ok(tempo, "a Tempo datasource is provisioned");
            assert.ok(certificateNames(recording, "tempo").includes(host(tempo.url)), `Grafana dials ${tempo.url}`);
            assert.ok(certificateNames(recording, "grafana").includes(host(String(recording.outputs.grafanaUrl))));
        });

        it("applications reach the agents at the exported OTLP endpoint, which the agent certificate lists", async () => {
            const recording = await stackRecording(stack);
            assert.ok(certificateNames(recording, "agent").includes(host(String(recording.outputs.otlpEndpoint))));
        });
    });
}
