/**
 * The log agents' config, built and rendered as the ConfigMap holds it: the platform's log files
 * in, the gateways out, and nothing that calls the Kubernetes API, which is why the log agent gets
 * no token and its NetworkPolicy no API egress.
 */
import { strict as assert } from "assert";
import { collectorDestinations } from "../../components/collectors/destinations";
import { buildLogAgentConfig, logAgentIds } from "../../components/collectors/log-agent-config";
import type { CollectorConfig, LoadBalancingExporterConfig } from "../../components/collectors/config-types";
import { describeDestination, kubernetesApi } from "../../components/platform/destinations";
import { parseImageReference, type ImageRef } from "../../components/platform/settings";
import { ports, serviceDnsNames } from "../../components/platform/names";
import { fleetConfigs } from "./fixtures";

function k8sImage(version: string): ImageRef {
    const parsed = parseImageReference(`ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:${version}`);
    if (typeof parsed === "string") throw new Error(parsed);
    return parsed;
}

for (const stack of ["dev", "prod"]) {
    describe(`log agent config (${stack})`, () => {
        const { logAgent, settings } = fleetConfigs(stack);

        it("runs the file_log receiver into the logs pipeline and its own metrics into a second, both to the gateways", () => {
            assert.deepEqual(Object.keys(logAgent.receivers).sort(), [logAgentIds.logsReceiver, logAgentIds.selfMetricsReceiver].sort());
            assert.deepEqual(Object.keys(logAgent.processors).sort(), ["batch", "memory_limiter"]);
            assert.deepEqual(Object.keys(logAgent.exporters).sort(), [logAgentIds.logsExporter, logAgentIds.selfMetricsExporter].sort());
            assert.deepEqual(Object.keys(logAgent.service.pipelines).sort(), [logAgentIds.logsPipeline, "metrics/self"].sort());
            assert.deepEqual(logAgent.service.extensions, ["health_check", logAgentIds.logOffsets]);
        });

        it("calls no Kubernetes API: no k8s_attributes, no k8s resolver, no pod discovery; it dials only the gateways (and its own loopback metrics)", () => {
            assert.ok(!Object.keys(logAgent.processors).some((id) => id.startsWith("k8s_attributes")));
            for (const id of [logAgentIds.logsExporter, logAgentIds.selfMetricsExporter]) {
                const resolver = (logAgent.exporters[id] as LoadBalancingExporterConfig).resolver;
                assert.deepEqual(Object.keys(resolver), ["dns"], `${id} resolves the gateways by DNS`);
            }
            const dialled = collectorDestinations(logAgent);
            assert.ok(!dialled.some((d) => d.host === kubernetesApi.host), "the Kubernetes API");
            assert.deepEqual(dialled.map(describeDestination).sort(), [`127.0.0.1:${ports.collectorMetrics}/TCP`, `${serviceDnsNames("gatewayHeadless").at(-1)}:${ports.otlpGrpc}/TCP`]);
            assert.match(dialled.find((d) => d.port === ports.otlpGrpc)!.via, /resolver\.dns/);
        });

        it("runs on the agents' image (collectorImage), and refuses one too old for its component names", () => {
            assert.doesNotThrow(() => buildLogAgentConfig({ image: settings.images.collector }));
            assert.throws(() => buildLogAgentConfig({ image: k8sImage("0.150.0") }), /collectorImage: [\s\S]*exporters\.load_balancing\/logs:/);
        });
    });
}

describe("collector destinations: the load_balancing resolvers", () => {
    const { logAgent } = fleetConfigs("dev");
    const withResolver = (resolver: unknown): CollectorConfig => ({
        ...logAgent,
        exporters: { ...logAgent.exporters, [logAgentIds.logsExporter]: { ...(logAgent.exporters[logAgentIds.logsExporter] as object), resolver } as LoadBalancingExporterConfig },
    });

    it("reads the dns resolver's name and port", () => {
        const dialled = collectorDestinations(withResolver({ dns: { hostname: "otel-gateway-headless.tracing-collectors.svc.cluster.local", port: "14317", interval: "5s", timeout: "1s" } }));
        assert.ok(dialled.some((d) => describeDestination(d) === "otel-gateway-headless.tracing-collectors.svc.cluster.local:14317/TCP"));
    });

    it("refuses a resolver it does not know (static, aws_cloud_map)", () => {
        assert.throws(() => collectorDestinations(withResolver({ static: { hostnames: ["gw:4317"] } })), /exporters\.load_balancing\/logs\.resolver: no destination reader knows/);
    });
});
