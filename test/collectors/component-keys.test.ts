/**
 * Every configuration key the gateways give the components this platform's metrics depend on,
 * checked against the documentation of the collector release each stack pins, with the evidence
 * recorded here: the file in the OpenTelemetry ecosystem-explorer registry (which snapshots each
 * contrib release's component READMEs under a content hash) and the README passage naming the key.
 *
 * prod pins 0.161.0, which the registry holds exactly. dev pins 0.165.0, newer than the newest
 * registry snapshot that could be read (v0.162.1-SNAPSHOT, after the v0.162.0 release); the
 * contrib repository itself was too large to fetch to read its v0.165.0 tag. For 0.165.0 the
 * evidence is that snapshot, and the test says so: a key documented at 0.161.0 and still at
 * v0.162.1-SNAPSHOT, under deprecation notices that name only the flat remote-write settings and
 * the legacy filter sections this config no longer uses.
 */
import { strict as assert } from "assert";
import { gatewayIds } from "../../components/collectors/gateway-config";
import { componentType } from "../../components/collectors/components";
import { fleetConfigs } from "./fixtures";

const registry = "open-telemetry/opentelemetry-ecosystem-explorer";
const readmes = "ecosystem-explorer/public/data/collector/markdown";

interface ReleaseEvidence {
    /** The registry index mapping component names to README files for the release. */
    readonly index: string;
    /** Whether the index is the pinned release itself, or the nearest one read. */
    readonly exact: boolean;
}

const releases: Readonly<Record<string, ReleaseEvidence>> = {
    "0.161.0": { index: "ecosystem-registry/collector/contrib/v0.161.0/component-readmes.yaml", exact: true },
    "0.165.0": { index: "ecosystem-registry/collector/contrib/v0.162.1-SNAPSHOT/component-readmes.yaml", exact: false },
};

interface ComponentEvidence {
    /** README file per release (the index's entry for the component). */
    readonly readme: Readonly<Record<keyof typeof releases, string>>;
    /** Key paths (`[]` for list items) and the README passage that documents each. */
    readonly keys: Readonly<Record<string, string>>;
}

const evidence: Readonly<Record<string, ComponentEvidence>> = {
    span_metrics: {
        readme: { "0.161.0": "spanmetricsconnector-ae95c2ce1a96.md", "0.165.0": "spanmetricsconnector-ae95c2ce1a96.md" },
        keys: {
            namespace: "`namespace` (default: `traces.span.metrics`)",
            histogram: "`histogram` (default: `explicit`)",
            "histogram.unit": "`unit` (default: `ms`): ... One of either: `ms` or `s`",
            "histogram.explicit": "`explicit`:",
            "histogram.explicit.buckets": "`buckets`: the list of durations defining the duration histogram time buckets",
            dimensions: "`dimensions`: the list of dimensions to add to `traces.span.metrics.calls`, `traces.span.metrics.duration`",
            "dimensions[].name": "1. `name` which is looked up in the span's collection of attributes or resource attributes",
            calls_dimensions: "`calls_dimensions`: additional attributes to add as dimensions to the `traces.span.metrics.calls` metric",
            "calls_dimensions[].name": "`calls_dimensions` entries take `name` (example: `- name: http.url`)",
            exclude_dimensions: "`exclude_dimensions`: the list of dimensions to be excluded from the default set of dimensions; `exclude_dimensions: ['collector.instance.id']`",
            aggregation_temporality: "`aggregation_temporality` (default: `AGGREGATION_TEMPORALITY_CUMULATIVE`)",
            metrics_flush_interval: "`metrics_flush_interval` (default: `60s`)",
            metrics_expiration: "`metrics_expiration` (default: `0`)",
            resource_metrics_key_attributes: "`resource_metrics_key_attributes`: Filter the resource attributes used to produce the resource metrics key map hash",
            aggregation_cardinality_limit: "`aggregation_cardinality_limit` (default: `0`)",
        },
    },
    service_graph: {
        readme: { "0.161.0": "servicegraphconnector-7ddf2f0ed2d9.md", "0.165.0": "servicegraphconnector-7ddf2f0ed2d9.md" },
        keys: {
            latency_histogram_buckets: "`latency_histogram_buckets`: the list of durations defining the latency histogram buckets",
            dimensions: "`dimensions`: the list of dimensions to add together with the default dimensions",
            store: "`store`: defines the config for the in-memory store used to find requests between services by pairing spans",
            "store.ttl": "`ttl`: TTL is the time to live for items in the store. Default: `2s`",
            "store.max_items": "`max_items`: MaxItems is the maximum number of items to keep in the store. Default: `1000`",
            metrics_flush_interval: "`metrics_flush_interval`: the interval at which metrics are flushed to the exporter. Default: `60s`",
        },
    },
    prometheus_remote_write: {
        readme: { "0.161.0": "prometheusremotewriteexporter-8c9bac1aa132.md", "0.165.0": "prometheusremotewriteexporter-12a0cf641684.md" },
        keys: {
            http: "Prefer configuring these under an `http` block (for example `http.endpoint`, `http.tls`, `http.headers`, `http.timeout`)",
            "http.endpoint": "`http.endpoint` (no default): The remote write URL to send remote write samples",
            "http.auth": "[HTTP settings](.../config/confighttp/README.md) ... under an `http` block (confighttp's `auth`)",
            "http.auth.authenticator": "confighttp `auth.authenticator`: the extension that signs requests (sigv4auth)",
            "http.tls": "TLS is enabled and must be configured under `http.tls:`",
            "http.tls.insecure": "`insecure` (default = `false`)",
            "http.tls.min_version": "[TLS and mTLS settings](.../config/configtls/README.md): `min_version`",
            "http.timeout": "`http.timeout`; the top-level `timeout` is shared with the exporter retry helper unless HTTP client settings are nested under `http`",
            timeout: "[Retry and timeout settings](.../exporter/exporterhelper/README.md): `timeout`",
            resource_to_telemetry_conversion: "`resource_to_telemetry_conversion` ... `enabled` (default = false)",
            "resource_to_telemetry_conversion.enabled": "`enabled` (default = false): If `enabled` is `true`, all the resource attributes will be converted to metric labels",
            remote_write_queue: "`remote_write_queue`: fine tuning for queueing and sending of the outgoing remote writes",
            "remote_write_queue.enabled": "`enabled`: enable the sending queue (default: `true`)",
            "remote_write_queue.queue_size": "`queue_size`: number of OTLP metrics that can be queued",
            "remote_write_queue.num_consumers": "`num_consumers`: minimum number of workers to use to fan out the outgoing requests",
            retry_on_failure: "[Retry and timeout settings](.../exporter/exporterhelper/README.md): `retry_on_failure`",
            "retry_on_failure.enabled": "exporterhelper `retry_on_failure.enabled`",
            "retry_on_failure.initial_interval": "exporterhelper `retry_on_failure.initial_interval`",
            "retry_on_failure.max_interval": "exporterhelper `retry_on_failure.max_interval`",
            "retry_on_failure.max_elapsed_time": "exporterhelper `retry_on_failure.max_elapsed_time`",
        },
    },
    filter: {
        readme: { "0.161.0": "filterprocessor-57bb1798ea51.md", "0.165.0": "filterprocessor-1e99247d1ebe.md" },
        keys: {
            error_mode: "`error_mode` ... `ignore` is the default mode",
            metric_conditions: "`<trace|metric|log|profile>_conditions: []` (documented for 0.146.0 and later; `metrics.metric` is legacy, migrate to `metric_conditions`)",
            trace_conditions: "`trace_conditions` with `span.` prefix (replaces the legacy `traces.span`)",
            log_conditions: "`<trace|metric|log|profile>_conditions: []`: `log_conditions` with `log.`/`resource.` path prefixes",
        },
    },
    transform: {
        readme: { "0.161.0": "transformprocessor-9711e1e023e6.md", "0.165.0": "transformprocessor-f01ad1a480d2.md" },
        keys: {
            error_mode: "`error_mode`: ignore",
            trace_statements: "`trace_statements` with statement groups whose context is inferred from the path prefixes",
            "trace_statements[].statements": "a group's `statements` list",
            metric_statements: "`metric_statements` with statement groups whose context is inferred from the path prefixes",
            "metric_statements[].statements": "a group's `statements` list",
            log_statements: "`log_statements` with statement groups whose context is inferred from the path prefixes (`log.`, `resource.`)",
            "log_statements[].statements": "a group's `statements` list",
        },
    },
    awscloudwatchlogs: {
        readme: { "0.161.0": "awscloudwatchlogsexporter-4d6c79607abb.md", "0.165.0": "awscloudwatchlogsexporter-4d6c79607abb.md" },
        keys: {
            log_group_name: "`log_group_name`: The group name of the CloudWatch Logs. If it does not exist it will be created automatically.",
            log_stream_name: "`log_stream_name`: The stream name of the CloudWatch Logs. ... It supports the same placeholders as `log_group_name` (`{InstanceId}`: `service.instance.id`)",
            region: "`region`: The AWS region where the log stream is in.",
            endpoint: "`endpoint`: The CloudWatch Logs service endpoint which the requests are forwarded to.",
            raw_log: "`raw_log`: Boolean default false. If set to true, only the log message will be exported to CloudWatch Logs.",
            sending_queue: "`sending_queue`: Parameters for the sending queue ... this component will always have a sending queue enabled.",
            "sending_queue.num_consumers": "`num_consumers`: Number of consumers that will consume from the sending queue.",
            "sending_queue.queue_size": "`queue_size`: Maximum number of batches kept in memory before dropping",
        },
    },
    file_log: {
        readme: { "0.161.0": "filelogreceiver-eb653a39f3b2.md", "0.165.0": "filelogreceiver-eb653a39f3b2.md" },
        keys: {
            include: "`include` (required): A list of file glob patterns that match the file paths to be read.",
            start_at: "`start_at` (default `end`): At startup, where to start reading logs from the file. Options are `beginning` or `end`.",
            include_file_path: "`include_file_path` (default `false`): Whether to add the file path as the attribute `log.file.path`.",
            include_file_name: "`include_file_name` (default `true`): Whether to add the file name as the attribute `log.file.name`.",
            storage: "`storage` (default none): The ID of a storage extension to be used to store file offsets.",
            retry_on_failure: "`retry_on_failure.enabled` ... `retry_on_failure.max_elapsed_time`",
            "retry_on_failure.enabled": "`retry_on_failure.enabled` (default `false`): If `true`, the receiver will pause reading a file and attempt to resend the current batch of logs",
            operators: "`operators` (default []): An array of operators.",
            // The operators' own settings: contrib pkg/stanza/docs/operators/container.md and json_parser.md
            // (the newest copy read, already naming the receiver file_log, so after the rename both releases share).
            "operators[].type": "Every operator has a `type` (`container`, `json_parser`).",
            "operators[].id": "Every operator can be given a unique `id` (container.md: default `container`; json_parser.md: default `json_parser`).",
            "operators[].if": "json_parser.md `if`: An expression that, when set, will be evaluated to determine whether this operator should be used for the given entry.",
            "operators[].parse_from": "json_parser.md `parse_from` (default `body`): The field from which the value will be parsed.",
            "operators[].parse_to": "json_parser.md `parse_to` (default `attributes`): The field to which the value will be parsed.",
            "operators[].on_error": "json_parser.md `on_error` (default `send`): The behavior of the operator if it encounters an error (send_quiet: send on, log at debug).",
        },
    },
    tail_sampling: {
        readme: { "0.161.0": "tailsamplingprocessor-cc848d941b44.md", "0.165.0": "tailsamplingprocessor-cc848d941b44.md" },
        keys: {
            decision_wait: "`decision_wait` (default = 30s)",
            num_traces: "`num_traces` (default = 50000)",
            expected_new_traces_per_sec: "`expected_new_traces_per_sec` (default = 0)",
            decision_cache: "`decision_cache`: Options for configuring caches for sampling decisions",
            "decision_cache.sampled_cache_size": "`sampled_cache_size` (default = 0)",
            "decision_cache.non_sampled_cache_size": "`non_sampled_cache_size` (default = 0)",
            policies: "`policies` (no default): Policies used to make a sampling decision",
            "policies[].name": "example: `name: test-policy-13`",
            "policies[].type": "example: `type: ottl_condition`",
            "policies[].ottl_condition": "`ottl_condition`: Sample based on given boolean OTTL condition (span and span event)",
            "policies[].ottl_condition.error_mode": "example: `ottl_condition: { error_mode: ignore, span: [...] }`",
            "policies[].ottl_condition.span": "example: `span: [ \"resource.attributes[\\\"service.name\\\"] == \\\"checkout\\\"\" ]`",
            "policies[].and": "`and`: Sample based on multiple policies, creates an AND policy",
            "policies[].and.and_sub_policy": "example: `and: { and_sub_policy: [...] }`",
            "policies[].and.and_sub_policy[].name": "example: `name: test-and-policy-1`",
            "policies[].and.and_sub_policy[].type": "example: `type: string_attribute`",
            "policies[].and.and_sub_policy[].string_attribute": "`string_attribute`: Sample based on string attributes (resource and record)",
            "policies[].and.and_sub_policy[].string_attribute.key": "example: `string_attribute: {key: key2, values: [value1, value2]}`",
            "policies[].and.and_sub_policy[].string_attribute.values": "example: `string_attribute: {key: key2, values: [value1, value2]}`",
            "policies[].and.and_sub_policy[].probabilistic": "`probabilistic`: Sample a percentage of traces",
            "policies[].and.and_sub_policy[].probabilistic.sampling_percentage": "example: `probabilistic: {sampling_percentage: 10}`",
            "policies[].and.and_sub_policy[].span_count": "`span_count`: Sample based on the minimum and/or maximum number of spans",
            "policies[].and.and_sub_policy[].span_count.min_spans": "example: `span_count: {min_spans: 2, max_spans: 20}`",
            "policies[].and.and_sub_policy[].span_count.max_spans": "example: `span_count: {min_spans: 2, max_spans: 20}`",
            "policies[].and.and_sub_policy[].rate_limiting": "`rate_limiting`: Sample based on the rate of spans per second",
            "policies[].and.and_sub_policy[].rate_limiting.spans_per_second": "example: `rate_limiting: {spans_per_second: 35, burst_capacity: 70}`",
        },
    },
};

/** Every key path of a component's settings, list items as `[]`. */
function keyPaths(value: unknown, prefix = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
    if (value && typeof value === "object") {
        return Object.entries(value).flatMap(([key, child]) => {
            const path = prefix ? `${prefix}.${key}` : key;
            return [path, ...keyPaths(child, path)];
        });
    }
    return [];
}

const sections = ["receivers", "processors", "exporters", "connectors", "extensions"] as const;

describe("collector component keys, checked against the release each stack pins", () => {
    for (const stack of ["dev", "prod"] as const) {
        const fleet = fleetConfigs(stack);
        const version = fleet.settings.images.collectorGateway.tag;

        it(`${stack} (${version}): the gateway's release has recorded evidence, exact or the nearest snapshot read`, () => {
            const release = releases[version];
            assert.ok(release, `no evidence recorded for collector ${version}: read its component READMEs and add them`);
            assert.equal(release.exact, version === "0.161.0", "only 0.161.0 is held exactly by the registry snapshot read");
            assert.match(release.index, /^ecosystem-registry\/collector\/contrib\/v0\.16\d\.\d(-SNAPSHOT)?\/component-readmes\.yaml$/);
        });

        it(`${stack} (${version}): every key the gateway (and the agent, for the log receiver) gives these components is documented for that release`, () => {
            let checked = 0;
            for (const section of sections) {
                for (const [id, settings] of [...Object.entries(fleet.gateway[section] ?? {}), ...Object.entries(fleet.agent[section] ?? {})]) {
                    const entry = evidence[componentType(id)];
                    if (!entry) continue;
                    assert.ok(entry.readme[version as keyof typeof releases].endsWith(".md"), `${id}: README at ${version}`);
                    for (const path of keyPaths(settings)) {
                        assert.ok(path in entry.keys, `${section}.${id}.${path}: no evidence that ${version} accepts it (${registry} ${readmes}/${entry.readme[version as keyof typeof releases]})`);
                        checked++;
                    }
                }
            }
            assert.ok(checked > 80, `checked ${checked} keys`);
        });
    }

    it("the keys this issue changed are among them: exclude_dimensions, the http: block, *_conditions", () => {
        const gateway = fleetConfigs("prod").gateway;
        assert.ok("exclude_dimensions" in (gateway.connectors![gatewayIds.spanMetrics] as object));
        assert.ok("http" in gateway.exporters[gatewayIds.remoteWrite]);
        assert.ok("metric_conditions" in gateway.processors[gatewayIds.selfMetricsFilter]);
        for (const key of ["exclude_dimensions", "calls_dimensions"]) assert.ok(key in evidence.span_metrics.keys);
        assert.ok(!("endpoint" in evidence.prometheus_remote_write.keys), "the flat endpoint is not what the evidence covers");
    });

    it("an undocumented key is caught (the check can fail)", () => {
        const paths = keyPaths({ exclude_dimensions: ["x"], dimension_cache: 5 });
        assert.ok(paths.some((p) => !(p in evidence.span_metrics.keys)));
    });
});
