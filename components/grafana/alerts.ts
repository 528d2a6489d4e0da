/**
 * Alert rules, contact point and notification policy as Grafana alerting provisioning, generated
 * from the systems catalogue (per system: errors per 1000 and p95 above objective; per queue:
 * processing time above objective) plus the platform's own rules over the collectors' telemetry.
 *
 * Each rule is defined once (expression, comparison, threshold, duration) and rendered twice: as
 * Grafana provisioning (query A, reduce B, threshold C) and as a Prometheus rules file, so the
 * Prometheus rule engine (`promtool test rules`) can prove the very same expression fires above
 * its threshold and stays quiet below it.
 *
 * Format: grafana/grafana docs/sources/alerting/set-up/provision-alerting-resources/file-provisioning
 * (apiVersion 1, groups/contactPoints/policies); the opentelemetry-demo provisioning files.
 */
import * as yaml from "yaml";
import type { TracedSystem } from "../platform/settings";
import { collectorSelfMetricLabels, collectorSelfMetricNames as otelcol, tempoExporterId } from "./collector-metrics";
import { datasourceUids, expressionDatasourceUid } from "./datasources";
import { dashboardUids, grafanaFolder, stableUid } from "./uids";
import { exporterFailureShare, platformAlertThresholds, queueFill, refusedShare } from "./platform-queries";
import { equals, sumIncrease, sumRate } from "./promql";
import * as seed from "./slo-queries";
import { durationInHistogramUnit, spanMetricLabels, spanMetricNames } from "../platform/span-metrics";

/** Window the SLO rules rate over. */
export const alertWindow = "5m";

/**
 * Sampled requests a system (or queue) must have served in the window before its SLO rules judge
 * it: below about ten a minute one slow or failed request swings any ratio past its objective.
 */
export const minimumSampledRequests = 50;

/** Where a rule's threshold comes from: a catalogue objective of a system, or a platform constant. */
export type ThresholdSource =
    | { readonly kind: "system"; readonly systemId: string; readonly objective: "errorsPer1000Slo" | "latencySloP95Ms" | "queueProcessingSloMs" }
    | { readonly kind: "platform"; readonly threshold: keyof typeof platformAlertThresholds };

export interface AlertDefinition {
    /** Stable uid (Grafana rule uid). */
    readonly uid: string;
    /** Alert name (Prometheus `alert`, Grafana title). */
    readonly name: string;
    /** Rule group: one per system, one for the platform. */
    readonly group: string;
    /** The value the threshold applies to. */
    readonly expr: string;
    /** Fires while expr > threshold (for `for`). */
    readonly threshold: number;
    readonly thresholdSource: ThresholdSource;
    readonly for: string;
    readonly severity: "critical" | "warning";
    readonly labels: Readonly<Record<string, string>>;
    readonly summary: string;
    readonly description: string;
    /** Dashboard the alert links to. */
    readonly dashboardUid: string;
}

/** `value and on(...) (sampled requests in the window >= minimum)` */
function withEnoughTraffic(value: string, countMetric: string, matchers: Parameters<typeof sumIncrease>[1], by: readonly string[] = []): string {
    const traffic = sumIncrease(countMetric, matchers, alertWindow, by);
    return `(${value}) and on(${by.join(", ")}) (${traffic} >= ${minimumSampledRequests})`;
}

export function systemAlerts(system: TracedSystem): AlertDefinition[] {
    const group = `slo-${system.id}`;
    const labels = { system: system.id };
    const dashboardUid = dashboardUids.system(system);
    const requests = seed.requestMatchers(system);
    const alerts: AlertDefinition[] = [
        {
            uid: stableUid("slo", system.id, "errors"),
            name: `${system.displayName}: errors per 1000 requests above objective`,
            group,
            expr: withEnoughTraffic(seed.errorsPer1000(system, alertWindow), spanMetricNames.calls, requests),
            threshold: system.errorsPer1000Slo,
            thresholdSource: { kind: "system", systemId: system.id, objective: "errorsPer1000Slo" },
            for: "5m",
            severity: "critical",
            labels,
            summary: `${system.displayName} fails more than ${system.errorsPer1000Slo} requests per 1000.`,
            description: `Errors per 1000 requests over ${alertWindow} (span metrics, before sampling) exceeded the objective of ${system.errorsPer1000Slo} for 5 minutes. Open the system dashboard's error traces.`,
            dashboardUid,
        },
        {
            uid: stableUid("slo", system.id, "p95"),
            name: `${system.displayName}: p95 response time above objective`,
            group,
            expr: withEnoughTraffic(seed.latencyQuantile(system, 0.95, alertWindow), spanMetricNames.durationCount, requests),
            threshold: durationInHistogramUnit(system.latencySloP95Ms),
            thresholdSource: { kind: "system", systemId: system.id, objective: "latencySloP95Ms" },
            for: "10m",
            severity: "warning",
            labels,
            summary: `${system.displayName} p95 response time is above ${system.latencySloP95Ms} ms.`,
            description: `p95 of request span durations over ${alertWindow} exceeded ${system.latencySloP95Ms} ms for 10 minutes. Slow traces are always kept by tail sampling; open the system dashboard's slow traces.`,
            dashboardUid,
        },
    ];
    if (system.kind === "queue" && system.queueProcessingSloMs !== undefined) {
        alerts.push({
            uid: stableUid("slo", system.id, "queue"),
            name: `${system.displayName}: message processing time above objective`,
            group,
            expr: withEnoughTraffic(
                seed.queueProcessingQuantile(system, 0.95, alertWindow),
                spanMetricNames.durationCount,
                seed.queueMatchers(system),
                [spanMetricLabels.queue],
            ),
            threshold: durationInHistogramUnit(system.queueProcessingSloMs),
            thresholdSource: { kind: "system", systemId: system.id, objective: "queueProcessingSloMs" },
            for: "10m",
            severity: "warning",
            labels,
            summary: `p95 message processing time on a queue of ${system.displayName} is above ${system.queueProcessingSloMs} ms.`,
            description: `p95 of CONSUMER span durations per queue (${spanMetricLabels.queue}) over ${alertWindow} exceeded ${system.queueProcessingSloMs} ms for 10 minutes.`,
            dashboardUid,
        });
    }
    return alerts;
}

export function platformAlerts(): AlertDefinition[] {
    const group = "platform";
    const dashboardUid = dashboardUids.platform;
    const t = platformAlertThresholds;
    const tempoExporter = [equals(collectorSelfMetricLabels.exporter, tempoExporterId)];
    const rule = (
        id: string,
        name: string,
        expr: string,
        threshold: keyof typeof t,
        forDuration: string,
        severity: AlertDefinition["severity"],
        summary: string,
        description: string,
    ): AlertDefinition => ({
        uid: stableUid("platform", id),
        name,
        group,
        expr,
        threshold: t[threshold],
        thresholdSource: { kind: "platform", threshold },
        for: forDuration,
        severity,
        labels: { system: "tracing-platform" },
        summary,
        description,
        dashboardUid,
    });
    return [
        rule("refused-spans", "Collectors refuse spans", refusedShare(alertWindow), "refusedShare", "5m", "critical",
            "Collectors refuse incoming spans.",
            "Receivers refused more than 0.1% of offered spans for 5 minutes (memory limiter or a full pipeline). Senders see errors and lose spans they cannot retry. Scale the gateways or raise their memory."),
        rule("dropped-spans", "Collectors drop spans (sending queue full)", sumRate(otelcol.exporterEnqueueFailedSpans, [], alertWindow, [collectorSelfMetricLabels.exporter]), "droppedPerSecond", "2m", "critical",
            "A collector exporter drops spans because its sending queue is full.",
            "Spans are being discarded at the sending queue: the destination has been down or slow for longer than the queue can buffer."),
        rule("queue-filling", "Collector sending queue filling up", queueFill(), "queueFill", "5m", "warning",
            "A collector sending queue is more than 80% full.",
            "The destination behind this exporter is slow or unavailable; once the queue is full, spans are dropped."),
        rule("exporter-span-failures", "Collector exporter failing to send spans", exporterFailureShare("spans", alertWindow), "exporterFailureShare", "5m", "critical",
            "An exporter gives up on more than 1% of spans after retries.",
            "Spans given up after retries are lost. Check the exporter's destination and credentials."),
        rule("exporter-metric-failures", "Span metrics remote write failing", exporterFailureShare("metricPoints", alertWindow), "exporterFailureShare", "5m", "critical",
            "An exporter gives up on more than 1% of metric points (the span metrics) after retries.",
            "Dashboards and SLO alerts read these metrics: while remote write fails they go blind. Check the workspace, SigV4 role and throttling."),
        rule("tail-sampling-dropped-too-early", "Tail sampling drops traces before deciding", sumRate(otelcol.tailSamplingTracesDroppedTooEarly, [], alertWindow), "droppedTooEarlyPerSecond", "5m", "warning",
            "Gateways evict traces before their sampling decision.",
            "num_traces is too small for the load: traces are dropped unsampled, errors and slow traces included. Raise num_traces or add gateways."),
        rule("tempo-ingestion", "Tempo ingestion failing", sumRate(otelcol.exporterSendFailedSpans, tempoExporter, alertWindow), "tempoFailedPerSecond", "2m", "critical",
            "The gateways cannot deliver spans to Tempo.",
            `The ${tempoExporterId} exporter gives up on spans after retries: Tempo rejects or cannot be reached, and the traces are lost. Check Tempo's ingest, its certificates and the NetworkPolicy.`),
        rule("span-metrics-missing", "Span metrics missing", `absent_over_time(${spanMetricNames.calls}[10m])`, "spanMetricsMissing", "5m", "critical",
            "No span metrics have reached the metrics workspace for 10 minutes.",
            "Every SLO alert is silent while span metrics are missing. Check the gateways' remote write and the workspace."),
    ];
}

export function allAlerts(systems: readonly TracedSystem[]): AlertDefinition[] {
    return [...systems.flatMap(systemAlerts), ...platformAlerts()];
}

/** Name of the provisioned contact point (kept from its e-mail days: policies and silences refer to it). */
export const contactPointName = "tracing-oncall-email";

/** Grafana alerting's Amazon SNS integration (grafana/alerting receivers/sns, schema v1). */
export const snsReceiverType = "sns";

/** Labels every alert rule carries that the notification subject shows. */
export const subjectLabels = ["severity", "system"] as const;

/**
 * Subject of the notification (the e-mail subject SNS sends). SNS accepts only ASCII subjects
 * under 100 characters, and rule titles carry the catalogue's display names, which need not be
 * ASCII; so the subject shows the status, count and the ASCII-only labels (severity, system id),
 * and the default message (alert titles, summaries, links) goes into the body.
 */
export const notificationSubject =
    `[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ` +
    subjectLabels.map((label) => `{{ .CommonLabels.${label} }}`).join(" ") +
    " (tracing platform)";

/** Where Grafana delivers notifications: the environment's SNS topic. */
export interface AlertDelivery {
    /** ARN of the alert topic. */
    readonly topicArn: string;
    /** Region of the topic (Pod Identity does not tell the AWS SDK a region). */
    readonly region: string;
}

/**
 * The one receiver: publish to the SNS topic with the pod's default AWS credential chain (EKS Pod
 * Identity), so the provisioning carries no key. Settings keys: grafana/alerting
 * receivers/sns/v1/config.go (topic_arn, sigv4.region, subject; api_url left unset so the SDK's
 * regional endpoint resolves to the perimeter's private-DNS interface endpoint).
 */
export function snsReceiver(delivery: AlertDelivery) {
    return {
        uid: contactPointName,
        type: snsReceiverType,
        settings: { topic_arn: delivery.topicArn, sigv4: { region: delivery.region }, subject: notificationSubject },
        disableResolveMessage: false,
    };
}

interface GrafanaAlertQuery {
    readonly refId: string;
    readonly relativeTimeRange: { readonly from: number; readonly to: number };
    readonly datasourceUid: string;
    readonly model: Readonly<Record<string, unknown>>;
}

export interface GrafanaAlertRule {
    readonly uid: string;
    readonly title: string;
    readonly condition: string;
    readonly data: readonly GrafanaAlertQuery[];
    readonly noDataState: "OK" | "NoData" | "Alerting";
    readonly execErrState: "Error" | "Alerting" | "OK";
    readonly for: string;
    readonly annotations: Readonly<Record<string, string>>;
    readonly labels: Readonly<Record<string, string>>;
    readonly isPaused: boolean;
}

export interface AlertingProvisioning {
    readonly apiVersion: 1;
    readonly groups: readonly {
        readonly orgId: number;
        readonly name: string;
        readonly folder: string;
        readonly interval: string;
        readonly rules: readonly GrafanaAlertRule[];
    }[];
    readonly contactPoints: readonly {
        readonly orgId: number;
        readonly name: string;
        readonly receivers: readonly { readonly uid: string; readonly type: string; readonly settings: Readonly<Record<string, unknown>>; readonly disableResolveMessage: boolean }[];
    }[];
    readonly policies: readonly Readonly<Record<string, unknown>>[];
}

function grafanaRule(alert: AlertDefinition): GrafanaAlertRule {
    return {
        uid: alert.uid,
        title: alert.name,
        condition: "C",
        data: [
            {
                refId: "A",
                // Enough history for the widest range selector in the expression.
                relativeTimeRange: { from: 900, to: 0 },
                datasourceUid: datasourceUids.metrics,
                model: { refId: "A", expr: alert.expr, instant: true, range: false, intervalMs: 60000, maxDataPoints: 43200 },
            },
            {
                refId: "B",
                relativeTimeRange: { from: 0, to: 0 },
                datasourceUid: expressionDatasourceUid,
                model: { refId: "B", type: "reduce", expression: "A", reducer: "last" },
            },
            {
                refId: "C",
                relativeTimeRange: { from: 0, to: 0 },
                datasourceUid: expressionDatasourceUid,
                model: { refId: "C", type: "threshold", expression: "B", conditions: [{ evaluator: { type: "gt", params: [alert.threshold] } }] },
            },
        ],
        // No series means no traffic (or, for the absence rule, metrics present): not an alert.
        noDataState: "OK",
        execErrState: "Error",
        for: alert.for,
        annotations: { summary: alert.summary, description: alert.description, dashboard: `/d/${alert.dashboardUid}` },
        labels: { ...alert.labels, severity: alert.severity },
        isPaused: false,
    };
}

/** Groups alerts by rule group, keeping first-seen order. */
function grouped(alerts: readonly AlertDefinition[]): [string, AlertDefinition[]][] {
    const groups = new Map<string, AlertDefinition[]>();
    for (const alert of alerts) groups.set(alert.group, [...(groups.get(alert.group) ?? []), alert]);
    return [...groups.entries()];
}

/** Rule evaluation interval of every group. */
export const evaluationInterval = "1m";

export function grafanaAlerting(systems: readonly TracedSystem[], delivery: AlertDelivery): AlertingProvisioning {
    return {
        apiVersion: 1,
        groups: grouped(allAlerts(systems)).map(([name, alerts]) => ({
            orgId: 1,
            name,
            folder: grafanaFolder.title,
            interval: evaluationInterval,
            rules: alerts.map(grafanaRule),
        })),
        contactPoints: [
            {
                orgId: 1,
                name: contactPointName,
                receivers: [snsReceiver(delivery)],
            },
        ],
        policies: [
            {
                orgId: 1,
                receiver: contactPointName,
                group_by: ["grafana_folder", "alertname", "system"],
                group_wait: "30s",
                group_interval: "5m",
                repeat_interval: "4h",
            },
        ],
    };
}

export function renderAlerting(provisioning: AlertingProvisioning): string {
    return yaml.stringify(provisioning, { lineWidth: 0 });
}

/**
 * The same rules as a Prometheus rules file (`expr > threshold`), for the Prometheus rule engine:
 * `promtool test rules` evaluates it against synthetic series.
 */
export function prometheusRules(alerts: readonly AlertDefinition[]): string {
    return yaml.stringify({
        groups: grouped(alerts).map(([name, rules]) => ({
            name,
            interval: evaluationInterval,
            rules: rules.map((alert) => ({
                alert: alert.name,
                expr: `(${alert.expr}) > ${alert.threshold}`,
                for: alert.for,
                labels: { ...alert.labels, severity: alert.severity },
                annotations: { summary: alert.summary },
            })),
        })),
    }, { lineWidth: 0 });
}
