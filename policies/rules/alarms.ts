/**
 * Alarms on suspicious activity: every required CloudWatch Logs metric filter (CIS AWS Foundations
 * section 4 style, plus failed VPN connections and failed Grafana logins) exists, and an alarm on
 * its metric notifies an SNS topic, so suspicious activity reaches a person and not only a graph.
 * Likewise every certificate imported into ACM, which nothing but the next deploy renews, has an
 * expiry alarm that notifies a topic.
 */
import type { PolicyResource } from "@pulumi/policy";
import { rulesFor } from "./lib/define";
import { mutation, pick } from "./lib/mutate";
import type { StackView } from "./lib/stack-view";
import { asList, isRecord, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

const { stackRule } = rulesFor("alarms");

export const alarmTypes = {
    metricFilter: ["aws:cloudwatch/logMetricFilter:LogMetricFilter"],
    metricAlarm: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    topic: ["aws:sns/topic:Topic"],
    certificate: ["aws:acm/certificate:Certificate"],
} as const;

/** Metric names the platform's SecurityAlarms component counts (securityMetrics in the data plane; a test keeps both equal). */
export const defaultRequiredSecurityMetrics = [
    "UnauthorizedApiCalls", "BucketPolicyChanges", "KeyPolicyChanges", "SecurityGroupChanges", "ClientVpnChanges", "FailedVpnConnections", "FailedGrafanaLogins",
];

function transformations(filter: PolicyResource): { name?: unknown; namespace?: unknown }[] {
    return asList(filter.props.metricTransformation).filter(isRecord);
}

/** True when the alarm's actions name an SNS topic: a topic of the stack, or a literal topic ARN. */
function notifiesTopic(view: StackView, alarm: PolicyResource): boolean {
    if (alarm.props.actionsEnabled === false) return false;
    const actions = stringList(alarm.props.alarmActions);
    const topics = view.ofType(alarmTypes.topic);
    return actions.some((action) => action.startsWith("arn:aws:sns:")) || topics.some((topic) => view.dependsThrough(alarm, "alarmActions", topic));
}

const securityAlarmsNotify = stackRule<{ requiredMetrics: string[] }>({
    name: "cloudwatch-security-alarms-notify",
    description:
        "Each required suspicious-activity metric (unauthorized API calls, bucket policy, key policy, security group and " +
        "Client VPN changes, failed VPN connections, failed Grafana logins) has a CloudWatch Logs metric filter and an " +
        "enabled alarm on that metric whose alarmActions notify an SNS topic. Fix: keep the SecurityAlarms component in " +
        "the program with alertTopicArn set.",
    severity: "high",
    securityRule: 4,
    controls: [
        "CIS AWS 4.1",
        "CIS AWS 4.7",
        "CIS AWS 4.8",
        "CIS AWS 4.10",
        "Security Hub CloudWatch.2",
        "Security Hub CloudWatch.7",
        "Security Hub CloudWatch.8",
        "Security Hub CloudWatch.10",
    ],
    config: {
        requiredMetrics: {
            type: "array",
            items: { type: "string" },
            default: defaultRequiredSecurityMetrics,
            description: "Metric names that must each have a metric filter and a notifying alarm.",
        },
    },
    appliesTo: ["aws:cloudtrail/trail:Trail", "aws:cloudwatch/logGroup:LogGroup"],
    validate: ({ view, config }, report) => {
        const filters = view.ofType(alarmTypes.metricFilter);
        const alarms = view.ofType(alarmTypes.metricAlarm);
        for (const metric of config.requiredMetrics) {
            const counting = filters.filter((filter) => transformations(filter).some((t) => t.name === metric));
            if (counting.length === 0) {
                report(`no CloudWatch Logs metric filter counts '${metric}'; add one on the log group that records it.`);
                continue;
            }
            const namespaces = counting.flatMap((filter) => transformations(filter).filter((t) => t.name === metric).map((t) => t.namespace));
            const watching = alarms.filter((alarm) => alarm.props.metricName === metric && namespaces.includes(alarm.props.namespace));
            if (watching.length === 0) report(`metric '${metric}' has a filter but no alarm; add a CloudWatch alarm on it.`);
            else if (!watching.some((alarm) => notifiesTopic(view, alarm))) {
                report(`no alarm on '${metric}' notifies anyone; set alarmActions to the alert topic and keep actionsEnabled.`, watching[0].urn);
            }
        }
    },
    violate: mutation("drop the notification of the first security alarm", (resources) => {
        const alarm = pick(resources, alarmTypes.metricAlarm, "CloudWatch alarm on a security metric", (r) =>
            defaultRequiredSecurityMetrics.includes(String(r.inputs.metricName)),
        );
        alarm.inputs.alarmActions = [];
        if (alarm.propertyDependencies) alarm.propertyDependencies.alarmActions = [];
    }),
});

/** ACM's daily metric of an imported certificate's remaining days (components/pki/expiry-alarm.ts). */
const daysToExpiry = { namespace: "AWS/CertificateManager", metricName: "DaysToExpiry" } as const;

/** Imported certificates carry their own body and key; ACM renews only the ones it issued (domainName). */
function isImported(certificate: PolicyResource): boolean {
    return certificate.props.certificateBody !== undefined || certificate.props.privateKey !== undefined;
}

/** An alarm fires on falling DaysToExpiry only below a positive threshold: "greater than" never warns before expiry. */
function warnsBeforeExpiry(alarm: PolicyResource): boolean {
    const operator = String(alarm.props.comparisonOperator ?? "");
    return (operator === "LessThanThreshold" || operator === "LessThanOrEqualToThreshold") && typeof alarm.props.threshold === "number" && alarm.props.threshold > 0;
}

const importedCertificatesExpiryAlarmed = stackRule({
    name: "acm-imported-certificates-expiry-alarmed",
    description:
        "Every certificate imported into ACM (the Client VPN server certificate) has an enabled CloudWatch alarm on its " +
        "AWS/CertificateManager DaysToExpiry (dimension CertificateArn from that certificate) that fires below a positive " +
        "threshold and notifies an SNS topic, because ACM never renews an imported certificate and a missed deploy would " +
        "otherwise go unnoticed until the VPN stops. Fix: keep the CertificateExpiryAlarm component next to the imported " +
        "certificate, with topicArn set to the alert topic.",
    severity: "medium",
    securityRule: 1,
    controls: ["Security Hub ACM.1"],
    appliesTo: alarmTypes.certificate,
    validate: ({ view }, report) => {
        const alarms = view.ofType(alarmTypes.metricAlarm).filter((alarm) => alarm.props.namespace === daysToExpiry.namespace && alarm.props.metricName === daysToExpiry.metricName);
        view.each(view.ofType(alarmTypes.certificate).filter(isImported), (certificate) => {
            const watching = alarms.filter((alarm) => view.dependsThrough(alarm, "dimensions", certificate) && isRecord(alarm.props.dimensions) && "CertificateArn" in alarm.props.dimensions);
            if (watching.length === 0) report(`imported certificate '${certificate.name}' has no DaysToExpiry alarm; add one with its ARN as the CertificateArn dimension.`, certificate.urn);
            else if (!watching.some(warnsBeforeExpiry)) report(`the DaysToExpiry alarm of '${certificate.name}' never fires before expiry; use LessThanThreshold with a positive threshold.`, watching[0].urn);
            else if (!watching.some((alarm) => warnsBeforeExpiry(alarm) && notifiesTopic(view, alarm))) {
                report(`the DaysToExpiry alarm of '${certificate.name}' notifies nobody; set alarmActions to the alert topic and keep actionsEnabled.`, watching[0].urn);
            }
        });
    },
    violate: mutation("drop the notification of the imported certificate's expiry alarm", (resources) => {
        const alarm = pick(resources, alarmTypes.metricAlarm, "DaysToExpiry alarm", (r) => r.inputs.metricName === daysToExpiry.metricName);
        alarm.inputs.alarmActions = [];
        if (alarm.propertyDependencies) alarm.propertyDependencies.alarmActions = [];
    }),
});

export const alarmRules: readonly RuleDefinition[] = [securityAlarmsNotify, importedCertificatesExpiryAlarmed];
