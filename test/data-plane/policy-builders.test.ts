/** The data-plane policy and lifecycle builders on their own, outside any recording or simulator. */
import { strict as assert } from "assert";
import { objectDataActions, traceBucketPolicy } from "../../components/data-plane/bucket-policies";
import { auditObjectLockMode, logArchiveLifecycle, traceBucketLifecycle } from "../../components/data-plane/bucket-lifecycle";
import { policyDocument } from "../../components/platform/iam-policy";
import { trailEventSelectors } from "../../components/data-plane/trail-policies";
import { checkLeastPrivilege, conditionValues, statement, statements } from "./checks";
import { accountId, traceBucket, endpointId, traceKeyArn, identity, traceKeyPolicyDocument } from "./simulator";

describe("data plane policy builders", () => {
    it("adds the endpoint restriction only when the endpoint is known, for object data of non-service principals", () => {
        const without = traceBucketPolicy({ bucketName: traceBucket, accountId });
        assert.ok(!statements(without).some((s) => s.Sid === "DenyObjectDataOutsidePlatformEndpoint"));
        const withEndpoint = traceBucketPolicy({ bucketName: traceBucket, accountId, s3VpcEndpointId: endpointId });
        const deny = statement(withEndpoint, "DenyObjectDataOutsidePlatformEndpoint");
        assert.equal(deny.Effect, "Deny");
        assert.deepEqual(deny.Action, [...objectDataActions]);
        assert.ok(!(deny.Action as string[]).some((a) => a.startsWith("s3:PutBucket") || a === "s3:*"), "bucket configuration is not covered");
        assert.deepEqual(conditionValues(deny, "StringNotEquals", "aws:SourceVpce"), [endpointId]);
        assert.deepEqual(conditionValues(deny, "BoolIfExists", "aws:PrincipalIsAWSService"), ["false"]);
    });

    it("grants workloads only named actions on named resources", () => {
        for (const [workload, doc] of Object.entries(identity)) checkLeastPrivilege(doc, workload);
    });

    it("pins Tempo's key use to the trace key, through S3, for trace bucket objects", () => {
        const kms = statement(identity.tempo, "UseTraceKeyThroughS3");
        assert.equal(kms.Resource, traceKeyArn);
        const keySide = statement(traceKeyPolicyDocument, "TempoUsesKeyThroughS3ForTraceBucket");
        assert.deepEqual(kms.Action, keySide.Action, "role policy and key policy grant the same actions");
        assert.deepEqual(
            conditionValues(kms, "StringLike", "kms:EncryptionContext:aws:s3:arn"),
            conditionValues(keySide, "StringLike", "kms:EncryptionContext:aws:s3:arn"),
        );
    });

    it("refuses a policy with two statements of the same Sid", () => {
        assert.throws(
            () => policyDocument([{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Sid: "A", Effect: "Deny", Action: "s3:GetObject", Resource: "*" }]),
            /Sid 'A' is used twice/,
        );
    });

    it("expires trace objects one day after Tempo's retention", () => {
        const [expire, markers] = traceBucketLifecycle(14);
        assert.equal(expire.expiration?.days, 15);
        assert.equal(expire.abortIncompleteMultipartUpload?.daysAfterInitiation, 1);
        assert.equal(markers.expiration?.expiredObjectDeleteMarker, true);
    });

    it("archives logs only to tiers they stay in long enough, and never past expiry", () => {
        assert.deepEqual(logArchiveLifecycle(90)[0].transitions, [{ days: 30, storageClass: "STANDARD_IA" }]);
        assert.deepEqual(logArchiveLifecycle(2557)[0].transitions, [
            { days: 30, storageClass: "STANDARD_IA" },
            { days: 90, storageClass: "GLACIER_IR" },
        ]);
        assert.equal(logArchiveLifecycle(45)[0].transitions, undefined);
        for (const days of [45, 90, 179, 180, 365, 2557, 3650]) {
            const [rule] = logArchiveLifecycle(days);
            assert.equal(rule.expiration?.days, days);
            for (const t of rule.transitions ?? []) assert.ok(t.days < days);
        }
    });

    it("locks audit logs in COMPLIANCE mode only in prod", () => {
        assert.equal(auditObjectLockMode(true), "COMPLIANCE");
        assert.equal(auditObjectLockMode(false), "GOVERNANCE");
    });

    it("selects management events and trace bucket object events only", () => {
        const selectors = trailEventSelectors(traceBucket);
        assert.equal(selectors.length, 2);
        const data = selectors[1].fieldSelectors.find((f) => f.field === "resources.ARN");
        assert.deepEqual(data?.startsWiths, [`arn:aws:s3:::${traceBucket}/`]);
    });
});
