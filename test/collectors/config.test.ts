import { strict as assert } from "assert";
import * as yaml from "yaml";
import { agentIds, buildAgentConfig } from "../../components/collectors/agent-config";
import { collectorEnv, collectorPaths, renderCollectorConfig, selfMetricsAddress, selfMetricsJobs } from "../../components/collectors/config";
import type { CollectorConfig, Pipeline } from "../../components/collectors/config-types";
import { gatewayIds, persistentQueueRequests, tempoExporterId, tlsServerNames } from "../../components/collectors/gateway-config";
import {
    collectorInstanceAttribute,
    outcomeAttribute,
    spanMetricsBucketsMs,
    spanMetricsCallsDimensions,
    spanMetricsExcludedDimensions,
    spanMetricsExtraDimensions,
    spanMetricsHistogramUnit,
    spanMetricsNamespace,
} from "../../components/platform/span-metrics";
import { ports, services } from "../../components/platform/names";
import { fleetConfigs, walk, type FleetConfigs } from "./fixtures";

const stacks = { dev: fleetConfigs("dev"), prod: fleetConfigs("prod") };
const tiers = (f: FleetConfigs) => ({ agent: f.agent, logAgent: f.logAgent, gateway: f.gateway });
const rendered = (f: FleetConfigs) => ({ agent: f.agentYaml, logAgent: f.logAgentYaml, gateway: f.gatewayYaml });

type Section = "receivers" | "processors" | "exporters";

function pipelines(config: CollectorConfig): [string, Pipeline][] {
    return Object.entries(config.service.pipelines);
}

function connectors(config: CollectorConfig): string[] {
    return Object.keys(config.connectors ?? {});
}

/** Pipelines that export to the given connector (the upstream of a pipeline that receives from it). */
function feeding(config: CollectorConfig, connector: string): [string, Pipeline][] {
    return pipelines(config).filter(([, p]) => p.exporters.includes(connector));
}

/** Every processor on any path from a network receiver into the pipeline (inclusive), and the roots reached. */
function upstream(config: CollectorConfig, pipelineName: string, seen = new Set<string>()): { processors: Set<string>; roots: Set<string> } {
    const processors = new Set<string>();
    const roots = new Set<string>();
    if (seen.has(pipelineName)) return { processors, roots };
    seen.add(pipelineName);
    const pipeline = config.service.pipelines[pipelineName];
    pipeline.processors.forEach((p) => processors.add(p));
    for (const receiver of pipeline.receivers) {
        if (!connectors(config).includes(receiver)) {
            roots.add(receiver);
            continue;
        }
        for (const [name] of feeding(config, receiver)) {
            const up = upstream(config, name, seen);
            up.processors.forEach((p) => processors.add(p));
            up.roots.forEach((r) => roots.add(r));
        }
    }
    return { processors, roots };
}

for (const [stack, fleet] of Object.entries(stacks)) {
    describe(`collector configs (${stack})`, () => {
        for (const [tier, config] of Object.entries(tiers(fleet))) {
            describe(tier, () => {
                it("defines every component a pipeline names, and every defined component is used", () => {
                    const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
                    for (const [name, pipeline] of pipelines(config)) {
                        for (const section of ["receivers", "processors", "exporters"] as Section[]) {
                            for (const id of pipeline[section]) {
                                const defined = id in (config[section] ?? {}) || (section !== "processors" && connectors(config).includes(id));
                                assert.ok(defined, `${name}.${section} names ${id}, which is not defined`);
                                used[section].add(id);
                            }
                        }
                    }
                    for (const section of ["receivers", "processors", "exporters"] as Section[]) {
                        for (const id of Object.keys(config[section])) assert.ok(used[section].has(id), `${section}.${id} is defined but in no pipeline`);
                    }
                    for (const connector of connectors(config)) {
                        assert.ok(used.exporters.has(connector), `connector ${connector} is never fed`);
                        assert.ok(used.receivers.has(connector), `connector ${connector} feeds nothing`);
                    }
                    assert.deepEqual([...config.service.extensions].sort(), Object.keys(config.extensions).sort(), "extensions defined and enabled differ");
                });

                it("puts memory_limiter first where data enters from the network and batch last before a network exporter", () => {
                    for (const [name, pipeline] of pipelines(config)) {
                        const fromNetwork = pipeline.receivers.some((r) => !connectors(config).includes(r));
                        const toNetwork = pipeline.exporters.some((e) => !connectors(config).includes(e));
                        if (fromNetwork) assert.equal(pipeline.processors[0], "memory_limiter", `${name} does not start with memory_limiter`);
                        if (toNetwork) assert.equal(pipeline.processors.at(-1), "batch", `${name} does not end with batch`);
                        assert.ok(!pipeline.processors.slice(1).includes("memory_limiter"), `${name} has memory_limiter after another processor`);
                    }
                });

                it("never disables TLS verification anywhere in the config", () => {
                    for (const [path, value] of walk(config)) {
                        const key = path.split(".").at(-1);
                        if (key === "insecure" || key === "insecure_skip_verify") assert.notEqual(value, true, `${path} is true`);
                    }
                });

                it("serves OTLP (where it receives any) only over TLS 1.3 on the pod IP, with health on the pod IP and self-metrics on loopback", () => {
                    const otlp = config.receivers.otlp as any;
                    // The log agents receive nothing from the network: they read files.
                    assert.equal(otlp === undefined, tier === "logAgent");
                    for (const protocol of otlp ? ["grpc", "http"] : []) {
                        const server = otlp.protocols[protocol];
                        assert.match(server.endpoint, new RegExp(`^\\$\\{env:${collectorEnv.podIp}\\}:\\d+$`));
                        assert.equal(server.tls.min_version, "1.3");
                        assert.equal(server.tls.cert_file, `${collectorPaths.serverTlsDir}/tls.crt`);
                        assert.equal(server.tls.key_file, `${collectorPaths.serverTlsDir}/tls.key`);
                    }
                    assert.equal((config.extensions.health_check as any).endpoint, `\${env:${collectorEnv.podIp}}:${ports.collectorHealth}`);
                    assert.deepEqual(config.service.telemetry.metrics.readers[0].pull.exporter.prometheus, { host: "127.0.0.1", port: ports.collectorMetrics });
                });

                it("ships the collector's own otelcol_* metrics in a pipeline", () => {
                    const receiver = (config.receivers["prometheus/self"] as any).config.scrape_configs[0];
                    assert.deepEqual(receiver.static_configs[0].targets, [`${selfMetricsAddress.host}:${selfMetricsAddress.port}`]);
                    assert.equal(receiver.job_name, selfMetricsJobs[tier as keyof typeof selfMetricsJobs]);
                    assert.deepEqual(receiver.relabel_configs, [{ target_label: "instance", replacement: `\${env:${collectorEnv.podName}}` }]);
                    const carrying = pipelines(config).filter(([name, p]) => name.startsWith("metrics") && p.receivers.includes("prometheus/self"));
                    assert.equal(carrying.length, 1, "one metrics pipeline scrapes the collector itself");
                });

                it("renders YAML without anchors, and the only $ are ${env:...} references", () => {
                    const text = rendered(fleet)[tier as keyof ReturnType<typeof rendered>];
                    assert.doesNotMatch(text, /[&*][a-z]+\d+\b/, "YAML anchors or aliases");
                    assert.deepEqual(yaml.parse(text), config);
                    const stray = text.replace(/\$\{env:[A-Z_][A-Z0-9_]*\}/g, "").match(/\$/g);
                    assert.equal(stray, null, "a $ the collector would try to expand");
                });
            });
        }

        it("agents: k8s metadata before scrubbing, then batch, then load balancing by trace id over mutual TLS", () => {
            const traces = fleet.agent.service.pipelines.traces;
            assert.deepEqual(traces.processors, ["memory_limiter", agentIds.k8sAttributes, agentIds.resourceDetection, agentIds.pii, "batch"]);
            assert.deepEqual(traces.exporters, [agentIds.tracesExporter]);
            const lb = fleet.agent.exporters[agentIds.tracesExporter] as any;
            assert.equal(lb.routing_key, "traceID");
            assert.deepEqual(lb.resolver.k8s, {
                service: `${services.gatewayHeadless.name}.${services.gatewayHeadless.namespace}`,
                ports: [ports.otlpGrpc],
                timeout: "1s",
                return_hostnames: true,
            });
            const tls = lb.protocol.otlp.tls;
            assert.equal(tls.ca_file, `${collectorPaths.caDir}/ca.crt`);
            assert.equal(tls.cert_file, `${collectorPaths.clientTlsDir}/tls.crt`);
            assert.equal(tls.key_file, `${collectorPaths.clientTlsDir}/tls.key`);
            assert.equal(tls.server_name_override, undefined, "each gateway pod is verified by its own hostname");
            assert.equal(tls.min_version, "1.3");
            // Retries happen where a failed batch can be re-routed, not inside a per-gateway sub-exporter.
            assert.equal(lb.protocol.otlp.retry_on_failure.enabled, false);
            assert.equal(lb.retry_on_failure.enabled, true);
            assert.equal(lb.sending_queue.enabled, true);
            const k8sAttributes = fleet.agent.processors[agentIds.k8sAttributes] as any;
            assert.equal(k8sAttributes.filter.node_from_env_var, collectorEnv.nodeName);
            assert.deepEqual(k8sAttributes.pod_association.at(-1), { sources: [{ from: "connection" }] });
            assert.deepEqual((fleet.agent.processors[agentIds.resourceDetection] as any).detectors, ["env"]);
        });

        it("agents: self metrics go to the gateways, which send received metrics to the metrics workspace", () => {
            const self = fleet.agent.service.pipelines["metrics/self"];
            assert.deepEqual(self.exporters, [agentIds.selfMetricsExporter]);
            const lb = fleet.agent.exporters[agentIds.selfMetricsExporter] as any;
            assert.notEqual(lb.routing_key, "traceID", "traceID routing is invalid for metrics");
            const gatewayMetrics = pipelines(fleet.gateway).filter(([, p]) => p.receivers.includes("otlp") && p.exporters.includes(gatewayIds.remoteWrite));
            assert.equal(gatewayMetrics.length, 1, "a gateway metrics pipeline takes OTLP metrics to remote write");
            assert.ok(gatewayMetrics[0][1].processors.includes(gatewayIds.selfMetricsFilter), "and keeps only otelcol_* series");
            const filter = fleet.gateway.processors[gatewayIds.selfMetricsFilter] as any;
            assert.deepEqual(Object.keys(filter).sort(), ["error_mode", "metric_conditions"], "the current filter form, not the deprecated metrics.metric");
            assert.match(filter.metric_conditions[0], /^not IsMatch\(metric\.name, "\^\(otelcol_\|[a-z_|]+\)"\) and metric\.name != "up"$/);
            assert.ok(fleet.gateway.service.pipelines[gatewayIds.metricsSelf].receivers.includes(gatewayIds.selfMetricsReceiver));
        });

        it("gateways: span metrics and the service graph are fed before tail sampling, from the same receiver, after PII scrubbing", () => {
            const g = fleet.gateway;
            const metricsFeeders = [...feeding(g, gatewayIds.spanMetrics), ...feeding(g, gatewayIds.serviceGraph)];
            assert.ok(feeding(g, gatewayIds.spanMetrics).length > 0, "nothing feeds span_metrics");
            assert.ok(feeding(g, gatewayIds.serviceGraph).length > 0, "nothing feeds service_graph");
            for (const [name] of metricsFeeders) {
                const up = upstream(g, name);
                assert.ok(!up.processors.has(gatewayIds.tailSampling), `${name} sees only sampled spans`);
                assert.ok(up.processors.has(gatewayIds.pii), `${name} is fed unscrubbed spans`);
                assert.deepEqual([...up.roots], ["otlp"]);
            }
            const sampling = pipelines(g).filter(([, p]) => p.processors.includes(gatewayIds.tailSampling));
            assert.equal(sampling.length, 1);
            const [samplingName, samplingPipeline] = sampling[0];
            assert.deepEqual(samplingPipeline.exporters, [tempoExporterId]);
            assert.deepEqual([...upstream(g, samplingName).roots], ["otlp"], "tail sampling and span metrics share the receiver");
            assert.ok(upstream(g, samplingName).processors.has(gatewayIds.pii));
            // The gateway instance is stamped on the metrics branch only, never on what Tempo stores.
            assert.ok(upstream(g, metricsFeeders[0][0]).processors.has(gatewayIds.gatewayInstance));
            assert.ok(!upstream(g, samplingName).processors.has(gatewayIds.gatewayInstance));
        });

        it("gateways: the span-metrics connector is built from the shared naming contract", () => {
            const connector = fleet.gateway.connectors![gatewayIds.spanMetrics] as any;
            assert.equal(connector.namespace, spanMetricsNamespace);
            assert.equal(connector.histogram.unit, spanMetricsHistogramUnit);
            assert.deepEqual(connector.histogram.explicit.buckets, spanMetricsBucketsMs.map((b) => `${b}ms`));
            const dimensions = connector.dimensions.map((d: { name: string }) => d.name);
            for (const d of [...spanMetricsExtraDimensions, collectorInstanceAttribute]) assert.ok(dimensions.includes(d), `dimension ${d} missing`);
            assert.ok(dimensions.includes("messaging.destination.name"), "queue processing time needs the queue dimension");
            assert.equal(connector.aggregation_temporality, "AGGREGATION_TEMPORALITY_CUMULATIVE", "remote write needs cumulative series");
            // collector.instance.id is a new UUID per process: excluded, so a restart starts no new series.
            assert.deepEqual(connector.exclude_dimensions, [...spanMetricsExcludedDimensions]);
            assert.ok(connector.exclude_dimensions.includes("collector.instance.id"));
            assert.deepEqual(connector.calls_dimensions.map((d: { name: string }) => d.name), [...spanMetricsCallsDimensions]);
            assert.ok(!dimensions.includes(outcomeAttribute), "the outcome labels the calls counter only, not every histogram bucket");
            for (const d of ["db.system.name", "db.namespace", "server.address"]) assert.ok(dimensions.includes(d), `dimension ${d} missing`);
            const graph = fleet.gateway.connectors![gatewayIds.serviceGraph] as any;
            assert.deepEqual(graph.dimensions, [collectorInstanceAttribute], "service-graph series have one writer too");
            assert.deepEqual(graph.latency_histogram_buckets, spanMetricsBucketsMs.map((b) => `${b}ms`));
            const stamp = (fleet.gateway.processors[gatewayIds.gatewayInstance] as any).attributes;
            assert.deepEqual(stamp, [{ key: collectorInstanceAttribute, value: `\${env:${collectorEnv.podName}}`, action: "upsert" }]);
        });

        it("gateways: Tempo export over mutual TLS with a file-backed queue that retries for ever", () => {
            const tempo = fleet.gateway.exporters[tempoExporterId] as any;
            assert.equal(tempo.endpoint, `${tlsServerNames.tempo}:${ports.otlpGrpc}`);
            assert.ok(tempo.endpoint.startsWith(`${services.tempoIngest.name}.${services.tempoIngest.namespace}.svc`));
            assert.equal(tempo.tls.cert_file, `${collectorPaths.clientTlsDir}/tls.crt`);
            assert.equal(tempo.tls.ca_file, `${collectorPaths.caDir}/ca.crt`);
            assert.equal(tempo.sending_queue.enabled, true);
            assert.equal(tempo.sending_queue.storage, gatewayIds.queueStorage);
            assert.equal(tempo.sending_queue.queue_size, persistentQueueRequests(fleet.plan.gateway.queueVolumeGb));
            const storage = fleet.gateway.extensions[tempo.sending_queue.storage] as any;
            assert.equal(storage.directory, collectorPaths.queueDir);
            assert.ok(fleet.gateway.service.extensions.includes(gatewayIds.queueStorage));
            assert.equal(tempo.retry_on_failure.enabled, true);
            assert.match(tempo.retry_on_failure.max_elapsed_time, /^0s?$/, "retries stop while Tempo is still down");
        });

        it("gateways: mutual TLS from the agents and remote write signed with SigV4 in the stack's region", () => {
            const otlp = fleet.gateway.receivers.otlp as any;
            for (const protocol of ["grpc", "http"]) assert.equal(otlp.protocols[protocol].tls.client_ca_file, `${collectorPaths.caDir}/ca.crt`);
            const remoteWrite = fleet.gateway.exporters[gatewayIds.remoteWrite] as any;
            assert.equal(remoteWrite.http.endpoint, `\${env:${collectorEnv.remoteWriteUrl}}`);
            assert.equal(remoteWrite.http.auth.authenticator, "sigv4auth");
            assert.equal(remoteWrite.http.tls.insecure, false);
            // The flat HTTP settings are deprecated and fatal once removeTopLevelHTTPSettings is on.
            for (const flat of ["endpoint", "auth", "tls", "headers", "proxy_url"]) assert.ok(!(flat in remoteWrite), `top-level ${flat}`);
            assert.deepEqual(fleet.gateway.extensions.sigv4auth, { region: fleet.settings.aws.region, service: "aps" });
            const spanMetricsPipeline = fleet.gateway.service.pipelines[gatewayIds.metricsSpanMetrics];
            assert.deepEqual(spanMetricsPipeline.receivers, [gatewayIds.spanMetrics, gatewayIds.queueWait, gatewayIds.serviceGraph]);
            assert.deepEqual(spanMetricsPipeline.exporters, [gatewayIds.remoteWrite]);
        });

        it("gateways: the tail sampler is sized by the capacity plan with decision caches above num_traces", () => {
            const tail = fleet.gateway.processors[gatewayIds.tailSampling] as any;
            assert.equal(tail.num_traces, fleet.plan.gateway.numTraces);
            assert.equal(tail.expected_new_traces_per_sec, fleet.plan.gateway.expectedNewTracesPerSecond);
            assert.ok(tail.decision_cache.sampled_cache_size > tail.num_traces);
            assert.ok(tail.decision_cache.non_sampled_cache_size > tail.num_traces);
        });
    });
}

describe("collector configs: what the test inputs change", () => {
    it("a bigger queue volume gives the persistent queue more room", () => {
        assert.ok(persistentQueueRequests(50) > persistentQueueRequests(10));
        assert.ok(stacks.prod.plan.gateway.queueVolumeGb > stacks.dev.plan.gateway.queueVolumeGb);
    });

    it("piiDropClientAddress=false keeps client.address (and true drops it)", () => {
        const settings = stacks.dev.settings;
        const statements = (drop: boolean) =>
            JSON.stringify((buildAgentConfig({ image: settings.images.collector, dropClientAddress: drop }).processors[agentIds.pii] as any).trace_statements);
        assert.match(statements(true), /client\.address/);
        assert.doesNotMatch(statements(false), /client\.address/);
        assert.doesNotMatch(renderCollectorConfig(buildAgentConfig({ image: settings.images.collector, dropClientAddress: false })), /network\.peer\.address/);
    });
});
