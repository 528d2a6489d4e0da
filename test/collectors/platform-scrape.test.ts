/**
 * The agents scrape Tempo and Grafana, each pod once (by the agent on its node), over verified
 * TLS, and the gateways forward exactly those series and the collectors' own to the workspace.
 */
import { strict as assert } from "assert";
import { RE2 } from "re2-wasm";
import { agentIds } from "../../components/collectors/agent-config";
import { collectorEnv, collectorPaths } from "../../components/collectors/config";
import { gatewayIds, selfMetricsKeptPattern } from "../../components/collectors/gateway-config";
import { platformScrapeJobs } from "../../components/collectors/platform-scrape";
import { brokerHost, brokerHosts, kafkaBrokerEnv, kafkaKeptMetrics, kafkaScrapeJobs } from "../../components/collectors/kafka-scrape";
import { collectorDestinations } from "../../components/collectors/destinations";
import { planNetworkPolicies } from "../../components/network/pod-policy-plan";
import { describeDestination } from "../../components/platform/destinations";
import { namespaces, ports, serviceDnsNames, workloads } from "../../components/platform/names";
import { fleetConfigs } from "./fixtures";
import { grafanaMetricNames, kafkaMetricNames, platformJobs, tempoMetricNames } from "../../components/grafana/platform-metrics";

const fleet = fleetConfigs("prod");
const scrapes = (fleet.agent.receivers[agentIds.platformReceiver] as any).config.scrape_configs as any[];
const job = (name: string) => scrapes.find((s) => s.job_name === name)!;

describe("platform scraping: Tempo and Grafana into the metrics workspace", () => {
    it("scrapes Tempo and Grafana pods of the agent's own node only, so each pod once", () => {
        assert.deepEqual(scrapes.map((s) => s.job_name).sort(), Object.values(platformScrapeJobs).sort());
        for (const scrape of scrapes) {
            const [sd] = scrape.kubernetes_sd_configs;
            assert.equal(sd.role, "pod");
            assert.deepEqual(sd.selectors, [{ role: "pod", field: `spec.nodeName=\${env:${collectorEnv.nodeName}}` }]);
        }
        assert.deepEqual(job("tempo").kubernetes_sd_configs[0].namespaces.names, [namespaces.tempo]);
        assert.deepEqual(job("grafana").kubernetes_sd_configs[0].namespaces.names, [namespaces.grafana]);
    });

    it("keeps only the component's pods and its metrics port, and names the instance after the pod", () => {
        const keep = (scrape: any, label: string) => scrape.relabel_configs.find((r: any) => r.action === "keep" && r.source_labels[0] === label)?.regex;
        assert.equal(keep(job("tempo"), "__meta_kubernetes_pod_label_app_kubernetes_io_name"), workloads.tempo.name);
        assert.equal(keep(job("grafana"), "__meta_kubernetes_pod_label_app_kubernetes_io_name"), workloads.grafana.name);
        assert.equal(keep(job("tempo"), "__meta_kubernetes_pod_container_port_number"), String(ports.tempoHttp));
        assert.equal(keep(job("grafana"), "__meta_kubernetes_pod_container_port_number"), String(ports.grafanaHttps));
        for (const scrape of scrapes) {
            assert.ok(scrape.relabel_configs.some((r: any) => r.target_label === "instance" && r.source_labels[0] === "__meta_kubernetes_pod_name"));
        }
    });

    it("verifies each server against the platform CA by the name its certificate carries; Tempo gets the agent's client certificate", () => {
        for (const scrape of scrapes) {
            assert.equal(scrape.scheme, "https");
            assert.equal(scrape.tls_config.ca_file, `${collectorPaths.caDir}/ca.crt`);
            assert.equal(scrape.tls_config.insecure_skip_verify, false);
            assert.equal(scrape.tls_config.min_version, "TLS13");
        }
        assert.ok(serviceDnsNames("tempoQuery").includes(job("tempo").tls_config.server_name));
        assert.ok(serviceDnsNames("grafana").includes(job("grafana").tls_config.server_name));
        assert.equal(job("tempo").tls_config.cert_file, `${collectorPaths.clientTlsDir}/tls.crt`);
        assert.equal(job("grafana").tls_config.cert_file, undefined, "Grafana asks no client certificate");
    });

    it("ships the samples with the agents' own telemetry to the gateways", () => {
        assert.ok(fleet.agent.service.pipelines["metrics/self"].receivers.includes(agentIds.platformReceiver));
        assert.ok(fleet.gateway.service.pipelines[gatewayIds.metricsSelf].processors.includes(gatewayIds.selfMetricsFilter));
    });

    it("the gateways forward Tempo's, Grafana's and the collectors' series and nothing else", () => {
        const kept = new RE2(selfMetricsKeptPattern, "u");
        for (const name of ["otelcol_exporter_sent_spans_total", "tempo_discarded_spans_total", "tempodb_compaction_errors_total", "grafana_datasource_request_total"]) {
            assert.ok(kept.test(name), name);
        }
        for (const name of ["go_goroutines", "process_cpu_seconds_total", "traces_span_metrics_calls_total", "mytempo_fake_total"]) assert.ok(!kept.test(name), name);
    });

    it("the agents' config dials the Tempo and Grafana pods on their metrics ports (and the Kubernetes API to discover them)", () => {
        const dialled = collectorDestinations(fleet.agent);
        assert.deepEqual(
            dialled.filter((d) => d.pods).map(describeDestination).sort(),
            [`pods ${namespaces.grafana}/${workloads.grafana.name}:${ports.grafanaHttps}/TCP`, `pods ${namespaces.tempo}/${workloads.tempo.name}:${ports.tempoHttp}/TCP`].sort(),
        );
        assert.match(dialled.find((d) => d.host === "kubernetes.default.svc")!.via, /pod discovery/);
    });

    it("so the NetworkPolicies derived from it let the agents into Tempo and Grafana on exactly these ports", () => {
        const { settings } = fleet;
        const { policies } = planNetworkPolicies({
            environment: settings.environment,
            region: settings.aws.region,
            vpcCidr: settings.network.vpcCidr,
            kubernetesServiceCidr: settings.cluster.serviceCidr,
            s3Cidrs: [],
            services: [],
            appOtlpCidrs: settings.network.appOtlpCidrs,
            appNamespaceLabel: settings.network.appNamespaceLabel,
            destinations: { agent: collectorDestinations(fleet.agent).filter((d) => d.pods), logAgent: [], gateway: [], tempo: [], grafana: [] },
        });
        const ingressFromAgent = (workload: "tempo" | "grafana") =>
            policies
                .find((p) => p.metadata.name === workloads[workload].name && p.metadata.namespace === workloads[workload].namespace)!
                .spec.ingress!.filter((rule) => (rule.from ?? []).some((peer) => peer.podSelector?.matchLabels?.["app.kubernetes.io/name"] === workloads.agent.name))
                .flatMap((rule) => (rule.ports ?? []).map((p) => p.port));
        assert.deepEqual(ingressFromAgent("tempo"), [ports.tempoHttp]);
        assert.deepEqual(ingressFromAgent("grafana"), [ports.grafanaHttps]);
    });

    it("a pod-discovery job that does not pin one workload and one port is refused (it could scrape anything)", () => {
        const receiver = fleet.agent.receivers[agentIds.platformReceiver] as any;
        const loose = structuredClone(receiver);
        loose.config.scrape_configs[0].relabel_configs = loose.config.scrape_configs[0].relabel_configs.filter(
            (r: any) => r.source_labels?.[0] !== "__meta_kubernetes_pod_container_port_number",
        );
        const config = { ...fleet.agent, receivers: { ...fleet.agent.receivers, [agentIds.platformReceiver]: loose } };
        assert.throws(() => collectorDestinations(config), /pod discovery must keep one app.kubernetes.io\/name and one container port number/);
    });
});

describe("platform scraping: MSK's Open Monitoring exporters (distributed Tempo)", () => {
    const prod = fleetConfigs("prod");
    const dev = fleetConfigs("dev");
    const receiver = (prod.gateway.receivers[gatewayIds.kafkaReceiver] as any).config.scrape_configs as any[];

    it("only distributed Tempo has brokers to scrape", () => {
        assert.equal(prod.settings.tempo.mode, "distributed");
        assert.equal(dev.gateway.receivers[gatewayIds.kafkaReceiver], undefined);
        assert.ok(prod.gateway.service.pipelines[gatewayIds.metricsSelf].receivers.includes(gatewayIds.kafkaReceiver));
    });

    it("scrapes every broker's JMX and node exporter, from the first gateway only, keeping just the series the alerts read", () => {
        const brokers = prod.plan.tempo.distributed!.msk.brokerCount;
        const byJob = Object.fromEntries(receiver.map((s) => [s.job_name, s]));
        assert.deepEqual(Object.keys(byJob).sort(), Object.values(kafkaScrapeJobs).sort());
        const expectTargets = (port: number) => Array.from({ length: brokers }, (_, i) => `\${env:${kafkaBrokerEnv(i + 1)}}:${port}`);
        assert.deepEqual(byJob[kafkaScrapeJobs.jmx].static_configs[0].targets, expectTargets(ports.mskJmxExporter));
        assert.deepEqual(byJob[kafkaScrapeJobs.node].static_configs[0].targets, expectTargets(ports.mskNodeExporter));
        for (const scrape of receiver) {
            assert.deepEqual(scrape.relabel_configs, [
                { target_label: "__tmp_scraper", replacement: `\${env:${collectorEnv.podName}}` },
                { source_labels: ["__tmp_scraper"], regex: `${workloads.gateway.name}-0`, action: "keep" },
            ]);
            assert.equal(scrape.metric_relabel_configs[0].action, "keep");
        }
        const kept = new RE2(selfMetricsKeptPattern, "u");
        for (const name of [...kafkaKeptMetrics.jmx, ...kafkaKeptMetrics.node]) assert.ok(kept.test(name), `${name} is dropped by the gateway filter`);
    });

    it("names every broker from the first one MSK's bootstrap string lists (b-<n>. and the cluster's suffix)", () => {
        const bootstrap = "b-2.tracing.abc123.c2.kafka.eu-west-1.amazonaws.com:9096,b-1.tracing.abc123.c2.kafka.eu-west-1.amazonaws.com:9096";
        assert.equal(brokerHost(bootstrap, 3), "b-3.tracing.abc123.c2.kafka.eu-west-1.amazonaws.com");
        assert.throws(() => brokerHost("", 1), /name no b-<n>/);
    });

    it("the gateways dial each broker's two exporters (the egress test proves the NetworkPolicy admits them)", () => {
        const brokers = prod.plan.tempo.distributed!.msk.brokerCount;
        const env = Object.fromEntries(Array.from({ length: brokers }, (_, i) => [kafkaBrokerEnv(i + 1), `b-${i + 1}.tracing.abc123.c2.kafka.${prod.settings.aws.region}.amazonaws.com`]));
        const dialled = collectorDestinations(prod.gateway, { ...env, [collectorEnv.remoteWriteUrl]: `https://aps-workspaces.${prod.settings.aws.region}.amazonaws.com/workspaces/ws-1/api/v1/remote_write` });
        for (let n = 1; n <= brokers; n++) {
            for (const port of [ports.mskJmxExporter, ports.mskNodeExporter]) {
                assert.ok(dialled.some((d) => d.host === env[kafkaBrokerEnv(n)] && d.port === port), `broker ${n} port ${port}`);
            }
        }
    });

    it("reads broker host names from MSK's bootstrap string", () => {
        assert.deepEqual(brokerHosts("b-1.tracing.kafka.eu-west-1.amazonaws.com:9096,b-2.tracing.kafka.eu-west-1.amazonaws.com:9096"), [
            "b-1.tracing.kafka.eu-west-1.amazonaws.com",
            "b-2.tracing.kafka.eu-west-1.amazonaws.com",
        ]);
    });
});

describe("platform scraping: the dashboards' job names are the scrape jobs", () => {
    it("tempo, grafana, msk-jmx and msk-node", () => {
        assert.deepEqual(platformJobs, { tempo: platformScrapeJobs.tempo, grafana: platformScrapeJobs.grafana, mskJmx: kafkaScrapeJobs.jmx, mskNode: kafkaScrapeJobs.node });
    });
});

describe("platform scraping: only the series the platform dashboard and alerts read are kept", () => {
    it("every Tempo, Grafana and MSK series the dashboards query survives the scrape's keep list, and nothing else does", () => {
        const fromScrape = (scrape: any) => new RE2(`^(?:${scrape.metric_relabel_configs[0].regex})$`, "u");
        const tempo = fromScrape(job("tempo"));
        const grafana = fromScrape(job("grafana"));
        for (const name of Object.values(tempoMetricNames)) assert.ok(tempo.test(name), name);
        for (const name of Object.values(grafanaMetricNames)) assert.ok(grafana.test(name), name);
        assert.ok(!tempo.test("tempo_live_store_traces_created_total") && !grafana.test("grafana_http_request_duration_seconds_bucket"));
        const msk = (fleetConfigs("prod").gateway.receivers[gatewayIds.kafkaReceiver] as any).config.scrape_configs.map(fromScrape);
        for (const name of Object.values(kafkaMetricNames)) assert.ok(msk.some((re: RE2) => re.test(name)), name);
    });
});
