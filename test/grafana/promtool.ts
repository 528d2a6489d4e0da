/**
 * Runs Prometheus' own rule engine: `promtool` from Debian's `prometheus` package (the CI script
 * installs it). Missing promtool is a failure, never a skip: alert behaviour must be proven.
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "yaml";

export function promtoolBinary(): string {
    const found = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" });
    const binary = found.stdout.trim();
    if (found.status !== 0 || !binary) {
        throw new Error("promtool not found on PATH: install Debian's `prometheus` package (apt-get install -y prometheus), which provides /usr/bin/promtool");
    }
    return binary;
}

export interface PromtoolResult {
    readonly ok: boolean;
    readonly output: string;
}

function run(args: string[], cwd: string): PromtoolResult {
    const result = spawnSync(promtoolBinary(), args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { ok: result.status === 0, output: `${result.stdout}\n${result.stderr}` };
}

/** `promtool check rules` on a rules file's text. */
export function checkRules(rules: string): PromtoolResult {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-"));
    try {
        fs.writeFileSync(path.join(dir, "rules.yml"), rules);
        return run(["check", "rules", "rules.yml"], dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** A promtool unit-test case (the `tests[]` entries of a test file). */
export interface PromtoolTestCase {
    readonly name: string;
    readonly interval: string;
    readonly input_series: readonly { readonly series: string; readonly values: string }[];
    readonly alert_rule_test?: readonly {
        readonly eval_time: string;
        readonly alertname: string;
        readonly exp_alerts: readonly { readonly exp_labels?: Record<string, string>; readonly exp_annotations?: Record<string, string> }[];
    }[];
    readonly promql_expr_test?: readonly {
        readonly expr: string;
        readonly eval_time: string;
        readonly exp_samples: readonly { readonly labels: string; readonly value: number }[];
    }[];
}

/** One rules file and the cases run against it. */
export interface PromtoolUnit {
    readonly rules: string;
    readonly cases: readonly PromtoolTestCase[];
}

/** `promtool test rules` with the given rules and cases; the output names every failing case. */
export async function testRules(rules: string, cases: readonly PromtoolTestCase[], evaluationInterval = "1m"): Promise<PromtoolResult> {
    return testRuleUnits([{ rules, cases }], evaluationInterval);
}

/**
 * Several rules files, each with its own cases, in one `promtool test rules` run (promtool goes on
 * after a failing file). promtool evaluates every rule of a file at every step of every case, so a
 * unit of one alert and its scenarios costs a fraction of a file holding many alerts, and one
 * process saves a start per unit.
 */
export async function testRuleUnits(units: readonly PromtoolUnit[], evaluationInterval = "1m"): Promise<PromtoolResult> {
    const binary = promtoolBinary();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-"));
    const testFiles = units.map((unit, index) => {
        fs.writeFileSync(path.join(dir, `rules-${index}.yml`), unit.rules);
        const file = `tests-${index}.yml`;
        fs.writeFileSync(
            path.join(dir, file),
            yaml.stringify({ rule_files: [`rules-${index}.yml`], evaluation_interval: evaluationInterval, tests: unit.cases }, { lineWidth: 0 }),
        );
        return file;
    });
    return new Promise((resolve) => {
        execFile(binary, ["test", "rules", ...testFiles], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            fs.rmSync(dir, { recursive: true, force: true });
            resolve({ ok: !error, output: `${stdout}\n${stderr}` });
        });
    });
}
