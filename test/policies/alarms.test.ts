import * as assert from "assert";
import { securityMetrics } from "../../components/data-plane/detections";
import { defaultRequiredSecurityMetrics } from "../../policies/rules/alarms";
import { describeRule, ofType } from "./helpers";

const alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
const filterType = "aws:cloudwatch/logMetricFilter:LogMetricFilter";

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
});
