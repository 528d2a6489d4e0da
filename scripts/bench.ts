/**
 * `npm run bench [-- --runs N] [--cold]`: times the phases of `npm test` (typecheck, mocha) and the
 * offline review of prod, each as a whole process over N runs (default 5, after one warm-up run), and
 * prints the median and maximum wall-clock seconds of each. `--cold` empties the recording cache
 * before every run, as on a fresh clone. Run it on a quiet machine before and after a
 * change that should make the suite faster; a timed test would only measure the noise of CI.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const node = process.execPath;

interface Phase {
    readonly name: string;
    readonly args: readonly string[];
}

const phases: readonly Phase[] = [
    { name: "typecheck", args: [path.join(root, "node_modules/typescript-native/bin/tsc"), "--noEmit", "-p", "tsconfig.json"] },
    { name: "mocha", args: [path.join(root, "node_modules/mocha/bin/mocha.js")] },
    { name: "review prod", args: ["--require", "tsx/cjs", path.join(root, "scripts/review.ts"), "--stack", "prod"] },
];

const recordingCache = path.join(root, "node_modules", ".cache", "tracing-recordings");
const cold = process.argv.includes("--cold");

function timeOnce(phase: Phase): number {
    if (cold) fs.rmSync(recordingCache, { recursive: true, force: true });
    const started = process.hrtime.bigint();
    const result = spawnSync(node, phase.args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) throw new Error(`${phase.name} exited ${result.status}:\n${(result.stdout ?? "").slice(-2000)}${result.stderr ?? ""}`);
    return seconds;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function main(): void {
    const index = process.argv.indexOf("--runs");
    const runs = index >= 0 ? Number(process.argv[index + 1]) : 5;
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of at least 1, got ${process.argv[index + 1]}`);
    const times = new Map<string, number[]>(phases.map((p) => [p.name, []]));
    for (const phase of phases) timeOnce(phase);
    for (let run = 0; run < runs; run++) {
        for (const phase of phases) times.get(phase.name)!.push(timeOnce(phase));
        const test = times.get("typecheck")![run] + times.get("mocha")![run];
        (times.get("npm test (typecheck + mocha)") ?? times.set("npm test (typecheck + mocha)", []).get("npm test (typecheck + mocha)")!).push(test);
    }
    console.log(`| phase | median s | max s |  (${runs} runs after a warm-up, wall clock${cold ? ", recording cache emptied before each" : ""})`);
    console.log("| --- | --: | --: |");
    for (const [name, values] of times) console.log(`| ${name} | ${median(values).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`);
}

main();
