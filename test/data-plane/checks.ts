/**
 * Reusable checks of the AWS data plane on a recorded program run. Each check throws an
 * AssertionError naming what is wrong, so the same function passes on the real recording and fails
 * on a copy with one property broken (see the negative tests).
 *
 * Resources are linked the way a policy pack links them: a bucket's side resources through
 * `propertyDependencies.bucket`, a key through the property that carries its ARN.
 */
import { strict as assert } from "assert";
import type { RecordedResource, StackRecording } from "../harness/program";
import { ofType, policyDocument } from "../harness/program";

export const types = {
    bucket: "aws:s3/bucket:Bucket",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    trail: "aws:cloudtrail/trail:Trail",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    workspace: "aws:amp/workspace:Workspace",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
} as const;

/** A parsed policy statement (recorded JSON or a builder's document). */
export interface Statement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: "*" | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };
    readonly Action: string | readonly string[];
    readonly NotAction?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

export interface Policy {
    readonly Statement: Statement | readonly Statement[];
}

export function list<T>(value: T | readonly T[] | undefined): T[] {
    return value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T];
}

export function statements(doc: Policy): Statement[] {
    return list(doc.Statement);
}

export function statement(doc: Policy, sid: string): Statement {
    const found = statements(doc).filter((s) => s.Sid === sid);
    assert.equal(found.length, 1, `expected one statement ${sid}, found ${found.length}`);
    return found[0];
}

/** The value of one condition key under one operator, as a list. */
export function conditionValues(s: Statement, operator: string, key: string): string[] {
    return list(s.Condition?.[operator]?.[key]).map(String);
}

export function s3Arn(bucketName: string): string {
    return `arn:aws:s3:::${bucketName}`;
}

export function bucketNamed(rec: StackRecording, bucketName: string): RecordedResource {
    const found = ofType(rec, types.bucket).filter((b) => b.inputs.bucket === bucketName);
    assert.equal(found.length, 1, `expected one bucket named ${bucketName}, found ${found.length}`);
    return found[0];
}

/** The single side resource of a type configuring the bucket (through propertyDependencies.bucket). */
export function sideResource(rec: StackRecording, type: string, bucket: RecordedResource): RecordedResource {
    const found = ofType(rec, type).filter((r) => (r.propertyDependencies.bucket ?? []).includes(bucket.urn));
    assert.equal(found.length, 1, `bucket ${bucket.inputs.bucket}: expected one ${type}, found ${found.length}`);
    return found[0];
}

/** Whether an input of a resource was computed from another resource (its URN among the property's dependencies). */
export function dependsOn(resource: RecordedResource, property: string, on: RecordedResource): boolean {
    return (resource.propertyDependencies[property] ?? []).includes(on.urn);
}

export function keyWithAlias(rec: StackRecording, alias: string): RecordedResource {
    const aliases = ofType(rec, types.alias).filter((a) => a.inputs.name === alias);
    assert.equal(aliases.length, 1, `expected one alias ${alias}, found ${aliases.length}`);
    const keys = ofType(rec, types.key).filter((k) => dependsOn(aliases[0], "targetKeyId", k));
    assert.equal(keys.length, 1, `alias ${alias} must target exactly one key of the stack`);
    return keys[0];
}

// ---------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------

/** ACLs disabled and all four public access blocks on. */
export function checkBucketPrivate(rec: StackRecording, bucketName: string): void {
    const bucket = bucketNamed(rec, bucketName);
    const ownership = sideResource(rec, types.ownership, bucket);
    assert.equal(ownership.inputs.rule?.objectOwnership, "BucketOwnerEnforced", `${bucketName}: ACLs must be disabled`);
    const block = sideResource(rec, types.publicAccessBlock, bucket);
    for (const setting of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
        assert.equal(block.inputs[setting], true, `${bucketName}: public access block ${setting} must be true`);
    }
    assert.notEqual(bucket.inputs.forceDestroy, true, `${bucketName}: forceDestroy would delete data with the bucket`);
    for (const deprecated of ["acl", "grants", "policy", "versioning", "serverSideEncryptionConfiguration", "lifecycleRules", "logging"]) {
        assert.equal(bucket.inputs[deprecated], undefined, `${bucketName}: deprecated inline argument ${deprecated}`);
    }
}

export function checkBucketVersioned(rec: StackRecording, bucketName: string): void {
    const versioning = sideResource(rec, types.versioning, bucketNamed(rec, bucketName));
    assert.equal(versioning.inputs.versioningConfiguration?.status, "Enabled", `${bucketName}: versioning must be Enabled`);
}

/** SSE-KMS with the given key (by dependency and by ARN), an S3 Bucket Key, SSE-C refused. */
export function checkBucketEncryptedWithKey(rec: StackRecording, bucketName: string, key: RecordedResource, accountId: string, region: string): void {
    const encryption = sideResource(rec, types.encryption, bucketNamed(rec, bucketName));
    const rules = list(encryption.inputs.rules);
    assert.equal(rules.length, 1, `${bucketName}: one default encryption rule`);
    const [rule] = rules;
    assert.equal(rule.applyServerSideEncryptionByDefault?.sseAlgorithm, "aws:kms", `${bucketName}: SSE-KMS`);
    const keyId = String(rule.applyServerSideEncryptionByDefault?.kmsMasterKeyId ?? "");
    assert.match(keyId, new RegExp(`^arn:aws:kms:${region}:${accountId}:key/`), `${bucketName}: a key ARN of this account and region`);
    assert.ok(dependsOn(encryption, "rules", key), `${bucketName}: encrypted with the expected customer managed key`);
    assert.equal(rule.bucketKeyEnabled, true, `${bucketName}: S3 Bucket Key enabled`);
    assert.ok(list(rule.blockedEncryptionTypes).includes("SSE-C"), `${bucketName}: SSE-C must be blocked`);
}

/** SSE-S3: the one default encryption S3 server access log delivery supports. */
export function checkBucketEncryptedWithS3Keys(rec: StackRecording, bucketName: string): void {
    const encryption = sideResource(rec, types.encryption, bucketNamed(rec, bucketName));
    const [rule] = list(encryption.inputs.rules);
    assert.equal(rule?.applyServerSideEncryptionByDefault?.sseAlgorithm, "AES256", `${bucketName}: SSE-S3`);
    assert.ok(list(rule.blockedEncryptionTypes).includes("SSE-C"), `${bucketName}: SSE-C must be blocked`);
}

export function bucketPolicy(rec: StackRecording, bucketName: string): Policy {
    return policyDocument(sideResource(rec, types.bucketPolicy, bucketNamed(rec, bucketName)));
}

/** Plain HTTP and TLS below 1.2 refused for everyone, on the bucket and its objects. */
export function checkTlsOnly(rec: StackRecording, bucketName: string): void {
    const doc = bucketPolicy(rec, bucketName);
    const arn = s3Arn(bucketName);
    const denies = statements(doc).filter(
        (s) =>
            s.Effect === "Deny" &&
            s.Principal === "*" &&
            list(s.Action).includes("s3:*") &&
            list(s.Resource).includes(arn) &&
            list(s.Resource).includes(`${arn}/*`),
    );
    assert.ok(
        denies.some((s) => conditionValues(s, "Bool", "aws:SecureTransport").includes("false") && Object.keys(s.Condition ?? {}).length === 1),
        `${bucketName}: no unconditional deny of aws:SecureTransport=false`,
    );
    assert.ok(
        denies.some((s) => conditionValues(s, "NumericLessThan", "s3:TlsVersion").includes("1.2")),
        `${bucketName}: no deny of TLS below 1.2`,
    );
}

/** Allow statements of a resource policy: each principal is a named service or account, never "*" alone. */
export function checkNoAnonymousAllow(doc: Policy, where: string): void {
    for (const s of statements(doc).filter((st) => st.Effect === "Allow")) {
        const principal = s.Principal;
        const wildcard = principal === "*" || list(typeof principal === "object" ? principal.AWS : undefined).includes("*");
        assert.ok(!wildcard || Object.keys(s.Condition ?? {}).length > 0, `${where}: ${s.Sid} allows any principal without a condition`);
    }
}

/** Every Allow to a service principal is pinned with aws:SourceArn or aws:SourceAccount (or KMS's own context keys). */
export function checkServicePrincipalsPinned(doc: Policy, where: string): void {
    for (const s of statements(doc).filter((st) => st.Effect === "Allow" && typeof st.Principal === "object" && st.Principal.Service)) {
        const keys = Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey));
        assert.ok(
            keys.some((k) => k === "aws:SourceArn" || k === "aws:SourceAccount" || k.startsWith("kms:EncryptionContext:")),
            `${where}: service statement ${s.Sid} is not pinned to this account/resource`,
        );
    }
}

export function checkLifecycle(
    rec: StackRecording,
    bucketName: string,
    expected: { expireAfterDays: number; noncurrentDays: number; transitions: { days: number; storageClass: string }[] },
): void {
    const lifecycle = sideResource(rec, types.lifecycle, bucketNamed(rec, bucketName));
    const rules = list(lifecycle.inputs.rules).filter((r: any) => r.status === "Enabled");
    const expiring = rules.filter((r: any) => r.expiration?.days !== undefined);
    assert.equal(expiring.length, 1, `${bucketName}: one expiring rule`);
    const [rule] = expiring as any[];
    assert.deepEqual(rule.filter ?? {}, {}, `${bucketName}: the expiring rule covers every object`);
    assert.equal(rule.expiration.days, expected.expireAfterDays, `${bucketName}: expiry`);
    assert.equal(rule.noncurrentVersionExpiration?.noncurrentDays, expected.noncurrentDays, `${bucketName}: noncurrent versions`);
    assert.ok(rule.abortIncompleteMultipartUpload?.daysAfterInitiation >= 1, `${bucketName}: incomplete uploads aborted`);
    assert.deepEqual(list(rule.transitions), expected.transitions, `${bucketName}: transitions`);
    for (const t of list<any>(rule.transitions)) {
        assert.ok(t.days < rule.expiration.days, `${bucketName}: a transition after expiry`);
    }
}

export function checkObjectLock(rec: StackRecording, bucketName: string, mode: "COMPLIANCE" | "GOVERNANCE", days: number): void {
    const bucket = bucketNamed(rec, bucketName);
    assert.equal(bucket.inputs.objectLockEnabled, true, `${bucketName}: Object Lock must be enabled at creation`);
    const lock = sideResource(rec, types.objectLock, bucket);
    assert.equal(lock.inputs.objectLockEnabled, "Enabled", `${bucketName}: Object Lock configuration`);
    assert.equal(lock.inputs.rule?.defaultRetention?.mode, mode, `${bucketName}: Object Lock mode`);
    assert.equal(lock.inputs.rule?.defaultRetention?.days, days, `${bucketName}: Object Lock retention`);
}

export function checkAccessLogging(rec: StackRecording, sourceBucketName: string, targetBucketName: string): void {
    const logging = sideResource(rec, types.logging, bucketNamed(rec, sourceBucketName));
    assert.equal(logging.inputs.targetBucket, targetBucketName, `${sourceBucketName}: access logs to ${targetBucketName}`);
    assert.ok(dependsOn(logging, "targetBucket", bucketNamed(rec, targetBucketName)), `${sourceBucketName}: target is the stack's bucket`);
    assert.ok(String(logging.inputs.targetPrefix ?? "").length > 0, `${sourceBucketName}: access log prefix`);
}

export function checkRetained(resource: RecordedResource, retain: boolean): void {
    assert.equal(resource.protect, retain, `${resource.type} ${resource.name}: protect`);
    assert.equal(resource.retainOnDelete, retain, `${resource.type} ${resource.name}: retainOnDelete`);
}

// ---------------------------------------------------------------------------------------------
// KMS
// ---------------------------------------------------------------------------------------------

export function checkKeyHardened(key: RecordedResource, deletionWindowDays: number): void {
    const where = `key ${key.name}`;
    assert.equal(key.inputs.enableKeyRotation, true, `${where}: rotation`);
    assert.ok((key.inputs.rotationPeriodInDays ?? 365) <= 365, `${where}: rotation at least yearly`);
    assert.equal(key.inputs.deletionWindowInDays, deletionWindowDays, `${where}: deletion window`);
    assert.notEqual(key.inputs.bypassPolicyLockoutSafetyCheck, true, `${where}: lockout safety check`);
    assert.notEqual(key.inputs.isEnabled, false, `${where}: enabled`);
    assert.notEqual(key.inputs.multiRegion, true, `${where}: single region`);
    assert.ok(String(key.inputs.description ?? "").length > 0, `${where}: description`);
    const doc = policyDocument(key);
    assert.ok(doc && statements(doc).length > 0, `${where}: explicit key policy`);
    checkNoAnonymousAllow(doc, where);
    checkServicePrincipalsPinned(doc, where);
    for (const s of statements(doc)) {
        assert.equal(s.NotAction, undefined, `${where}: ${s.Sid} uses NotAction`);
        for (const action of list(s.Action)) {
            assert.ok(!action.includes("*"), `${where}: ${s.Sid} grants wildcard action ${action}`);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

/** Least privilege of an identity policy: named actions only, named resources for S3, KMS and APS. */
export function checkLeastPrivilege(doc: Policy, where: string): void {
    for (const s of statements(doc).filter((st) => st.Effect === "Allow")) {
        assert.equal(s.NotAction, undefined, `${where}: ${s.Sid} uses NotAction`);
        for (const action of list(s.Action)) {
            assert.ok(!action.includes("*"), `${where}: ${s.Sid} allows wildcard action ${action}`);
            const service = action.split(":")[0];
            if (["s3", "kms", "aps"].includes(service)) {
                assert.ok(!list(s.Resource).includes("*"), `${where}: ${s.Sid} allows ${action} on every resource`);
            }
        }
    }
}

/** Actions an identity policy allows on a resource ARN (exact or `<arn>/*`), for comparing against what a workload needs. */
export function allowedActions(doc: Policy): Map<string, Set<string>> {
    const byResource = new Map<string, Set<string>>();
    for (const s of statements(doc).filter((st) => st.Effect === "Allow")) {
        for (const resource of list(s.Resource)) {
            const set = byResource.get(resource) ?? new Set<string>();
            list(s.Action).forEach((a) => set.add(a));
            byResource.set(resource, set);
        }
    }
    return byResource;
}

/** A Pod Identity trust policy that admits exactly one service account in one namespace of one cluster. */
export function checkPodIdentityTrust(
    trust: Policy,
    expected: { accountId: string; clusterArn: string; namespace: string; serviceAccount: string },
    where: string,
): void {
    const all = statements(trust);
    assert.equal(all.length, 1, `${where}: one trust statement`);
    const [s] = all;
    assert.equal(s.Effect, "Allow");
    assert.deepEqual(s.Principal, { Service: "pods.eks.amazonaws.com" }, `${where}: only EKS Pod Identity`);
    assert.deepEqual([...list(s.Action)].sort(), ["sts:AssumeRole", "sts:TagSession"], `${where}: trust actions`);
    assert.deepEqual(Object.keys(s.Condition ?? {}), ["StringEquals"], `${where}: exact-match conditions only`);
    const equals = s.Condition!.StringEquals;
    assert.deepEqual(list(equals["aws:SourceAccount"]), [expected.accountId], `${where}: source account`);
    assert.deepEqual(list(equals["aws:RequestTag/eks-cluster-arn"]), [expected.clusterArn], `${where}: cluster`);
    assert.deepEqual(list(equals["aws:RequestTag/kubernetes-namespace"]), [expected.namespace], `${where}: namespace`);
    assert.deepEqual(list(equals["aws:RequestTag/kubernetes-service-account"]), [expected.serviceAccount], `${where}: service account`);
}

// ---------------------------------------------------------------------------------------------
// CloudTrail
// ---------------------------------------------------------------------------------------------

export function checkTrail(
    rec: StackRecording,
    expected: { trailName: string; auditBucketName: string; auditKey: RecordedResource; traceBucketName: string },
): void {
    const trails = ofType(rec, types.trail).filter((t) => t.inputs.name === expected.trailName);
    assert.equal(trails.length, 1, `expected trail ${expected.trailName}`);
    const [trail] = trails;
    const i = trail.inputs;
    assert.equal(i.isMultiRegionTrail, true, "trail: multi-region");
    assert.equal(i.enableLogFileValidation, true, "trail: log file validation");
    assert.notEqual(i.includeGlobalServiceEvents, false, "trail: global service events");
    assert.notEqual(i.enableLogging, false, "trail: logging on");
    assert.notEqual(i.isOrganizationTrail, true, "trail: the environment's own trail");
    assert.equal(i.s3BucketName, expected.auditBucketName, "trail: delivers to the audit bucket");
    assert.ok(dependsOn(trail, "kmsKeyId", expected.auditKey), "trail: encrypted with the audit key");
    assert.match(String(i.kmsKeyId ?? ""), /^arn:aws:kms:/, "trail: kmsKeyId is a key ARN");
    assert.ok(i.cloudWatchLogsGroupArn && i.cloudWatchLogsRoleArn, "trail: copied to CloudWatch Logs");
    assert.equal(i.eventSelectors, undefined, "trail: one selector style (advanced)");
    const selectors = list<any>(i.advancedEventSelectors);
    const fields = (sel: any) => Object.fromEntries(list<any>(sel.fieldSelectors).map((f) => [f.field, f]));
    const management = selectors.filter((sel) => list(fields(sel).eventCategory?.equals).includes("Management"));
    assert.equal(management.length, 1, "trail: management events selected");
    assert.equal(fields(management[0]).readOnly, undefined, "trail: management events read and write");
    const data = selectors.filter((sel) => list(fields(sel).eventCategory?.equals).includes("Data"));
    assert.equal(data.length, 1, "trail: one data event selector");
    const f = fields(data[0]);
    assert.deepEqual(list(f["resources.type"]?.equals), ["AWS::S3::Object"], "trail: S3 object data events");
    assert.deepEqual(list(f["resources.ARN"]?.startsWiths), [`${s3Arn(expected.traceBucketName)}/`], "trail: objects of the trace bucket");
    assert.equal(f.readOnly, undefined, "trail: data events read and write");
}
