/**
 * Builders that turn a rule specification (what it checks, its metadata, its mutation) into a
 * @pulumi/policy policy plus the typed metadata the pack's tables and tests derive from. Each rules
 * module takes its builders from `rulesFor(<its area>)`, so a rule's area is the module it lives in.
 */
import type {
    PolicyProviderResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
} from "@pulumi/policy";
import { stackOfUrn } from "../../resource-shape";
import type { ConfigSpec, ControlId, Mutation, RuleArea, RuleDefinition, SecurityRuleNumber, Severity } from "../types";
import { StackView } from "./stack-view";

interface RuleSpecBase<C> {
    /** Kebab-case name of what the rule protects. */
    readonly name: string;
    /** What is required and how to fix a violation. */
    readonly description: string;
    readonly severity: Severity;
    readonly securityRule: SecurityRuleNumber;
    readonly controls: readonly ControlId[];
    /** Settings a policy-pack config file may override, with their defaults. */
    readonly config?: ConfigSpec<C>;
    readonly violate: Mutation;
}

/** What a resource rule sees of the resource under validation. */
export interface ResourceContext<C> {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The resource's inputs (proxied: touching an unknown value aborts the check, never decides it). */
    readonly props: Record<string, any>;
    /** Stack name, from the URN: the engine gives policies no other reliable source. */
    readonly stack: string;
    readonly config: C;
    readonly provider?: PolicyProviderResource;
    readonly opts: PolicyResourceOptions;
}

export interface ResourceRuleSpec<C> extends RuleSpecBase<C> {
    /** Resource type tokens the rule applies to, or a predicate on the type (then say which in `scope`). */
    readonly appliesTo: readonly string[] | ((type: string) => boolean);
    /** What a predicate `appliesTo` selects, for "not applicable" reasons. */
    readonly scope?: string;
    readonly validate: (resource: ResourceContext<C>, report: (message: string) => void) => void;
}

/** What a stack rule sees: the stack's resources with their links, and its config. */
export interface StackContext<C> {
    readonly view: StackView;
    readonly stack: string;
    readonly config: C;
}

export interface StackRuleSpec<C> extends RuleSpecBase<C> {
    /** Resource types whose presence makes the rule applicable. */
    readonly appliesTo: readonly string[];
    readonly validate: (stack: StackContext<C>, report: (message: string, urn?: string) => void) => void;
}

function configDefaults<C>(spec: ConfigSpec<C> | undefined): C {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(spec ?? {}) as [string, { default: unknown }][]) {
        defaults[key] = schema.default;
    }
    return defaults as C;
}

function configSchema<C>(spec: ConfigSpec<C> | undefined) {
    return spec && Object.keys(spec).length > 0 ? { configSchema: { properties: { ...spec } as Record<string, any> } } : {};
}

/** The policy fields both kinds of rule share. */
function policyHeader<C>(spec: RuleSpecBase<C>) {
    return { name: spec.name, description: spec.description, severity: spec.severity, ...configSchema(spec.config) };
}

function metadata<C>(area: RuleArea, spec: RuleSpecBase<C>) {
    return { area, securityRule: spec.securityRule, controls: spec.controls, violate: spec.violate };
}

/** Which resource types each resource rule's policy applies to (its validation calls notApplicable for the rest). */
const resourceTypesOfPolicy = new WeakMap<object, (type: string) => boolean>();

/**
 * The resource types a policy built here applies to, undefined for any other policy. The offline
 * runner skips the other types: the policy would only answer notApplicable for them.
 */
export function resourceTypesOf(policy: object): ((type: string) => boolean) | undefined {
    return resourceTypesOfPolicy.get(policy);
}

function resourceRule<C extends object>(area: RuleArea, spec: ResourceRuleSpec<C>): RuleDefinition {
    const applies = typeof spec.appliesTo === "function" ? spec.appliesTo : (type: string) => (spec.appliesTo as readonly string[]).includes(type);
    const scope = typeof spec.appliesTo === "function" ? (spec.scope ?? "some resource types") : spec.appliesTo.join(", ");
    const defaults = configDefaults(spec.config);
    const policy: ResourceValidationPolicy = {
        ...policyHeader(spec),
        validateResource: (args: ResourceValidationArgs, reportViolation) => {
            if (!applies(args.type)) args.notApplicable(`applies to ${scope}`);
            spec.validate(
                {
                    type: args.type,
                    name: args.name,
                    urn: args.urn,
                    props: args.props,
                    stack: stackOfUrn(args.urn),
                    config: { ...defaults, ...args.getConfig<Partial<C>>() },
                    provider: args.provider,
                    opts: args.opts,
                },
                (message) => reportViolation(message),
            );
        },
    };
    resourceTypesOfPolicy.set(policy, applies);
    return { policy, ...metadata(area, spec) };
}

function stackRule<C extends object>(area: RuleArea, spec: StackRuleSpec<C>): RuleDefinition {
    const defaults = configDefaults(spec.config);
    return {
        policy: {
            ...policyHeader(spec),
            validateStack: (args: StackValidationArgs, reportViolation) => {
                if (!args.resources.some((r) => spec.appliesTo.includes(r.type))) {
                    args.notApplicable(`no ${spec.appliesTo.join(" or ")} in the stack`);
                }
                const view = new StackView(args.resources);
                spec.validate({ view, stack: view.stack, config: { ...defaults, ...args.getConfig<Partial<C>>() } }, reportViolation);
            },
        },
        ...metadata(area, spec),
    };
}

/** The rule builders of the module that holds `area`'s rules. */
export function rulesFor(area: RuleArea) {
    return {
        resourceRule: <C extends object = {}>(spec: ResourceRuleSpec<C>) => resourceRule(area, spec),
        stackRule: <C extends object = {}>(spec: StackRuleSpec<C>) => stackRule(area, spec),
    };
}
