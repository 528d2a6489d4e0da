/**
 * The AWS data plane as the real program records it for dev and prod: keys, buckets, trail,
 * metrics workspace and workload identities, with every policy parsed. Expectations come from the
 * stack's own validated settings, plus the facts that must differ between environments.
 */
import { strict as assert } from "assert";
import { ofType, policyDocument, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { awsResourceNames, workloads } from "../../components/platform/names";
import {
    allowedActions,
    bucketNamed,
    bucketPolicy,
    checkAccessLogging,
    checkBucketEncryptedWithKey,
    checkBucketEncryptedWithS3Keys,
    checkBucketPrivate,
    checkBucketVersioned,
    checkKeyHardened,
    checkLeastPrivilege,
    checkLifecycle,
    checkNoAnonymousAllow,
    checkObjectLock,
    checkPodIdentityTrust,
    checkRetained,
    checkServicePrincipalsPinned,
    checkTlsOnly,
    checkTrail,
    conditionValues,
    dependsOn,
    keyWithAlias,
    list,
    s3Arn,
    statement,
    statements,
    types,
} from "./checks";

interface Stack {
    rec: StackRecording;
    settings: Settings;
    names: ReturnType<typeof awsResourceNames>;
}

async function load(stack: (typeof shippedStacks)[number]): Promise<Stack> {
    const rec = await stackRecording(stack);
    const settings = parseSettings(rec.config, stack);
    return { rec, settings, names: awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region) };
}

const awsWorkloadKeys = ["tempo", "gateway", "grafana"] as const;

for (const stackName of shippedStacks) {
    describe(`AWS data plane (${stackName})`, () => {
        let s: Stack;
        before(async () => {
            s = await load(stackName);
        });
        const account = () => s.settings.aws.accountId;
        const region = () => s.settings.aws.region;

        describe("KMS keys", () => {
            it("has a rotated, policy-bound key per purpose with its alias, deletion window from settings", () => {
                const keys = ofType(s.rec, types.key);
                assert.equal(keys.length, 2, "exactly the trace key and the audit key");
                for (const alias of [s.names.traceKeyAlias, s.names.auditKeyAlias]) {
                    checkKeyHardened(keyWithAlias(s.rec, alias), s.settings.kms.deletionWindowDays);
                }
                if (stackName === "prod") assert.equal(s.settings.kms.deletionWindowDays, 30);
            });

            it("lets the account administer the keys but not use them (no kms:* for root)", () => {
                for (const alias of [s.names.traceKeyAlias, s.names.auditKeyAlias]) {
                    const admin = statement(policyDocument(keyWithAlias(s.rec, alias)), "AccountAdministersKey");
                    assert.deepEqual(admin.Principal, { AWS: `arn:aws:iam::${account()}:root` });
                    const actions = list(admin.Action);
                    for (const needed of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:DescribeKey"]) {
                        assert.ok(actions.includes(needed), `admin keeps ${needed} (no lock-out)`);
                    }
                    for (const use of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:CreateGrant"]) {
                        assert.ok(!actions.includes(use), `admin must not ${use}`);
                    }
                }
            });

            it("trace key: only Tempo's role, only through S3, only for the trace bucket", () => {
                const doc = policyDocument(keyWithAlias(s.rec, s.names.traceKeyAlias));
                const tempo = statement(doc, "TempoUsesKeyThroughS3ForTraceBucket");
                assert.deepEqual([...list(tempo.Action)].sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
                assert.deepEqual(conditionValues(tempo, "ArnEquals", "aws:PrincipalArn"), [
                    `arn:aws:iam::${account()}:role/${s.names.workloadRoles.tempo}`,
                ]);
                assert.deepEqual(conditionValues(tempo, "StringEquals", "kms:ViaService"), [`s3.${region()}.amazonaws.com`]);
                const bucket = s3Arn(s.names.traceBucket);
                assert.deepEqual(conditionValues(tempo, "StringLike", "kms:EncryptionContext:aws:s3:arn"), [bucket, `${bucket}/*`]);
                const aps = statements(doc).filter((st) => conditionValues(st, "StringEquals", "kms:ViaService").includes(`aps.${region()}.amazonaws.com`));
                assert.equal(aps.length, 2, "Managed Prometheus uses the key (and creates grants) only through aps");
                const grant = aps.find((st) => list(st.Action).includes("kms:CreateGrant"))!;
                assert.deepEqual(conditionValues(grant, "Bool", "kms:GrantIsForAWSResource"), ["true"]);
                const msk = statements(doc).filter((st) => conditionValues(st, "StringEquals", "kms:ViaService").includes(`kafka.${region()}.amazonaws.com`));
                assert.equal(msk.length, 2, "MSK uses the key (and creates grants) only through kafka");
                const secrets = statement(doc, "SecretsManagerUsesKeyForMskCredentials");
                assert.deepEqual(conditionValues(secrets, "StringEquals", "kms:ViaService"), [`secretsmanager.${region()}.amazonaws.com`]);
                assert.deepEqual(conditionValues(secrets, "StringLike", "kms:EncryptionContext:SecretARN"), [
                    `arn:aws:secretsmanager:${region()}:${account()}:secret:AmazonMSK_*`,
                ]);
                for (const st of statements(doc)) assert.ok(!list(st.Action).includes("kms:*"), `${st.Sid} grants kms:*`);
                const principals = statements(doc).flatMap((st) => (typeof st.Principal === "object" ? list(st.Principal.AWS) : []));
                assert.ok(principals.every((p) => p === `arn:aws:iam::${account()}:root`), "only this account is named");
            });

            it("audit key: CloudTrail of this trail, CloudWatch Logs of this account and region, readers of this account", () => {
                const doc = policyDocument(keyWithAlias(s.rec, s.names.auditKeyAlias));
                const trailArn = `arn:aws:cloudtrail:${region()}:${account()}:trail/${s.names.trail}`;
                for (const sid of ["CloudTrailEncryptsTrailLogs", "CloudTrailUsesAuditBucketKey", "CloudTrailDescribesKey"]) {
                    const st = statement(doc, sid);
                    assert.deepEqual(st.Principal, { Service: "cloudtrail.amazonaws.com" });
                    assert.deepEqual(conditionValues(st, "StringEquals", "aws:SourceArn"), [trailArn], `${sid}: this trail only`);
                    assert.deepEqual(conditionValues(st, "StringEquals", "aws:SourceAccount"), [account()]);
                }
                assert.deepEqual(
                    conditionValues(statement(doc, "CloudTrailEncryptsTrailLogs"), "StringLike", "kms:EncryptionContext:aws:cloudtrail:arn"),
                    [`arn:aws:cloudtrail:*:${account()}:trail/*`],
                );
                const logs = statement(doc, "CloudWatchLogsEncryptsAccountLogGroups");
                assert.deepEqual(logs.Principal, { Service: `logs.${region()}.amazonaws.com` });
                assert.deepEqual(conditionValues(logs, "ArnLike", "kms:EncryptionContext:aws:logs:arn"), [
                    `arn:aws:logs:${region()}:${account()}:log-group:*`,
                ]);
                const readers = statement(doc, "AccountPrincipalsReadAuditLogs");
                assert.deepEqual(list(readers.Action), ["kms:Decrypt"]);
                assert.deepEqual(conditionValues(readers, "StringEquals", "kms:CallerAccount"), [account()]);
            });

            it(`is ${stackName === "prod" ? "" : "not "}protected and retained`, () => {
                for (const key of ofType(s.rec, types.key)) checkRetained(key, stackName === "prod");
            });
        });

        describe("trace bucket", () => {
            const name = () => s.names.traceBucket;

            it("is named after environment, account and region", () => {
                assert.equal(bucketNamed(s.rec, name()).inputs.bucket, `tracing-traces-${stackName}-${account()}-${region()}`);
            });

            it("is private, versioned, SSE-KMS with the trace key and a Bucket Key", () => {
                checkBucketPrivate(s.rec, name());
                checkBucketVersioned(s.rec, name());
                checkBucketEncryptedWithKey(s.rec, name(), keyWithAlias(s.rec, s.names.traceKeyAlias), account(), region());
            });

            it("expires objects the day after the trace retention, noncurrent versions and aborted uploads too", () => {
                checkLifecycle(s.rec, name(), { expireAfterDays: s.settings.retention.traceDays + 1, noncurrentDays: 3, transitions: [] });
            });

            it("refuses plain HTTP, old TLS and principals of other accounts", () => {
                checkTlsOnly(s.rec, name());
                const doc = bucketPolicy(s.rec, name());
                checkNoAnonymousAllow(doc, name());
                const others = statement(doc, "DenyPrincipalsOfOtherAccounts");
                assert.equal(others.Effect, "Deny");
                assert.deepEqual(conditionValues(others, "StringNotEquals", "aws:PrincipalAccount"), [account()]);
                assert.deepEqual(conditionValues(others, "BoolIfExists", "aws:PrincipalIsAWSService"), ["false"]);
                assert.ok(statements(doc).every((st) => st.Effect === "Deny"), "nothing is granted by the bucket policy itself");
            });

            it("denies object data access that does not come through the platform's S3 gateway endpoint", () => {
                const endpoint = ofType(s.rec, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.vpcEndpointType === "Gateway")!;
                assert.ok(endpoint, "an S3 gateway endpoint is recorded");
                const deny = statement(bucketPolicy(s.rec, name()), "DenyObjectDataOutsidePlatformEndpoint");
                assert.equal(deny.Effect, "Deny");
                // Mock ids are "<resource name>-id": the condition names this stack's endpoint, not another.
                assert.deepEqual(conditionValues(deny, "StringNotEquals", "aws:SourceVpce"), [`${endpoint.name}-id`]);
            });

            it("logs server access to the access-log bucket", () => {
                checkAccessLogging(s.rec, name(), s.names.accessLogBucket);
            });
        });

        describe("audit bucket", () => {
            const name = () => s.names.auditBucket;

            it("is private, versioned, SSE-KMS with the audit key", () => {
                checkBucketPrivate(s.rec, name());
                checkBucketVersioned(s.rec, name());
                checkBucketEncryptedWithKey(s.rec, name(), keyWithAlias(s.rec, s.names.auditKeyAlias), account(), region());
            });

            it(`locks every log version in ${stackName === "prod" ? "COMPLIANCE" : "GOVERNANCE"} mode for the audit retention`, () => {
                checkObjectLock(s.rec, name(), stackName === "prod" ? "COMPLIANCE" : "GOVERNANCE", s.settings.retention.auditDays);
            });

            it("moves logs to colder storage and expires them when the retention ends", () => {
                const days = s.settings.retention.auditDays;
                const transitions = [
                    ...(days - 30 >= 30 ? [{ days: 30, storageClass: "STANDARD_IA" }] : []),
                    ...(days - 90 >= 90 ? [{ days: 90, storageClass: "GLACIER_IR" }] : []),
                ];
                assert.ok(transitions.length > 0, "some colder tier for every allowed audit retention");
                checkLifecycle(s.rec, name(), { expireAfterDays: days, noncurrentDays: 30, transitions });
            });

            it("is TLS only and written by this environment's trail alone", () => {
                checkTlsOnly(s.rec, name());
                const doc = bucketPolicy(s.rec, name());
                checkNoAnonymousAllow(doc, name());
                checkServicePrincipalsPinned(doc, name());
                const trailArn = `arn:aws:cloudtrail:${region()}:${account()}:trail/${s.names.trail}`;
                const allows = statements(doc).filter((st) => st.Effect === "Allow");
                assert.deepEqual(
                    allows.map((st) => st.Principal),
                    [{ Service: "cloudtrail.amazonaws.com" }, { Service: "cloudtrail.amazonaws.com" }],
                    "CloudTrail is the only principal granted anything",
                );
                for (const st of allows) {
                    assert.deepEqual(conditionValues(st, "StringEquals", "aws:SourceArn"), [trailArn]);
                    assert.deepEqual(conditionValues(st, "StringEquals", "aws:SourceAccount"), [account()]);
                }
                const write = statement(doc, "CloudTrailDeliversLogFiles");
                assert.deepEqual(list(write.Resource), [`${s3Arn(name())}/AWSLogs/${account()}/*`]);
                const others = statement(doc, "DenyObjectWritesByOthers");
                assert.equal(others.Effect, "Deny");
                assert.deepEqual(conditionValues(others, "ForAllValues:StringNotEquals", "aws:PrincipalServiceNamesList"), [
                    "cloudtrail.amazonaws.com",
                ]);
            });

            it("logs server access to the access-log bucket", () => {
                checkAccessLogging(s.rec, name(), s.names.accessLogBucket);
            });
        });

        describe("access-log bucket", () => {
            const name = () => s.names.accessLogBucket;

            it("is private, versioned, SSE-S3 (the only encryption S3 log delivery supports) and has no Object Lock", () => {
                checkBucketPrivate(s.rec, name());
                checkBucketVersioned(s.rec, name());
                checkBucketEncryptedWithS3Keys(s.rec, name());
                assert.notEqual(bucketNamed(s.rec, name()).inputs.objectLockEnabled, true, "S3 cannot deliver access logs to a locked bucket");
                assert.equal(ofType(s.rec, types.logging).filter((l) => dependsOn(l, "bucket", bucketNamed(s.rec, name()))).length, 0, "no log loop");
            });

            it("is TLS only and written only by S3 log delivery for the trace and audit buckets", () => {
                checkTlsOnly(s.rec, name());
                const doc = bucketPolicy(s.rec, name());
                checkServicePrincipalsPinned(doc, name());
                const delivery = statement(doc, "S3DeliversServerAccessLogs");
                assert.deepEqual(delivery.Principal, { Service: "logging.s3.amazonaws.com" });
                assert.deepEqual(list(delivery.Action), ["s3:PutObject"]);
                assert.deepEqual(conditionValues(delivery, "StringEquals", "aws:SourceAccount"), [account()]);
                assert.deepEqual(conditionValues(delivery, "ArnLike", "aws:SourceArn"), [s3Arn(s.names.traceBucket), s3Arn(s.names.auditBucket)]);
                assert.deepEqual(conditionValues(statement(doc, "DenyObjectWritesByOthers"), "ForAllValues:StringNotEquals", "aws:PrincipalServiceNamesList"), [
                    "logging.s3.amazonaws.com",
                ]);
            });

            it("keeps access logs as long as the audit logs", () => {
                const lifecycle = list<any>(
                    ofType(s.rec, types.lifecycle).find((l) => dependsOn(l, "bucket", bucketNamed(s.rec, name())))!.inputs.rules,
                );
                assert.ok(lifecycle.some((r) => r.expiration?.days === s.settings.retention.auditDays));
            });
        });

        it(`protects and retains every bucket ${stackName === "prod" ? "(prod)" : "only in prod"}`, () => {
            const buckets = ofType(s.rec, types.bucket);
            assert.deepEqual(
                buckets.map((b) => b.inputs.bucket).sort(),
                [s.names.accessLogBucket, s.names.auditBucket, s.names.traceBucket].sort(),
            );
            for (const bucket of buckets) checkRetained(bucket, stackName === "prod");
        });

        describe("CloudTrail", () => {
            it("is multi-region, validated, KMS-encrypted, with management events and trace bucket data events", () => {
                checkTrail(s.rec, {
                    trailName: s.names.trail,
                    auditBucketName: s.names.auditBucket,
                    auditKey: keyWithAlias(s.rec, s.names.auditKeyAlias),
                    traceBucketName: s.names.traceBucket,
                });
            });

            it("waits for the audit bucket policy that admits it", () => {
                const [trail] = ofType(s.rec, types.trail);
                const policy = ofType(s.rec, types.bucketPolicy).find((p) => dependsOn(p, "bucket", bucketNamed(s.rec, s.names.auditBucket)))!;
                assert.ok(dependsOn(trail, "s3BucketName", policy));
            });

            it("copies events to a KMS-encrypted log group through a role only this trail can assume", () => {
                const [trail] = ofType(s.rec, types.trail);
                const group = ofType(s.rec, types.logGroup).find((g) => g.inputs.name === s.names.trailLogGroup)!;
                assert.ok(dependsOn(trail, "cloudWatchLogsGroupArn", group));
                const role = ofType(s.rec, types.role).find((r) => r.inputs.name === s.names.trailLogsRole)!;
                assert.ok(dependsOn(trail, "cloudWatchLogsRoleArn", role));
                const trust = statement(policyDocument(role, "assumeRolePolicy"), "CloudTrailOfThisTrail");
                assert.deepEqual(trust.Principal, { Service: "cloudtrail.amazonaws.com" });
                assert.deepEqual(conditionValues(trust, "StringEquals", "aws:SourceArn"), [
                    `arn:aws:cloudtrail:${region()}:${account()}:trail/${s.names.trail}`,
                ]);
                const delivery = ofType(s.rec, types.rolePolicy).find((p) => dependsOn(p, "role", role))!;
                const doc = policyDocument(delivery);
                checkLeastPrivilege(doc, "trail delivery");
                assert.deepEqual(list(statements(doc)[0].Resource), [
                    `arn:aws:logs:${region()}:${account()}:log-group:${s.names.trailLogGroup}:log-stream:*`,
                ]);
            });
        });

        describe("log groups", () => {
            it("are encrypted with the audit key, keep logs for the configured retention, and are protected in prod", () => {
                const auditKey = keyWithAlias(s.rec, s.names.auditKeyAlias);
                const groups = ofType(s.rec, types.logGroup);
                const groupNames = groups.map((g) => g.inputs.name);
                for (const expected of [s.names.metricsLogGroup, s.names.trailLogGroup]) assert.ok(groupNames.includes(expected), expected);
                for (const group of groups) {
                    assert.ok(dependsOn(group, "kmsKeyId", auditKey), `${group.inputs.name}: audit key`);
                    assert.equal(group.inputs.retentionInDays, s.settings.retention.logDays);
                    assert.equal(group.inputs.deletionProtectionEnabled, stackName === "prod");
                    checkRetained(group, stackName === "prod");
                }
            });
        });

        describe("metrics workspace", () => {
            it("is encrypted with the trace key and logs to its KMS-encrypted log group", () => {
                const workspaces = ofType(s.rec, types.workspace);
                assert.equal(workspaces.length, 1);
                const [workspace] = workspaces;
                assert.equal(workspace.inputs.alias, s.names.metricsWorkspace);
                assert.ok(dependsOn(workspace, "kmsKeyArn", keyWithAlias(s.rec, s.names.traceKeyAlias)), "trace key");
                const group = ofType(s.rec, types.logGroup).find((g) => g.inputs.name === s.names.metricsLogGroup)!;
                assert.ok(dependsOn(workspace, "loggingConfiguration", group));
                assert.match(workspace.inputs.loggingConfiguration.logGroupArn, /:log-group:.+:\*$/, "log group ARN with the :* suffix");
                checkRetained(workspace, stackName === "prod");
            });

            it("exports its endpoint, not a secret", () => {
                assert.match(String(s.rec.outputs.metricsWorkspaceEndpoint), new RegExp(`^https://aps-workspaces\\.${region()}\\.amazonaws\\.com/workspaces/`));
                for (const output of ["traceBucketName", "auditBucketName", "traceKeyArn", "auditKeyArn", "metricsWorkspaceEndpoint"]) {
                    assert.ok(s.rec.outputs[output] && s.rec.outputs[output] !== "[secret]", `${output} exported`);
                }
                assert.equal(s.rec.outputs.traceBucketName, s.names.traceBucket);
                assert.equal(s.rec.outputs.auditBucketName, s.names.auditBucket);
            });
        });

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
                    gateway: { [workspaceArn]: ["aps:RemoteWrite"] },
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

        it("pins every AWS resource to the environment's explicit provider and account", () => {
            const provider = ofType(s.rec, "pulumi:providers:aws");
            assert.equal(provider.length, 1);
            assert.deepEqual(JSON.parse(provider[0].inputs.allowedAccountIds), [account()]);
            for (const resource of s.rec.resources.filter((r) => r.type.startsWith("aws:"))) {
                assert.ok(resource.provider?.startsWith(`${provider[0].urn}::`), `${resource.type} ${resource.name} uses the explicit provider`);
            }
        });
    });
}

describe("AWS data plane: environment isolation", () => {
    let dev: Stack;
    let prod: Stack;
    before(async () => {
        [dev, prod] = await Promise.all([load("dev"), load("prod")]);
    });

    /** Every AWS name a stack gives its resources, and every ARN its policies and inputs name. */
    function awsIdentifiers(stack: Stack): Set<string> {
        const named: [string, string][] = [
            [types.bucket, "bucket"],
            [types.alias, "name"],
            [types.role, "name"],
            [types.trail, "name"],
            [types.logGroup, "name"],
            [types.workspace, "alias"],
        ];
        const ids = new Set<string>();
        for (const [type, property] of named) {
            for (const r of ofType(stack.rec, type)) ids.add(String(r.inputs[property]));
        }
        const inputs = JSON.stringify(stack.rec.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.inputs));
        for (const arn of inputs.match(/arn:aws:[a-z0-9-]+:[a-z0-9-]*:[0-9]{12}:[^"\\]+/g) ?? []) ids.add(arn);
        return ids;
    }

    /** Every 12-digit account id appearing anywhere in the stack's AWS inputs (policies included). */
    function accountIdsIn(stack: Stack): Set<string> {
        const text = JSON.stringify(stack.rec.resources.filter((r) => r.type.startsWith("aws:") || r.type === "pulumi:providers:aws").map((r) => r.inputs));
        return new Set(text.match(/(?<![0-9])[0-9]{12}(?![0-9])/g) ?? []);
    }

    it("dev and prod share no key, bucket, role, trail, log group or workspace name", () => {
        const shared = [...awsIdentifiers(dev)].filter((id) => awsIdentifiers(prod).has(id));
        assert.deepEqual(shared, []);
        for (const stack of [dev, prod]) {
            const { accountId, region } = stack.settings.aws;
            for (const id of [
                stack.names.traceBucket,
                stack.names.auditBucket,
                stack.names.traceKeyAlias,
                stack.names.workloadRoles.tempo,
                `arn:aws:cloudtrail:${region}:${accountId}:trail/${stack.names.trail}`,
                `arn:aws:iam::${accountId}:role/${stack.names.workloadRoles.tempo}`,
            ]) {
                assert.ok(awsIdentifiers(stack).has(id), `${id} is used by ${stack.rec.stack}`);
            }
        }
    });

    it("each stack names only its own account, and the accounts differ", () => {
        assert.notEqual(dev.settings.aws.accountId, prod.settings.aws.accountId);
        assert.deepEqual([...accountIdsIn(dev)], [dev.settings.aws.accountId]);
        assert.deepEqual([...accountIdsIn(prod)], [prod.settings.aws.accountId]);
    });
});
