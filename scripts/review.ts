/**
 * `npm run review -- --stack <name>`: the offline preview and policy review. Runs the real program
 * under Pulumi mocks with the stack's configuration, runs every rule of the policy pack (with the
 * stack's policies/config.<stack>.json) over what it would create, and prints both as Markdown.
 * Exits 1 on invalid configuration, a program error or a mandatory policy violation. `--set key=value` (repeatable, value parsed as YAML) tries a
 * change without editing the stack file, e.g. `--set tracing-platform:traceDurability=single-node`.
 */
import * as fs from "fs";
import * as path from "path";
import { recordStack } from "../test/harness/program";
import { projectRoot } from "../test/harness/stack-config";
import * as yaml from "yaml";
import { readPolicyConfig } from "../policies/enforcement";
import { runPolicies } from "../policies/runner";
import { renderReview, reviewExitCode } from "./review-report";
import { runAsScript, type Output } from "./cli";

function overridesFromArgs(args: readonly string[]): Record<string, unknown> {
    const overrides: Record<string, unknown> = {};
    args.forEach((arg, i) => {
        if (arg !== "--set") return;
        const [key, ...value] = (args[i + 1] ?? "").split("=");
        if (!key || value.length === 0) throw new Error(`--set needs key=value, got '${args[i + 1] ?? ""}'`);
        overrides[key] = yaml.parse(value.join("="));
    });
    return overrides;
}

/** The command: prints the review of the stack; 1 on a program error or mandatory violation, 2 on bad usage. */
export async function reviewCommand(args: readonly string[], output: Output): Promise<number> {
    const index = args.indexOf("--stack");
    const stack = index >= 0 ? args[index + 1] : undefined;
    if (!stack) {
        output.err("usage: npm run review -- --stack <dev|prod|test>");
        return 2;
    }
    if (!fs.existsSync(path.join(projectRoot, `Pulumi.${stack}.yaml`))) {
        const stacks = fs.readdirSync(projectRoot).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
        output.err(`There is no Pulumi.${stack}.yaml; stacks: ${stacks.join(", ")}`);
        return 2;
    }
    const recording = await recordStack(stack, overridesFromArgs(args));
    if (recording.error) {
        output.err(`The ${stack} program failed before deploying anything:\n${recording.error}`);
        return 1;
    }
    const policies = await runPolicies(recording.resources, { config: readPolicyConfig(stack) });
    output.out(renderReview(recording, policies));
    return reviewExitCode(policies);
}

if (require.main === module) runAsScript(reviewCommand);
