import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promisify } from "util";
import { stackRecording } from "../harness/program";
import { projectRoot } from "../harness/stack-config";
import { readPolicyConfig } from "../../policies/enforcement";
import { runPolicies } from "../../policies/runner";
import { renderReview, resourcesByType, reviewExitCode } from "../../scripts/review-report";
import { reviewCommand } from "../../scripts/review";
import { capturedOutput } from "../../scripts/cli";

const run = promisify(execFile);

describe("offline review", () => {
    it("lists every recorded resource under its type", async () => {
        const recording = await stackRecording("prod");
        const groups = resourcesByType(recording);
        const listed = [...groups.values()].reduce((n, names) => n + names.length, 0);
        assert.equal(listed, recording.resources.length);
        const policies = await runPolicies(recording.resources, { config: readPolicyConfig("prod") });
        const report = renderReview(recording, policies);
        for (const type of groups.keys()) assert.ok(report.includes(`\`${type}\``), type);
        assert.match(report, /^# Offline review: stack `prod`/);
        assert.match(report, /\| Tempo mode \| `distributed` \|/);
        assert.match(report, /\| trace durability \| `replicated` \|/);
        assert.match(report, /^Trace durability `replicated`: no acknowledged span is lost on any single pod, node or zone failure/m);
        assert.match(report, /^### Violations: 0 mandatory, 0 advisory$/m);
        assert.equal(reviewExitCode(policies), 0);
    });

    it("reports a violation with its resource and fix, and fails on a mandatory one", async () => {
        const recording = await stackRecording("prod");
        const resources = recording.resources.map((r) =>
            r.type === "aws:s3/bucketVersioning:BucketVersioning" ? { ...r, inputs: { ...r.inputs, versioningConfiguration: { status: "Suspended" } } } : r,
        );
        const policies = await runPolicies(resources, { config: readPolicyConfig("prod") });
        const report = renderReview({ ...recording, resources }, policies);
        assert.match(report, /^### Violations: [1-9]\d* mandatory/m);
        assert.match(report, /\| mandatory \| `s3-[a-z-]*version[a-z-]*` \| [^|]*traces[^|]* \|/);
        assert.equal(reviewExitCode(policies), 1);
    });

    it("states what a single-node stack loses on a crash", async () => {
        const recording = await stackRecording("dev");
        const report = renderReview(recording, await runPolicies(recording.resources, { config: readPolicyConfig("dev") }));
        assert.match(report, /\| Tempo mode \| `monolithic` \|/);
        assert.match(report, /^Trace durability `single-node`: .*loses at most the last 30 s \(max_trace_live\) of acknowledged spans/m);
    });

    it("exits non-zero with the validation message on bad configuration", async () => {
        const output = capturedOutput();
        assert.equal(await reviewCommand(["--stack", "prod", "--set", "tracing-platform:traceDurability=eventual"], output), 1);
        assert.match(output.stderr(), /tracing-platform:traceDurability: 'eventual'; allowed: one of replicated, single-node/);
    });

    it("exits non-zero naming the replacement of a retired key", async () => {
        const output = capturedOutput();
        assert.equal(await reviewCommand(["--stack", "prod", "--set", "tracing-platform:tempoReplicas=2"], output), 1);
        assert.match(output.stderr(), /tracing-platform:tempoReplicas: '2'; allowed: no value; the key is retired, replaced by traceDurability/);
    });

    it("exits non-zero when a configured size cannot carry the load, before anything is created", async () => {
        const output = capturedOutput();
        assert.equal(await reviewCommand(["--stack", "prod", "--set", "tracing-platform:mskVolumeGb=1"], output), 1);
        assert.match(output.stderr(), /failed before deploying anything:[\s\S]*tracing-platform:mskVolumeGb: 1; allowed: at least \d+ GiB/);
    });

    it("as a script, exits 2 for a stack without a stack file", async () => {
        await assert.rejects(
            run(process.execPath, ["--import", "tsx", "scripts/review.ts", "--stack", "nope"], { cwd: projectRoot }),
            (error: any) => error.code === 2 && /There is no Pulumi\.nope\.yaml; stacks: dev, prod/.test(error.stderr),
        );
    });
});
