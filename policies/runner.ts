/**
 * Runs the pack offline against recorded resources, building the same arguments the Pulumi engine
 * hands a policy pack: `ResourceValidationArgs` per resource (inputs behind the engine's
 * unknown-checking proxy, the resolved provider, options, config, notApplicable) and one
 * `StackValidationArgs` (parents, dependencies and propertyDependencies resolved to resources).
 * `npm run review` and the whole-stack tests use it; no engine, CLI or cloud is involved.
 *
 *   const result = await runPolicies(recording.resources, { config: readPolicyConfig("prod") });
 *   if (hasMandatoryViolations(result)) process.exitCode = 1;
 */
import type {
    EnforcementLevel,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidationArgs,
} from "@pulumi/policy";
import { effectiveEnforcementLevel, policySettings, type PolicyPackConfig } from "./enforcement";
import { copyRecorded, providerUrnOfReference, stackOfUrn, type RecordedResourceLike } from "./resource-shape";
import { defaultEnforcementLevel, policies as packPolicies } from "./rules/index";
import { resourceTypesOf } from "./rules/lib/define";
import { isUnknownValueError, unknownCheckingProxy } from "./rules/lib/values";
import type { PackPolicy } from "./rules/types";

export type { RecordedResourceLike } from "./resource-shape";

/** A reported violation, at the level the engine would apply (remediate counts as mandatory). */
export interface PolicyViolation {
    readonly policy: string;
    readonly resourceUrn?: string;
    readonly resourceName?: string;
    readonly message: string;
    readonly enforcementLevel: "advisory" | "mandatory";
}

/** A check that touched a value unknown before deployment; the engine reports these as advisory notes. */
export interface UndecidedCheck {
    readonly policy: string;
    readonly resourceUrn?: string;
    readonly resourceName?: string;
    readonly reason: string;
}

export interface PolicyOutcome {
    readonly name: string;
    readonly kind: "resource" | "stack";
    readonly enforcementLevel: EnforcementLevel;
    /** False when the policy found nothing to check (no resource of its types). */
    readonly applicable: boolean;
    readonly violations: number;
}

export interface PolicyRunResult {
    readonly stack: string;
    readonly resourceCount: number;
    readonly violations: readonly PolicyViolation[];
    readonly undecided: readonly UndecidedCheck[];
    /** Every policy that ran (disabled ones are left out, as the engine does). */
    readonly outcomes: readonly PolicyOutcome[];
}

export interface RunOptions {
    /** A policy-pack config file's content (see enforcement.readPolicyConfig). */
    readonly config?: PolicyPackConfig;
    /** Policies to run; the whole pack by default. */
    readonly policies?: readonly PackPolicy[];
    /** The pack-level default enforcement. */
    readonly packEnforcementLevel?: EnforcementLevel;
    readonly stackTags?: ReadonlyMap<string, string>;
    /**
     * Resources whose resource validations run (all by default); stack validations always see the
     * whole stack. A resource validation sees only its resource and that resource's provider, so
     * where neither changed it repeats an earlier run's verdict; skipping it then loses nothing.
     */
    readonly validateResources?: (resource: RecordedResourceLike) => boolean;
    /**
     * The caller hands over resources nothing else will read (a mutated copy made for this run), so
     * their inputs need no private copy of their own before the policies see them.
     */
    readonly resourcesOwned?: boolean;
}

/**
 * What `notApplicable()` throws. Not an Error: it is thrown for nearly every resource/policy pair,
 * and capturing a stack trace each time would dominate a run.
 */
class NotApplicable {
    constructor(readonly reason: string) {}
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicable(reason ?? "not applicable");
}

/** `isType`/`asType` by the Pulumi type token SDK resource classes carry. */
function typeMatcher(type: string, props: Record<string, any>) {
    const isType = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === type;
    return { isType, asType: ((resourceClass: unknown) => (isType(resourceClass) ? props : undefined)) as ResourceValidationArgs["asType"] & PolicyResource["asType"] };
}

function optionsOf(resource: RecordedResourceLike): PolicyResourceOptions {
    return {
        protect: resource.protect ?? false,
        ignoreChanges: [],
        deleteBeforeReplace: false,
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [...(resource.additionalSecretOutputs ?? [])],
        ...(resource.parent ? { parent: resource.parent } : {}),
    };
}

/** Inputs as the engine hands them over: a private copy (unless `owned`) behind the unknown-checking proxy. */
function proxiedInputs(resource: RecordedResourceLike, owned = false): Record<string, any> {
    return unknownCheckingProxy((owned ? resource.inputs : copyRecorded(resource.inputs)) as Record<string, any>);
}

/**
 * The provider a resource was registered with. Default providers are created by the engine, not
 * the program, so a recording holds only their reference; they are rebuilt from the URN.
 */
function providerOf(resource: RecordedResourceLike, byUrn: ReadonlyMap<string, RecordedResourceLike>, owned: boolean): PolicyProviderResource | undefined {
    if (!resource.provider) return undefined;
    const urn = providerUrnOfReference(resource.provider);
    const recorded = byUrn.get(urn);
    if (recorded) return { type: recorded.type, name: recorded.name, urn, props: proxiedInputs(recorded, owned) };
    const segments = urn.split("::");
    const type = (segments[2] ?? "").split("$").pop() ?? "";
    return { type, name: segments[3] ?? "", urn, props: unknownCheckingProxy({}) };
}

function levelOf(policy: PackPolicy, options: RunOptions): EnforcementLevel {
    return effectiveEnforcementLevel(policy, options.config, options.packEnforcementLevel ?? defaultEnforcementLevel);
}

/** Runs every (non-disabled) policy against `resources` and collects what they report. */
export async function runPolicies(resources: readonly RecordedResourceLike[], options: RunOptions = {}): Promise<PolicyRunResult> {
    const policies = (options.policies ?? (packPolicies as readonly PackPolicy[])).filter((p) => levelOf(p, options) !== "disabled");
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stackTags = options.stackTags ?? new Map<string, string>();
    const prepared = resources.map(prepare(byUrn, options.resourcesOwned ?? false));
    const { validateResources } = options;
    const validated = validateResources ? prepared.filter(({ resource }) => validateResources(resource)) : prepared;
    let stack: PolicyResource[] | undefined;
    const violations: PolicyViolation[] = [];
    const undecided: UndecidedCheck[] = [];
    const outcomes: PolicyOutcome[] = [];

    for (const policy of policies) {
        const level = levelOf(policy, options);
        const reportedLevel = level === "advisory" ? "advisory" : "mandatory";
        const settings = policySettings(policy, options.config);
        const getConfig = <T extends object>() => structuredClone(settings) as T;
        const before = violations.length;
        let applicable = false;

        if ("validateResource" in policy && policy.validateResource) {
            const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            const appliesTo = resourceTypesOf(policy);
            for (const { resource, view } of validated) {
                if (appliesTo && !appliesTo(resource.type)) continue;
                for (const validate of validations) {
                    const args: ResourceValidationArgs = { ...view, stackTags, getConfig, notApplicable: throwNotApplicable };
                    try {
                        // Awaited only when asynchronous: a microtask per resource and policy adds up over a stack.
                        const pending = validate(args, (message) =>
                            violations.push({ policy: policy.name, resourceUrn: resource.urn, resourceName: resource.name, message, enforcementLevel: reportedLevel }),
                        );
                        if (pending) await pending;
                        applicable = true;
                    } catch (error) {
                        if (error instanceof NotApplicable) continue;
                        applicable = true;
                        if (isUnknownValueError(error)) {
                            undecided.push({ policy: policy.name, resourceUrn: resource.urn, resourceName: resource.name, reason: (error as Error).message });
                            continue;
                        }
                        throw new Error(`policy '${policy.name}' failed on ${resource.urn}: ${(error as Error).stack ?? error}`);
                    }
                }
            }
        }

        if ("validateStack" in policy) {
            stack ??= stackResources(prepared);
            const args: StackValidationArgs = { resources: stack, stackTags, getConfig, notApplicable: throwNotApplicable };
            try {
                await policy.validateStack(args, (message, urn) =>
                    violations.push({
                        policy: policy.name,
                        ...(urn ? { resourceUrn: urn, resourceName: byUrn.get(urn)?.name ?? urn.split("::").pop() } : {}),
                        message,
                        enforcementLevel: reportedLevel,
                    }),
                );
                applicable = true;
            } catch (error) {
                if (!(error instanceof NotApplicable)) {
                    applicable = true;
                    if (!isUnknownValueError(error)) throw new Error(`stack policy '${policy.name}' failed: ${(error as Error).stack ?? error}`);
                    undecided.push({ policy: policy.name, reason: (error as Error).message });
                }
            }
        }

        outcomes.push({ name: policy.name, kind: "validateStack" in policy ? "stack" : "resource", enforcementLevel: level, applicable, violations: violations.length - before });
    }

    return { stack: resources.length > 0 ? stackOfUrn(resources[0].urn) : "", resourceCount: resources.length, violations, undecided, outcomes };
}

/** What every policy sees of one resource, whether validating it alone or as part of the stack. */
interface PreparedResource {
    readonly resource: RecordedResourceLike;
    readonly view: Pick<PolicyResource, "type" | "props" | "urn" | "name" | "opts" | "provider" | "isType"> & { readonly asType: ReturnType<typeof typeMatcher>["asType"] };
}

/** One private, proxied copy of each resource's inputs, shared by every policy of a run (policies only read). */
function prepare(byUrn: ReadonlyMap<string, RecordedResourceLike>, owned: boolean): (resource: RecordedResourceLike) => PreparedResource {
    return (resource) => {
        const props = proxiedInputs(resource, owned);
        const provider = providerOf(resource, byUrn, owned);
        return {
            resource,
            view: { type: resource.type, props, urn: resource.urn, name: resource.name, opts: optionsOf(resource), ...(provider ? { provider } : {}), ...typeMatcher(resource.type, props) },
        };
    };
}

/** The stack as the engine's analyzeStack call presents it: resources linked to their parents and dependencies. */
function stackResources(prepared: readonly PreparedResource[]): PolicyResource[] {
    const built = new Map<string, PolicyResource>(prepared.map(({ resource, view }) => [resource.urn, { ...view, dependencies: [], propertyDependencies: {} }]));
    const resolve = (urns: readonly string[] | undefined) => (urns ?? []).map((urn) => built.get(urn)).filter((r): r is PolicyResource => r !== undefined);
    for (const { resource } of prepared) {
        const target = built.get(resource.urn)!;
        if (resource.parent && built.has(resource.parent)) target.parent = built.get(resource.parent);
        target.dependencies = resolve(resource.dependencies);
        for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) target.propertyDependencies[property] = resolve(urns);
    }
    return [...built.values()];
}

export function mandatoryViolations(result: PolicyRunResult): PolicyViolation[] {
    return result.violations.filter((v) => v.enforcementLevel === "mandatory");
}

/** True when `pulumi up` with this pack would be blocked. */
export function hasMandatoryViolations(result: PolicyRunResult): boolean {
    return mandatoryViolations(result).length > 0;
}

/** Names of the policies that reported at least one violation. */
export function violatedPolicies(result: PolicyRunResult): string[] {
    return [...new Set(result.violations.map((v) => v.policy))];
}
