/**
 * What the collectors dial, read from their rendered configs (parsed back from YAML, as the
 * collector reads them). The agents' and gateways' NetworkPolicy egress is built from these lists.
 */
import { strict as assert } from "assert";
import { collectorDestinations } from "../../components/collectors/destinations";
import { collectorEnv } from "../../components/collectors/config";
import type { CollectorConfig } from "../../components/collectors/config-types";
import { describeDestination } from "../../components/platform/destinations";
import { fleetConfigs } from "./fixtures";

const remoteWrite = "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123abcd/api/v1/remote_write";
const listed = (config: CollectorConfig, env: Record<string, string> = {}) => collectorDestinations(config, env).map(describeDestination).sort();

/** A copy of the config with one more component in the given pipeline slot. */
function withComponent(config: CollectorConfig, kind: "receivers" | "processors" | "exporters", id: string, settings: object): CollectorConfig {
    const [name, pipeline] = Object.entries(config.service.pipelines)[0];
    return {
        ...config,
        [kind]: { ...config[kind], [id]: settings },
        service: { ...config.service, pipelines: { ...config.service.pipelines, [name]: { ...pipeline, [kind]: [...pipeline[kind], id] } } },
    };
}

describe("collector destinations, read from the rendered configs", () => {
    const { agent, gateway } = fleetConfigs("prod");

    it("agents: the gateway pods behind the headless Service, the Kubernetes API (k8s_attributes, the k8s resolver), their own loopback metrics", () => {
        assert.deepEqual(listed(agent), [
            "127.0.0.1:8888/TCP",
            "kubernetes.default.svc:443/TCP",
            "otel-gateway-headless.tracing-collectors.svc.cluster.local:4317/TCP",
        ]);
        const api = collectorDestinations(agent).find((d) => d.host === "kubernetes.default.svc")!;
        assert.match(api.via, /k8s_attributes/);
        assert.match(api.via, /resolver\.k8s/);
    });

    it("gateways: Tempo's ingest Service, the remote-write URL from the pod's environment with SigV4 credentials, their own loopback metrics", () => {
        assert.deepEqual(listed(gateway, { [collectorEnv.remoteWriteUrl]: remoteWrite }), [
            "127.0.0.1:8888/TCP",
            "169.254.170.23:80/TCP",
            "aps-workspaces.eu-west-1.amazonaws.com:443/TCP",
            "tempo-ingest.tracing-tempo.svc.cluster.local:4317/TCP",
        ]);
    });

    it("needs every ${env:...} the dialled settings read", () => {
        assert.throws(() => collectorDestinations(gateway), /PROMETHEUS_REMOTE_WRITE_URL/);
    });

    it("ignores components no pipeline uses (the collector never builds them)", () => {
        const unused = { ...agent, exporters: { ...agent.exporters, "otlp_grpc/unused": { endpoint: "elsewhere.example.com:4317" } } } as unknown as CollectorConfig;
        assert.deepEqual(listed(unused), listed(agent));
    });

    it("refuses components whose connections it cannot tell, naming them", () => {
        assert.throws(() => collectorDestinations(withComponent(agent, "exporters", "debug", {})), /exporters\.debug/);
        assert.throws(() => collectorDestinations(withComponent(agent, "receivers", "hostmetrics", {})), /receivers\.hostmetrics/);
        assert.throws(
            () => collectorDestinations(withComponent(agent, "processors", "resource_detection/cloud", { detectors: ["env", "ec2"], timeout: "2s", override: false })),
            /resource_detection\/cloud\.detectors\[ec2\]/,
        );
    });

    it("reads a new OTLP exporter's endpoint", () => {
        const more = withComponent(agent, "exporters", "otlp_grpc/backup", { endpoint: "backup.example.com:4317" });
        assert.ok(listed(more).includes("backup.example.com:4317/TCP"));
    });
});
