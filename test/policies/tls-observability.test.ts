import * as assert from "assert";
import * as yaml from "yaml";
import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, named } from "./helpers";

function configMap(resources: EditableResource[], name: string): Record<string, string> {
    const found = resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.inputs.metadata?.name === name);
    assert.ok(found, `no ConfigMap ${name}`);
    return found.inputs.data;
}

/** Edits the parsed YAML file `key` of ConfigMap `name`. */
function editYaml(resources: EditableResource[], name: string, key: string, change: (document: any) => void): void {
    const data = configMap(resources, name);
    const document = yaml.parse(data[key]);
    change(document);
    data[key] = yaml.stringify(document);
}

const collector = (rs: EditableResource[], change: (document: any) => void) => editYaml(rs, "otel-gateway-config", "config.yaml", change);
const tempo = (rs: EditableResource[], change: (document: any) => void) => editYaml(rs, "tempo-config", "tempo.yaml", change);
const grafanaIni = (rs: EditableResource[], from: string, to: string) => {
    const data = configMap(rs, "grafana-config");
    assert.ok(data["grafana.ini"].includes(from), `grafana.ini has no '${from}'`);
    data["grafana.ini"] = data["grafana.ini"].replace(from, to);
};
const gatewayFile = "ConfigMap 'tracing-collectors/otel-gateway-config' file 'config.yaml'";
const tempoFile = "ConfigMap 'tracing-tempo/tempo-config' file 'tempo.yaml'";
const iniFile = "ConfigMap 'tracing-grafana/grafana-config' file 'grafana.ini'";

describe("policies: TLS / PKI", () => {
    describeRule("tls-private-keys-strong", [
        {
            title: "the provider's default curve, RSA-1024, Ed25519",
            change: (rs) => {
                delete named(rs, "grafana-server-tls-key").inputs.ecdsaCurve;
                Object.assign(named(rs, "vpn-client-key").inputs, { algorithm: "RSA", rsaBits: 1024 });
                rs.push({ ...structuredClone(named(rs, "vpn-client-key")), urn: "urn:pulumi:prod::tracing-platform::tls:index/privateKey:PrivateKey::ssh", name: "ssh", inputs: { algorithm: "ED25519" } });
            },
            expect: [
                "TLS key 'grafana-server-tls-key' uses curve 'P224 (provider default)'; set ecdsaCurve to P256 or P384.",
                "TLS key 'vpn-client-key' is RSA-1024; use at least 2048 bits.",
                "TLS key 'ssh' uses ED25519, which ACM and Client VPN cannot import; use ECDSA or RSA.",
            ],
        },
        {
            title: "a CA key on P-256 or RSA-2048 is too weak for signing",
            change: (rs) => (named(rs, "tracing-ca-key").inputs.ecdsaCurve = "P256"),
            expect: ["TLS signing key 'tracing-ca-key' uses curve 'P256'; set ecdsaCurve to P384."],
        },
        {
            title: "an RSA-3072 CA key, which Client VPN refuses (1024/2048-bit RSA only, CA included)",
            change: (rs) => (named(rs, "tracing-ca-key").inputs = { algorithm: "RSA", rsaBits: 3072 }),
            expect: ["TLS signing key 'tracing-ca-key' is RSA-3072; Client VPN accepts at most 2048-bit RSA keys, CA included."],
        },
        {
            title: "compliant: an RSA-2048 CA key",
            change: (rs) => (named(rs, "tracing-ca-key").inputs = { algorithm: "RSA", rsaBits: 2048 }),
            expect: [],
        },
    ]);

    describeRule("tls-certificates-short-lived-and-renewed", [
        {
            title: "a two-year leaf renewed never; a CA past ten years",
            change: (rs) => {
                const leaf = named(rs, "grafana-server-tls-cert").inputs;
                leaf.validityPeriodHours = 17520;
                delete leaf.earlyRenewalHours;
                named(rs, "tracing-ca").inputs.validityPeriodHours = 100000;
            },
            expect: [
                "CA certificate 'tracing-ca' is valid 100000 hours; at most 87600.",
                "certificate 'grafana-server-tls-cert' is valid 17520 hours; at most 8760.",
                "certificate 'grafana-server-tls-cert' has earlyRenewalHours 0; set at least 24 so updates renew it before expiry.",
            ],
        },
        {
            title: "a renewal window as long as the validity",
            change: (rs) => Object.assign(named(rs, "vpn-client-cert").inputs, { validityPeriodHours: 720, earlyRenewalHours: 720 }),
            expect: ["certificate 'vpn-client-cert' has earlyRenewalHours 720, not shorter than its validity 720."],
        },
    ]);

    describeRule("tls-certificates-scoped-usage", [
        {
            title: "a CA that also serves, a signing leaf, a leaf without auth usage",
            change: (rs) => {
                named(rs, "tracing-ca").inputs.allowedUses = ["cert_signing", "server_auth"];
                named(rs, "grafana-server-tls-cert").inputs.allowedUses = ["server_auth", "cert_signing"];
                named(rs, "vpn-client-cert").inputs.allowedUses = ["digital_signature"];
            },
            expect: [
                "CA certificate 'tracing-ca' is also usable for server_auth; keep the CA to signing.",
                "leaf certificate 'grafana-server-tls-cert' allows cert_signing; only a CA signs.",
                "leaf certificate 'vpn-client-cert' allows neither server_auth nor client_auth.",
            ],
        },
        {
            title: "a server certificate without names, one with a wildcard, any_extended",
            change: (rs) => {
                delete named(rs, "grafana-server-tls-request").inputs.dnsNames;
                named(rs, "vpn-client-request").inputs.dnsNames = ["*.tracing.example.com"];
                named(rs, "vpn-client-cert").inputs.allowedUses = ["client_auth", "any_extended"];
            },
            expect: [
                "server certificate 'grafana-server-tls-cert' names no DNS names or IP addresses.",
                "certificate 'vpn-client-cert' allows any_extended usage.",
                "certificate 'vpn-client-cert' covers wildcard name '*.tracing.example.com'; list the exact names.",
            ],
        },
        { title: "a CA that cannot sign", change: (rs) => (named(rs, "tracing-ca").inputs.allowedUses = ["crl_signing"]), expect: ["CA certificate 'tracing-ca' cannot sign certificates; add cert_signing."] },
    ]);
});

describe("policies: collector, Tempo and Grafana configuration", () => {
    describeRule("collector-trace-pipelines-scrub-pii", [
        {
            title: "the ingest pipeline without scrubbing processors",
            change: (rs) => collector(rs, (d) => (d.service.pipelines.traces.processors = ["memory_limiter", "batch"])),
            expect: [`${gatewayFile}: trace pipeline 'traces' has no PII scrubbing processor (redaction, attributes delete/hash or transform).`],
        },
        {
            title: "processors that scrub nothing: redaction allowing everything, attributes inserting, transform setting",
            change: (rs) =>
                collector(rs, (d) => {
                    d.processors["redaction/pii"] = { allow_all_keys: true };
                    d.processors["transform/pii"] = { trace_statements: ['set(span.attributes["team"], "x")'] };
                    d.processors["attributes/tag"] = { actions: [{ key: "team", value: "x", action: "insert" }] };
                    d.service.pipelines.traces.processors.push("attributes/tag");
                }),
            expect: [`${gatewayFile}: trace pipeline 'traces' has no PII scrubbing processor (redaction, attributes delete/hash or transform).`],
        },
        {
            title: "a processor listed in the pipeline but not defined does not count",
            change: (rs) =>
                collector(rs, (d) => {
                    delete d.processors["redaction/pii"];
                    delete d.processors["transform/pii"];
                }),
            expect: [`${gatewayFile}: trace pipeline 'traces' has no PII scrubbing processor (redaction, attributes delete/hash or transform).`],
        },
        {
            title: "compliant: an attributes processor hashing user.email; connector-fed pipelines need none",
            change: (rs) =>
                collector(rs, (d) => {
                    d.processors["attributes/pii"] = { actions: [{ key: "user.email", action: "hash" }] };
                    d.service.pipelines.traces.processors = ["memory_limiter", "attributes/pii", "batch"];
                }),
            expect: [],
        },
    ]);

    describeRule("collector-otlp-receivers-use-tls", [
        {
            title: "gRPC without TLS, HTTP with TLS 1.1 and no key",
            change: (rs) =>
                collector(rs, (d) => {
                    delete d.receivers.otlp.protocols.grpc.tls;
                    d.receivers.otlp.protocols.http.tls = { cert_file: "/tls.crt", min_version: "1.1" };
                }),
            expect: [
                `${gatewayFile}: receiver otlp.grpc has no tls settings.`,
                `${gatewayFile}: receiver otlp.http has no tls.key_file.`,
                `${gatewayFile}: receiver otlp.http accepts TLS 1.1.`,
            ],
        },
    ]);

    describeRule("collector-exporters-verify-tls", [
        {
            title: "an insecure OTLP exporter and a plain-HTTP remote write",
            change: (rs) =>
                collector(rs, (d) => {
                    d.exporters["otlp_grpc/tempo"].tls = { insecure: true };
                    d.exporters.prometheusremotewrite.endpoint = "http://prometheus:9090/api/v1/write";
                    d.exporters.prometheusremotewrite.tls = { insecure_skip_verify: true };
                }),
            expect: [
                `${gatewayFile}: exporters.otlp_grpc/tempo.tls.insecure: true; export over verified TLS.`,
                `${gatewayFile}: exporters.prometheusremotewrite.endpoint: http://prometheus:9090/api/v1/write (plain HTTP); export over verified TLS.`,
                `${gatewayFile}: exporters.prometheusremotewrite.tls.insecure_skip_verify: true; export over verified TLS.`,
            ],
        },
        {
            title: "the load-balancing exporter's nested OTLP settings are checked too",
            change: (rs) => collector(rs, (d) => (d.exporters.load_balancing = { protocol: { otlp: { tls: { insecure: true } } }, resolver: { k8s: { service: "otel-gateway-headless.tracing-collectors" } } })),
            expect: [`${gatewayFile}: exporters.load_balancing.protocol.otlp.tls.insecure: true; export over verified TLS.`],
        },
    ]);

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

    const grafanaDeployment = (rs: EditableResource[]) => rs.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.metadata.name === "grafana")!;
    describeRule("grafana-anonymous-access-disabled", [
        {
            title: "anonymous access and sign-up on in grafana.ini",
            change: (rs) => {
                grafanaIni(rs, "[auth.anonymous]\nenabled = false", "[auth.anonymous]\nenabled = true\norg_role = Admin");
                grafanaIni(rs, "allow_sign_up = false", "allow_sign_up = true");
            },
            expect: [`${iniFile}: [auth.anonymous] enabled lets anyone in without signing in.`, `${iniFile}: [users] allow_sign_up lets anyone create an account.`],
        },
        {
            title: "anonymous access switched on through the environment",
            change: (rs) => grafanaDeployment(rs).inputs.spec.template.spec.containers[0].env.push({ name: "GF_AUTH_ANONYMOUS_ENABLED", value: "true" }),
            expect: ["Deployment 'tracing-grafana/grafana' env GF_AUTH_ANONYMOUS_ENABLED lets anyone in without signing in."],
        },
    ]);

    describeRule("grafana-serves-https-only", [
        {
            title: "plain HTTP without certificate, insecure cookies",
            change: (rs) => {
                grafanaIni(rs, "protocol = https", "protocol = http");
                grafanaIni(rs, "cert_file = /etc/grafana/tls/tls.crt\n", "");
                grafanaIni(rs, "cookie_secure = true", "cookie_secure = false");
            },
            expect: [
                `${iniFile}: [server] protocol is 'http'; serve https.`,
                `${iniFile}: [server] cert_file is not set.`,
                `${iniFile}: [security] cookie_secure is not true; session cookies could travel without TLS.`,
            ],
        },
        {
            title: "the protocol overridden to http through the environment",
            change: (rs) => grafanaDeployment(rs).inputs.spec.template.spec.containers[0].env.push({ name: "GF_SERVER_PROTOCOL", value: "http" }),
            expect: ["Deployment 'tracing-grafana/grafana' env GF_SERVER_PROTOCOL is 'http'; serve https."],
        },
    ]);
});
