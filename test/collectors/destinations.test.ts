/**
 * What the collectors dial, read from their rendered configs (parsed back from YAML, as the
 * collector reads them). The agents' and gateways' NetworkPolicy egress is built from these lists.
 */
import { strict as assert } from "assert";
import { collectorDestinations } from "../../components/collectors/destinations";
import { collectorEnv } from "../../components/collectors/config";
import type { CollectorConfig } from "../../components/collectors/config-types";
import { describeDestination } from "../../components/platform/destinations";
import { kafkaBrokerEnv } from "../../components/collectors/kafka-scrape";
import { ports } from "../../components/platform/names";
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
    const { agent, gateway, plan } = fleetConfigs("prod");
    const brokerCount = plan.tempo.distributed!.msk.brokerCount;
    const brokerHost = (n: number) => `b-${n}.tracing.abc123.c2.kafka.eu-west-1.amazonaws.com`;
    const brokerEnv = Object.fromEntries(Array.from({ length: brokerCount }, (_, i) => [kafkaBrokerEnv(i + 1), brokerHost(i + 1)]));

    it("agents: the gateway pods behind the headless Service, the Kubernetes API (k8s_attributes, the k8s resolver, pod discovery), their own loopback metrics, Tempo's and Grafana's pods", () => {
        assert.deepEqual(listed(agent), [
            "127.0.0.1:8888/TCP",
            "kubernetes.default.svc:443/TCP",
            "otel-gateway-headless.tracing-collectors.svc.cluster.local:4317/TCP",
            `pods tracing-grafana/grafana:${ports.grafanaHttps}/TCP`,
            `pods tracing-tempo/tempo:${ports.tempoHttp}/TCP`,
        ]);
        const api = collectorDestinations(agent).find((d) => d.host === "kubernetes.default.svc")!;
        assert.match(api.via, /k8s_attributes/);
        assert.match(api.via, /resolver\.k8s/);
    });

    it("gateways: Tempo's ingest Service, the remote-write URL from the pod's environment with SigV4 credentials, CloudWatch Logs, their own loopback metrics, MSK's exporters", () => {
        const exporters = Array.from({ length: brokerCount }, (_, i) => [ports.mskJmxExporter, ports.mskNodeExporter].map((port) => `${brokerHost(i + 1)}:${port}/TCP`)).flat();
        assert.deepEqual(
            listed(gateway, { [collectorEnv.remoteWriteUrl]: remoteWrite, ...brokerEnv }),
            [
                "127.0.0.1:8888/TCP",
                "169.254.170.23:80/TCP",
                "aps-workspaces.eu-west-1.amazonaws.com:443/TCP",
                "logs.eu-west-1.amazonaws.com:443/TCP",
                ...exporters,
                "tempo-ingest.tracing-tempo.svc.cluster.local:4317/TCP",
            ].sort(),
        );
        const logs = collectorDestinations(gateway, { [collectorEnv.remoteWriteUrl]: remoteWrite, ...brokerEnv }).find((d) => d.host.startsWith("logs."))!;
        assert.match(logs.via, /exporters\.awscloudwatchlogs\.endpoint/);
    });

    it("agents ship logs over the same OTLP port to the same gateway pods: the file_log receiver and the logs exporter add no destination", () => {
        const withoutLogs = {
            ...agent,
            service: { ...agent.service, pipelines: Object.fromEntries(Object.entries(agent.service.pipelines).filter(([name]) => !name.startsWith("logs"))) },
        } as CollectorConfig;
        assert.deepEqual(listed(agent), listed(withoutLogs));
    });

    it("an awscloudwatchlogs exporter without an endpoint dials the regional name; with neither endpoint nor region it is refused", () => {
        const exporter = gateway.exporters.awscloudwatchlogs as unknown as Record<string, unknown>;
        const { endpoint: _endpoint, ...regional } = exporter;
        const { region: _region, ...nowhere } = regional;
        const swap = (settings: object) => ({ ...gateway, exporters: { ...gateway.exporters, awscloudwatchlogs: settings } }) as unknown as CollectorConfig;
        assert.ok(listed(swap(regional), { [collectorEnv.remoteWriteUrl]: remoteWrite, ...brokerEnv }).includes("logs.eu-west-1.amazonaws.com:443/TCP"));
        assert.throws(() => collectorDestinations(swap(nowhere), { [collectorEnv.remoteWriteUrl]: remoteWrite, ...brokerEnv }), /neither endpoint nor region/);
    });

    it("needs every ${env:...} the dialled settings read", () => {
        assert.throws(() => collectorDestinations(gateway, brokerEnv), /PROMETHEUS_REMOTE_WRITE_URL/);
        assert.throws(() => collectorDestinations(gateway, { [collectorEnv.remoteWriteUrl]: remoteWrite }), /MSK_BROKER_1/);
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
