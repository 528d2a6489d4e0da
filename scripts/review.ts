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

function overridesFromArgs(args: string[]): Record<string, unknown> {
    const overrides: Record<string, unknown> = {};
    args.forEach((arg, i) => {
        if (arg !== "--set") return;
        const [key, ...value] = (args[i + 1] ?? "").split("=");
        if (!key || value.length === 0) throw new Error(`--set needs key=value, got '${args[i + 1] ?? ""}'`);
        overrides[key] = yaml.parse(value.join("="));
    });
    return overrides;
}

async function main(): Promise<number> {
    const index = process.argv.indexOf("--stack");
    const stack = index >= 0 ? process.argv[index + 1] : undefined;
    if (!stack) {
        console.error("usage: npm run review -- --stack <dev|prod|test>");
        return 2;
    }
    if (!fs.existsSync(path.join(projectRoot, `Pulumi.${stack}.yaml`))) {
        const stacks = fs.readdirSync(projectRoot).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);
        console.error(`There is no Pulumi.${stack}.yaml; stacks: ${stacks.join(", ")}`);
        return 2;
    }
    const recording = await recordStack(stack, overridesFromArgs(process.argv));
    if (recording.error) {
        console.error(`The ${stack} program failed before deploying anything:\n${recording.error}`);
        return 1;
    }
    const policies = await runPolicies(recording.resources, { config: readPolicyConfig(stack) });
    process.stdout.write(renderReview(recording, policies));
    return reviewExitCode(policies);
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    },
);
