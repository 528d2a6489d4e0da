import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, editYaml, named } from "./helpers";

const collector = (rs: EditableResource[], change: (document: any) => void) => editYaml(rs, "otel-gateway-config", "config.yaml", change);
const gatewayFile = "ConfigMap 'tracing-collectors/otel-gateway-config' file 'config.yaml'";

describe("policies: collector configuration", () => {
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

    describeRule("collector-platform-logs-shipped-encrypted", [
        {
            title: "no collector ships logs (the pipeline removed)",
            change: (rs) => collector(rs, (d) => delete d.service.pipelines.logs),
            expect: ["no collector config ships the platform's logs: Grafana's access and sign-in log stays on the nodes; add the gateways' logs pipeline to CloudWatch Logs."],
        },
        {
            title: "the logs pipeline unscrubbed, to a log group the stack does not create",
            change: (rs) =>
                collector(rs, (d) => {
                    d.service.pipelines.logs.processors = ["memory_limiter", "batch"];
                    d.exporters.awscloudwatchlogs.log_group_name = "/aws/eks/shared/application";
                }),
            expect: [
                `${gatewayFile}: logs pipeline 'logs' writes to CloudWatch Logs without a PII scrubbing processor.`,
                `${gatewayFile}: exporter 'awscloudwatchlogs' writes log group '/aws/eks/shared/application', which this stack does not create (so nothing sets its key and retention).`,
            ],
        },
        {
            title: "the log group removed from the stack",
            change: (rs) => void rs.splice(rs.indexOf(named(rs, "tracing-workload-logs")), 1),
            expect: [`${gatewayFile}: exporter 'awscloudwatchlogs' writes log group '/tracing/prod/workloads', which this stack does not create (so nothing sets its key and retention).`],
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
});
