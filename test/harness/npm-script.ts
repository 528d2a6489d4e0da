/**
 * Runs a package.json script the way `npm run <name> -- <args>` does, minus npm itself: the
 * script's own command line (a `node ...` command), so a test proves the wiring users run.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./stack-config";

export interface ScriptResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** The script's command split into words; only plain `node ...` commands, which every script here is. */
export function scriptCommand(name: string): string[] {
    const command = (JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")).scripts as Record<string, string>)[name];
    if (!command) throw new Error(`package.json has no script "${name}"`);
    const words = command.split(/\s+/);
    if (words[0] !== "node" || words.some((w) => /["'$&|;<>]/.test(w))) throw new Error(`script "${name}" is not a plain node command: ${command}`);
    return words;
}

/** Runs the script with `args` appended, in the project directory, with this process's node. */
export function runNpmScript(name: string, args: readonly string[]): Promise<ScriptResult> {
    const [, ...nodeArgs] = scriptCommand(name);
    return new Promise((resolve) => {
        execFile(process.execPath, [...nodeArgs, ...args], { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
    });
}
