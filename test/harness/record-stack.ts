/**
 * Child-process entry: runs the real program for one stack under Pulumi mocks and writes what it
 * registered as JSON. Pulumi's runtime state is global to a process, hence one process per stack.
 *
 *   node --require tsx/cjs test/harness/record-stack.ts --stack dev --out rec.json [--overrides file.json] [--stack-file dev]
 *
 * --stack-file names the Pulumi.<name>.yaml to start from when the stack has no file of its own
 * (a test stack derived from dev, for example).
 */
import "./source-maps-off";
import "./lazy-typescript";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { secretKeys, stackConfig, projectRoot, readProjectFile } from "./stack-config";
import { createMocks } from "./mocks";
import type { RecordedResource, StackRecording } from "./recording";

const secretSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

function argument(name: string): string | undefined {
    const index = process.argv.indexOf(`--${name}`);
    return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Unwraps Pulumi secret markers, noting where they were. */
function unwrapSecrets(value: any, at: string, secretPaths: string[]): any {
    if (Array.isArray(value)) return value.map((v, i) => unwrapSecrets(v, `${at}[${i}]`, secretPaths));
    if (value && typeof value === "object") {
        if (value[secretSigKey] === secretSig) {
            secretPaths.push(at);
            return unwrapSecrets(value.value, at, secretPaths);
        }
        const out: Record<string, any> = {};
        for (const [k, v] of Object.entries(value)) out[k] = unwrapSecrets(v, at ? `${at}.${k}` : k, secretPaths);
        return out;
    }
    return value;
}

async function resolveOutput(value: unknown): Promise<unknown> {
    const output: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<unknown>) as pulumi.Output<unknown>;
    const [resolved, secret] = await Promise.all([
        new Promise((resolve) => output.apply((v: unknown) => resolve(v))),
        (output as any).isSecret as Promise<boolean>,
    ]);
    return secret ? "[secret]" : resolved;
}

async function main(): Promise<void> {
    const stack = argument("stack");
    const out = argument("out");
    if (!stack || !out) throw new Error("usage: record-stack --stack <name> --out <file> [--overrides <file>] [--stack-file <name>]");
    const overridesFile = argument("overrides");
    const overrides = overridesFile ? JSON.parse(fs.readFileSync(overridesFile, "utf8")) : {};
    const config = stackConfig(argument("stack-file") ?? stack, overrides);
    const project = readProjectFile().name;

    pulumi.runtime.setAllConfig(config, secretKeys().filter((key) => key in config));
    const allowed = JSON.parse(config["aws:allowedAccountIds"] ?? "[]") as string[];
    await pulumi.runtime.setMocks(
        createMocks({ accountId: allowed[0] ?? "000000000000", region: config["aws:region"] ?? "eu-central-1" }),
        project,
        stack,
        false,
    );

    const resources: RecordedResource[] = [];
    const monitor = (require("@pulumi/pulumi/runtime/settings") as any).getMonitor();
    const rpc = require("@pulumi/pulumi/runtime/rpc") as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
        register(req, (err: unknown, resp: any) => {
            if (!err && resp) {
                const secretPaths: string[] = [];
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                resources.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    ...(req.getParent() ? { parent: req.getParent() } : {}),
                    ...(req.getProvider() ? { provider: req.getProvider() } : {}),
                    inputs: unwrapSecrets(rpc.deserializeProperties(req.getObject()), "", secretPaths),
                    secretPaths,
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    protect: req.getProtect() ?? false,
                    retainOnDelete: req.getRetainondelete() ?? false,
                    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                    ...(req.getReplacementTrigger() ? { replacementTrigger: req.getReplacementTrigger().toJavaScript() } : {}),
                    replaceWith: req.getReplaceWithList(),
                });
            }
            callback(err, resp);
        });
    };

    const recording: { -readonly [K in keyof StackRecording]: StackRecording[K] } = { stack, config, resources, outputs: {} };
    try {
        const program = require(path.join(projectRoot, "index.ts")) as Record<string, unknown>;
        const outputs: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(program)) outputs[name] = await resolveOutput(value);
        recording.outputs = outputs;
        // Registrations triggered by resolved outputs may still be in flight; wait until quiet.
        let seen = -1;
        while (seen !== resources.length) {
            seen = resources.length;
            await (require("@pulumi/pulumi/runtime/settings") as any).waitForRPCs();
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
    } catch (e) {
        recording.error = e instanceof Error ? e.message : String(e);
    }
    fs.writeFileSync(out, JSON.stringify(recording));
    process.exit(recording.error ? 2 : 0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
