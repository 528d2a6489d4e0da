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
import { runAsScript, type Output } from "./cli";

const usage = "usage: npm run capacity -- --stack <dev|test|prod> | --sweep [--stack <name>]";

/** The command: prints the plan (or the sweep) of the stack; 1 on a configuration problem, 2 on bad usage. */
export function capacityCommand(args: readonly string[], output: Output): number {
    const { values } = parseArgs({ args: [...args], options: { stack: { type: "string" }, sweep: { type: "boolean" } } });
    const stack = values.stack ?? (values.sweep ? "prod" : undefined);
    if (!stack) {
        output.err(usage);
        return 2;
    }
    // The renderers end their Markdown with a newline; each output call adds its own.
    const print = (markdown: string) => output.out(markdown.replace(/\n$/, ""));
    try {
        const settings = parseSettings(stackConfig(stack), stack);
        if (values.sweep) {
            print(renderSweep(settings, sweep(settings)));
            return 0;
        }
        const plan = planCapacity(settings);
        print(renderCapacityTable(settings, plan, planCosts(settings, plan)));
        return 0;
    } catch (error) {
        if (error instanceof ConfigValidationError || (error instanceof Error && error.message.startsWith("no stack file"))) {
            output.err(error.message);
            return 1;
        }
        throw error;
    }
}

if (require.main === module) runAsScript(capacityCommand);
