import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, editYaml } from "./helpers";

const tempo = (rs: EditableResource[], change: (document: any) => void) => editYaml(rs, "tempo-config", "tempo.yaml", change);
const tempoFile = "ConfigMap 'tracing-tempo/tempo-config' file 'tempo.yaml'";

describe("policies: Tempo configuration", () => {
    describeRule("tempo-trace-storage-encrypted", [
        {
            title: "SSE-S3, static keys, plain HTTP, skipped verification",
            change: (rs) =>
                tempo(rs, (d) => Object.assign(d.storage.trace.s3, { sse: { type: "SSE-S3" }, access_key: "${AWS_KEY}", secret_key: "${AWS_SECRET}", insecure: true, tls_insecure_skip_verify: true })),
            expect: [
                `${tempoFile} talks to S3 over plain HTTP (s3.insecure).`,
                `${tempoFile} skips S3 certificate verification.`,
                `${tempoFile} uses static S3 credentials; use the workload identity role.`,
                `${tempoFile} encrypts traces with 'SSE-S3'; set s3.sse.type SSE-KMS.`,
            ],
        },
        {
            title: "SSE-KMS without a key; SSE-C key material; a local backend",
            change: (rs) =>
                tempo(rs, (d) => {
                    d.storage.trace.backend = "local";
                    d.storage.trace.s3.sse = { type: "SSE-KMS", encryption_key: "0123456789abcdef0123456789abcdef" };
                }),
            expect: [
                `${tempoFile} stores traces on 'local'; use the s3 backend with SSE-KMS.`,
                `${tempoFile} sets SSE-KMS without kms_key_id; name the trace key.`,
                `${tempoFile} carries an SSE-C encryption_key.`,
            ],
        },
    ]);

    describeRule("tempo-listeners-use-tls", [
        {
            title: "plain gRPC, an HTTP listener without a key, a receiver without TLS",
            change: (rs) =>
                tempo(rs, (d) => {
                    delete d.server.grpc_tls_config;
                    delete d.server.http_tls_config.key_file;
                    delete d.distributor.receivers.otlp.protocols.grpc.tls;
                }),
            expect: [
                `${tempoFile}: server.http_tls_config has no cert_file/key_file.`,
                `${tempoFile}: server.grpc_tls_config has no cert_file/key_file.`,
                `${tempoFile}: distributor receiver otlp.grpc has no tls settings.`,
            ],
        },
    ]);

    describeRule("tempo-usage-reporting-disabled", [
        { title: "reporting left at its default (on)", change: (rs) => tempo(rs, (d) => delete d.usage_report), expect: [`${tempoFile} leaves Tempo usage reporting on; set usage_report.reporting_enabled: false.`] },
    ]);
});
