/** The CloudTrail trail and the log groups as the real program records them for dev and prod. */
import { strict as assert } from "assert";
import { ofType, policyDocument } from "../harness/program";
import {
    bucketNamed,
    checkLeastPrivilege,
    checkRetained,
    checkTrail,
    conditionValues,
    dependsOn,
    keyWithAlias,
    list,
    statement,
    statements,
    types,
} from "./checks";
import { describeEachStack } from "./stack";

describeEachStack(({ s, stackName, account, region }) => {
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
});
