/**
 * Builds the configuration `pulumi up -s <stack>` would hand the program: Pulumi.yaml defaults,
 * then Pulumi.<stack>.yaml values, then any test overrides. Under mocks the engine applies none of
 * this, so the harness does it the way the engine does (project keys namespaced, non-string values
 * as JSON).
 */
import * as fs from "fs";
import * as path from "path";
import { parseYamlOnce } from "../../components/platform/yaml-once";

export const projectRoot = path.resolve(__dirname, "..", "..");

export interface ProjectConfigDeclaration {
    readonly type?: string;
    readonly description?: string;
    readonly default?: unknown;
    readonly secret?: boolean;
    readonly items?: { readonly type: string };
}

export interface ProjectFile {
    readonly name: string;
    readonly config: Readonly<Record<string, ProjectConfigDeclaration>>;
}

/** A YAML file's content, parsed once per distinct text (tests read these files thousands of times). */
function parseYamlFile(file: string): unknown {
    return parseYamlOnce(fs.readFileSync(file, "utf8"));
}

export function readProjectFile(root = projectRoot): ProjectFile {
    return parseYamlFile(path.join(root, "Pulumi.yaml")) as ProjectFile;
}

export function readStackFile(stack: string, root = projectRoot): Record<string, unknown> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack file ${file}`);
    const parsed = parseYamlFile(file) as { config?: Record<string, unknown> } | null;
    return parsed?.config ?? {};
}

/**
 * What the engine would hand the program for a secret value: `pulumi config set --secret` stores
 * ciphertext bound to the stack's secrets provider, which cannot be made (or read) offline. A stack
 * file therefore carries a secret key either not at all or as `{ secure: <ciphertext> }`; the
 * harness stands in this text for the decrypted value, the way the engine would supply the real one.
 */
export const secretStandIn = (key: string): string => `stand-in for the secret ${key} (set with pulumi config set --secret)`;

function isCiphertext(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { secure?: unknown }).secure === "string";
}

/** Keys Pulumi.yaml declares secret, fully qualified: the engine marks their values secret. */
export function secretKeys(root = projectRoot): string[] {
    const project = readProjectFile(root);
    return Object.entries(project.config ?? {})
        .filter(([, declaration]) => declaration.secret === true)
        .map(([key]) => `${project.name}:${key}`);
}

function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The flat config map for a stack. `overrides` uses the same keys as a stack file
 * (`tracing-platform:foo`, `aws:region`); `undefined` removes a key.
 */
export function stackConfig(stack: string, overrides: Record<string, unknown> = {}, root = projectRoot): Record<string, string> {
    const project = readProjectFile(root);
    const config: Record<string, string> = {};
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        if (declaration.default !== undefined) config[`${project.name}:${key}`] = encode(declaration.default);
    }
    for (const key of secretKeys(root)) config[key] = secretStandIn(key);
    for (const [key, value] of Object.entries({ ...readStackFile(stack, root), ...overrides })) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        if (value === undefined) delete config[fullKey];
        else config[fullKey] = isCiphertext(value) ? secretStandIn(fullKey) : encode(value);
    }
    return config;
}
