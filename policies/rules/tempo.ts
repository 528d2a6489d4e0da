/**
 * Tempo's configuration, parsed from the ConfigMap that carries it: traces stored SSE-KMS-encrypted
 * over verified TLS, listeners serving TLS only, and no usage reports.
 */
import { isTempoConfig, tempoConfigs } from "./lib/config-documents";
import { configFileRules } from "./lib/config-file-rules";
import { editConfigMapYaml, ensurePath, mutation } from "./lib/mutate";
import { otlpProtocols, serverTlsProblems } from "./lib/otlp-receivers";
import { isRecord, isSet, isTrue } from "./lib/values";
import type { RuleDefinition } from "./types";

const configRule = configFileRules("tempo", tempoConfigs);

const tempoStorageEncrypted = configRule({
    name: "tempo-trace-storage-encrypted",
    description:
        "Tempo stores trace blocks in S3 with SSE-KMS under the trace key, over verified TLS, using the pod's workload " +
        "identity rather than static keys (and never SSE-C, whose key Tempo exposes on /status/config). Fix: set " +
        "storage.trace.backend s3 and s3.sse { type: SSE-KMS, kms_key_id: <trace key> }, drop access_key/secret_key and insecure settings.",
    severity: "high",
    securityRule: 1,
    check: (document, where, report) => {
        const trace = document.storage.trace;
        if (trace.backend !== "s3") report(`${where} stores traces on '${trace.backend ?? "unset"}'; use the s3 backend with SSE-KMS.`);
        const s3 = isRecord(trace.s3) ? trace.s3 : {};
        if (isTrue(s3.insecure)) report(`${where} talks to S3 over plain HTTP (s3.insecure).`);
        if (isTrue(s3.tls_insecure_skip_verify)) report(`${where} skips S3 certificate verification.`);
        if (s3.access_key !== undefined || s3.secret_key !== undefined) report(`${where} uses static S3 credentials; use the workload identity role.`);
        const sse = isRecord(s3.sse) ? s3.sse : {};
        if (sse.type !== "SSE-KMS") report(`${where} encrypts traces with '${sse.type ?? "nothing"}'; set s3.sse.type SSE-KMS.`);
        else if (!isSet(sse.kms_key_id)) report(`${where} sets SSE-KMS without kms_key_id; name the trace key.`);
        if (sse.encryption_key !== undefined) report(`${where} carries an SSE-C encryption_key.`);
    },
    violate: mutation("switch the Tempo config to SSE-S3", (resources) =>
        editConfigMapYaml(resources, "Tempo config", isTempoConfig, (document) => {
            ensurePath(document, ["storage", "trace", "s3"]).sse = { type: "SSE-S3" };
        }),
    ),
});

const tempoListenersTls = configRule({
    name: "tempo-listeners-use-tls",
    description:
        "Tempo serves its HTTP and gRPC APIs and its OTLP receivers only over TLS (it has no authentication of its own). " +
        "Fix: set server.http_tls_config and server.grpc_tls_config { cert_file, key_file, client_ca_file, client_auth_type } " +
        "and tls on distributor.receivers.otlp.protocols.",
    severity: "high",
    securityRule: 1,
    check: (document, where, report) => {
        const server = isRecord(document.server) ? document.server : {};
        for (const listener of ["http_tls_config", "grpc_tls_config"]) {
            const tls = server[listener];
            if (!isRecord(tls) || !isSet(tls.cert_file) || !isSet(tls.key_file)) report(`${where}: server.${listener} has no cert_file/key_file.`);
        }
        for (const [protocol, settings] of otlpProtocols(document.distributor?.receivers)) {
            for (const problem of serverTlsProblems(settings.tls)) report(`${where}: distributor receiver ${protocol} ${problem}.`);
        }
    },
    violate: mutation("remove the HTTP TLS settings from the Tempo config", (resources) =>
        editConfigMapYaml(resources, "Tempo config with server TLS", isTempoConfig, (document) => {
            if (!isRecord(document.server?.http_tls_config)) return false;
            delete document.server.http_tls_config;
        }),
    ),
});

const tempoUsageReportingOff = configRule({
    name: "tempo-usage-reporting-disabled",
    description:
        "Tempo sends no usage reports to Grafana Labs (on by default): nothing about the platform leaves the environment. " +
        "Fix: set usage_report.reporting_enabled: false.",
    severity: "low",
    securityRule: 6,
    check: (document, where, report) => {
        if (document.usage_report?.reporting_enabled !== false) report(`${where} leaves Tempo usage reporting on; set usage_report.reporting_enabled: false.`);
    },
    violate: mutation("turn Tempo usage reporting on", (resources) =>
        editConfigMapYaml(resources, "Tempo config", isTempoConfig, (document) => {
            ensurePath(document, ["usage_report"]).reporting_enabled = true;
        }),
    ),
});


export const tempoRules: readonly RuleDefinition[] = [tempoStorageEncrypted, tempoListenersTls, tempoUsageReportingOff];
