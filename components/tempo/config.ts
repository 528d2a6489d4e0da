/**
 * Tempo 3 configuration (`tempo.yaml`) for both deployment modes, built as typed objects and
 * serialised with `yaml`. Pure: plain data in, plain data out.
 *
 * Keys are those of Tempo 3 (grafana/tempo docs/sources/tempo/configuration/manifest.md and
 * network/tls.md). The Kafka client's `sasl_mechanism` and `tls_*` keys arrived with
 * grafana/tempo#7586 (first released in 3.1.0); Tempo parses its config strictly, so settings
 * refuse a 3.0.x image in distributed mode (`tempoKafkaSecurityMinimumVersion`).
 *
 * Security model: Tempo has no authentication layer of its own (an X-Scope-OrgID header is trusted
 * as sent), so multitenancy stays off and the boundary is mutual TLS on every listener plus the
 * namespace's NetworkPolicies. Only holders of a certificate from the platform CA (the gateways,
 * Grafana, Tempo's own components) complete a handshake.
 */
import * as yaml from "yaml";
import { namespaces, ports, serviceDnsNames } from "../platform/names";
import type { TempoMode } from "../platform/settings";

/**
 * Where Tempo pods mount their config, certificates and data. Siblings, never nested: a mount point
 * inside a read-only ConfigMap or Secret volume cannot be created.
 */
export const tempoPaths = {
    configDir: "/etc/tempo",
    configFile: "/etc/tempo/tempo.yaml",
    /** `tls.crt`/`tls.key` of the Tempo certificate (server and client: components dial each other). */
    tlsDir: "/etc/tempo-tls",
    /** `ca.crt` of the platform CA, which signs the gateways', Grafana's and Tempo's certificates. */
    caDir: "/etc/tempo-ca",
    /** Tempo's working directory: WAL, live-store blocks, backend-scheduler work file. */
    dataDir: "/var/tempo",
} as const;

const certFile = `${tempoPaths.tlsDir}/tls.crt`;
const keyFile = `${tempoPaths.tlsDir}/tls.key`;
const caFile = `${tempoPaths.caDir}/ca.crt`;

/** Environment variables Tempo expands (`-config.expand-env=true`) into the Kafka SASL settings. */
export const kafkaCredentialEnv = { username: "KAFKA_SASL_USERNAME", password: "KAFKA_SASL_PASSWORD" } as const;

/** Tempo-internal Services the config addresses; the Tempo component creates them under these names. */
export const tempoInternalServices = {
    /** Headless, all Tempo pods: memberlist seeds and the StatefulSets' governing Service. */
    memberlist: "tempo-memberlist",
    /** Headless, query-frontends: queriers resolve every frontend and pull work from each. */
    queryFrontendDiscovery: "tempo-query-frontend-discovery",
    backendScheduler: "tempo-backend-scheduler",
} as const;

export function tempoServiceHost(serviceName: string): string {
    return `${serviceName}.${namespaces.tempo}.svc.cluster.local`;
}

/**
 * The name internal clients verify peers against. Rings hand out pod IPs, and every component
 * serves the one Tempo certificate, whose SANs are the tempoIngest and tempoQuery Service names.
 */
export const tempoTlsServerName = serviceDnsNames("tempoQuery")[serviceDnsNames("tempoQuery").length - 1];

/** `-target` of each microservice, in write-path then read-path then backend order. */
export const distributedTargets = [
    "distributor",
    "live-store",
    "block-builder",
    "querier",
    "query-frontend",
    "backend-scheduler",
    "backend-worker",
] as const;
export type DistributedTarget = (typeof distributedTargets)[number];
export type TempoTarget = DistributedTarget | "all";

/** Every listener and client speaks TLS 1.3: all peers are ours (gateways, Grafana, kubelet, Tempo). */
const tempoTlsMinVersion = "VersionTLS13";
/** The Kafka client stays at 1.2, the floor MSK brokers are documented to negotiate. */
const kafkaTlsMinVersion = "VersionTLS12";
/**
 * The newest block format, production-ready in 3.0 (vParquet4 stays the default): more dedicated
 * columns, event-scoped columns and the timestamp columns TraceQL metrics steps align to.
 */
export const tempoBlockVersion = "vParquet5";

export interface ServerTlsConfig {
    readonly cert_file: string;
    readonly key_file: string;
    readonly client_auth_type: "RequireAndVerifyClientCert" | "VerifyClientCertIfGiven";
    readonly client_ca_file: string;
}

export interface ServerConfig {
    readonly http_listen_port: number;
    readonly grpc_listen_port?: number;
    readonly tls_min_version: string;
    readonly http_tls_config: ServerTlsConfig;
    readonly grpc_tls_config?: ServerTlsConfig;
    readonly log_level?: string;
}

/** Receiver TLS is the OpenTelemetry collector's configtls: `client_ca_file` makes the client certificate mandatory. */
export interface ReceiverTlsConfig {
    readonly cert_file: string;
    readonly key_file: string;
    readonly client_ca_file: string;
    readonly min_version: string;
}

/** dskit's client TLS block: every gRPC client and memberlist (both dial and accept with it) use it. */
export interface ClientTlsConfig {
    readonly tls_enabled: true;
    readonly tls_cert_path: string;
    readonly tls_key_path: string;
    readonly tls_ca_path: string;
    readonly tls_server_name: string;
    readonly tls_min_version: string;
}

export interface MemberlistConfig extends ClientTlsConfig {
    readonly cluster_label: string;
    readonly bind_port: number;
    readonly join_members?: readonly string[];
}

export interface CompactionConfig {
    readonly block_retention: string;
}

export interface S3BackendConfig {
    readonly bucket: string;
    readonly endpoint: string;
    readonly region: string;
    readonly insecure: false;
    readonly tls_insecure_skip_verify: false;
    readonly tls_min_version: string;
    readonly sse: { readonly type: "SSE-KMS"; readonly kms_key_id: string };
}

export interface KafkaClientConfig {
    readonly address: string;
    readonly topic: string;
    readonly sasl_mechanism: "SCRAM-SHA-512";
    readonly sasl_username: string;
    readonly sasl_password: string;
    readonly tls_enabled: true;
    readonly tls_min_version: string;
    readonly auto_create_topic_enabled: false;
}

export type KvStore = { readonly kvstore: { readonly store: "memberlist" } };

export interface TempoConfig {
    readonly multitenancy_enabled: false;
    readonly stream_over_http_enabled: true;
    readonly usage_report: { readonly reporting_enabled: false };
    readonly memory: { readonly automemlimit_enabled: true };
    readonly server: ServerConfig;
    readonly internal_server: ServerConfig & { readonly enable: true };
    readonly distributor: {
        readonly receivers: { readonly otlp: { readonly protocols: { readonly grpc: { readonly endpoint: string; readonly tls: ReceiverTlsConfig } } } };
    };
    readonly ingest?: { readonly kafka: KafkaClientConfig };
    readonly block_builder?: { readonly partitions_per_instance: number };
    readonly querier: { readonly frontend_worker: { readonly frontend_address: string; readonly grpc_client_config: ClientTlsConfig } };
    readonly live_store_client: { readonly grpc_client_config: ClientTlsConfig };
    readonly backend_scheduler_client: { readonly grpc_client_config: ClientTlsConfig };
    readonly backend_scheduler: { readonly provider: { readonly compaction: { readonly compaction: CompactionConfig } } };
    readonly backend_worker: { readonly backend_scheduler_addr: string; readonly compaction: CompactionConfig; readonly ring: KvStore };
    readonly memberlist: MemberlistConfig;
    readonly storage: {
        readonly trace: {
            readonly backend: "s3";
            readonly s3: S3BackendConfig;
            readonly wal: { readonly path: string };
            readonly block: { readonly version: string };
        };
    };
}

/** The MSK side of distributed mode: where distributors produce and consumers read. */
export interface KafkaIngestInput {
    /** MSK's SASL/SCRAM bootstrap list (`host:9096,host:9096,...`). */
    readonly bootstrapBrokers: string;
    readonly topic: string;
}

export interface TempoConfigInput {
    readonly mode: TempoMode;
    readonly environment: string;
    readonly region: string;
    readonly traceBucketName: string;
    /**
     * ARN of the trace key. Tempo sends it as the SSE-KMS key id; the full ARN (not the bare key id)
     * is what a bucket policy pinning `s3:x-amz-server-side-encryption-aws-kms-key-id` compares to.
     */
    readonly traceKeyArn: string;
    readonly retentionDays: number;
    /** Required in distributed mode, absent in monolithic mode. */
    readonly kafka?: KafkaIngestInput;
}

/**
 * Tempo 3.0.x takes a single seed address (franz-go `SeedBrokers(cfg.Address)`, no comma split) and
 * discovers the other brokers from metadata, so the first broker of MSK's list is the seed.
 */
export function kafkaSeedBroker(bootstrapBrokers: string): string {
    const seed = bootstrapBrokers.split(",").map((b) => b.trim()).find((b) => b.length > 0);
    if (!seed) throw new Error("MSK returned no SASL/SCRAM bootstrap brokers");
    if (!seed.endsWith(`:${ports.kafkaTlsSasl}`)) {
        throw new Error(`Kafka seed broker ${seed} is not on the SASL/SCRAM TLS port ${ports.kafkaTlsSasl}`);
    }
    return seed;
}

function serverTls(clientAuth: ServerTlsConfig["client_auth_type"]): ServerTlsConfig {
    return { cert_file: certFile, key_file: keyFile, client_auth_type: clientAuth, client_ca_file: caFile };
}

function clientTls(): ClientTlsConfig {
    return {
        tls_enabled: true,
        tls_cert_path: certFile,
        tls_key_path: keyFile,
        tls_ca_path: caFile,
        tls_server_name: tempoTlsServerName,
        tls_min_version: tempoTlsMinVersion,
    };
}

function compaction(retentionDays: number): CompactionConfig {
    return { block_retention: `${retentionDays * 24}h` };
}

/** The whole `tempo.yaml` for the mode; every component of a distributed install shares it. */
export function tempoConfig(input: TempoConfigInput): TempoConfig {
    const distributed = input.mode === "distributed";
    if (distributed && !input.kafka) throw new Error("distributed Tempo needs the Kafka (MSK) connection");
    if (!distributed && input.kafka) throw new Error("monolithic Tempo does not use Kafka; do not pass a Kafka connection");
    if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1) {
        throw new Error(`trace retention must be a whole number of days, got ${input.retentionDays}`);
    }
    // In monolithic mode the querier and backend worker reach the frontend and scheduler in the same
    // process, still over the TLS gRPC listener, which demands a client certificate.
    const loopback = `127.0.0.1:${ports.tempoGrpc}`;
    const retention = compaction(input.retentionDays);

    return {
        multitenancy_enabled: false,
        // Grafana's Tempo data source streams search results over HTTP/2 on the one HTTPS port.
        stream_over_http_enabled: true,
        usage_report: { reporting_enabled: false },
        // Sets GOMEMLIMIT from the container's memory limit so the GC works before the OOM killer does.
        memory: { automemlimit_enabled: true },
        server: {
            http_listen_port: ports.tempoHttp,
            grpc_listen_port: ports.tempoGrpc,
            tls_min_version: tempoTlsMinVersion,
            // HTTP serves Grafana (which presents its client certificate); gRPC serves Tempo's own components.
            http_tls_config: serverTls("RequireAndVerifyClientCert"),
            grpc_tls_config: serverTls("RequireAndVerifyClientCert"),
            log_level: "info",
        },
        // Only /ready is registered here. The kubelet probes over HTTPS without a client certificate,
        // so this listener verifies one only if given; it serves no data.
        internal_server: {
            enable: true,
            http_listen_port: ports.tempoInternalHttp,
            tls_min_version: tempoTlsMinVersion,
            http_tls_config: serverTls("VerifyClientCertIfGiven"),
        },
        distributor: {
            receivers: {
                otlp: {
                    protocols: {
                        // OTLP/gRPC only (the gateways' exporter); no plaintext or HTTP receiver is opened.
                        grpc: {
                            endpoint: `0.0.0.0:${ports.otlpGrpc}`,
                            tls: { cert_file: certFile, key_file: keyFile, client_ca_file: caFile, min_version: "1.3" },
                        },
                    },
                },
            },
        },
        ...(distributed
            ? {
                  ingest: {
                      kafka: {
                          address: kafkaSeedBroker(input.kafka!.bootstrapBrokers),
                          topic: input.kafka!.topic,
                          sasl_mechanism: "SCRAM-SHA-512",
                          // Expanded from the pod's environment (a Secret); never written into this file.
                          sasl_username: `\${${kafkaCredentialEnv.username}}`,
                          sasl_password: `\${${kafkaCredentialEnv.password}}`,
                          tls_enabled: true,
                          tls_min_version: kafkaTlsMinVersion,
                          // The program pre-creates the topic with the planned partitions, RF 3 and 24 h
                          // retention; auto-creation would use Tempo's defaults (1000 partitions) and
                          // need topic-creation rights the Tempo user does not get.
                          auto_create_topic_enabled: false,
                      },
                  },
                  // One partition per block-builder ordinal: replicas equal the planned partitions.
                  block_builder: { partitions_per_instance: 1 },
              }
            : {}),
        querier: {
            frontend_worker: {
                frontend_address: distributed
                    ? `${tempoServiceHost(tempoInternalServices.queryFrontendDiscovery)}:${ports.tempoGrpc}`
                    : loopback,
                grpc_client_config: clientTls(),
            },
        },
        live_store_client: { grpc_client_config: clientTls() },
        backend_scheduler_client: { grpc_client_config: clientTls() },
        // Retention is enforced by the backend scheduler's retention jobs, which backend workers run;
        // both read the same block_retention so neither can delete earlier than configured.
        backend_scheduler: { provider: { compaction: { compaction: retention } } },
        backend_worker: {
            backend_scheduler_addr: distributed
                ? `${tempoServiceHost(tempoInternalServices.backendScheduler)}:${ports.tempoGrpc}`
                : loopback,
            compaction: retention,
            ring: { kvstore: { store: "memberlist" } },
        },
        memberlist: {
            // Gossip from another environment's Tempo (or any other memberlist user) is rejected.
            cluster_label: `tempo-${input.environment}`,
            bind_port: ports.tempoMemberlist,
            ...(distributed
                ? { join_members: [`dns+${tempoServiceHost(tempoInternalServices.memberlist)}:${ports.tempoMemberlist}`] }
                : {}),
            ...clientTls(),
        },
        storage: {
            trace: {
                backend: "s3",
                // No access_key/secret_key: the AWS SDK chain picks up EKS Pod Identity credentials
                // for the `tempo` service account.
                s3: {
                    bucket: input.traceBucketName,
                    endpoint: `s3.${input.region}.amazonaws.com`,
                    region: input.region,
                    insecure: false,
                    tls_insecure_skip_verify: false,
                    tls_min_version: "VersionTLS12",
                    sse: { type: "SSE-KMS", kms_key_id: input.traceKeyArn },
                },
                wal: { path: `${tempoPaths.dataDir}/wal` },
                block: { version: tempoBlockVersion },
            },
        },
    };
}

/** `tempo.yaml` as written into the ConfigMap. */
export function serializeTempoConfig(config: TempoConfig): string {
    return yaml.stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** `tempo.yaml` for these inputs. */
export function renderTempoConfig(input: TempoConfigInput): string {
    return serializeTempoConfig(tempoConfig(input));
}
