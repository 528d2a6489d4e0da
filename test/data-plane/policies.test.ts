/**
 * The policy builders on their own, and what the policies decide when AWS evaluates them: the IAM
 * simulator (@cloud-copilot/iam-simulate) runs requests against the identity, bucket and trust
 * policies the program deploys. KMS key policies are checked structurally elsewhere: the simulator
 * ignores `kms:EncryptionContext:*` context keys, which those policies depend on.
 */
import { strict as assert } from "assert";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { accessLogBucketPolicy, auditBucketPolicy, objectDataActions, traceBucketPolicy } from "../../components/data-plane/bucket-policies";
import { logArchiveLifecycle, traceBucketLifecycle, auditObjectLockMode } from "../../components/data-plane/bucket-lifecycle";
import { policyDocument, type PolicyDocument } from "../../components/platform/iam-policy";
import {
    gatewayPermissionPolicy,
    grafanaPermissionPolicy,
    podIdentityTrustPolicy,
    tempoPermissionPolicy,
} from "../../components/data-plane/workload-policies";
import { alertTopicPolicy } from "../../components/data-plane/alert-topic-policy";
import { trailEventSelectors } from "../../components/data-plane/trail-policies";
import { traceKeyPolicy } from "../../components/data-plane/key-policies";
import { awsResourceNames, workloads } from "../../components/platform/names";
import { checkLeastPrivilege, checkPodIdentityTrust, conditionValues, statement, statements } from "./checks";

const accountId = "111111111111";
const otherAccountId = "222222222222";
const region = "eu-central-1";
const names = awsResourceNames("dev", accountId, region);
const traceBucket = names.traceBucket;
const auditBucket = names.auditBucket;
const endpointId = "vpce-0a1b2c3d4e5f60718";
const traceKeyArn = `arn:aws:kms:${region}:${accountId}:key/0b1c2d3e-aaaa-bbbb-cccc-000000000001`;
const workspaceArn = `arn:aws:aps:${region}:${accountId}:workspace/ws-00000000-0000-0000-0000-000000000001`;
const clusterArn = `arn:aws:eks:${region}:${accountId}:cluster/apps-dev`;
const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${names.trail}`;
const roleArn = (name: string, account = accountId) => `arn:aws:iam::${account}:role/${name}`;

const identity = {
    tempo: tempoPermissionPolicy({ traceBucketName: traceBucket, traceKeyArn }),
    gateway: gatewayPermissionPolicy(workspaceArn),
    grafana: grafanaPermissionPolicy({ region, metricsWorkspaceArn: workspaceArn, alertTopicArn: `arn:aws:sns:${region}:${accountId}:${names.alertTopic}`, alertTopicKeyArn: `arn:aws:kms:${region}:${accountId}:key/0b1c2d3e-aaaa-bbbb-cccc-000000000002` }),
};

interface Request {
    principal: string;
    action: string;
    resource: string;
    context?: Record<string, string | string[]>;
    identityPolicies?: PolicyDocument[];
    resourcePolicy?: PolicyDocument;
}

/** AWS's decision on one request: Allowed, ExplicitlyDenied or ImplicitlyDenied. */
async function decide(request: Request): Promise<string> {
    const simulation: Simulation = {
        identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
        request: {
            principal: request.principal,
            action: request.action,
            resource: { resource: request.resource, accountId },
            contextVariables: request.context ?? {},
        },
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
    return response.overallResult;
}

/** Context of a request from a pod of this account over TLS 1.3 through the platform's S3 endpoint. */
function s3Context(overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const context: Record<string, string | undefined> = {
        "aws:SecureTransport": "true",
        "s3:TlsVersion": "1.3",
        "aws:SourceVpce": endpointId,
        "aws:PrincipalAccount": accountId,
        "aws:PrincipalIsAWSService": "false",
        ...overrides,
    };
    return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

describe("data plane policies under the IAM simulator", () => {
    const tracePolicy = traceBucketPolicy({ bucketName: traceBucket, accountId, s3VpcEndpointId: endpointId });
    const object = `arn:aws:s3:::${traceBucket}/single-tenant/0f1e2d3c/data.parquet`;
    const tempo = roleArn(names.workloadRoles.tempo);

    describe("trace bucket with the platform's S3 endpoint", () => {
        it("lets Tempo read, write, delete and list through the endpoint over TLS", async () => {
            for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging", "s3:PutObjectTagging"]) {
                assert.equal(
                    await decide({ principal: tempo, action, resource: object, context: s3Context(), identityPolicies: [identity.tempo], resourcePolicy: tracePolicy }),
                    "Allowed",
                    action,
                );
            }
            assert.equal(
                await decide({
                    principal: tempo,
                    action: "s3:ListBucket",
                    resource: `arn:aws:s3:::${traceBucket}`,
                    context: s3Context(),
                    identityPolicies: [identity.tempo],
                    resourcePolicy: tracePolicy,
                }),
                "Allowed",
            );
        });

        it("refuses Tempo without TLS, with TLS 1.1, through another endpoint or from outside the VPC", async () => {
            for (const context of [
                s3Context({ "aws:SecureTransport": "false" }),
                s3Context({ "s3:TlsVersion": "1.1" }),
                s3Context({ "aws:SourceVpce": "vpce-0ffffffffffffffff" }),
                s3Context({ "aws:SourceVpce": undefined }),
            ]) {
                assert.equal(
                    await decide({ principal: tempo, action: "s3:GetObject", resource: object, context, identityPolicies: [identity.tempo], resourcePolicy: tracePolicy }),
                    "ExplicitlyDenied",
                    JSON.stringify(context),
                );
            }
        });

        it("keeps the bucket's configuration manageable from outside the VPC (no lock-out)", async () => {
            const admin = { Version: "2012-10-17", Statement: [{ Sid: "Admin", Effect: "Allow", Action: "s3:PutBucketPolicy", Resource: `arn:aws:s3:::${traceBucket}` }] } as PolicyDocument;
            assert.equal(
                await decide({
                    principal: roleArn("platform-admin"),
                    action: "s3:PutBucketPolicy",
                    resource: `arn:aws:s3:::${traceBucket}`,
                    context: s3Context({ "aws:SourceVpce": undefined }),
                    identityPolicies: [admin],
                    resourcePolicy: tracePolicy,
                }),
                "Allowed",
            );
        });

        it("refuses a principal of another account even with an all-S3 identity policy", async () => {
            const everything = { Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "*" }] } as PolicyDocument;
            assert.equal(
                await decide({
                    principal: roleArn("intruder", otherAccountId),
                    action: "s3:GetObject",
                    resource: object,
                    context: s3Context({ "aws:PrincipalAccount": otherAccountId }),
                    identityPolicies: [everything],
                    resourcePolicy: tracePolicy,
                }),
                "ExplicitlyDenied",
            );
        });

        it("gives the gateway and Grafana no access to trace objects", async () => {
            for (const [workload, policy] of [["gateway", identity.gateway], ["grafana", identity.grafana]] as const) {
                assert.equal(
                    await decide({
                        principal: roleArn(names.workloadRoles[workload]),
                        action: "s3:GetObject",
                        resource: object,
                        context: s3Context(),
                        identityPolicies: [policy],
                        resourcePolicy: tracePolicy,
                    }),
                    "ImplicitlyDenied",
                    workload,
                );
            }
        });

        it("does not let Tempo read another bucket of the account", async () => {
            assert.equal(
                await decide({ principal: tempo, action: "s3:GetObject", resource: `arn:aws:s3:::${auditBucket}/AWSLogs/x.json.gz`, identityPolicies: [identity.tempo] }),
                "ImplicitlyDenied",
            );
        });
    });

    describe("metrics workspace", () => {
        it("lets the gateway only remote-write and Grafana only query", async () => {
            const cases: [keyof typeof identity, string, string][] = [
                ["gateway", "aps:RemoteWrite", "Allowed"],
                ["gateway", "aps:QueryMetrics", "ImplicitlyDenied"],
                ["grafana", "aps:QueryMetrics", "Allowed"],
                ["grafana", "aps:GetSeries", "Allowed"],
                ["grafana", "aps:GetLabels", "Allowed"],
                ["grafana", "aps:GetMetricMetadata", "Allowed"],
                ["grafana", "aps:RemoteWrite", "ImplicitlyDenied"],
                ["grafana", "aps:DeleteWorkspace", "ImplicitlyDenied"],
                ["tempo", "aps:RemoteWrite", "ImplicitlyDenied"],
            ];
            for (const [workload, action, expected] of cases) {
                assert.equal(
                    await decide({ principal: roleArn(names.workloadRoles[workload]), action, resource: workspaceArn, identityPolicies: [identity[workload]] }),
                    expected,
                    `${workload} ${action}`,
                );
            }
        });

        it("does not reach another workspace", async () => {
            const other = `arn:aws:aps:${region}:${accountId}:workspace/ws-ffffffff-0000-0000-0000-000000000009`;
            assert.equal(
                await decide({ principal: roleArn(names.workloadRoles.gateway), action: "aps:RemoteWrite", resource: other, identityPolicies: [identity.gateway] }),
                "ImplicitlyDenied",
            );
        });
    });

    describe("alert topic", () => {
        const topicArn = `arn:aws:sns:${region}:${accountId}:${names.alertTopic}`;
        const grafanaRole = roleArn(names.workloadRoles.grafana);
        const topicPolicy = alertTopicPolicy({ accountId, topicArn, publisherRoleArn: grafanaRole });
        const allSns = policyDocument([{ Sid: "AllSns", Effect: "Allow", Action: "sns:*", Resource: "*" }]);
        const publish = (principal: string, identityPolicies: PolicyDocument[], overrides: { resource?: string; action?: string; tls?: string } = {}) =>
            decide({
                principal,
                action: overrides.action ?? "sns:Publish",
                resource: overrides.resource ?? topicArn,
                identityPolicies,
                resourcePolicy: topicPolicy,
                context: { "aws:SecureTransport": overrides.tls ?? "true", "aws:PrincipalArn": principal, "aws:PrincipalAccount": principal.split(":")[4] },
            });

        it("lets Grafana's role publish to its topic over TLS, and nothing more", async () => {
            assert.equal(await publish(grafanaRole, [identity.grafana]), "Allowed");
            for (const action of ["sns:Subscribe", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:Unsubscribe"]) {
                assert.equal(await publish(grafanaRole, [identity.grafana], { action }), "ImplicitlyDenied", action);
            }
            const otherTopic = `arn:aws:sns:${region}:${accountId}:somebody-elses-topic`;
            assert.equal(
                await decide({ principal: grafanaRole, action: "sns:Publish", resource: otherTopic, identityPolicies: [identity.grafana], context: { "aws:SecureTransport": "true" } }),
                "ImplicitlyDenied",
            );
        });

        it("refuses publishing without TLS, by other roles of the account even with sns:*, and by other accounts", async () => {
            assert.equal(await publish(grafanaRole, [identity.grafana], { tls: "false" }), "ExplicitlyDenied");
            assert.equal(await publish(roleArn(names.workloadRoles.tempo), [allSns]), "ExplicitlyDenied", "an admin-like role of this account");
            assert.equal(await publish(roleArn(names.workloadRoles.grafana, otherAccountId), [allSns]), "ExplicitlyDenied", "a same-named role elsewhere");
            assert.equal(await publish(roleArn(names.workloadRoles.tempo), [identity.tempo]), "ExplicitlyDenied");
        });

        it("keeps the topic manageable by the account's administrators (no lock-out)", async () => {
            assert.equal(await publish(roleArn("platform-admin"), [allSns], { action: "sns:SetTopicAttributes" }), "Allowed");
            assert.equal(await publish(roleArn("platform-admin"), [allSns], { action: "sns:Subscribe" }), "Allowed");
        });
    });

    describe("Pod Identity trust", () => {
        const trust = (key: "tempo" | "gateway" | "grafana") =>
            podIdentityTrustPolicy({ accountId, clusterArn, namespace: workloads[key].namespace, serviceAccount: workloads[key].serviceAccount });
        const tags = (namespace: string, serviceAccount: string, cluster = clusterArn) => ({
            "aws:SourceAccount": accountId,
            "aws:RequestTag/eks-cluster-arn": cluster,
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": serviceAccount,
        });
        const assume = (key: "tempo" | "gateway" | "grafana", context: Record<string, string>) =>
            decide({ principal: "pods.eks.amazonaws.com", action: "sts:AssumeRole", resource: roleArn(names.workloadRoles[key]), context, resourcePolicy: trust(key) });

        it("admits each workload's own service account in its own namespace", async () => {
            for (const key of ["tempo", "gateway", "grafana"] as const) {
                assert.equal(await assume(key, tags(workloads[key].namespace, workloads[key].serviceAccount)), "Allowed", key);
                checkPodIdentityTrust(trust(key), { accountId, clusterArn, ...workloads[key] }, key);
            }
        });

        it("refuses another service account, another namespace, another cluster or another account", async () => {
            const { namespace, serviceAccount } = workloads.tempo;
            for (const context of [
                tags(namespace, "default"),
                tags(workloads.grafana.namespace, serviceAccount),
                tags(namespace, serviceAccount, `arn:aws:eks:${region}:${accountId}:cluster/another-cluster`),
                { ...tags(namespace, serviceAccount), "aws:SourceAccount": otherAccountId },
            ]) {
                assert.equal(await assume("tempo", context), "ImplicitlyDenied", JSON.stringify(context));
            }
        });

        it("refuses the Grafana pod assuming Tempo's role", async () => {
            assert.equal(await assume("tempo", tags(workloads.grafana.namespace, workloads.grafana.serviceAccount)), "ImplicitlyDenied");
        });
    });

    describe("log buckets", () => {
        const auditPolicy = auditBucketPolicy({ bucketName: auditBucket, accountId, trailArn });
        const logFile = `arn:aws:s3:::${auditBucket}/AWSLogs/${accountId}/CloudTrail/${region}/2026/11/25/file.json.gz`;
        const trailContext = {
            "aws:SecureTransport": "true",
            "s3:TlsVersion": "1.3",
            "aws:SourceArn": trailArn,
            "aws:SourceAccount": accountId,
            "s3:x-amz-acl": "bucket-owner-full-control",
            "aws:PrincipalServiceNamesList": ["cloudtrail.amazonaws.com"],
            "aws:PrincipalIsAWSService": "true",
        };

        it("let this environment's trail deliver log files", async () => {
            assert.equal(
                await decide({ principal: "cloudtrail.amazonaws.com", action: "s3:PutObject", resource: logFile, context: trailContext, resourcePolicy: auditPolicy }),
                "Allowed",
            );
        });

        it("refuse another trail, and any writer but CloudTrail even with an all-S3 identity policy", async () => {
            assert.equal(
                await decide({
                    principal: "cloudtrail.amazonaws.com",
                    action: "s3:PutObject",
                    resource: logFile,
                    context: { ...trailContext, "aws:SourceArn": `arn:aws:cloudtrail:${region}:${otherAccountId}:trail/theirs` },
                    resourcePolicy: auditPolicy,
                }),
                "ImplicitlyDenied",
            );
            const everything = { Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "*" }] } as PolicyDocument;
            assert.equal(
                await decide({
                    principal: roleArn("platform-admin"),
                    action: "s3:PutObject",
                    resource: logFile,
                    context: { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3", "aws:PrincipalAccount": accountId },
                    identityPolicies: [everything],
                    resourcePolicy: auditPolicy,
                }),
                "ExplicitlyDenied",
            );
        });

        it("let S3 log delivery write the access logs of the trace bucket, and nobody else", async () => {
            const policy = accessLogBucketPolicy({ bucketName: names.accessLogBucket, accountId, sourceBucketNames: [traceBucket, auditBucket] });
            const logObject = `arn:aws:s3:::${names.accessLogBucket}/s3/${traceBucket}/${accountId}/${region}/${traceBucket}/2026/11/25/log`;
            const delivery = {
                "aws:SecureTransport": "true",
                "s3:TlsVersion": "1.3",
                "aws:SourceAccount": accountId,
                "aws:SourceArn": `arn:aws:s3:::${traceBucket}`,
                "aws:PrincipalServiceNamesList": ["logging.s3.amazonaws.com"],
            };
            assert.equal(
                await decide({ principal: "logging.s3.amazonaws.com", action: "s3:PutObject", resource: logObject, context: delivery, resourcePolicy: policy }),
                "Allowed",
            );
            assert.equal(
                await decide({
                    principal: "logging.s3.amazonaws.com",
                    action: "s3:PutObject",
                    resource: logObject,
                    context: { ...delivery, "aws:SourceArn": "arn:aws:s3:::someone-elses-bucket" },
                    resourcePolicy: policy,
                }),
                "ImplicitlyDenied",
            );
        });
    });
});

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
        const keyPolicy = traceKeyPolicy({
            accountId,
            region,
            traceBucketName: traceBucket,
            tempoRoleArn: roleArn(names.workloadRoles.tempo),
            imageRepositoryName: names.grafanaImageRepository,
        });
        const keySide = statement(keyPolicy, "TempoUsesKeyThroughS3ForTraceBucket");
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
