import * as assert from "assert";
import * as yaml from "yaml";
import { parseSettings, type Settings, type TempoMode } from "../../components/platform/settings";
import { serviceDnsNames } from "../../components/platform/names";
import {
    kafkaCredentialEnv,
    kafkaSeedBroker,
    renderTempoConfig,
    tempoBlockVersion,
    type TempoConfigInput,
} from "../../components/tempo/config";
import { stackConfig } from "../harness/stack-config";

/** Top-level sections of Tempo 3's Config struct (cmd/tempo/app/config.go yaml tags); it parses strictly. */
const tempo303Sections = new Set([
    "target", "auth_enabled", "multitenancy_enabled", "shutdown_delay", "stream_over_http_enabled", "http_api_prefix",
    "enable_go_runtime_metrics", "span_profiling", "memory", "server", "internal_server", "distributor",
    "metrics_generator_client", "live_store_client", "querier", "query_frontend", "metrics_generator", "ingest",
    "block_builder", "storage", "overrides", "memberlist", "usage_report", "cache", "backend_scheduler",
    "backend_scheduler_client", "backend_worker", "live_store",
]);

const keyArn = "arn:aws:kms:eu-west-1:333333333333:key/0f0e0d0c-1111-2222-3333-444455556666";
const brokers = "b-1.tempo.abc.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.tempo.abc.c2.kafka.eu-west-1.amazonaws.com:9096";

function settingsOf(stack: "dev" | "prod"): Settings {
    return parseSettings(stackConfig(stack), stack);
}

function inputFor(settings: Settings, mode: TempoMode = settings.tempo.mode): TempoConfigInput {
    return {
        mode,
        environment: settings.environment,
        region: settings.aws.region,
        traceBucketName: `traces-${settings.environment}`,
        traceKeyArn: keyArn,
        retentionDays: settings.retention.traceDays,
        ...(mode === "distributed" ? { kafka: { bootstrapBrokers: brokers, topic: "tempo-traces" } } : {}),
    };
}

function rendered(input: TempoConfigInput): any {
    return yaml.parse(renderTempoConfig(input));
}

/** Every [path, value] pair of a parsed document. */
function leaves(value: unknown, path = ""): [string, unknown][] {
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
    if (value && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
    }
    return [[path, value]];
}

/** Every object found under a key of the given name, with its path. */
function blocksNamed(value: unknown, name: string, path = ""): [string, any][] {
    if (!value || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([k, v]) => {
        const here = path ? `${path}.${k}` : k;
        return [...(k === name ? [[here, v] as [string, any]] : []), ...blocksNamed(v, name, here)];
    });
}

const tempoCertificateNames = new Set([...serviceDnsNames("tempoIngest"), ...serviceDnsNames("tempoQuery")]);

const modes: { stack: "dev" | "prod"; mode: TempoMode }[] = [
    { stack: "dev", mode: "monolithic" },
    { stack: "prod", mode: "distributed" },
];

describe("tempo-config builder", () => {
    for (const { stack, mode } of modes) {
        describe(`${mode} (${stack} settings)`, () => {
            const settings = settingsOf(stack);
            const config = rendered(inputFor(settings, mode));

            it("uses only sections Tempo 3 knows", () => {
                for (const key of Object.keys(config)) assert.ok(tempo303Sections.has(key), `unknown top-level key ${key}`);
            });

            it("stores blocks in the trace bucket on S3 with SSE-KMS under the given key, over TLS", () => {
                const trace = config.storage.trace;
                assert.strictEqual(trace.backend, "s3");
                assert.strictEqual(trace.s3.bucket, `traces-${settings.environment}`);
                assert.strictEqual(trace.s3.region, settings.aws.region);
                assert.strictEqual(trace.s3.endpoint, `s3.${settings.aws.region}.amazonaws.com`);
                assert.deepStrictEqual(trace.s3.sse, { type: "SSE-KMS", kms_key_id: keyArn });
                assert.strictEqual(trace.s3.insecure, false);
                assert.strictEqual(trace.s3.tls_insecure_skip_verify, false);
                assert.ok(["VersionTLS12", "VersionTLS13"].includes(trace.s3.tls_min_version));
                assert.strictEqual(trace.block.version, tempoBlockVersion);
                assert.match(trace.block.version, /^vParquet[45]$/, "3.0 supports only vParquet4 and vParquet5");
            });

            it("keeps blocks exactly the stack's trace retention in scheduler and worker", () => {
                const expected = `${settings.retention.traceDays * 24}h`;
                assert.strictEqual(config.backend_scheduler.provider.compaction.compaction.block_retention, expected);
                assert.strictEqual(config.backend_worker.compaction.block_retention, expected);
            });

            it("serves every listener over TLS and demands client certificates on data ports", () => {
                for (const listener of ["http_tls_config", "grpc_tls_config"]) {
                    const tls = config.server[listener];
                    assert.ok(tls.cert_file && tls.key_file, `server.${listener} has a certificate`);
                    assert.strictEqual(tls.client_auth_type, "RequireAndVerifyClientCert", `server.${listener}`);
                    assert.ok(tls.client_ca_file, `server.${listener} verifies clients against the CA`);
                }
                assert.strictEqual(config.server.tls_min_version, "VersionTLS13");
                assert.strictEqual(config.internal_server.enable, true);
                assert.ok(config.internal_server.http_tls_config.cert_file && config.internal_server.http_tls_config.key_file);
                const protocols = config.distributor.receivers.otlp.protocols;
                assert.deepStrictEqual(Object.keys(config.distributor.receivers), ["otlp"], "only the OTLP receiver");
                assert.ok(Object.keys(protocols).length > 0);
                for (const [protocol, receiver] of Object.entries<any>(protocols)) {
                    assert.ok(receiver.tls?.cert_file && receiver.tls?.key_file, `otlp ${protocol} receiver has TLS`);
                    assert.ok(receiver.tls.client_ca_file, `otlp ${protocol} receiver requires client certificates`);
                }
                assert.strictEqual(config.memberlist.tls_enabled, true);
                assert.ok(tempoCertificateNames.has(config.memberlist.tls_server_name));
            });

            it("dials every internal gRPC peer with TLS, a client certificate and a name the Tempo certificate carries", () => {
                const clients = blocksNamed(config, "grpc_client_config");
                assert.deepStrictEqual(clients.map(([path]) => path).sort(), [
                    "backend_scheduler_client.grpc_client_config",
                    "live_store_client.grpc_client_config",
                    "querier.frontend_worker.grpc_client_config",
                ]);
                for (const [path, client] of clients) {
                    assert.strictEqual(client.tls_enabled, true, path);
                    assert.ok(client.tls_cert_path && client.tls_key_path && client.tls_ca_path, path);
                    assert.ok(tempoCertificateNames.has(client.tls_server_name), `${path} verifies ${client.tls_server_name}`);
                }
            });

            it("holds no credentials: identity comes from Pod Identity, Kafka secrets from the environment", () => {
                const credentialKey = /(access_key|secret_key|session_token|encryption_key|password|username|token)$/;
                for (const [path, value] of leaves(config)) {
                    if (!credentialKey.test(path)) continue;
                    assert.match(String(value), /^\$\{[A-Z_]+\}$/, `${path} must be an environment placeholder, not a literal`);
                }
                assert.notStrictEqual(config.storage.trace.s3.sse.type, "SSE-C");
            });

            it("is single-tenant, streams over HTTP for Grafana and does not report usage", () => {
                assert.strictEqual(config.multitenancy_enabled, false);
                assert.strictEqual(config.stream_over_http_enabled, true);
                assert.strictEqual(config.usage_report.reporting_enabled, false);
            });

            it("labels its gossip with the environment", () => {
                assert.strictEqual(config.memberlist.cluster_label, `tempo-${settings.environment}`);
            });
        });
    }

    describe("retention differs per stack", () => {
        it("renders each stack's own traceRetentionDays", () => {
            const dev = settingsOf("dev");
            const prod = settingsOf("prod");
            assert.notStrictEqual(dev.retention.traceDays, prod.retention.traceDays, "the stacks must differ for this test to mean anything");
            assert.strictEqual(rendered(inputFor(dev)).backend_worker.compaction.block_retention, `${dev.retention.traceDays * 24}h`);
            assert.strictEqual(rendered(inputFor(prod)).backend_worker.compaction.block_retention, `${prod.retention.traceDays * 24}h`);
        });
    });

    describe("distributed mode: Kafka", () => {
        const kafka = rendered(inputFor(settingsOf("prod"))).ingest.kafka;

        it("authenticates with SASL/SCRAM-SHA-512 over TLS to a pre-created topic", () => {
            assert.strictEqual(kafka.tls_enabled, true);
            assert.strictEqual(kafka.sasl_mechanism, "SCRAM-SHA-512");
            assert.strictEqual(kafka.sasl_username, `\${${kafkaCredentialEnv.username}}`);
            assert.strictEqual(kafka.sasl_password, `\${${kafkaCredentialEnv.password}}`);
            assert.strictEqual(kafka.topic, "tempo-traces");
            assert.strictEqual(kafka.auto_create_topic_enabled, false);
            assert.strictEqual(kafka.tls_insecure_skip_verify, undefined);
        });

        it("seeds from the first SASL/SCRAM broker (Tempo takes one address)", () => {
            assert.strictEqual(kafka.address, "b-1.tempo.abc.c2.kafka.eu-west-1.amazonaws.com:9096");
            assert.throws(() => kafkaSeedBroker("b-1.x:9094,b-2.x:9094"), /9096/);
            assert.throws(() => kafkaSeedBroker(" , "), /no SASL\/SCRAM bootstrap brokers/);
        });

        it("assigns one partition per block-builder and joins the memberlist Service", () => {
            const config = rendered(inputFor(settingsOf("prod")));
            assert.strictEqual(config.block_builder.partitions_per_instance, 1);
            assert.deepStrictEqual(config.memberlist.join_members, ["dns+tempo-memberlist.tracing-tempo.svc.cluster.local:7946"]);
            assert.strictEqual(config.querier.frontend_worker.frontend_address, "tempo-query-frontend-discovery.tracing-tempo.svc.cluster.local:9095");
            assert.strictEqual(config.backend_worker.backend_scheduler_addr, "tempo-backend-scheduler.tracing-tempo.svc.cluster.local:9095");
        });

        it("still parses once Tempo expands an alphanumeric password into it", () => {
            const password = "Zx9qLm2Pw7Rt4Yb8Nc3Vd6Kf1Hg5Js0A";
            const expanded = renderTempoConfig(inputFor(settingsOf("prod")))
                .replace(`\${${kafkaCredentialEnv.password}}`, password)
                .replace(`\${${kafkaCredentialEnv.username}}`, "tempo");
            const kafkaAfter = yaml.parse(expanded).ingest.kafka;
            assert.strictEqual(kafkaAfter.sasl_password, password);
            assert.strictEqual(kafkaAfter.sasl_username, "tempo");
        });
    });

    describe("monolithic mode", () => {
        const config = rendered(inputFor(settingsOf("dev")));
        it("has no Kafka and reaches its own frontend and scheduler over the TLS loopback", () => {
            assert.strictEqual(config.ingest, undefined);
            assert.strictEqual(config.block_builder, undefined);
            assert.strictEqual(config.memberlist.join_members, undefined);
            assert.strictEqual(config.querier.frontend_worker.frontend_address, "127.0.0.1:9095");
            assert.strictEqual(config.backend_worker.backend_scheduler_addr, "127.0.0.1:9095");
        });
    });

    describe("guards", () => {
        const settings = settingsOf("prod");
        it("refuses a distributed config without Kafka and a monolithic config with it", () => {
            assert.throws(() => renderTempoConfig({ ...inputFor(settings), kafka: undefined }), /needs the Kafka/);
            assert.throws(() => renderTempoConfig({ ...inputFor(settings), mode: "monolithic" }), /does not use Kafka/);
            assert.throws(() => renderTempoConfig({ ...inputFor(settings), retentionDays: 0 }), /retention/);
        });
    });
});
