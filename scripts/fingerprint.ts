/**
 * `npm run fingerprint [-- --stack <name>]`: one SHA-256 per stack over what the program would
 * deploy (each resource's URN, type, name, inputs, parent, provider, dependencies, protection and
 * replacement options, plus the stack outputs), at the harness's fixed clock. Two commits print the same line exactly when they deploy the same thing:
 * run it before and after a refactoring that must change nothing.
 */
import { createHash } from "crypto";
import { recordStack, shippedStacks } from "../test/harness/program";
import type { StackRecording } from "../test/harness/recording";
import { runAsScript, type Output } from "./cli";

/** Serialises with sorted object keys so property order does not change the digest. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
        return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

export function fingerprint(recording: StackRecording): string {
    const resources = recording.resources
        .map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            inputs: r.inputs,
            parent: r.parent,
            provider: r.provider,
            dependencies: [...r.dependencies].sort(),
            protect: r.protect,
            retainOnDelete: r.retainOnDelete,
            replacementTrigger: r.replacementTrigger,
            replaceWith: [...r.replaceWith].sort(),
        }))
        .sort((a, b) => (a.urn < b.urn ? -1 : 1));
    return createHash("sha256").update(canonical({ resources, outputs: recording.outputs })).digest("hex");
}

/** The command: prints each stack's resource count and fingerprint; 1 if a program fails. */
export async function fingerprintCommand(args: readonly string[], output: Output): Promise<number> {
    const index = args.indexOf("--stack");
    const stacks = index >= 0 ? [args[index + 1]] : [...shippedStacks];
    let failed = 0;
    for (const stack of stacks) {
        const recording = await recordStack(stack);
        if (recording.error) {
            output.err(`${stack}: the program failed: ${recording.error}`);
            failed++;
            continue;
        }
        output.out(`${stack} ${recording.resources.length} resources ${fingerprint(recording)}`);
    }
    return failed ? 1 : 0;
}

if (require.main === module) runAsScript(fingerprintCommand);
