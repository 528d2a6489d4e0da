/**
 * Test-side access to recorded program runs. Each stack's program runs in its own child process
 * (Pulumi's runtime is process-global); base recordings are made once per test run and shared.
 */
import { execFile, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clockVariable } from "../../components/platform/clock";
import { projectRoot } from "./stack-config";
import type { RecordedResource, StackRecording } from "./recording";
import { keepRecording, recordingKey, restoreRecording } from "./recording-cache";

export type { RecordedResource, StackRecording } from "./recording";

export const shippedStacks = ["dev", "prod"] as const;
export type ShippedStack = (typeof shippedStacks)[number];

/**
 * Every stack with a Pulumi.<stack>.yaml, each previewed by CI. The test stack is recorded once by
 * its own test file (test/platform/test-stack.test.ts) instead of by every per-stack test: a third
 * recording in every run costs the suite far more time than it would add assurance.
 */
export const previewedStacks = [...shippedStacks, "test"] as const;

const recorder = path.join(__dirname, "record-stack.ts");

/**
/**
 * The instant every recording runs at unless a test says otherwise: the program decides certificate
 * renewal from its clock (components/platform/clock.ts), so recordings, and the fingerprint, must
 * not depend on the day the tests run.
 */
export const recordingClock = "2026-12-01T00:00:00Z";

/**
 * Starts the recorder for a stack, its clock at `now`; `done` is told when the recording file is
 * written, or why not. An unchanged program, configuration and clock reuse their cached recording
 * (recording-cache.ts) and start no process.
 */
function startRecording(
    stack: string,
    overrides: Record<string, unknown>,
    stackFile: string,
    out: string,
    now: string,
    done: (error?: Error) => void,
): ChildProcess | undefined {
    // The recorder's clock is `now`, whatever this process's environment says.
    const key = recordingKey(stack, stackFile, { overrides, [clockVariable]: now }, [sharedDirVariable, clockVariable]);
    if (restoreRecording(key, out)) {
        setImmediate(() => done());
        return undefined;
    }
    const overridesFile = `${out}.overrides.json`;
    fs.writeFileSync(overridesFile, JSON.stringify(overrides));
    // The program is CommonJS: tsx's require hook alone compiles it, without the ESM loader thread
    // every module resolution would otherwise wait on (a quarter of a recording's time).
    return execFile(
        process.execPath,
        ["--require", "tsx/cjs", recorder, "--stack", stack, "--stack-file", stackFile, "--out", out, "--overrides", overridesFile],
        { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, [clockVariable]: now } },
        (error, _stdout, stderr) => {
            fs.rmSync(overridesFile, { force: true });
            if (!fs.existsSync(out)) return done(new Error(`recording ${stack} produced nothing: ${error?.message ?? ""}\n${stderr}`));
            keepRecording(key, out);
            done();
        },
    );
}

/**
 * Runs the program for a stack with optional config overrides (stack-file keys; undefined removes),
 * starting from Pulumi.<stackFile>.yaml (default: the stack's own file), with its clock at `now`.
 */
export function recordStack(stack: string, overrides: Record<string, unknown> = {}, stackFile = stack, now = recordingClock): Promise<StackRecording> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `record-${stack}-`));
    const out = path.join(dir, "recording.json");
    return new Promise((resolve, reject) => {
        startRecording(stack, overrides, stackFile, out, now, (error) => {
            if (error) return reject(error);
            const recording = JSON.parse(fs.readFileSync(out, "utf8")) as StackRecording;
            fs.rmSync(dir, { recursive: true, force: true });
            resolve(recording);
        });
    });
}

/**
 * Where the shipped stacks' recordings of this test run are shared between mocha's worker
 * processes: the main process records each stack once (startSharedRecordings) and every worker
 * reads the same files, instead of each worker running the program again.
 */
const sharedDirVariable = "TRACING_TEST_RECORDINGS";

const sharedFile = (dir: string, stack: string) => path.join(dir, `${stack}.json`);
const sharedFailure = (dir: string, stack: string) => path.join(dir, `${stack}.failed`);

const sharedRecorders: ChildProcess[] = [];

/** Main process: records every shipped stack in parallel into a directory the workers inherit. */
export function startSharedRecordings(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracing-recordings-"));
    process.env[sharedDirVariable] = dir;
    for (const stack of shippedStacks) {
        const partial = `${sharedFile(dir, stack)}.partial`;
        const recorder = startRecording(stack, {}, stack, partial, recordingClock, (error) => {
            // A run that ends before the recording (a filtered or failed run) has removed the directory.
            if (!fs.existsSync(dir)) return;
            if (error) fs.writeFileSync(sharedFailure(dir, stack), error.message);
            else fs.renameSync(partial, sharedFile(dir, stack));
        });
        if (recorder) sharedRecorders.push(recorder);
    }
    return dir;
}

/** Main process, after the run: stops recorders still running and removes the recordings. */
export function removeSharedRecordings(): void {
    for (const recorder of sharedRecorders) if (recorder.exitCode === null) recorder.kill();
    const dir = process.env[sharedDirVariable];
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

async function sharedRecording(dir: string, stack: ShippedStack): Promise<StackRecording> {
    const deadline = Date.now() + 120_000;
    for (;;) {
        if (fs.existsSync(sharedFile(dir, stack))) return JSON.parse(fs.readFileSync(sharedFile(dir, stack), "utf8")) as StackRecording;
        if (fs.existsSync(sharedFailure(dir, stack))) throw new Error(fs.readFileSync(sharedFailure(dir, stack), "utf8"));
        if (Date.now() > deadline) throw new Error(`the ${stack} recording did not finish within 120 s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

const cache = new Map<string, Promise<StackRecording>>();

/** The shipped stack's recording (Pulumi.yaml defaults + Pulumi.<stack>.yaml), made once per run. */
export function stackRecording(stack: ShippedStack): Promise<StackRecording> {
    let pending = cache.get(stack);
    if (!pending) {
        const dir = process.env[sharedDirVariable];
        pending = (dir ? sharedRecording(dir, stack) : recordStack(stack)).then((recording) => {
            if (recording.error) throw new Error(`the ${stack} program failed: ${recording.error}`);
            return recording;
        });
        cache.set(stack, pending);
    }
    return pending;
}

export function ofType(recording: StackRecording, type: string): RecordedResource[] {
    return recording.resources.filter((r) => r.type === type);
}

export function oneOfType(recording: StackRecording, type: string, name?: string): RecordedResource {
    const matches = ofType(recording, type).filter((r) => name === undefined || r.name === name);
    if (matches.length !== 1) {
        throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}: ${matches.map((m) => m.name).join(", ")}`);
    }
    return matches[0];
}

export function byUrn(recording: StackRecording, urn: string): RecordedResource | undefined {
    return recording.resources.find((r) => r.urn === urn);
}

/** Kubernetes objects of a kind, e.g. kubernetesObjects(rec, "apps/v1", "Deployment"). */
export function kubernetesObjects(recording: StackRecording, apiVersion: string, kind: string): RecordedResource[] {
    return ofType(recording, `kubernetes:${apiVersion}:${kind}`);
}

/** The Kubernetes object of a kind with metadata.name (and namespace when given). */
export function kubernetesObject(recording: StackRecording, apiVersion: string, kind: string, name: string, namespace?: string): RecordedResource {
    const matches = kubernetesObjects(recording, apiVersion, kind).filter(
        (r) => r.inputs.metadata?.name === name && (namespace === undefined || r.inputs.metadata?.namespace === namespace),
    );
    if (matches.length !== 1) throw new Error(`expected one ${kind} ${namespace ?? "*"}/${name}, found ${matches.length}`);
    return matches[0];
}

/** Parses a JSON policy document input (IAM, bucket or key policy). */
export function policyDocument(resource: RecordedResource, property = "policy"): any {
    const value = resource.inputs[property];
    return typeof value === "string" ? JSON.parse(value) : value;
}
