/**
 * Alert rules, contact point and notification policy as Grafana alerting provisioning: the SLO
 * rules generated from the systems catalogue (slo-alerts.ts) and the platform's own rules
 * (platform-alerts.ts).
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
import { datasourceUids, expressionDatasourceUid } from "./datasources";
import { grafanaFolder } from "./uids";
import type { AlertDefinition } from "./alert-definition";
import { platformAlerts } from "./platform-alerts";
import { systemAlerts } from "./slo-alerts";

export { alertWindow, minimumSampledRequests, type AlertDefinition, type ThresholdSource } from "./alert-definition";
export { systemAlerts } from "./slo-alerts";
export { platformAlerts } from "./platform-alerts";

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
