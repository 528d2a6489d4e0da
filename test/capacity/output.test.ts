import { strict as assert } from "assert";
import { execFile } from "child_process";
import { promisify } from "util";
import { parseSettings } from "../../components/platform/settings";
import { planCapacity } from "../../components/capacity/plan";
import { planCosts } from "../../components/capacity/costs";
import { capacitySummary, renderCapacityTable } from "../../components/capacity/report";
import { renderSweep, sweep } from "../../components/capacity/sweep";
import { projectRoot, stackConfig } from "../harness/stack-config";
import { shippedStacks, stackRecording } from "../harness/program";
import { capacityCommand } from "../../scripts/capacity";
import { capturedOutput } from "../../scripts/cli";

const run = promisify(execFile);

describe("capacity plan outputs", () => {
    for (const stack of shippedStacks) {
        const settings = parseSettings(stackConfig(stack), stack);
        const plan = planCapacity(settings);
        const costs = planCosts(settings, plan);

        it(`${stack}: the capacityPlan stack output is the model's plan and cost for the stack's config`, async () => {
            const recording = await stackRecording(stack);
            assert.deepEqual(recording.outputs.capacityPlan, JSON.parse(JSON.stringify(capacitySummary(plan, costs))));
        });

        it(`${stack}: npm run capacity prints the same table docs/capacity.md carries`, async () => {
            const output = capturedOutput();
            assert.equal(capacityCommand(["--stack", stack], output), 0);
            assert.equal(output.stdout(), renderCapacityTable(settings, plan, costs));
        });
    }

    it("npm run capacity -- --sweep prints prod's sweep for both durability settings", async () => {
        const output = capturedOutput();
        assert.equal(capacityCommand(["--sweep"], output), 0);
        const stdout = output.stdout();
        const prod = parseSettings(stackConfig("prod"), "prod");
        assert.equal(stdout, renderSweep(prod, sweep(prod)));
        for (const durability of ["replicated", "single-node"]) assert.equal(stdout.split(`| \`${durability}\` |`).length - 1, 3, `three loads for ${durability}`);
    });

    it("npm run capacity, as a script, exits 1 naming the problem for an unknown stack", async () => {
        await assert.rejects(
            run(process.execPath, ["--import", "tsx", "scripts/capacity.ts", "--stack", "staging"], { cwd: projectRoot }),
            (error: { code?: number; stderr?: string }) => error.code === 1 && /no stack file .*Pulumi\.staging\.yaml/.test(error.stderr ?? ""),
        );
    });
});
