/**
 * `npm run capacity -- --stack prod`: the capacity plan and monthly cost of a stack as Markdown,
 * computed from the same configuration `pulumi up -s <stack>` would use (Pulumi.yaml defaults, then
 * Pulumi.<stack>.yaml), without the Pulumi CLI or a cloud account. `--sweep` prints the plan and cost
 * at 1x, 10x and 100x the stack's load (prod unless `--stack` says otherwise) for both durability settings.
 */
import { parseArgs } from "util";
import { parseSettings, ConfigValidationError } from "../components/platform/settings";
import { planCapacity } from "../components/capacity/plan";
import { planCosts } from "../components/capacity/costs";
import { renderCapacityTable } from "../components/capacity/report";
import { renderSweep, sweep } from "../components/capacity/sweep";
import { stackConfig } from "../test/harness/stack-config";

function main(): number {
    const { values } = parseArgs({ options: { stack: { type: "string" }, sweep: { type: "boolean" } } });
    const stack = values.stack ?? (values.sweep ? "prod" : undefined);
    if (!stack) {
        process.stderr.write("usage: npm run capacity -- --stack <dev|test|prod> | --sweep [--stack <name>]\n");
        return 2;
    }
    try {
        const settings = parseSettings(stackConfig(stack), stack);
        if (values.sweep) {
            process.stdout.write(renderSweep(settings, sweep(settings)));
            return 0;
        }
        const plan = planCapacity(settings);
        process.stdout.write(renderCapacityTable(settings, plan, planCosts(settings, plan)));
        return 0;
    } catch (error) {
        if (error instanceof ConfigValidationError || (error instanceof Error && error.message.startsWith("no stack file"))) {
            process.stderr.write(`${error.message}\n`);
            return 1;
        }
        throw error;
    }
}

process.exitCode = main();
