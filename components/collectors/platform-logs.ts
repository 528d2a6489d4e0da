/**
 * The platform's own logs (Grafana's router and sign-in log, Tempo's and the collectors' logs):
 * each log agent tails the container log files of the platform's namespaces on its node, and the
 * gateways scrub them and write them to the KMS-encrypted workload log group in CloudWatch Logs.
 *
 * Component settings, at the release each stack pins (evidence in test/collectors/component-keys.test.ts):
 *  - file_log receiver: receiver/filelogreceiver README; its `container` and `json_parser`
 *    operators: pkg/stanza/docs/operators/container.md and json_parser.md;
 *  - awscloudwatchlogs exporter: exporter/awscloudwatchlogsexporter README and exporter.go, which
 *    without `raw_log` writes each record as JSON with the record's body under `body` (a map body
 *    stays a JSON object, so a metric filter can select `$.body.path`).
 */
import { namespaces } from "../platform/names";
import { ottlString } from "./pii-scrubbing";
import type { AwsCloudWatchLogsExporterConfig, FileLogReceiverConfig, FilterConfig, TransformConfig } from "./config-types";

/** Where the kubelet keeps container logs: `<namespace>_<pod>_<uid>/<container>/<restart>.log` (CRI logging). */
export const podLogsDir = "/var/log/pods";

/** The log agent's directory for its file offsets (an emptyDir: survives container restarts, not pod replacement). */
export const logOffsetsDir = "/var/lib/otelcol/offsets";

/** Only the platform's own namespaces: a namespace name has no `_`, so `<ns>_*` matches that namespace alone. */
export function platformLogGlobs(): string[] {
    return Object.values(namespaces).map((namespace) => `${podLogsDir}/${namespace}_*/*/*.log`);
}

/**
 * The file_log receiver. `start_at: end` with offsets in file_storage: a restarted container resumes
 * where it stopped, while a new log agent pod (rollout, new node) starts at the end instead of re-reading
 * every file on the node, which would ship old lines again and re-count old failed logins into the
 * alarm. `include_file_path` feeds the container operator, which takes namespace, pod and container
 * from the path. A line that is a JSON object (Grafana and the collectors log JSON) becomes a map
 * body; any other line (Tempo's logfmt) stays a string.
 */
export function platformLogReceiver(storage: string): FileLogReceiverConfig {
    return {
        include: platformLogGlobs(),
        start_at: "end",
        include_file_path: true,
        include_file_name: false,
        storage,
        // Downstream refusals (memory limiter, gateways away) pause reading instead of dropping lines.
        retry_on_failure: { enabled: true },
        operators: [
            { type: "container", id: "container-parser" },
            { type: "json_parser", id: "json-line", if: 'body matches "^\\\\s*\\\\{"', parse_from: "body", parse_to: "body", on_error: "send_quiet" },
        ],
    };
}

/** Drops every record whose resource is not a platform namespace: the workload log group holds the platform's logs only. */
export function platformLogsFilter(): FilterConfig {
    const own = Object.values(namespaces).map((namespace) => `resource.attributes["k8s.namespace.name"] == ${ottlString(namespace)}`);
    return { error_mode: "ignore", log_conditions: [`not (${own.join(" or ")})`] };
}

/** The exporter's log stream: one per container, named as the semantic conventions name a Kubernetes service instance. */
export const logStreamName = "{InstanceId}";

/**
 * Sets `service.instance.id` (what `{InstanceId}` reads) to `<namespace>.<pod>.<container>`, the
 * value the OpenTelemetry semantic conventions give a service instance on Kubernetes.
 */
export function logStreamProcessor(): TransformConfig {
    const part = (key: string) => `resource.attributes[${ottlString(key)}]`;
    const id = part("service.instance.id");
    return {
        error_mode: "ignore",
        log_statements: [
            {
                statements: [
                    `set(${id}, Concat([${part("k8s.namespace.name")}, ${part("k8s.pod.name")}, ${part("k8s.container.name")}], ".")) where ${id} == nil`,
                ],
            },
        ],
    };
}

export interface WorkloadLogExporterInput {
    /** The workload log group (created by the data plane: KMS key, retention). */
    readonly logGroupName: string;
    /** Region of the log group. */
    readonly region: string;
}

/**
 * The CloudWatch Logs exporter. The group exists (the program creates it with its key and
 * retention); the exporter creates only the streams, and its role may not create groups, so a
 * missing group fails loudly instead of appearing unencrypted and never expiring. The endpoint is
 * the regional name, which the logs interface endpoint's private DNS answers inside the VPC.
 */
export function workloadLogExporter(input: WorkloadLogExporterInput): AwsCloudWatchLogsExporterConfig {
    return {
        log_group_name: input.logGroupName,
        log_stream_name: logStreamName,
        region: input.region,
        endpoint: `https://logs.${input.region}.amazonaws.com`,
        // The record as JSON (body, severity, attributes, resource): the alarms select fields of the body.
        raw_log: false,
        sending_queue: { queue_size: 1000, num_consumers: 2 },
    };
}
