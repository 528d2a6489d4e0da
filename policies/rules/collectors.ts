/**
 * The collectors' own configuration, parsed from the ConfigMaps that carry it: every trace pipeline
 * fed from outside scrubs personal data, OTLP receivers serve TLS and exporters send over verified
 * TLS, and the platform's own logs are shipped, scrubbed, to a KMS-encrypted log group with a retention.
 */
import { collectorConfigs, componentType, isCollectorConfig, normalisedComponentType } from "./lib/config-documents";
import { configFileRules, configFiles, configMapTypes } from "./lib/config-file-rules";
import { rulesFor } from "./lib/define";
import { editConfigMapYaml, ensurePath, mutation } from "./lib/mutate";
import { otlpProtocols, serverTlsProblems } from "./lib/otlp-receivers";
import { asList, isRecord, isTrue, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

const configRule = configFileRules("collectors", collectorConfigs);

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

const collectorScrubsPii = configRule({
    name: "collector-trace-pipelines-scrub-pii",
    description:
        "Every collector trace pipeline that receives spans from outside runs a processor that removes or masks personal " +
        "data (redaction, attributes delete/hash, or transform with delete_key/replace_pattern...). Fix: add the PII " +
        "scrubbing processor from the collector config builder to the pipeline's processors.",
    severity: "high",
    securityRule: 6,
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

const collectorReceiversTls = configRule({
    name: "collector-otlp-receivers-use-tls",
    description:
        "Collector OTLP receivers (gRPC and HTTP) accept only TLS 1.2+ connections with the platform certificate. Fix: set " +
        "protocols.<grpc|http>.tls { cert_file, key_file } (and client_ca_file for mutual TLS) from the mounted TLS Secret.",
    severity: "high",
    securityRule: 1,
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

const collectorExportersTls = configRule({
    name: "collector-exporters-verify-tls",
    description:
        "Collector exporters send only over verified TLS: no tls.insecure, no insecure_skip_verify, no http:// endpoints. " +
        "Fix: remove those settings and give the exporter ca_file (and cert_file/key_file for mutual TLS).",
    severity: "high",
    securityRule: 1,
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

const { stackRule } = rulesFor("collectors");
const logGroupType = "aws:cloudwatch/logGroup:LogGroup";

/** The exporter type that writes to CloudWatch Logs. */
const cloudWatchLogsExporter = "awscloudwatchlogs";

/** Logs pipelines of a collector config that export to CloudWatch Logs, with those exporters' ids. */
function cloudWatchLogPipelines(document: Record<string, any>): { id: string; pipeline: Record<string, any>; exporters: string[] }[] {
    return Object.entries(document.service.pipelines as Record<string, any>)
        .filter(([id, pipeline]) => componentType(id) === "logs" && isRecord(pipeline))
        .map(([id, pipeline]) => ({ id, pipeline, exporters: stringList(pipeline.exporters).filter((e) => normalisedComponentType(e) === cloudWatchLogsExporter) }))
        .filter((p) => p.exporters.length > 0);
}

const platformLogsShipped = stackRule({
    name: "collector-platform-logs-shipped-encrypted",
    description:
        "The platform's own logs (Grafana's access and sign-in log, Tempo's and the collectors' logs) leave the pods: a " +
        "collector config ships a logs pipeline with the awscloudwatchlogs exporter, that pipeline scrubs personal data, " +
        "and every log group it writes is one the stack creates (which cloudwatch-log-groups-encrypted and " +
        "cloudwatch-log-groups-retention-bounded hold to a KMS key and a finite retention). Fix: keep the gateways' logs " +
        "pipeline and point its exporter's log_group_name at the EncryptedLogGroup of the workload logs.",
    severity: "high",
    securityRule: 4,
    controls: [],
    appliesTo: [...configMapTypes, logGroupType],
    validate: ({ view }, report) => {
        const groups = view.ofType([logGroupType]);
        const maps = view.ofType(configMapTypes).filter((map) => collectorConfigs(map.props).length > 0);
        if (maps.length === 0) return;
        let shipping = 0;
        view.each(maps, (map) => {
            for (const { where, document } of configFiles(map.props, map.name, collectorConfigs)) {
                const processors = isRecord(document.processors) ? document.processors : {};
                const exporters = isRecord(document.exporters) ? document.exporters : {};
                for (const { id, pipeline, exporters: used } of cloudWatchLogPipelines(document)) {
                    shipping++;
                    if (!stringList(pipeline.processors).some((p) => p in processors && scrubs(p, processors[p]))) {
                        report(`${where}: logs pipeline '${id}' writes to CloudWatch Logs without a PII scrubbing processor.`, map.urn);
                    }
                    for (const exporter of used) {
                        const groupName = String(isRecord(exporters[exporter]) ? exporters[exporter].log_group_name : undefined);
                        const group = groups.find((g) => g.props.name === groupName);
                        const writes = `${where}: exporter '${exporter}' writes log group '${groupName}'`;
                        // The stack's log groups are held to a key and a retention by the log-group rules.
                        if (!group) report(`${writes}, which this stack does not create (so nothing sets its key and retention).`, map.urn);
                    }
                }
            }
        });
        if (shipping === 0) {
            report("no collector config ships the platform's logs: Grafana's access and sign-in log stays on the nodes; add the gateways' logs pipeline to CloudWatch Logs.", maps[0].urn);
        }
    },
    violate: mutation("remove the logs pipelines that write to CloudWatch Logs from the collector configs", (resources) =>
        editConfigMapYaml(resources, "collector config shipping logs to CloudWatch Logs", isCollectorConfig, (document) => {
            const shipped = cloudWatchLogPipelines(document);
            for (const { id } of shipped) delete document.service.pipelines[id];
            return shipped.length > 0;
        }),
    ),
});

export const collectorRules: readonly RuleDefinition[] = [collectorScrubsPii, collectorReceiversTls, collectorExportersTls, platformLogsShipped];
