import * as assert from "assert";
import { securityMetrics } from "../../components/data-plane/detections";
import { defaultRequiredSecurityMetrics } from "../../policies/rules/alarms";
import type { EditableResource } from "../../policies/resource-shape";
import { describeRule, describeRuleOnRecordings, named, ofType, removeNamed } from "./helpers";

const alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
const filterType = "aws:cloudwatch/logMetricFilter:LogMetricFilter";

/** The DaysToExpiry alarm of a stack (golden or recorded). */
const expiryAlarm = (rs: readonly EditableResource[]) => {
    const found = rs.find((r) => r.type === alarmType && r.inputs.metricName === "DaysToExpiry");
    assert.ok(found, "no DaysToExpiry alarm");
    return found;
};

describe("policies: security alarms", () => {
    it("require by default exactly the metrics the SecurityAlarms component counts", () => {
        assert.deepStrictEqual([...defaultRequiredSecurityMetrics].sort(), [...securityMetrics].sort());
    });

    describeRule("cloudwatch-security-alarms-notify", [
        {
            title: "an alarm that notifies nobody, and one whose actions are disabled",
            change: (rs) => {
                const alarms = rs.filter((r) => r.type === alarmType);
                alarms[0].inputs.alarmActions = [];
                alarms[0].propertyDependencies = { ...alarms[0].propertyDependencies, alarmActions: [] };
                alarms[1].inputs.actionsEnabled = false;
            },
            expect: [
                "no alarm on 'UnauthorizedApiCalls' notifies anyone; set alarmActions to the alert topic and keep actionsEnabled.",
                "no alarm on 'BucketPolicyChanges' notifies anyone; set alarmActions to the alert topic and keep actionsEnabled.",
            ],
        },
        {
            title: "a filter without an alarm, and a required metric nobody counts",
            change: (rs) => {
                const alarm = rs.findIndex((r) => r.type === alarmType && r.inputs.metricName === "FailedVpnConnections");
                rs.splice(alarm, 1);
                const filter = rs.findIndex((r) => r.type === filterType && r.inputs.metricTransformation.name === "FailedGrafanaLogins");
                rs.splice(filter, 1);
            },
            expect: [
                "metric 'FailedVpnConnections' has a filter but no alarm; add a CloudWatch alarm on it.",
                "no CloudWatch Logs metric filter counts 'FailedGrafanaLogins'; add one on the log group that records it.",
            ],
        },
        {
            title: "an alarm on the right metric name in another namespace does not count",
            change: (rs) => {
                const alarm = rs.find((r) => r.type === alarmType && r.inputs.metricName === "KeyPolicyChanges");
                assert.ok(alarm);
                alarm.inputs.namespace = "Other";
            },
            expect: ["metric 'KeyPolicyChanges' has a filter but no alarm; add a CloudWatch alarm on it."],
        },
        {
            title: "compliant: an alarm naming the topic by a literal ARN",
            change: (rs) => {
                const alarm = ofType(rs, alarmType);
                alarm.propertyDependencies = { ...alarm.propertyDependencies, alarmActions: [] };
            },
            expect: [],
        },
    ]);

    describeRule("acm-imported-certificates-expiry-alarmed", [
        {
            title: "an imported certificate without an expiry alarm",
            change: removeNamed("tracing-vpn-server-expiry"),
            expect: ["imported certificate 'tracing-vpn-server-certificate' has no DaysToExpiry alarm; add one with its ARN as the CertificateArn dimension."],
        },
        {
            title: "an alarm that fires only while many days remain",
            change: (rs) => (expiryAlarm(rs).inputs.comparisonOperator = "GreaterThanThreshold"),
            expect: ["the DaysToExpiry alarm of 'tracing-vpn-server-certificate' never fires before expiry; use LessThanThreshold with a positive threshold."],
        },
        {
            title: "an alarm whose actions are disabled",
            change: (rs) => (expiryAlarm(rs).inputs.actionsEnabled = false),
            expect: ["the DaysToExpiry alarm of 'tracing-vpn-server-certificate' notifies nobody; set alarmActions to the alert topic and keep actionsEnabled."],
        },
        {
            title: "compliant: a certificate ACM issues renews itself and needs no alarm",
            change: (rs) => {
                const certificate = named(rs, "tracing-vpn-server-certificate");
                certificate.inputs = { domainName: "vpn.example.com", validationMethod: "DNS" };
                removeNamed("tracing-vpn-server-expiry")(rs);
            },
            expect: [],
        },
    ]);

    describeRuleOnRecordings("acm-imported-certificates-expiry-alarmed", [
        {
            title: "the VPN server certificate's alarm watches another certificate",
            change: (rs) => {
                const alarm = expiryAlarm(rs);
                alarm.inputs.dimensions = { CertificateArn: "arn:aws:acm:eu-west-1:333333333333:certificate/other" };
                alarm.propertyDependencies = { ...alarm.propertyDependencies, dimensions: [] };
            },
            expect: () => ["imported certificate 'tracing-server-certificate' has no DaysToExpiry alarm; add one with its ARN as the CertificateArn dimension."],
        },
        {
            title: "the VPN server certificate's alarm notifies nobody",
            change: (rs) => {
                const alarm = expiryAlarm(rs);
                alarm.inputs.alarmActions = [];
                alarm.propertyDependencies = { ...alarm.propertyDependencies, alarmActions: [] };
            },
            expect: () => ["the DaysToExpiry alarm of 'tracing-server-certificate' notifies nobody; set alarmActions to the alert topic and keep actionsEnabled."],
        },
    ]);
});
