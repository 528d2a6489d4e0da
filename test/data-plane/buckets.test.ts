/**
 * The trace, audit and access-log buckets as the real program records them for dev and prod:
 * encryption, versioning, lifecycle, Object Lock, access logging and every bucket policy parsed.
 */
import { strict as assert } from "assert";
import { ofType } from "../harness/program";
import {
    bucketNamed,
    bucketPolicy,
    checkAccessLogging,
    checkBucketEncryptedWithKey,
    checkBucketEncryptedWithS3Keys,
    checkBucketPrivate,
    checkBucketVersioned,
    checkLifecycle,
    checkNoAnonymousAllow,
    checkObjectLock,
    checkRetained,
    checkServicePrincipalsPinned,
    checkTlsOnly,
    conditionValues,
    dependsOn,
    keyWithAlias,
    list,
    s3Arn,
    statement,
    statements,
    types,
} from "./checks";
import { describeEachStack } from "./stack";

describeEachStack(({ s, stackName, account, region }) => {
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
});
