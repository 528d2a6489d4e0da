/**
 * The data-plane checks fail when one property is broken. Each case runs a check on the real
 * recording (it must pass), then on a copy with exactly one property mutated (it must throw).
 */
import { strict as assert } from "assert";
import { ofType, policyDocument, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { parseSettings } from "../../components/platform/settings";
import { awsResourceNames, workloads } from "../../components/platform/names";
import {
    bucketNamed,
    checkAccessLogging,
    checkBucketEncryptedWithKey,
    checkBucketPrivate,
    checkBucketVersioned,
    checkKeyHardened,
    checkLeastPrivilege,
    checkObjectLock,
    checkPodIdentityTrust,
    checkRetained,
    checkTlsOnly,
    checkTrail,
    keyWithAlias,
    sideResource,
    type Statement,
    types,
} from "./checks";

type Mutable = { -readonly [K in keyof RecordedResource]: RecordedResource[K] } & { inputs: Record<string, any> };

/** A deep copy of the recording in which `mutate` changed the one resource `pick` selects. */
function mutated(rec: StackRecording, pick: (copy: StackRecording) => RecordedResource, mutate: (resource: Mutable) => void): StackRecording {
    const copy = structuredClone(rec) as StackRecording;
    mutate(pick(copy) as Mutable);
    return copy;
}

/** Rewrites a JSON policy input of a resource. */
function editPolicy(property: string, edit: (statements: Statement[]) => Statement[]): (resource: Mutable) => void {
    return (resource) => {
        const doc = policyDocument(resource, property);
        resource.inputs[property] = JSON.stringify({ ...doc, Statement: edit(doc.Statement) });
    };
}

describe("AWS data plane checks catch a broken property (prod recording)", () => {
    let rec: StackRecording;
    let names: ReturnType<typeof awsResourceNames>;
    let accountId: string;
    let region: string;
    let clusterName: string;
    before(async () => {
        rec = await stackRecording("prod");
        const settings = parseSettings(rec.config, "prod");
        ({ accountId, region } = settings.aws);
        clusterName = settings.cluster.name;
        names = awsResourceNames(settings.environment, accountId, region);
    });

    /** Runs the check on the real recording (must pass) and on the mutated copy (must fail). */
    function passesThenFails(check: (r: StackRecording) => void, broken: (r: StackRecording) => StackRecording, expected: RegExp): void {
        check(rec);
        assert.throws(() => check(broken(rec)), expected);
    }

    const traceBucketSide = (type: string) => (r: StackRecording) => sideResource(r, type, bucketNamed(r, names.traceBucket));
    const trail = (r: StackRecording) => ofType(r, types.trail)[0];
    const traceKey = (r: StackRecording) => keyWithAlias(r, names.traceKeyAlias);

    it("versioning suspended on the trace bucket", () => {
        passesThenFails(
            (r) => checkBucketVersioned(r, names.traceBucket),
            (r) => mutated(r, traceBucketSide(types.versioning), (v) => (v.inputs.versioningConfiguration.status = "Suspended")),
            /versioning must be Enabled/,
        );
    });

    it("trace bucket encrypted with S3-managed keys instead of the trace key", () => {
        const check = (r: StackRecording) => checkBucketEncryptedWithKey(r, names.traceBucket, traceKey(r), accountId, region);
        passesThenFails(
            check,
            (r) =>
                mutated(r, traceBucketSide(types.encryption), (e) => {
                    e.inputs.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }];
                }),
            /SSE-KMS/,
        );
    });

    it("trace bucket encrypted with the audit key instead of the trace key", () => {
        const check = (r: StackRecording) => checkBucketEncryptedWithKey(r, names.traceBucket, traceKey(r), accountId, region);
        passesThenFails(
            check,
            (r) =>
                mutated(r, traceBucketSide(types.encryption), (e) => {
                    (e.propertyDependencies as Record<string, string[]>).rules = [keyWithAlias(r, names.auditKeyAlias).urn];
                }),
            /expected customer managed key/,
        );
    });

    it("S3 Bucket Key turned off", () => {
        const check = (r: StackRecording) => checkBucketEncryptedWithKey(r, names.traceBucket, traceKey(r), accountId, region);
        passesThenFails(check, (r) => mutated(r, traceBucketSide(types.encryption), (e) => (e.inputs.rules[0].bucketKeyEnabled = false)), /Bucket Key/);
    });

    it("one public access block setting off", () => {
        passesThenFails(
            (r) => checkBucketPrivate(r, names.traceBucket),
            (r) => mutated(r, traceBucketSide(types.publicAccessBlock), (b) => (b.inputs.restrictPublicBuckets = false)),
            /restrictPublicBuckets must be true/,
        );
    });

    it("ACLs enabled again", () => {
        passesThenFails(
            (r) => checkBucketPrivate(r, names.traceBucket),
            (r) => mutated(r, traceBucketSide(types.ownership), (o) => (o.inputs.rule.objectOwnership = "ObjectWriter")),
            /ACLs must be disabled/,
        );
    });

    it("TLS-only statement removed from the trace bucket policy", () => {
        passesThenFails(
            (r) => checkTlsOnly(r, names.traceBucket),
            (r) => mutated(r, traceBucketSide(types.bucketPolicy), editPolicy("policy", (st) => st.filter((s) => s.Sid !== "DenyInsecureTransport"))),
            /aws:SecureTransport/,
        );
    });

    it("trace bucket access logging removed", () => {
        passesThenFails(
            (r) => checkAccessLogging(r, names.traceBucket, names.accessLogBucket),
            (r) => {
                const copy = structuredClone(r);
                const logging = traceBucketSide(types.logging)(copy);
                return { ...copy, resources: copy.resources.filter((res) => res.urn !== logging.urn) };
            },
            /expected one aws:s3\/bucketLogging/,
        );
    });

    it("Object Lock in GOVERNANCE mode in prod", () => {
        const auditLock = (r: StackRecording) => sideResource(r, types.objectLock, bucketNamed(r, names.auditBucket));
        passesThenFails(
            (r) => checkObjectLock(r, names.auditBucket, "COMPLIANCE", parseSettings(r.config, "prod").retention.auditDays),
            (r) => mutated(r, auditLock, (l) => (l.inputs.rule.defaultRetention.mode = "GOVERNANCE")),
            /Object Lock mode/,
        );
    });

    describe("CloudTrail", () => {
        const check = (r: StackRecording) =>
            checkTrail(r, {
                trailName: names.trail,
                auditBucketName: names.auditBucket,
                auditKey: keyWithAlias(r, names.auditKeyAlias),
                traceBucketName: names.traceBucket,
            });

        it("log file validation off", () => {
            passesThenFails(check, (r) => mutated(r, trail, (t) => (t.inputs.enableLogFileValidation = false)), /log file validation/);
        });

        it("single-region trail", () => {
            passesThenFails(check, (r) => mutated(r, trail, (t) => (t.inputs.isMultiRegionTrail = false)), /multi-region/);
        });

        it("not encrypted with the audit key", () => {
            passesThenFails(
                check,
                (r) =>
                    mutated(r, trail, (t) => {
                        delete t.inputs.kmsKeyId;
                        delete (t.propertyDependencies as Record<string, string[]>).kmsKeyId;
                    }),
                /encrypted with the audit key/,
            );
        });

        it("trace bucket data events only for writes", () => {
            passesThenFails(
                check,
                (r) =>
                    mutated(r, trail, (t) => {
                        t.inputs.advancedEventSelectors[1].fieldSelectors.push({ field: "readOnly", equals: ["false"] });
                    }),
                /data events read and write/,
            );
        });
    });

    describe("KMS", () => {
        it("rotation off", () => {
            passesThenFails((r) => checkKeyHardened(traceKey(r), 30), (r) => mutated(r, traceKey, (k) => (k.inputs.enableKeyRotation = false)), /rotation/);
        });

        it("a 7-day deletion window in prod", () => {
            passesThenFails((r) => checkKeyHardened(traceKey(r), 30), (r) => mutated(r, traceKey, (k) => (k.inputs.deletionWindowInDays = 7)), /deletion window/);
        });

        it("kms:* for the account root", () => {
            passesThenFails(
                (r) => checkKeyHardened(traceKey(r), 30),
                (r) =>
                    mutated(
                        r,
                        traceKey,
                        editPolicy("policy", (st) => st.map((s) => (s.Sid === "AccountAdministersKey" ? { ...s, Action: "kms:*" } : s))),
                    ),
                /wildcard action kms:\*/,
            );
        });

        it("a service principal without aws:SourceArn/aws:SourceAccount", () => {
            const auditKey = (r: StackRecording) => keyWithAlias(r, names.auditKeyAlias);
            passesThenFails(
                (r) => checkKeyHardened(auditKey(r), 30),
                (r) =>
                    mutated(
                        r,
                        auditKey,
                        editPolicy("policy", (st) => st.map((s) => (s.Sid === "CloudTrailDescribesKey" ? { ...s, Condition: undefined } : s))),
                    ),
                /not pinned/,
            );
        });

        it("an unconditioned wildcard principal", () => {
            passesThenFails(
                (r) => checkKeyHardened(traceKey(r), 30),
                (r) =>
                    mutated(
                        r,
                        traceKey,
                        editPolicy("policy", (st) => [...st, { Sid: "Everyone", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }]),
                    ),
                /allows any principal without a condition/,
            );
        });

        it("the key no longer protected in prod", () => {
            passesThenFails((r) => checkRetained(traceKey(r), true), (r) => mutated(r, traceKey, (k) => (k.protect = false)), /protect/);
        });
    });

    describe("workload identities", () => {
        const tempoRole = (r: StackRecording) => ofType(r, types.role).find((role) => role.inputs.name === names.workloadRoles.tempo)!;
        const tempoPermissions = (r: StackRecording) =>
            ofType(r, types.rolePolicy).find((p) => (p.propertyDependencies.role ?? []).includes(tempoRole(r).urn))!;

        it("Tempo's S3 grant widened to every resource", () => {
            passesThenFails(
                (r) => checkLeastPrivilege(policyDocument(tempoPermissions(r)), "tempo"),
                (r) =>
                    mutated(r, tempoPermissions, editPolicy("policy", (st) => st.map((s) => (s.Sid === "ReadWriteTraceBlocks" ? { ...s, Resource: "*" } : s)))),
                /on every resource/,
            );
        });

        it("a wildcard action in a workload policy", () => {
            passesThenFails(
                (r) => checkLeastPrivilege(policyDocument(tempoPermissions(r)), "tempo"),
                (r) => mutated(r, tempoPermissions, editPolicy("policy", (st) => st.map((s) => (s.Sid === "ListTraceBucket" ? { ...s, Action: "s3:*" } : s)))),
                /wildcard action s3:\*/,
            );
        });

        it("the trust no longer pinned to Tempo's service account", () => {
            const expected = () => ({
                accountId,
                clusterArn: `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`,
                namespace: workloads.tempo.namespace,
                serviceAccount: workloads.tempo.serviceAccount,
            });
            passesThenFails(
                (r) => checkPodIdentityTrust(policyDocument(tempoRole(r), "assumeRolePolicy"), expected(), "tempo"),
                (r) =>
                    mutated(
                        r,
                        tempoRole,
                        editPolicy("assumeRolePolicy", (st) =>
                            st.map((s) => {
                                const { ["aws:RequestTag/kubernetes-service-account"]: _dropped, ...rest } = s.Condition!.StringEquals;
                                return { ...s, Condition: { StringEquals: rest } };
                            }),
                        ),
                    ),
                /service account/,
            );
        });
    });
});
