/**
 * Alarms on suspicious activity: each metric filter pattern, parsed by a small evaluator of the
 * CloudWatch Logs JSON filter-pattern syntax, matches a sample event of the kind it watches and
 * not a benign neighbour (CIS AWS Foundations 4.x, Security Hub CloudWatch.1-14); and both real
 * stacks put each filter on the right log group and each alarm on the alert topic.
 */
import { strict as assert } from "assert";
import { detections, securityMetrics, type Detection } from "../../components/data-plane/detections";
import { awsResourceNames } from "../../components/platform/names";
import { parseSettings } from "../../components/platform/settings";
import { ofType, shippedStacks, stackRecording } from "../harness/program";
import { matchesFilterPattern, parseFilterPattern } from "./filter-pattern";

const buckets = ["tracing-traces-dev-111122223333-eu-west-1", "tracing-audit-dev-111122223333-eu-west-1"];
const byMetric = (metric: Detection["metric"]) => {
    const found = detections(buckets).find((d) => d.metric === metric);
    assert.ok(found, metric);
    return found;
};
const trailEvent = (fields: Record<string, unknown>) =>
    JSON.stringify({ eventVersion: "1.09", userIdentity: { type: "AssumedRole" }, awsRegion: "eu-west-1", ...fields });

/** Per detection: events that must raise the count, and benign ones that must not. */
const samples: Record<Detection["metric"], { readonly matching: readonly string[]; readonly benign: readonly string[] }> = {
    UnauthorizedApiCalls: {
        matching: [
            trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "DescribeInstances", errorCode: "Client.UnauthorizedOperation" }),
            trailEvent({ eventSource: "s3.amazonaws.com", eventName: "GetObject", errorCode: "AccessDenied" }),
            trailEvent({ eventSource: "kms.amazonaws.com", eventName: "Decrypt", errorCode: "AccessDeniedException" }),
        ],
        benign: [
            trailEvent({ eventSource: "s3.amazonaws.com", eventName: "GetObject" }),
            trailEvent({ eventSource: "s3.amazonaws.com", eventName: "GetObject", errorCode: "NoSuchKey" }),
        ],
    },
    BucketPolicyChanges: {
        matching: [
            trailEvent({ eventSource: "s3.amazonaws.com", eventName: "PutBucketPolicy", requestParameters: { bucketName: buckets[0] } }),
            trailEvent({ eventSource: "s3.amazonaws.com", eventName: "DeleteBucketPublicAccessBlock", requestParameters: { bucketName: buckets[1] } }),
        ],
        benign: [
            trailEvent({ eventSource: "s3.amazonaws.com", eventName: "PutObject", requestParameters: { bucketName: buckets[0] } }),
            trailEvent({ eventSource: "s3.amazonaws.com", eventName: "PutBucketPolicy", requestParameters: { bucketName: "another-teams-bucket" } }),
        ],
    },
    KeyPolicyChanges: {
        matching: [
            trailEvent({ eventSource: "kms.amazonaws.com", eventName: "PutKeyPolicy" }),
            trailEvent({ eventSource: "kms.amazonaws.com", eventName: "ScheduleKeyDeletion" }),
            trailEvent({ eventSource: "kms.amazonaws.com", eventName: "DisableKey" }),
        ],
        benign: [trailEvent({ eventSource: "kms.amazonaws.com", eventName: "GenerateDataKey" }), trailEvent({ eventSource: "kms.amazonaws.com", eventName: "EnableKey" })],
    },
    SecurityGroupChanges: {
        matching: [
            trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "AuthorizeSecurityGroupIngress" }),
            trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "ModifySecurityGroupRules" }),
        ],
        benign: [trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "DescribeSecurityGroups" })],
    },
    ClientVpnChanges: {
        matching: [
            trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "ModifyClientVpnEndpoint" }),
            trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "AuthorizeClientVpnIngress" }),
        ],
        benign: [
            trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "DescribeClientVpnEndpoints" }),
            trailEvent({ eventSource: "ec2.amazonaws.com", eventName: "ExportClientVpnClientConfiguration" }),
        ],
    },
    FailedVpnConnections: {
        // Client VPN connection log entries (connection-attempt-status is "successful", "failed" or "NA").
        matching: [
            JSON.stringify({
                "connection-log-type": "connection-attempt",
                "connection-attempt-status": "failed",
                "connection-attempt-failure-reason": "client-certificate-revoked",
                "common-name": "alice",
            }),
        ],
        benign: [
            JSON.stringify({ "connection-log-type": "connection-attempt", "connection-attempt-status": "successful", "common-name": "alice" }),
            JSON.stringify({ "connection-log-type": "connection-reset", "connection-attempt-status": "NA" }),
        ],
    },
    FailedGrafanaLogins: {
        // What the gateways' CloudWatch Logs exporter writes: the record's body (Grafana's JSON router log line, parsed) under "body".
        matching: [
            JSON.stringify({ body: { logger: "context", method: "POST", path: "/login", status: 401, msg: "Request Completed" }, resource: { "k8s.namespace.name": "grafana" } }),
        ],
        benign: [
            JSON.stringify({ body: { logger: "context", method: "POST", path: "/login", status: 200, msg: "Request Completed" } }),
            JSON.stringify({ body: { logger: "context", method: "GET", path: "/api/health", status: 401 } }),
            "level=info msg=unparsed path=/login status=401",
        ],
    },
};

describe("security alarm filter patterns", () => {
    it("the evaluator follows the JSON filter-pattern syntax it claims", () => {
        assert.ok(matchesFilterPattern(`{ $.a = "x*" }`, `{"a":"xyz"}`));
        assert.ok(!matchesFilterPattern(`{ $.a = "x*" }`, `{"a":"yx"}`));
        assert.ok(matchesFilterPattern(`{ ($.a = 1) && ($.b.c != "z") }`, `{"a":1,"b":{"c":"y"}}`));
        assert.ok(!matchesFilterPattern(`{ ($.a = 1) && ($.b.c != "z") }`, `{"a":1,"b":{"c":"z"}}`));
        assert.ok(matchesFilterPattern(`{ ($.a = 2) || ($.a = 1) }`, `{"a":1}`));
        assert.ok(!matchesFilterPattern(`{ $.a = 1 }`, `{"a":"1"}`), "a number compares numerically only");
        assert.throws(() => parseFilterPattern(`{ $.a > 1 }`), /operator/);
        assert.throws(() => parseFilterPattern(`ERROR`), /not a JSON filter pattern/);
    });

    for (const detection of detections(buckets)) {
        it(`${detection.metric} matches its events and not benign ones`, () => {
            parseFilterPattern(detection.pattern);
            assert.ok(detection.pattern.length <= 1024, "CloudWatch Logs patterns are at most 1024 characters");
            for (const event of samples[detection.metric].matching) assert.ok(matchesFilterPattern(detection.pattern, event), `${detection.metric} misses ${event}`);
            for (const event of samples[detection.metric].benign) assert.ok(!matchesFilterPattern(detection.pattern, event), `${detection.metric} counts ${event}`);
        });
    }

    it("covers the CIS monitoring controls the platform owns", () => {
        const controls = detections(buckets).flatMap((d) => d.controls);
        for (const control of ["CIS AWS 4.1", "CIS AWS 4.7", "CIS AWS 4.8", "CIS AWS 4.10"]) assert.ok(controls.includes(control), control);
        assert.equal(byMetric("FailedVpnConnections").source, "vpn");
        assert.equal(byMetric("FailedGrafanaLogins").source, "workloads");
    });
});

for (const stack of shippedStacks) {
    describe(`security alarms (${stack})`, () => {
        it("one filter per detection on its log group, one alarm per filter notifying the alert topic", async () => {
            const rec = await stackRecording(stack);
            const settings = parseSettings(rec.config, stack);
            const names = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region);
            const groups = { trail: names.trailLogGroup, vpn: `/aws/clientvpn/tracing-${settings.environment}`, workloads: names.workloadLogGroup };
            const filters = ofType(rec, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
            const alarms = ofType(rec, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => securityMetrics.includes(a.inputs.metricName));
            const expected = detections([names.traceBucket, names.auditBucket, names.accessLogBucket]);
            assert.equal(filters.length, expected.length);
            assert.equal(alarms.length, expected.length);
            for (const detection of expected) {
                const filter = filters.find((f) => f.inputs.metricTransformation?.name === detection.metric);
                assert.ok(filter, `${detection.metric}: a metric filter`);
                assert.equal(filter.inputs.logGroupName, groups[detection.source], `${detection.metric} reads ${detection.source}`);
                assert.equal(filter.inputs.pattern, detection.pattern);
                const namespace = filter.inputs.metricTransformation.namespace;
                assert.equal(namespace, `Tracing/Security/${settings.environment}`);
                const alarm = alarms.find((a) => a.inputs.metricName === detection.metric && a.inputs.namespace === namespace);
                assert.ok(alarm, `${detection.metric}: an alarm`);
                assert.deepEqual(alarm.inputs.alarmActions, [rec.outputs.alertTopicArn]);
                assert.equal(alarm.inputs.treatMissingData, "notBreaching");
                assert.equal(alarm.inputs.statistic, "Sum");
                assert.equal(alarm.inputs.comparisonOperator, "GreaterThanOrEqualToThreshold");
                assert.equal(alarm.inputs.threshold, detection.threshold);
                assert.notEqual(alarm.inputs.actionsEnabled, false);
            }
        });
    });
}
