/** The data plane's KMS keys as the real program records them for dev and prod, with every key policy parsed. */
import { strict as assert } from "assert";
import { ofType, policyDocument } from "../harness/program";
import { checkKeyHardened, checkRetained, conditionValues, keyWithAlias, list, s3Arn, statement, statements, types } from "./checks";
import { describeEachStack } from "./stack";

describeEachStack(({ s, stackName, account, region }) => {
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
            const secrets = statement(doc, "SecretsManagerUsesKeyForPlatformCredentials");
            assert.deepEqual(conditionValues(secrets, "StringEquals", "kms:ViaService"), [`secretsmanager.${region()}.amazonaws.com`]);
            // The MSK SCRAM secrets and Grafana's break-glass admin, nothing else Secrets Manager holds.
            assert.deepEqual(conditionValues(secrets, "StringLike", "kms:EncryptionContext:SecretARN"), [
                `arn:aws:secretsmanager:${region()}:${account()}:secret:AmazonMSK_*`,
                `arn:aws:secretsmanager:${region()}:${account()}:secret:${s.names.grafanaBreakGlassSecret}-*`,
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
});
