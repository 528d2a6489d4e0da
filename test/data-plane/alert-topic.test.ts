/**
 * Alert delivery as the real program records it for dev and prod: the SNS topic (encrypted with
 * the audit key, its access policy parsed), the e-mail subscription, and the audit key's admission
 * of SNS. What the policies decide is simulated in data-plane-policies.test.ts.
 */
import { strict as assert } from "assert";
import { ofType, policyDocument, shippedStacks, stackRecording } from "../harness/program";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { awsResourceNames } from "../../components/platform/names";
import { checkRetained, conditionValues, dependsOn, keyWithAlias, list, statement, statements, type Statement } from "./checks";
import type { RecordedResource, StackRecording } from "../harness/program";

const topicType = "aws:sns/topic:Topic";
const subscriptionType = "aws:sns/topicSubscription:TopicSubscription";

for (const stack of shippedStacks) {
    describe(`alert topic (${stack})`, () => {
        let rec: StackRecording;
        let settings: Settings;
        let names: ReturnType<typeof awsResourceNames>;
        let topic: RecordedResource;
        const topicArn = () => `arn:aws:sns:${settings.aws.region}:${settings.aws.accountId}:${names.alertTopic}`;
        const grafanaRoleArn = () => `arn:aws:iam::${settings.aws.accountId}:role/${names.workloadRoles.grafana}`;
        before(async () => {
            rec = await stackRecording(stack);
            settings = parseSettings(rec.config, stack);
            names = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region);
            const topics = ofType(rec, topicType);
            assert.equal(topics.length, 1, "one alert topic");
            topic = topics[0];
        });

        it("is named per environment and exported", () => {
            assert.equal(topic.inputs.name, names.alertTopic);
            assert.equal(rec.outputs.alertTopicArn, topicArn());
            assert.ok(String(topic.inputs.displayName).includes(settings.environment));
            assert.ok(String(topic.inputs.displayName).length <= 100, "SNS display names are at most 100 characters");
        });

        it("is encrypted with the audit key", () => {
            const auditKey = keyWithAlias(rec, names.auditKeyAlias);
            assert.ok(dependsOn(topic, "kmsMasterKeyId", auditKey), "kmsMasterKeyId comes from the audit key");
            assert.equal(topic.inputs.kmsMasterKeyId, rec.outputs.auditKeyArn);
        });

        it(`is ${stack === "prod" ? "" : "not "}protected and retained`, () => {
            checkRetained(topic, stack === "prod");
        });

        it("takes publishes from Grafana's role and this account's CloudWatch alarms only, and nothing without TLS", () => {
            const doc = policyDocument(topic);
            for (const st of statements(doc)) assert.deepEqual(list(st.Resource), [topicArn()], `${st.Sid}: this topic only`);
            const allows = statements(doc).filter((st) => st.Effect === "Allow");
            assert.deepEqual(allows.map((st) => st.Sid), ["GrafanaPublishesAlerts", "CloudWatchAlarmsPublishAlerts"]);
            const [publish, alarms] = allows;
            assert.deepEqual(alarms.Principal, { Service: "cloudwatch.amazonaws.com" });
            assert.deepEqual(list(alarms.Action), ["sns:Publish"]);
            assert.deepEqual(conditionValues(alarms, "StringEquals", "aws:SourceAccount"), [settings.aws.accountId]);
            assert.deepEqual(conditionValues(alarms, "ArnLike", "aws:SourceArn"), [
                `arn:aws:cloudwatch:${settings.aws.region}:${settings.aws.accountId}:alarm:*`,
            ]);
            assert.deepEqual(list(publish.Action), ["sns:Publish"]);
            assert.deepEqual(publish.Principal, { AWS: `arn:aws:iam::${settings.aws.accountId}:root` });
            assert.deepEqual(conditionValues(publish, "ArnEquals", "aws:PrincipalArn"), [grafanaRoleArn()]);
            const denies = statements(doc).filter((st) => st.Effect === "Deny");
            const tls = denies.filter(
                (st) => st.Principal === "*" && list(st.Action).includes("sns:*") && conditionValues(st, "Bool", "aws:SecureTransport").includes("false"),
            );
            assert.equal(tls.length, 1, "an unconditional deny of plain HTTP");
            assert.deepEqual(Object.keys(tls[0].Condition ?? {}), ["Bool"]);
            const others = denies.filter((st) => st.Principal === "*" && list(st.Action).includes("sns:Publish"));
            assert.equal(others.length, 1, "a deny of every other publisher");
            assert.deepEqual(others[0].Condition, {
                ArnNotEquals: { "aws:PrincipalArn": grafanaRoleArn() },
                StringNotEquals: { "aws:PrincipalServiceName": "cloudwatch.amazonaws.com" },
            });
        });

        it("e-mails the configured team mailbox", () => {
            const subscriptions = ofType(rec, subscriptionType);
            assert.equal(subscriptions.length, 1);
            const [subscription] = subscriptions;
            assert.equal(subscription.inputs.protocol, "email");
            assert.equal(subscription.inputs.endpoint, settings.grafana.alertEmail);
            assert.ok(dependsOn(subscription, "topic", topic), "subscribes the alert topic");
            assert.equal(subscription.inputs.topic, topicArn());
        });

        it("audit key admits SNS only through its endpoint, for this topic, as Grafana's role or for CloudWatch alarms", () => {
            const doc = policyDocument(keyWithAlias(rec, names.auditKeyAlias));
            const sns = statement(doc, "GrafanaUsesKeyThroughSnsForAlertTopic");
            assert.deepEqual(sns.Principal, { AWS: `arn:aws:iam::${settings.aws.accountId}:root` });
            assert.deepEqual(list(sns.Action).sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
            assert.deepEqual(conditionValues(sns, "StringEquals", "kms:ViaService"), [`sns.${settings.aws.region}.amazonaws.com`]);
            assert.deepEqual(conditionValues(sns, "StringEquals", "kms:CallerAccount"), [settings.aws.accountId]);
            assert.deepEqual(conditionValues(sns, "StringEquals", "kms:EncryptionContext:aws:sns:topicArn"), [topicArn()]);
            assert.deepEqual(conditionValues(sns, "ArnEquals", "aws:PrincipalArn"), [grafanaRoleArn()]);
            const alarms = statement(doc, "CloudWatchAlarmsUseKeyForAlertTopic");
            assert.deepEqual(alarms.Principal, { Service: "cloudwatch.amazonaws.com" });
            assert.deepEqual(list(alarms.Action).sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
            assert.deepEqual(conditionValues(alarms, "StringEquals", "kms:EncryptionContext:aws:sns:topicArn"), [topicArn()]);
            assert.deepEqual(conditionValues(alarms, "StringEquals", "aws:SourceAccount"), [settings.aws.accountId]);
            const mentionsSns = (st: Statement) => JSON.stringify(st).includes("sns");
            assert.deepEqual(statements(doc).filter(mentionsSns).map((st) => st.Sid), [sns.Sid, alarms.Sid], "no other statement (and no SNS service principal) touches SNS");
        });
    });
}
