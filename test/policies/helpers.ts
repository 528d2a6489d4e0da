/** Shared helpers for the policy-pack tests: the golden stacks, edited copies, and one-rule runs. */
import * as assert from "assert";
import * as yaml from "yaml";
import { readPolicyConfig, type PolicyPackConfig } from "../../policies/enforcement";
import { copyRecorded, type EditableResource } from "../../policies/resource-shape";
import { ruleNamed } from "../../policies/rules/index";
import { runPolicies, type PolicyRunResult } from "../../policies/runner";
import { goldenStack } from "./golden/index";
import { shippedStacks, stackRecording } from "../harness/program";
import type { RecordedResource } from "../harness/recording";

export type Stack = "dev" | "prod";

const goldens = new Map<Stack, RecordedResource[]>();

/** The golden (fully compliant) stack; callers get a deep copy. */
export function golden(stack: Stack = "prod"): RecordedResource[] {
    if (!goldens.has(stack)) goldens.set(stack, goldenStack(stack));
    return copyRecorded(goldens.get(stack)!);
}

/** A golden copy edited in place by `change`. */
export function edited(change: (resources: EditableResource[]) => void, stack: Stack = "prod"): RecordedResource[] {
    const resources = golden(stack) as unknown as EditableResource[];
    change(resources);
    return resources as unknown as RecordedResource[];
}

/** The resource named `name` (the Pulumi resource name); fails the test when absent. */
export function named(resources: readonly EditableResource[], name: string): EditableResource {
    const found = resources.find((r) => r.name === name);
    assert.ok(found, `no resource named ${name}`);
    return found;
}

/** An edit that deletes the resource named `name`. */
export function removeNamed(name: string): (resources: EditableResource[]) => void {
    return (resources) => void resources.splice(resources.indexOf(named(resources, name)), 1);
}

/** A Kubernetes object by kind and metadata.name (Pulumi names repeat across AWS and Kubernetes). */
export function kubernetesObject(resources: readonly EditableResource[], kind: string, name: string): EditableResource {
    const found = resources.find((r) => r.type.startsWith("kubernetes:") && r.type.endsWith(`:${kind}`) && r.inputs.metadata?.name === name);
    assert.ok(found, `no ${kind} ${name}`);
    return found;
}

/** The golden collector gateway: its Deployment, pod spec and first container, and how messages name it. */
export const gatewayDeployment = (resources: readonly EditableResource[]) => kubernetesObject(resources, "Deployment", "otel-gateway");
export const gatewayPod = (resources: readonly EditableResource[]) => gatewayDeployment(resources).inputs.spec.template.spec;
export const gatewayContainer = (resources: readonly EditableResource[]) => gatewayPod(resources).containers[0];
export const gatewayLabel = "Deployment 'tracing-collectors/otel-gateway'";

/** The golden Grafana Deployment. */
export const grafanaDeployment = (resources: readonly EditableResource[]) => kubernetesObject(resources, "Deployment", "grafana");

/** The first resource of `type`. */
export function ofType(resources: readonly EditableResource[], type: string): EditableResource {
    const found = resources.find((r) => r.type === type);
    assert.ok(found, `no resource of type ${type}`);
    return found;
}

/** Parses, edits and re-serialises a JSON-string input. */
export function editJson(resource: EditableResource, property: string, change: (document: any) => void): void {
    const document = JSON.parse(resource.inputs[property]);
    change(document);
    resource.inputs[property] = JSON.stringify(document);
}

/** The data of the ConfigMap whose metadata.name is `name`. */
export function configMapData(resources: readonly EditableResource[], name: string): Record<string, string> {
    const found = resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.inputs.metadata?.name === name);
    assert.ok(found, `no ConfigMap ${name}`);
    return found.inputs.data;
}

/** Edits the parsed YAML file `key` of ConfigMap `name`. */
export function editYaml(resources: readonly EditableResource[], name: string, key: string, change: (document: any) => void): void {
    const data = configMapData(resources, name);
    const document = yaml.parse(data[key]);
    change(document);
    data[key] = yaml.stringify(document);
}

const configs = new Map<Stack, PolicyPackConfig>();

export function stackPolicyConfig(stack: Stack): PolicyPackConfig {
    if (!configs.has(stack)) configs.set(stack, readPolicyConfig(stack));
    return configs.get(stack)!;
}

/** Runs one rule (with the stack's policy config) and returns the whole result. */
export function runRule(rule: string, resources: readonly RecordedResource[], stack: Stack = "prod", config?: PolicyPackConfig): Promise<PolicyRunResult> {
    return runPolicies(resources, { policies: [ruleNamed(rule).policy], config: config ?? stackPolicyConfig(stack) });
}

/** The messages one rule reports on `resources`, sorted (report order is not part of a rule's contract). */
export async function messages(rule: string, resources: readonly RecordedResource[], stack: Stack = "prod", config?: PolicyPackConfig): Promise<string[]> {
    return (await runRule(rule, resources, stack, config)).violations.map((v) => v.message).sort();
}

/** A test case for one rule: an edit of the golden stack and the exact messages it must produce ([] = compliant). */
export interface RuleCase {
    readonly title: string;
    readonly change: (resources: EditableResource[]) => void;
    readonly expect: readonly string[];
    readonly stack?: Stack;
}

/** Declares mocha tests for a rule: the untouched golden stack passes, then each case's exact messages. */
export function describeRule(rule: string, cases: readonly RuleCase[]): void {
    describe(rule, () => {
        it("passes on the compliant golden stack (dev and prod)", async () => {
            for (const stack of ["dev", "prod"] as const) assert.deepStrictEqual(await messages(rule, golden(stack), stack), [], stack);
        });
        for (const c of cases) {
            it(c.title, async () => {
                const stack = c.stack ?? "prod";
                assert.deepStrictEqual(await messages(rule, edited(c.change, stack), stack), [...c.expect].sort());
            });
        }
        it("has at least one violating case", () => assert.ok(cases.some((c) => c.expect.length > 0)));
    });
}

/** A test case on the real program's recording: an edit of each shipped stack and the exact messages it must produce there. */
export interface RecordedRuleCase {
    readonly title: string;
    readonly change: (resources: EditableResource[], stack: Stack) => void;
    readonly expect: (stack: Stack) => readonly string[];
}

/**
 * Declares mocha tests for a rule on the real dev and prod recordings: untouched, the rule passes
 * and finds something to check; each case's edit gives exactly its messages.
 */
export function describeRuleOnRecordings(rule: string, cases: readonly RecordedRuleCase[]): void {
    describe(`${rule} on the real program`, () => {
        for (const stack of shippedStacks) {
            it(`passes on the real ${stack} stack, with something to check`, async () => {
                const result = await runRule(rule, (await stackRecording(stack)).resources, stack);
                assert.deepStrictEqual(result.violations.map((v) => v.message), []);
                assert.ok(result.outcomes.every((o) => o.applicable), `${rule} found nothing to check on ${stack}`);
            });
            for (const c of cases) {
                it(`${c.title} (${stack})`, async () => {
                    const resources = copyRecorded((await stackRecording(stack)).resources) as unknown as EditableResource[];
                    c.change(resources, stack);
                    assert.deepStrictEqual(await messages(rule, resources as unknown as RecordedResource[], stack), [...c.expect(stack)].sort());
                });
            }
        }
    });
}
