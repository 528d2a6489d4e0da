/**
 * The tracing platform's own configuration files, parsed from the ConfigMaps that carry them:
 * collectors scrub personal data from every trace pipeline fed from outside and speak TLS on both
 * sides; Tempo stores traces SSE-KMS-encrypted over verified TLS, serves TLS only and reports no
 * usage; Grafana serves HTTPS with secure cookies and admits no anonymous users.
 */
import { collectorConfigs, componentType, iniDocuments, isCollectorConfig, isTempoConfig, normalisedComponentType, tempoConfigs, type IniDocument } from "./lib/config-documents";
import { rulesFor, type ResourceRuleSpec } from "./lib/define";
import { containersOf, objectLabel, podSpecOf, workloadTypes } from "./lib/kubernetes";
import { editConfigMapIni, editConfigMapYaml, ensurePath, mutation } from "./lib/mutate";
import { asList, isRecord, isSet, isTrue, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

const { resourceRule } = rulesFor("observability-config");

const configMap = ["kubernetes:core/v1:ConfigMap"];

/** The config files `select` finds in a ConfigMap, each with how messages name it. */
function configFiles<D>(props: Record<string, any>, name: string, select: (props: Record<string, any>) => { key: string; document: D }[]): { where: string; document: D }[] {
    return select(props).map(({ key, document }) => ({ where: `ConfigMap '${objectLabel(props, name)}' file '${key}'`, document }));
}

/**
 * A rule over the config files of one kind (collector, Tempo) that ConfigMaps carry: `check` sees
 * each parsed file and how messages name it. No public control covers these files.
 */
function configFileRule<D>(
    spec: Omit<ResourceRuleSpec<{}>, "controls" | "appliesTo" | "validate"> & {
        readonly files: (props: Record<string, any>) => { key: string; document: D }[];
        readonly check: (document: D, where: string, report: (message: string) => void) => void;
    },
): RuleDefinition {
    const { files, check, ...header } = spec;
    return resourceRule({
        ...header,
        controls: [],
        appliesTo: configMap,
        validate: ({ name, props }, report) => {
            for (const { where, document } of configFiles(props, name, files)) check(document, where, report);
        },
    });
}

/** OTTL functions that delete, mask or hash attribute values. */
const scrubbingFunctions = /\b(delete_key|delete_matching_keys|keep_keys|keep_matching_keys|replace_pattern|replace_all_patterns|replace_match|replace_all_matches|SHA256|SHA512)\s*\(/;

/** True when a processor removes or masks attribute values (redaction, attributes delete/hash, transform). */
function scrubs(id: string, config: unknown): boolean {
    const type = normalisedComponentType(id);
    const settings = isRecord(config) ? config : {};
    if (type === "redaction") {
        // allow_all_keys defaults to false: with no allow-list every attribute is dropped (fail closed).
        return settings.allow_all_keys !== true || asList(settings.blocked_values).length > 0 || asList(settings.blocked_key_patterns).length > 0;
    }
    if (type === "attributes") return asList(settings.actions).some((action: any) => action?.action === "delete" || action?.action === "hash");
    if (type === "transform") return JSON.stringify(settings).match(scrubbingFunctions) !== null;
    return false;
}

/** Trace pipelines fed by a receiver (data from outside this collector), as opposed to connector-fed ones. */
function externalTracePipelines(document: Record<string, any>): [string, Record<string, any>][] {
    const connectors = new Set(Object.keys(isRecord(document.connectors) ? document.connectors : {}));
    return Object.entries(document.service.pipelines as Record<string, any>).filter(
        ([id, pipeline]) => componentType(id) === "traces" && isRecord(pipeline) && stringList(pipeline.receivers).some((r) => !connectors.has(r)),
    );
}

const collectorScrubsPii = configFileRule({
    name: "collector-trace-pipelines-scrub-pii",
    description:
        "Every collector trace pipeline that receives spans from outside runs a processor that removes or masks personal " +
        "data (redaction, attributes delete/hash, or transform with delete_key/replace_pattern...). Fix: add the PII " +
        "scrubbing processor from the collector config builder to the pipeline's processors.",
    severity: "high",
    securityRule: 6,
    files: collectorConfigs,
    check: (document, where, report) => {
        const processors = isRecord(document.processors) ? document.processors : {};
        for (const [id, pipeline] of externalTracePipelines(document)) {
            const scrubbing = stringList(pipeline.processors).filter((p) => p in processors && scrubs(p, processors[p]));
            if (scrubbing.length === 0) {
                report(`${where}: trace pipeline '${id}' has no PII scrubbing processor (redaction, attributes delete/hash or transform).`);
            }
        }
    },
    violate: mutation("remove the PII scrubbing processors from the first collector config", (resources) =>
        editConfigMapYaml(resources, "collector config with a PII scrubbing processor", isCollectorConfig, (document) => {
            const processors = isRecord(document.processors) ? document.processors : {};
            let removed = false;
            for (const [, pipeline] of externalTracePipelines(document)) {
                const kept = stringList(pipeline.processors).filter((p) => !(p in processors && scrubs(p, processors[p])));
                removed ||= kept.length !== stringList(pipeline.processors).length;
                pipeline.processors = kept;
            }
            return removed;
        }),
    ),
});

/** Problems of a TLS server setting block (configtls): certificate and key set, minimum version 1.2 or 1.3. */
function serverTlsProblems(tls: unknown): string[] {
    if (!isRecord(tls)) return ["has no tls settings"];
    const problems: string[] = [];
    if (!isSet(tls.cert_file) && !isSet(tls.cert_pem)) problems.push("has no tls.cert_file");
    if (!isSet(tls.key_file) && !isSet(tls.key_pem)) problems.push("has no tls.key_file");
    if (tls.min_version !== undefined && !["1.2", "1.3"].includes(String(tls.min_version))) problems.push(`accepts TLS ${tls.min_version}`);
    return problems;
}

/** `[protocol, settings]` of every OTLP receiver protocol in a receivers section. */
function otlpProtocols(receivers: unknown): [string, Record<string, any>][] {
    if (!isRecord(receivers)) return [];
    return Object.entries(receivers)
        .filter(([id]) => normalisedComponentType(id) === "otlp")
        .flatMap(([id, receiver]) =>
            Object.entries(isRecord(receiver?.protocols) ? receiver.protocols : {}).map(([protocol, settings]) => [`${id}.${protocol}`, isRecord(settings) ? settings : {}] as [string, Record<string, any>]),
        );
}

const collectorReceiversTls = configFileRule({
    name: "collector-otlp-receivers-use-tls",
    description:
        "Collector OTLP receivers (gRPC and HTTP) accept only TLS 1.2+ connections with the platform certificate. Fix: set " +
        "protocols.<grpc|http>.tls { cert_file, key_file } (and client_ca_file for mutual TLS) from the mounted TLS Secret.",
    severity: "high",
    securityRule: 1,
    files: collectorConfigs,
    check: (document, where, report) => {
        for (const [protocol, settings] of otlpProtocols(document.receivers)) {
            for (const problem of serverTlsProblems(settings.tls)) report(`${where}: receiver ${protocol} ${problem}.`);
        }
    },
    violate: mutation("remove TLS from the first collector OTLP receiver protocol", (resources) =>
        editConfigMapYaml(resources, "collector config with an OTLP receiver using TLS", isCollectorConfig, (document) => {
            const [first] = otlpProtocols(document.receivers).filter(([, settings]) => isRecord(settings.tls));
            if (!first) return false;
            delete first[1].tls;
        }),
    ),
});

/** Paths inside a component's settings that turn TLS verification or TLS itself off. */
function insecureSettings(settings: unknown, path: string): string[] {
    if (Array.isArray(settings)) return settings.flatMap((item, index) => insecureSettings(item, `${path}[${index}]`));
    if (!isRecord(settings)) return [];
    return Object.entries(settings).flatMap(([key, value]) => {
        const at = `${path}.${key}`;
        if ((key === "insecure" || key === "insecure_skip_verify") && isTrue(value)) return [`${at}: true`];
        if (key === "endpoint" && typeof value === "string" && value.startsWith("http://")) return [`${at}: ${value} (plain HTTP)`];
        return insecureSettings(value, at);
    });
}

/** Exporters that send nothing over the network. */
const localExporters = ["debug", "logging", "nop", "file"];

const collectorExportersTls = configFileRule({
    name: "collector-exporters-verify-tls",
    description:
        "Collector exporters send only over verified TLS: no tls.insecure, no insecure_skip_verify, no http:// endpoints. " +
        "Fix: remove those settings and give the exporter ca_file (and cert_file/key_file for mutual TLS).",
    severity: "high",
    securityRule: 1,
    files: collectorConfigs,
    check: (document, where, report) => {
        const exporters = isRecord(document.exporters) ? document.exporters : {};
        for (const [id, settings] of Object.entries(exporters)) {
            if (localExporters.includes(normalisedComponentType(id))) continue;
            for (const setting of insecureSettings(settings, `exporters.${id}`)) report(`${where}: ${setting}; export over verified TLS.`);
        }
    },
    violate: mutation("turn TLS off on the first network exporter of a collector config", (resources) =>
        editConfigMapYaml(resources, "collector config with a network exporter", isCollectorConfig, (document) => {
            const id = Object.keys(isRecord(document.exporters) ? document.exporters : {}).find((e) => !localExporters.includes(normalisedComponentType(e)));
            if (!id) return false;
            const exporter = isRecord(document.exporters[id]) ? document.exporters[id] : (document.exporters[id] = {});
            ensurePath(exporter, ["tls"]).insecure = true;
        }),
    ),
});

const tempoStorageEncrypted = configFileRule({
    name: "tempo-trace-storage-encrypted",
    description:
        "Tempo stores trace blocks in S3 with SSE-KMS under the trace key, over verified TLS, using the pod's workload " +
        "identity rather than static keys (and never SSE-C, whose key Tempo exposes on /status/config). Fix: set " +
        "storage.trace.backend s3 and s3.sse { type: SSE-KMS, kms_key_id: <trace key> }, drop access_key/secret_key and insecure settings.",
    severity: "high",
    securityRule: 1,
    files: tempoConfigs,
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

const tempoListenersTls = configFileRule({
    name: "tempo-listeners-use-tls",
    description:
        "Tempo serves its HTTP and gRPC APIs and its OTLP receivers only over TLS (it has no authentication of its own). " +
        "Fix: set server.http_tls_config and server.grpc_tls_config { cert_file, key_file, client_ca_file, client_auth_type } " +
        "and tls on distributor.receivers.otlp.protocols.",
    severity: "high",
    securityRule: 1,
    files: tempoConfigs,
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

const tempoUsageReportingOff = configFileRule({
    name: "tempo-usage-reporting-disabled",
    description:
        "Tempo sends no usage reports to Grafana Labs (on by default): nothing about the platform leaves the environment. " +
        "Fix: set usage_report.reporting_enabled: false.",
    severity: "low",
    securityRule: 6,
    files: tempoConfigs,
    check: (document, where, report) => {
        if (document.usage_report?.reporting_enabled !== false) report(`${where} leaves Tempo usage reporting on; set usage_report.reporting_enabled: false.`);
    },
    violate: mutation("turn Tempo usage reporting on", (resources) =>
        editConfigMapYaml(resources, "Tempo config", isTempoConfig, (document) => {
            ensurePath(document, ["usage_report"]).reporting_enabled = true;
        }),
    ),
});

/** A Grafana setting as the effective value: `GF_<SECTION>_<KEY>` env overrides grafana.ini. */
function grafanaEnvName(section: string, key: string): string {
    return `GF_${section}_${key}`.toUpperCase().replace(/[.-]/g, "_");
}

function grafanaIni(props: Record<string, any>): { key: string; document: IniDocument }[] {
    return iniDocuments(props).filter((d) => d.key === "grafana.ini");
}

/** Runs `check` on grafana.ini files in ConfigMaps and on GF_* env overrides in workloads. */
function grafanaSettingRule(
    settings: readonly { section: string; key: string; bad: (value: string | undefined, fromEnv: boolean) => string | undefined }[],
): (resource: { type: string; name: string; props: Record<string, any> }, report: (message: string) => void) => void {
    return ({ type, name, props }, report) => {
        if (configMap.includes(type)) {
            for (const { where, document } of configFiles(props, name, grafanaIni)) {
                for (const setting of settings) {
                    const problem = setting.bad(document[setting.section]?.[setting.key], false);
                    if (problem) report(`${where}: [${setting.section}] ${setting.key} ${problem}.`);
                }
            }
            return;
        }
        const spec = podSpecOf(type, props);
        if (!spec) return;
        for (const { container } of containersOf(spec)) {
            for (const variable of asList(container.env)) {
                const setting = settings.find((s) => grafanaEnvName(s.section, s.key) === variable.name);
                const problem = setting && typeof variable.value === "string" ? setting.bad(variable.value, true) : undefined;
                if (problem) report(`${type.split(":")[2]} '${objectLabel(props, name)}' env ${variable.name} ${problem}.`);
            }
        }
    };
}

const grafanaNoAnonymousAccess = resourceRule({
    name: "grafana-anonymous-access-disabled",
    description:
        "Grafana admits only signed-in users: anonymous access and self sign-up are off (in grafana.ini and in GF_* env " +
        "overrides). Fix: set [auth.anonymous] enabled = false and [users] allow_sign_up = false.",
    severity: "high",
    securityRule: 3,
    controls: [],
    appliesTo: [...configMap, ...workloadTypes],
    validate: grafanaSettingRule([
        { section: "auth.anonymous", key: "enabled", bad: (value) => (value?.toLowerCase() === "true" ? "lets anyone in without signing in" : undefined) },
        { section: "users", key: "allow_sign_up", bad: (value) => (value?.toLowerCase() === "true" ? "lets anyone create an account" : undefined) },
    ]),
    violate: mutation("enable anonymous access in grafana.ini", (resources) =>
        editConfigMapIni(resources, "grafana.ini", (document) => {
            (document["auth.anonymous"] ??= {}).enabled = "true";
        }),
    ),
});

const grafanaHttpsOnly = resourceRule({
    name: "grafana-serves-https-only",
    description:
        "Grafana serves HTTPS with the platform certificate and marks its session cookies Secure. Fix: set [server] " +
        "protocol = https with cert_file and cert_key from the mounted TLS Secret, and [security] cookie_secure = true.",
    severity: "high",
    securityRule: 1,
    controls: [],
    appliesTo: [...configMap, ...workloadTypes],
    validate: grafanaSettingRule([
        { section: "server", key: "protocol", bad: (value) => (value !== "https" && value !== "h2" ? `is '${value ?? "http (default)"}'; serve https` : undefined) },
        { section: "server", key: "cert_file", bad: (value, fromEnv) => (!fromEnv && !isSet(value) ? "is not set" : undefined) },
        { section: "server", key: "cert_key", bad: (value, fromEnv) => (!fromEnv && !isSet(value) ? "is not set" : undefined) },
        { section: "security", key: "cookie_secure", bad: (value) => (value?.toLowerCase() !== "true" ? "is not true; session cookies could travel without TLS" : undefined) },
    ]),
    violate: mutation("serve Grafana over plain HTTP", (resources) =>
        editConfigMapIni(resources, "grafana.ini", (document) => {
            (document.server ??= {}).protocol = "http";
        }),
    ),
});

export const observabilityConfigRules: readonly RuleDefinition[] = [
    collectorScrubsPii,
    collectorReceiversTls,
    collectorExportersTls,
    tempoStorageEncrypted,
    tempoListenersTls,
    tempoUsageReportingOff,
    grafanaNoAnonymousAccess,
    grafanaHttpsOnly,
];
