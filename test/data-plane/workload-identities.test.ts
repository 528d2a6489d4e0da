/**
 * The workloads' IAM roles as the real program records them for dev and prod: Pod Identity trust
 * and least-privilege permissions, parsed from the recorded policies.
 */
import { strict as assert } from "assert";
import { ofType, policyDocument } from "../harness/program";
import { workloads } from "../../components/platform/names";
import { allowedActions, checkLeastPrivilege, checkPodIdentityTrust, conditionValues, dependsOn, s3Arn, statement, types } from "./checks";
import { describeEachStack } from "./stack";

const awsWorkloadKeys = ["tempo", "gateway", "grafana"] as const;

describeEachStack(({ s, account, region }) => {
    describe("workload identities", () => {
        const roleOf = (key: (typeof awsWorkloadKeys)[number]) => {
            const found = ofType(s.rec, types.role).filter((r) => r.inputs.name === s.names.workloadRoles[key]);
            assert.equal(found.length, 1, `one role for ${key}`);
            return found[0];
        };
        const permissionsOf = (key: (typeof awsWorkloadKeys)[number]) => {
            const role = roleOf(key);
            const found = ofType(s.rec, types.rolePolicy).filter((p) => dependsOn(p, "role", role));
            assert.equal(found.length, 1, `one policy for ${key}`);
            return policyDocument(found[0]);
        };

        it("gives exactly Tempo, the gateway and Grafana a role, bound by Pod Identity to their own service account", () => {
            const associations = ofType(s.rec, types.podIdentity);
            assert.equal(associations.length, 3);
            for (const key of awsWorkloadKeys) {
                const role = roleOf(key);
                const { namespace, serviceAccount } = workloads[key];
                checkPodIdentityTrust(
                    policyDocument(role, "assumeRolePolicy"),
                    {
                        accountId: account(),
                        clusterArn: `arn:aws:eks:${region()}:${account()}:cluster/${s.settings.cluster.name}`,
                        namespace,
                        serviceAccount,
                    },
                    key,
                );
                const association = associations.filter((a) => dependsOn(a, "roleArn", role));
                assert.equal(association.length, 1, `${key}: one association`);
                assert.equal(association[0].inputs.clusterName, s.settings.cluster.name);
                assert.equal(association[0].inputs.namespace, namespace);
                assert.equal(association[0].inputs.serviceAccount, serviceAccount);
                assert.equal(association[0].inputs.disableSessionTags, false, "session tags carry what the trust checks");
                assert.deepEqual(role.inputs.managedPolicyArns ?? [], [], `${key}: no managed policies`);
            }
        });

        it("grants each workload only what it does, with no wildcards", () => {
            const bucket = s3Arn(s.names.traceBucket);
            const traceKeyArn = String(s.rec.outputs.traceKeyArn);
            const workspaceArn = String(s.rec.outputs.metricsWorkspaceArn);
            const auditKeyArn = String(s.rec.outputs.auditKeyArn);
            const alertTopicArn = String(s.rec.outputs.alertTopicArn);
            assert.equal(alertTopicArn, `arn:aws:sns:${region()}:${account()}:${s.names.alertTopic}`);
            assert.match(traceKeyArn, new RegExp(`^arn:aws:kms:${region()}:${account()}:key/`));
            assert.match(workspaceArn, new RegExp(`^arn:aws:aps:${region()}:${account()}:workspace/`));
            const expectations: Record<(typeof awsWorkloadKeys)[number], Record<string, string[]>> = {
                tempo: {
                    [bucket]: ["s3:ListBucket"],
                    [`${bucket}/*`]: ["s3:DeleteObject", "s3:GetObject", "s3:GetObjectTagging", "s3:PutObject", "s3:PutObjectTagging"],
                    [traceKeyArn]: ["kms:Decrypt", "kms:GenerateDataKey"],
                },
                // The workload log group's streams only: no CreateLogGroup, no other group.
                gateway: {
                    [workspaceArn]: ["aps:RemoteWrite"],
                    [`arn:aws:logs:${region()}:${account()}:log-group:${s.names.workloadLogGroup}:log-stream:*`]: ["logs:CreateLogStream", "logs:PutLogEvents"],
                },
                grafana: {
                    [workspaceArn]: [
                        "aps:GetLabels",
                        "aps:GetMetricMetadata",
                        "aps:GetSeries",
                        "aps:QueryMetrics",
                    ],
                    [alertTopicArn]: ["sns:Publish"],
                    [auditKeyArn]: ["kms:Decrypt", "kms:GenerateDataKey"],
                },
            };
            for (const key of awsWorkloadKeys) {
                const doc = permissionsOf(key);
                checkLeastPrivilege(doc, key);
                const granted = Object.fromEntries([...allowedActions(doc)].map(([resource, actions]) => [resource, [...actions].sort()]));
                assert.deepEqual(granted, expectations[key], `${key}: granted actions by resource`);
            }
            const kms = statement(permissionsOf("tempo"), "UseTraceKeyThroughS3");
            assert.deepEqual(conditionValues(kms, "StringLike", "kms:EncryptionContext:aws:s3:arn"), [bucket, `${bucket}/*`]);
            const alertKey = statement(permissionsOf("grafana"), "UseAlertTopicKeyThroughSns");
            assert.deepEqual(conditionValues(alertKey, "StringEquals", "kms:ViaService"), [`sns.${region()}.amazonaws.com`]);
            assert.deepEqual(conditionValues(alertKey, "StringEquals", "kms:EncryptionContext:aws:sns:topicArn"), [alertTopicArn]);
        });
    });
});
