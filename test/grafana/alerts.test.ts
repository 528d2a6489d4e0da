import { strict as assert } from "assert";
import * as yaml from "yaml";
import { collectorSelfMetricNames } from "../../components/grafana/collector-metrics";
import {
    allAlerts,
    contactPointName,
    grafanaAlerting,
    notificationSubject,
    snsReceiverType,
    subjectLabels,
    prometheusRules,
    renderAlerting,
    type AlertingProvisioning,
} from "../../components/grafana/alerts";
import { dashboardUids, grafanaFolder, maxUidLength } from "../../components/grafana/uids";
import { datasourceUids, expressionDatasourceUid, grafanaDatasources } from "../../components/grafana/datasources";
import { platformAlertThresholds } from "../../components/grafana/platform-queries";
import { durationInHistogramUnit, spanMetricNames } from "../../components/platform/span-metrics";
import { parseSettings } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";
import { checkRules } from "./promtool";
import { parsePromQL } from "./query-languages";

const stacks = ["dev", "prod"] as const;
const knownMetrics = new Set<string>([...Object.values(spanMetricNames), ...Object.values(collectorSelfMetricNames)]);

describe("alert rules (Grafana provisioning)", () => {
    for (const stack of stacks) {
        describe(stack, () => {
            const settings = parseSettings(stackConfig(stack), stack);
            const delivery = { topicArn: `arn:aws:sns:${settings.aws.region}:${settings.aws.accountId}:alerts-${stack}`, region: settings.aws.region };
            const provisioning = yaml.parse(renderAlerting(grafanaAlerting(settings.systems, delivery))) as AlertingProvisioning;
            const rules = provisioning.groups.flatMap((g) => g.rules);
            const provisioned = new Set(grafanaDatasources({ prometheusEndpoint: "https://aps.example/ws", region: settings.aws.region }).datasources.map((d) => d.uid));

            it("every system has an errors and a p95 rule, queue systems one for processing time; the platform has its own", () => {
                for (const system of settings.systems) {
                    const group = provisioning.groups.find((g) => g.name === `slo-${system.id}`);
                    assert.ok(group, system.id);
                    assert.equal(group.rules.length, system.kind === "queue" ? 3 : 2, system.id);
                    assert.equal(group.folder, grafanaFolder.title);
                    for (const rule of group.rules) assert.equal(rule.labels.system, system.id);
                }
                const platform = provisioning.groups.find((g) => g.name === "platform")!;
                assert.equal(platform.rules.length, Object.keys(platformAlertThresholds).length + 1, "one rule per platform threshold (exporter share used twice)");
            });

            it("rules query the provisioned metrics data source and reduce/threshold through server-side expressions", () => {
                for (const rule of rules) {
                    assert.equal(rule.condition, "C");
                    const byRef = Object.fromEntries(rule.data.map((d) => [d.refId, d]));
                    assert.ok(provisioned.has(byRef.A.datasourceUid), `${rule.title}: ${byRef.A.datasourceUid}`);
                    assert.equal(byRef.A.datasourceUid, datasourceUids.metrics);
                    assert.equal(byRef.A.model.instant, true);
                    assert.equal(byRef.B.datasourceUid, expressionDatasourceUid);
                    assert.deepEqual([byRef.B.model.type, byRef.B.model.expression], ["reduce", "A"]);
                    assert.equal(byRef.C.datasourceUid, expressionDatasourceUid);
                    assert.deepEqual([byRef.C.model.type, byRef.C.model.expression], ["threshold", "B"]);
                    assert.ok(rule.uid.length <= maxUidLength, rule.uid);
                    assert.equal(rule.noDataState, "OK");
                    assert.ok(["critical", "warning"].includes(rule.labels.severity));
                }
                assert.equal(new Set(rules.map((r) => r.uid)).size, rules.length, "rule uids are unique");
            });

            it("every threshold is the catalogue's objective (or the platform's named threshold)", () => {
                const alerts = allAlerts(settings.systems);
                for (const alert of alerts) {
                    const rule = rules.find((r) => r.uid === alert.uid)!;
                    const threshold = (rule.data.find((d) => d.refId === "C")!.model.conditions as { evaluator: { type: string; params: number[] } }[])[0].evaluator;
                    assert.equal(threshold.type, "gt");
                    const source = alert.thresholdSource;
                    if (source.kind === "system") {
                        const system = settings.systems.find((s) => s.id === source.systemId)!;
                        const objective = system[source.objective]!;
                        const expected = source.objective === "errorsPer1000Slo" ? objective : durationInHistogramUnit(objective);
                        assert.deepEqual(threshold.params, [expected], `${rule.title}`);
                        assert.equal(rule.labels.system, system.id);
                    } else {
                        assert.deepEqual(threshold.params, [platformAlertThresholds[source.threshold]], rule.title);
                    }
                }
            });

            it("every expression parses as PromQL and names only metrics the collectors emit", () => {
                for (const rule of rules) {
                    const parsed = parsePromQL(rule.data.find((d) => d.refId === "A")!.model.expr as string);
                    assert.ok(parsed.metricNames.length > 0);
                    for (const metric of parsed.metricNames) assert.ok(knownMetrics.has(metric), `${rule.title}: ${metric}`);
                }
            });

            it("alerts publish to the SNS topic through one contact point, the root notification policy, with no stored credentials", () => {
                assert.equal(provisioning.contactPoints.length, 1);
                const [contact] = provisioning.contactPoints;
                assert.equal(contact.name, contactPointName);
                assert.equal(contact.receivers.length, 1);
                const [receiver] = contact.receivers;
                assert.equal(receiver.type, snsReceiverType);
                assert.equal(receiver.settings.topic_arn, delivery.topicArn);
                // Region set explicitly (Pod Identity gives the SDK credentials, not a region); nothing else in sigv4: the default chain signs.
                assert.deepEqual(receiver.settings.sigv4, { region: settings.aws.region });
                assert.equal(receiver.settings.api_url, undefined, "the SDK's regional endpoint, which private DNS points at the VPC endpoint");
                for (const key of ["access_key", "secret_key", "role_arn", "profile"]) assert.ok(!JSON.stringify(receiver.settings).includes(key), key);
                assert.equal(receiver.disableResolveMessage, false);
                assert.equal(provisioning.policies.length, 1);
                assert.equal(provisioning.policies[0].receiver, contactPointName);
            });

            it("the notification subject is ASCII and under SNS's 100 characters, whatever the catalogue's display names", () => {
                const [receiver] = provisioning.contactPoints[0].receivers;
                assert.equal(receiver.settings.subject, notificationSubject);
                const referenced = [...notificationSubject.matchAll(/\.CommonLabels\.([A-Za-z_]+)/g)].map((m) => m[1]);
                assert.deepEqual(referenced, [...subjectLabels]);
                const ascii = /^[\x20-\x7e]*$/;
                let longestValues = 0;
                for (const label of subjectLabels) {
                    const values = rules.map((r) => r.labels[label]);
                    for (const value of values) assert.ok(value !== undefined && ascii.test(value), `${label}=${value} is set and ASCII on every rule`);
                    longestValues += Math.max(...values.map((v) => v.length));
                }
                const literal = notificationSubject.replace(/\{\{[^}]*\}\}/g, "");
                assert.ok(ascii.test(literal));
                // Status (RESOLVED) and a three-digit firing count at most.
                assert.ok(literal.length + "RESOLVED".length + 4 + longestValues < 100, `subject up to ${literal.length + 12 + longestValues} characters`);
            });

            it("the provisioning file carries no `$` (Grafana would expand it as an environment variable)", () => {
                assert.ok(!renderAlerting(grafanaAlerting(settings.systems, delivery)).includes("$"));
            });

            it("rules link to the dashboard of what they watch", () => {
                for (const alert of allAlerts(settings.systems)) {
                    const rule = rules.find((r) => r.uid === alert.uid)!;
                    const expected = alert.thresholdSource.kind === "system" ? dashboardUids.system(settings.systems.find((s) => s.id === rule.labels.system)!) : dashboardUids.platform;
                    assert.equal(rule.annotations.dashboard, `/d/${expected}`);
                }
            });

            it("the Prometheus rendering of the same rules passes promtool check rules", () => {
                const result = checkRules(prometheusRules(allAlerts(settings.systems)));
                assert.ok(result.ok, result.output);
            });
        });
    }
});
