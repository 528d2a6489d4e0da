/**
 * The AWS data plane as a whole, as the real program records it for dev and prod: the metrics
 * workspace and the stack outputs, the explicit provider every resource uses, and what must differ
 * between environments. Keys, buckets, audit logging and workload identities have their own files.
 */
import { strict as assert } from "assert";
import { ofType } from "../harness/program";
import { checkRetained, dependsOn, keyWithAlias, types } from "./checks";
import { describeEachStack, loadStack, type Stack } from "./stack";

describeEachStack(({ s, stackName, account, region }) => {
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

    it("pins every AWS resource to the environment's explicit provider and account", () => {
        const provider = ofType(s.rec, "pulumi:providers:aws");
        assert.equal(provider.length, 1);
        assert.deepEqual(JSON.parse(provider[0].inputs.allowedAccountIds), [account()]);
        for (const resource of s.rec.resources.filter((r) => r.type.startsWith("aws:"))) {
            assert.ok(resource.provider?.startsWith(`${provider[0].urn}::`), `${resource.type} ${resource.name} uses the explicit provider`);
        }
    });
});

describe("AWS data plane: environment isolation", () => {
    let dev: Stack;
    let prod: Stack;
    before(async () => {
        [dev, prod] = await Promise.all([loadStack("dev"), loadStack("prod")]);
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
