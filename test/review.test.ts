import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promisify } from "util";
import { stackRecording } from "./harness/program";
import { projectRoot } from "./harness/stack-config";
import { renderReview, resourcesByType } from "../scripts/review-report";

const run = promisify(execFile);

describe("offline review", () => {
    it("lists every recorded resource under its type", async () => {
        const recording = await stackRecording("prod");
        const groups = resourcesByType(recording);
        const listed = [...groups.values()].reduce((n, names) => n + names.length, 0);
        assert.equal(listed, recording.resources.length);
        const report = renderReview(recording);
        for (const type of groups.keys()) assert.ok(report.includes(`\`${type}\``), type);
        assert.match(report, /^# Offline review: stack `prod`/);
        assert.match(report, /\| Tempo mode \| `distributed` \|/);
    });

    it("exits non-zero with the validation message on bad configuration", async () => {
        await assert.rejects(
            run(process.execPath, ["--import", "tsx", "scripts/review.ts", "--stack", "prod", "--set", "tracing-platform:tempoReplicas=2"], { cwd: projectRoot }),
            (error: any) => error.code === 1 && /tracing-platform:tempoReplicas: 2; allowed: at least 3 in prod/.test(error.stderr),
        );
    });

    it("exits non-zero for a stack without a stack file", async () => {
        await assert.rejects(
            run(process.execPath, ["--import", "tsx", "scripts/review.ts", "--stack", "nope"], { cwd: projectRoot }),
            (error: any) => error.code === 2 && /There is no Pulumi\.nope\.yaml; stacks: dev, prod/.test(error.stderr),
        );
    });
});
