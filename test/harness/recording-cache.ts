/**
 * Recordings are a pure function of the program's sources, the stack's configuration and the
 * installed packages, so a recording made once is reused until one of those changes: a second
 * `npm run review` (or a test run after it) skips the child process that loads Pulumi and runs the
 * program. The key hashes every input the recorder reads; anything it does not cover (a new input
 * read from the environment) must be added here, which the TRACING_ variables already are.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./stack-config";

const cacheDir = path.join(projectRoot, "node_modules", ".cache", "tracing-recordings");
const sourceRoots = ["index.ts", "components", "images", "test/harness", "package-lock.json"];
const keptEntries = 200;

function filesUnder(relative: string): string[] {
    const absolute = path.join(projectRoot, relative);
    if (!fs.existsSync(absolute)) return [];
    if (fs.statSync(absolute).isFile()) return [relative];
    return fs
        .readdirSync(absolute)
        .sort()
        .flatMap((entry) => filesUnder(path.join(relative, entry)));
}

let sourcesDigest: string | undefined;

/** One digest over every source file the program and the recorder consist of, computed once per process. */
function sources(): string {
    if (!sourcesDigest) {
        const hash = createHash("sha256");
        for (const file of sourceRoots.flatMap(filesUnder)) hash.update(`${file}\0`).update(fs.readFileSync(path.join(projectRoot, file))).update("\0");
        sourcesDigest = hash.digest("hex");
    }
    return sourcesDigest;
}

/** The configuration files a recording reads (stack-config.ts): the project file and the one stack file, so editing dev's file keeps prod's recording. */
function configFiles(stackFile: string, root: string): Record<string, string | null> {
    const read = (file: string) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), "utf8") : null);
    return { "Pulumi.yaml": read("Pulumi.yaml"), [`Pulumi.${stackFile}.yaml`]: read(`Pulumi.${stackFile}.yaml`) };
}

/** The cache key of a recording; `configRoot` is where the Pulumi*.yaml files are read (the project, except in the key's own tests). */
export function recordingKey(stack: string, stackFile: string, overrides: Record<string, unknown>, ignoredVariables: readonly string[], configRoot = projectRoot): string {
    const environment = Object.entries(process.env)
        .filter(([name]) => name.startsWith("TRACING_") && !ignoredVariables.includes(name))
        .sort(([a], [b]) => (a < b ? -1 : 1));
    return createHash("sha256")
        .update(JSON.stringify({ sources: sources(), config: configFiles(stackFile, configRoot), node: process.version, stack, stackFile, overrides, environment }))
        .digest("hex");
}

/** Copies a cached recording to `out`; false when there is none. */
export function restoreRecording(key: string, out: string): boolean {
    const cached = path.join(cacheDir, `${key}.json`);
    if (!fs.existsSync(cached)) return false;
    fs.copyFileSync(cached, out);
    return true;
}

/** Keeps a successful recording, and only the newest entries. */
export function keepRecording(key: string, out: string): void {
    fs.mkdirSync(cacheDir, { recursive: true });
    const entry = path.join(cacheDir, `${key}.json`);
    fs.copyFileSync(out, `${entry}.partial`);
    fs.renameSync(`${entry}.partial`, entry);
    const entries = fs
        .readdirSync(cacheDir)
        .filter((f) => f.endsWith(".json"))
        .map((f) => ({ f, time: fs.statSync(path.join(cacheDir, f)).mtimeMs }))
        .sort((a, b) => b.time - a.time);
    for (const { f } of entries.slice(keptEntries)) fs.rmSync(path.join(cacheDir, f), { force: true });
}
