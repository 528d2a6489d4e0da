/**
 * The platform's own logs, as the rendered configs ship them: the log agents tail only the platform
 * namespaces' container logs and turn JSON lines into map bodies, the gateways keep only those
 * namespaces, scrub them (the signed-in login stays) and write them to the data plane's workload
 * log group; the record the exporter writes is matched against the failed-login alarm's filter.
 *
 * The stanza operators and the OTTL statements are executed here by small interpreters of exactly
 * the forms the builders emit (they throw on anything else), with RE2 doing the regex work.
 */
import { strict as assert } from "assert";
import * as yaml from "yaml";
import { agentIds } from "../../components/collectors/agent-config";
import { logAgentIds } from "../../components/collectors/log-agent-config";
import { pkiPlan } from "../../components/pki/plan";
import type { CollectorConfig, FileLogReceiverConfig } from "../../components/collectors/config-types";
import { gatewayIds } from "../../components/collectors/gateway-config";
import { identityLogKeys } from "../../components/collectors/pii-scrubbing";
import { logOffsetsDir, platformLogGlobs } from "../../components/collectors/platform-logs";
import { detections } from "../../components/data-plane/detections";
import { awsResourceNames, namespaces, ports, serviceDnsNames } from "../../components/platform/names";
import { kubernetesObject, ofType, shippedStacks, stackRecording } from "../harness/program";
import { settingsOf } from "../harness/recorded";
import { matchesFilterPattern } from "../data-plane/filter-pattern";
import { fleetConfigs } from "./fixtures";
import { literals, re2 } from "./ottl";

type Value = unknown;

/** A log record as the collector holds it, reduced to what these pipelines read and write. */
interface LogRecord {
    body: Value;
    attributes: Record<string, Value>;
    resource: Record<string, Value>;
    cache: Record<string, Value>;
}

/** A file glob as file_log matches it (doublestar: `*` never crosses `/`). */
function globMatches(glob: string, path: string): boolean {
    const pattern = glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*");
    return new RegExp(`^${pattern}$`).test(path);
}

/** The container operator on a CRI (containerd) line: time, stream, tag, then the line; metadata from the path. */
function containerParse(line: string, path: string): LogRecord {
    const cri = /^(\S+) (stdout|stderr) ([PF]) (.*)$/.exec(line);
    assert.ok(cri, `not a CRI log line: ${line}`);
    const file = /^\/var\/log\/pods\/([^_]+)_([^_]+)_([^/]+)\/([^/]+)\/(\d+)\.log$/.exec(path);
    assert.ok(file, `not a kubelet pod log path: ${path}`);
    return {
        body: cri[4],
        attributes: { "log.iostream": cri[2], logtag: cri[3], "log.file.path": path },
        resource: { "k8s.namespace.name": file[1], "k8s.pod.name": file[2], "k8s.pod.uid": file[3], "k8s.container.name": file[4], "k8s.container.restart_count": file[5] },
        cache: {},
    };
}

/** The receiver's operators, as rendered: the container parser, then a JSON parser guarded by `body matches "<re>"`. */
function receive(receiver: FileLogReceiverConfig, line: string, path: string): LogRecord {
    assert.ok(receiver.include.some((glob) => globMatches(glob, path)), `${path} is not read`);
    let record: LogRecord | undefined;
    for (const operator of receiver.operators) {
        if (operator.type === "container") {
            record = containerParse(line, path);
        } else {
            assert.ok(record, "the container parser runs first");
            const guard = /^body matches "((?:[^"\\]|\\.)*)"$/.exec(operator.if);
            assert.ok(guard, `unsupported condition: ${operator.if}`);
            assert.deepEqual([operator.parse_from, operator.parse_to, operator.on_error], ["body", "body", "send_quiet"]);
            const regex = guard[1].replace(/\\(.)/g, "$1");
            if (typeof record.body !== "string" || !re2(regex).test(record.body)) continue;
            try {
                record.body = JSON.parse(record.body);
            } catch {
                // send_quiet: the entry goes on unparsed.
            }
        }
    }
    assert.ok(record);
    return record;
}

const isMap = (v: Value): v is Record<string, Value> => typeof v === "object" && v !== null && !Array.isArray(v);
const maskString = (value: Value, pattern: string, replacement: string) => (typeof value === "string" ? value.replace(re2(pattern, true), replacement) : value);
const maskValues = (map: Record<string, Value>, pattern: string, replacement: string) => {
    for (const [key, value] of Object.entries(map)) map[key] = maskString(value, pattern, replacement);
};

/** Executes one rendered log-context statement on a record. */
function execute(statement: string, record: LogRecord): void {
    const args = literals(statement);
    let m: RegExpExecArray | null;
    if (/^delete_key\(log\.attributes, "[^"]+"\)$/.test(statement)) {
        delete record.attributes[args[0]];
    } else if (/^delete_matching_keys\(log\.attributes, /.test(statement)) {
        for (const key of Object.keys(record.attributes)) if (re2(args[0]).test(key)) delete record.attributes[key];
    } else if ((m = /^set\(log\.cache\["([^"]+)"\], log\.body\["([^"]+)"\]\) where IsMap\(log\.body\)$/.exec(statement))) {
        // OTTL's set ignores a nil value.
        if (isMap(record.body) && record.body[m[2]] !== undefined) record.cache[m[1]] = record.body[m[2]];
    } else if ((m = /^set\(log\.body\["([^"]+)"\], log\.cache\["([^"]+)"\]\) where log\.cache\["([^"]+)"\] != nil$/.exec(statement))) {
        if (record.cache[m[3]] !== undefined && isMap(record.body)) record.body[m[1]] = record.cache[m[2]];
    } else if (/^replace_pattern\(log\.body, "(?:[^"\\]|\\.)*", "[^"]*"\) where IsString\(log\.body\)$/.test(statement)) {
        record.body = maskString(record.body, args[0], args[1]);
    } else if (/^replace_all_patterns\(log\.body, "value", .* where IsMap\(log\.body\)$/.test(statement)) {
        if (isMap(record.body)) maskValues(record.body, args[1], args[2]);
    } else if (/^replace_all_patterns\(log\.attributes, "value", "(?:[^"\\]|\\.)*", "[^"]*"\)$/.test(statement)) {
        maskValues(record.attributes, args[1], args[2]);
    } else {
        throw new Error(`the test interpreter does not know this statement form: ${statement}`);
    }
}

/** The filter's one condition, `not (ns == a or ns == b ...)`: true drops the record. */
function dropped(condition: string, record: LogRecord): boolean {
    const form = /^not \((.*)\)$/.exec(condition);
    assert.ok(form, `unsupported condition: ${condition}`);
    const kept = form[1].split(" or ").map((part) => {
        const eq = /^resource\.attributes\["k8s\.namespace\.name"\] == "([^"]+)"$/.exec(part);
        assert.ok(eq, `unsupported comparison: ${part}`);
        return eq[1];
    });
    return !kept.includes(String(record.resource["k8s.namespace.name"]));
}

/** The stream statement: service.instance.id = Concat([ns, pod, container], ".") when unset. */
function nameStream(statement: string, record: LogRecord): void {
    const form = /^set\(resource\.attributes\["service\.instance\.id"\], Concat\(\[(.*)\], "\."\)\) where resource\.attributes\["service\.instance\.id"\] == nil$/.exec(statement);
    assert.ok(form, `unsupported statement: ${statement}`);
    const parts = [...form[1].matchAll(/resource\.attributes\["([^"]+)"\]/g)].map((p) => String(record.resource[p[1]]));
    if (record.resource["service.instance.id"] === undefined) record.resource["service.instance.id"] = parts.join(".");
}

/** The gateway's logs pipeline on one record; undefined when the filter drops it. */
function gatewayProcess(gateway: CollectorConfig, received: LogRecord): LogRecord | undefined {
    const record: LogRecord = structuredClone(received);
    const pipeline = gateway.service.pipelines[gatewayIds.logsPipeline];
    for (const id of pipeline.processors) {
        const processor = gateway.processors[id] as Record<string, any>;
        if (id === gatewayIds.logsFilter) {
            if ((processor.log_conditions as string[]).some((c) => dropped(c, record))) return undefined;
        } else if (id === gatewayIds.logsPii) {
            for (const group of processor.log_statements) for (const statement of group.statements) execute(statement, record);
            record.cache = {};
        } else if (id === gatewayIds.logStream) {
            for (const group of processor.log_statements) for (const statement of group.statements) nameStream(statement, record);
        } else {
            assert.ok(["memory_limiter", "batch"].includes(id), `unexpected processor ${id}`);
        }
    }
    return record;
}

/**
 * What awscloudwatchlogs writes without raw_log (exporter.go, logToCWLog): the record as JSON, its
 * body under `body` (a map stays an object), attributes and resource beside it, empty fields left out.
 */
function shippedMessage(record: LogRecord): string {
    return JSON.stringify({ body: record.body, attributes: record.attributes, resource: record.resource });
}

const grafanaPath = `/var/log/pods/${namespaces.grafana}_grafana-7d9f8-x2x4q_0b7c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3/grafana/0.log`;
const tempoPath = `/var/log/pods/${namespaces.tempo}_tempo-0_1a2b3c4d-0000-4000-8000-000000000001/tempo/0.log`;
const cri = (line: string) => `2026-12-01T10:00:00.123456789Z stdout F ${line}`;
const grafanaLine = (fields: Record<string, unknown>) =>
    cri(JSON.stringify({ logger: "context", t: "2026-12-01T10:00:00.12Z", level: "info", msg: "Request Completed", method: "POST", remote_addr: "10.20.1.17", time_ms: 3, size: 42, referer: "", ...fields }));
const failedLogin = grafanaLine({ userId: 0, orgId: 0, uname: "", path: "/login", status: 401, handler: "/login" });
const signedIn = grafanaLine({ userId: 7, orgId: 1, uname: "ivan.petrov@example.com", path: "/api/dashboards/uid/abc", status: 200, msg: "Request Completed for ivan.petrov@example.com, card 4111 1111 1111 1111" });
const tempoLine = cri('level=warn ts=2026-12-01T10:00:00Z caller=x.go:1 msg="slow query from +7 (916) 123-45-67"');

for (const stack of shippedStacks) {
    describe(`platform logs as the ${stack} configs ship them`, () => {
        const { agent, logAgent, gateway, settings, plan } = fleetConfigs(stack);
        const receiver = logAgent.receivers[logAgentIds.logsReceiver] as FileLogReceiverConfig;
        const names = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region);

        it("log agents read the container logs of the platform's namespaces (their own included) and nothing else", () => {
            assert.deepEqual([...receiver.include].sort(), platformLogGlobs().sort());
            assert.deepEqual(
                receiver.include.map((glob) => glob.split("/")[4]).sort(),
                Object.values(namespaces).map((ns) => `${ns}_*`).sort(),
            );
            for (const path of [
                grafanaPath,
                tempoPath,
                `/var/log/pods/${namespaces.collectors}_otel-agent-abcde_u1/otel-agent/3.log`,
                `/var/log/pods/${namespaces.nodeLogs}_otel-log-agent-fghij_u6/otel-log-agent/0.log`,
            ]) {
                assert.ok(receiver.include.some((glob) => globMatches(glob, path)), path);
            }
            for (const path of [
                "/var/log/pods/default_orders-api-5f6_u2/orders-api/0.log",
                "/var/log/pods/kube-system_aws-node-x_u3/aws-node/0.log",
                `/var/log/pods/${namespaces.grafana}-shadow_grafana-1_u4/grafana/0.log`,
                `/var/log/pods/${namespaces.grafana}_grafana-7d9f8-x2x4q_u5/grafana/0.log.20261201-100000`,
                "/var/log/containers/grafana-7d9f8-x2x4q_tracing-grafana_grafana-0123.log",
            ]) {
                assert.ok(!receiver.include.some((glob) => globMatches(glob, path)), `${path} must not be read`);
            }
        });

        it("log agents resume from stored offsets after a container restart, start at the end in a new pod, and parse the path for pod metadata", () => {
            assert.equal(receiver.start_at, "end");
            assert.equal(receiver.storage, logAgentIds.logOffsets);
            assert.deepEqual(logAgent.extensions[logAgentIds.logOffsets], { directory: logOffsetsDir, create_directory: false, timeout: "1s" });
            assert.ok(logAgent.service.extensions.includes(logAgentIds.logOffsets), "the storage extension is started");
            assert.equal(receiver.include_file_path, true, "the container operator reads log.file.path");
            assert.deepEqual(receiver.operators.map((o) => o.type), ["container", "json_parser"]);
        });

        it("log agents forward logs to the gateways over mutual TLS on the OTLP port, routed by resource, finding them by DNS", () => {
            const pipeline = logAgent.service.pipelines[logAgentIds.logsPipeline];
            assert.deepEqual(pipeline, { receivers: [logAgentIds.logsReceiver], processors: ["memory_limiter", "batch"], exporters: [logAgentIds.logsExporter] });
            const exporter = logAgent.exporters[logAgentIds.logsExporter] as Record<string, any>;
            const traces = agent.exporters[agentIds.tracesExporter] as Record<string, any>;
            assert.equal(exporter.routing_key, "resource");
            const headless = serviceDnsNames("gatewayHeadless").at(-1)!;
            // No API token: the headless Service's name answers with the ready gateway pods, dialled by address.
            assert.deepEqual(exporter.resolver, { dns: { hostname: headless, port: String(ports.otlpGrpc), interval: "5s", timeout: "1s" } });
            // The spans' client, but verifying the Service's name, which the gateways' certificate carries.
            assert.deepEqual(exporter.protocol, { otlp: { ...traces.protocol.otlp, tls: { ...traces.protocol.otlp.tls, server_name_override: headless } } });
            const gatewayCertificate = pkiPlan({ environment: settings.environment, grafanaHostname: settings.grafana.hostname, gatewayMaxReplicas: plan.gateway.maxReplicas, externalSenders: [] })
                .leaves.find((leaf) => leaf.id === "gatewayServer")!;
            assert.ok(gatewayCertificate.dnsNames.includes(headless));
        });

        it("the trace agents read no logs: no file_log receiver, no offsets, no logs pipeline (the OTLP receiver takes no logs either)", () => {
            assert.deepEqual(Object.keys(agent.receivers).filter((id) => id.startsWith("file_log")), []);
            assert.deepEqual(Object.keys(agent.extensions), ["health_check"]);
            assert.deepEqual(Object.keys(agent.service.pipelines).filter((name) => name.startsWith("logs")), []);
        });

        it("Grafana's JSON lines become map bodies; other lines stay strings", () => {
            const record = receive(receiver, failedLogin, grafanaPath);
            assert.ok(isMap(record.body));
            assert.equal(record.body.path, "/login");
            assert.equal(record.body.status, 401);
            assert.equal(record.resource["k8s.namespace.name"], namespaces.grafana);
            assert.equal(record.resource["k8s.container.name"], "grafana");
            assert.equal(typeof receive(receiver, tempoLine, tempoPath).body, "string");
            assert.equal(receive(receiver, cri("{not json"), grafanaPath).body, "{not json", "a line that is not JSON goes on as it is");
        });

        it("gateways ship the logs pipeline to the data plane's workload log group in the stack's region, through the logs endpoint's name", () => {
            assert.deepEqual(gateway.service.pipelines[gatewayIds.logsPipeline], {
                receivers: ["otlp"],
                processors: ["memory_limiter", gatewayIds.logsFilter, gatewayIds.logsPii, gatewayIds.logStream, "batch"],
                exporters: [gatewayIds.logsExporter],
            });
            assert.deepEqual(gateway.exporters[gatewayIds.logsExporter], {
                log_group_name: names.workloadLogGroup,
                log_stream_name: "{InstanceId}",
                region: settings.aws.region,
                endpoint: `https://logs.${settings.aws.region}.amazonaws.com`,
                raw_log: false,
                sending_queue: { queue_size: 1000, num_consumers: 2 },
            });
            assert.ok(!("log_retention" in (gateway.exporters[gatewayIds.logsExporter] as object)), "retention belongs to the group the program creates");
        });

        it("a failed Grafana login, as shipped, counts for the FailedGrafanaLogins alarm; a sign-in, Tempo's lines and other namespaces do not", () => {
            const pattern = detections([]).find((d) => d.metric === "FailedGrafanaLogins")!.pattern;
            const shipped = (line: string, path: string) => {
                const record = gatewayProcess(gateway, receive(receiver, line, path));
                assert.ok(record, `${path} is kept`);
                return shippedMessage(record);
            };
            assert.ok(matchesFilterPattern(pattern, shipped(failedLogin, grafanaPath)));
            assert.ok(!matchesFilterPattern(pattern, shipped(grafanaLine({ uname: "ivan", path: "/login", status: 302 }), grafanaPath)));
            assert.ok(!matchesFilterPattern(pattern, shipped(tempoLine, tempoPath)));
            // Unparsed, the line would sit in a string body where `$.body.path` does not exist.
            const unparsed = { body: failedLogin.split(" F ")[1], attributes: {}, resource: {}, cache: {} };
            assert.ok(!matchesFilterPattern(pattern, shippedMessage(unparsed)));
        });

        it("the shipped record names who acted (uname) and holds no e-mail, card or phone number otherwise", () => {
            const record = gatewayProcess(gateway, receive(receiver, signedIn, grafanaPath))!;
            assert.ok(isMap(record.body));
            assert.deepEqual(identityLogKeys, ["uname"]);
            assert.equal(record.body.uname, "ivan.petrov@example.com", "the signed-in login stays: rule 4 needs to know who acted");
            assert.equal(record.body.msg, "Request Completed for [REDACTED:email], card [REDACTED:card]");
            assert.equal(record.body.status, 200);
            assert.equal(record.resource["service.instance.id"], `${namespaces.grafana}.grafana-7d9f8-x2x4q.grafana`, "one log stream per container");
            const tempo = gatewayProcess(gateway, receive(receiver, tempoLine, tempoPath))!;
            assert.match(String(tempo.body), /slow query from \[REDACTED:phone\]"$/);
            const json = shippedMessage(record);
            assert.equal((json.match(/@/g) ?? []).length, 1, "the login is the only address left");
            assert.doesNotMatch(json, /4111/);
        });

        it("gateways drop records from any other namespace (senders with a client certificate cannot fill the group)", () => {
            const foreign = receive({ ...receiver, include: ["/var/log/pods/*/*/*.log"] }, grafanaLine({ path: "/", status: 200 }), "/var/log/pods/default_orders-api-5f6_u2/orders-api/0.log");
            assert.equal(gatewayProcess(gateway, foreign), undefined);
        });
    });

    describe(`platform logs against the recorded ${stack} stack`, () => {
        it("the exporter's log group is the data plane's KMS-encrypted group, with the environment's retention", async () => {
            const recording = await stackRecording(stack);
            const settings = settingsOf(recording);
            const gatewayConfig = yaml.parse(kubernetesObject(recording, "core/v1", "ConfigMap", "otel-gateway-config").inputs.data["config.yaml"]) as CollectorConfig;
            const exporter = gatewayConfig.exporters[gatewayIds.logsExporter] as { log_group_name: string };
            const groups = ofType(recording, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name === exporter.log_group_name);
            assert.equal(groups.length, 1, `the stack creates ${exporter.log_group_name}`);
            assert.equal(groups[0].inputs.retentionInDays, settings.retention.logDays);
            assert.equal(groups[0].inputs.kmsKeyId, recording.outputs.auditKeyArn, "encrypted with the audit key");
            // Grafana logs JSON to the console (what the agents parse), with a line per request.
            const ini = kubernetesObject(recording, "core/v1", "ConfigMap", "grafana-config").inputs.data["grafana.ini"] as string;
            for (const line of ["mode = console", "format = json", "router_logging = true"]) assert.ok(ini.split("\n").includes(line), line);
            const filter = ofType(recording, "aws:cloudwatch/logMetricFilter:LogMetricFilter").find((f) => f.inputs.name === `FailedGrafanaLogins-${settings.environment}`)!;
            assert.equal(filter.inputs.logGroupName, exporter.log_group_name, "the failed-login alarm reads the group the logs go to");
        });
    });
}
