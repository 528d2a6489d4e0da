/**
 * `npm run review -- --stack <name>`: the offline preview. Runs the real program under Pulumi mocks
 * with the stack's configuration and prints what it would create as Markdown. Exits 1 on invalid
 * configuration or a program error.
 */
import * as fs from "fs";
import * as path from "path";
import { recordStack } from "../test/harness/program";
import { projectRoot } from "../test/harness/stack-config";
import { renderReview } from "./review-report";

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
    const recording = await recordStack(stack);
    if (recording.error) {
        console.error(`The ${stack} program failed before deploying anything:\n${recording.error}`);
        return 1;
    }
    process.stdout.write(renderReview(recording));
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    },
);
