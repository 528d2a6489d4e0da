/**
 * Test-side access to recorded program runs. Each stack's program runs in its own child process
 * (Pulumi's runtime is process-global); base recordings are made once per test run and shared.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "./stack-config";
import type { RecordedResource, StackRecording } from "./recording";

export type { RecordedResource, StackRecording } from "./recording";

export const shippedStacks = ["dev", "prod"] as const;
export type ShippedStack = (typeof shippedStacks)[number];

const recorder = path.join(__dirname, "record-stack.ts");

/**
 * Runs the program for a stack with optional config overrides (stack-file keys; undefined removes),
 * starting from Pulumi.<stackFile>.yaml (default: the stack's own file).
 */
export function recordStack(stack: string, overrides: Record<string, unknown> = {}, stackFile = stack): Promise<StackRecording> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `record-${stack}-`));
    const out = path.join(dir, "recording.json");
    const overridesFile = path.join(dir, "overrides.json");
    fs.writeFileSync(overridesFile, JSON.stringify(overrides));
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            ["--import", "tsx", recorder, "--stack", stack, "--stack-file", stackFile, "--out", out, "--overrides", overridesFile],
            { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 },
            (error, _stdout, stderr) => {
                if (!fs.existsSync(out)) {
                    reject(new Error(`recording ${stack} produced nothing: ${error?.message ?? ""}\n${stderr}`));
                    return;
                }
                const recording = JSON.parse(fs.readFileSync(out, "utf8")) as StackRecording;
                fs.rmSync(dir, { recursive: true, force: true });
                resolve(recording);
            },
        );
    });
}

const cache = new Map<string, Promise<StackRecording>>();

/** The shipped stack's recording (Pulumi.yaml defaults + Pulumi.<stack>.yaml), made once per run. */
export function stackRecording(stack: ShippedStack): Promise<StackRecording> {
    let pending = cache.get(stack);
    if (!pending) {
        pending = recordStack(stack).then((recording) => {
            if (recording.error) throw new Error(`the ${stack} program failed: ${recording.error}`);
            return recording;
        });
        cache.set(stack, pending);
    }
    return pending;
}

/** Starts every shipped stack's recording at once so they run in parallel. */
export function prefetchStackRecordings(): void {
    for (const stack of shippedStacks) void stackRecording(stack).catch(() => undefined);
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
