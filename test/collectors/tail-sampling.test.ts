import { strict as assert } from "assert";
import * as yaml from "yaml";
import {
    baselineTraceSpanLimit,
    buildTailSampling,
    rateCapSpansPerSecond,
    systemPolicyNames,
    unlistedServicesErrorsPolicy,
    type SubPolicy,
    type TailSamplingConfig,
    type TailSamplingPolicy,
} from "../../components/collectors/tail-sampling";
import { planCapacity } from "../../components/capacity/plan";
import { gatewayIds } from "../../components/collectors/gateway-config";
import { isDatastore, type Settings, type TracedSystem } from "../../components/platform/settings";
import { fleetConfigs, gatewayInput, stackSettings } from "./fixtures";
import { readStackFile } from "../harness/stack-config";

// ---------------------------------------------------------------------------------------------
// A decision simulator for exactly the policy types and OTTL forms the builder emits (it throws on
// anything else), following the processor's rule: any drop -> dropped; else any sample -> sampled.

interface SimSpan {
    service: string;
    error?: boolean;
    durationMs: number;
    /** SERVER unless said otherwise. */
    kind?: "SPAN_KIND_SERVER" | "SPAN_KIND_CLIENT" | "SPAN_KIND_CONSUMER";
    /** db.system.name of a CLIENT call to a database or cache. */
    dbSystem?: string;
}

/** How the non-deterministic sub-policies behave: the worst case for keeping a trace, or the best. */
type Luck = "worst" | "best";

type Predicate = (span: SimSpan) => boolean;

/** One OTTL atom as a predicate; throws on a form the simulator does not know. */
function compileAtom(text: string): Predicate {
    let m: RegExpExecArray | null;
    if ((m = /^resource\.attributes\["service\.name"\] (==|!=) "([^"]+)"$/.exec(text))) {
        const [equal, service] = [m[1] === "==", m[2]];
        return (s) => (s.service === service) === equal;
    }
    if ((m = /^span\.kind == (SPAN_KIND_[A-Z]+)$/.exec(text))) {
        const kind = m[1];
        return (s) => (s.kind ?? "SPAN_KIND_SERVER") === kind;
    }
    if ((m = /^span\.attributes\["db\.system\.name"\] == "([^"]+)"$/.exec(text))) {
        const dbSystem = m[1];
        return (s) => s.dbSystem === dbSystem;
    }
    if (text === "span.status.code == STATUS_CODE_ERROR") return (s) => s.error === true;
    if ((m = /^span\.end_time_unix_nano - span\.start_time_unix_nano > (\d+)$/.exec(text))) {
        const nanoseconds = Number(m[1]);
        return (s) => s.durationMs * 1_000_000 > nanoseconds;
    }
    throw new Error(`the simulator does not know the OTTL condition '${text}'`);
}

const compiledConditions = new Map<string, Predicate>();

/** A condition (a conjunction of known atoms) as a predicate, compiled once: the simulator walks traces of thousands of spans. */
function conditionPredicate(condition: string): Predicate {
    let predicate = compiledConditions.get(condition);
    if (!predicate) {
        assert.ok(!condition.includes(" or "), `unexpected 'or' in ${condition}`);
        const atoms = condition.split(" and ").map(compileAtom);
        predicate = (s) => atoms.every((holds) => holds(s));
        compiledConditions.set(condition, predicate);
    }
    return predicate;
}

function subPolicySamples(policy: SubPolicy, trace: SimSpan[], luck: Luck): boolean {
    switch (policy.type) {
        case "string_attribute": {
            const valueOf = { "service.name": (s: SimSpan) => s.service, "db.system.name": (s: SimSpan) => s.dbSystem }[policy.string_attribute.key];
            if (!valueOf) throw new Error(`the simulator does not know the attribute ${policy.string_attribute.key}`);
            return trace.some((s) => policy.string_attribute.values.includes(valueOf(s) ?? ""));
        }
        case "probabilistic":
            return luck === "best" ? policy.probabilistic.sampling_percentage > 0 : false;
        case "span_count":
            return trace.length >= policy.span_count.min_spans && trace.length <= policy.span_count.max_spans;
        case "rate_limiting":
            return luck === "best";
        default:
            throw new Error(`the simulator does not know sub-policy ${(policy as { type: string }).type}`);
    }
}

function policySamples(policy: TailSamplingPolicy, trace: SimSpan[], luck: Luck): boolean {
    switch (policy.type) {
        case "ottl_condition":
            assert.equal(Object.keys(policy.ottl_condition).sort().join(), "error_mode,span", "only span conditions are simulated");
        {
            const conditions = policy.ottl_condition.span.map(conditionPredicate);
            return trace.some((span) => conditions.some((holds) => holds(span)));
        }
        case "and":
            return policy.and.and_sub_policy.every((p) => subPolicySamples(p, trace, luck));
        default:
            throw new Error(`the simulator does not know policy ${(policy as { type: string }).type}`);
    }
}

function decide(config: TailSamplingConfig, trace: SimSpan[], luck: Luck): boolean {
    return config.policies.some((p) => policySamples(p, trace, luck));
}

// ---------------------------------------------------------------------------------------------

function tailConfig(settings: Settings): TailSamplingConfig {
    return buildTailSampling(gatewayInput(settings).tailSampling);
}

/** The identities a policy names: service names, or the db.system.name values of datastore calls. */
function identitiesIn(policy: TailSamplingPolicy): string[] {
    const fromConditions = (conditions: readonly string[]) =>
        conditions.flatMap((c) => [...c.matchAll(/(?:resource\.attributes\["service\.name"\]|span\.attributes\["db\.system\.name"\]) == "([^"]+)"/g)].map((m) => m[1]));
    if (policy.type === "ottl_condition") return fromConditions(policy.ottl_condition.span);
    return policy.and.and_sub_policy.flatMap((p) => (p.type === "string_attribute" ? [...p.string_attribute.values] : []));
}

/** A span of the system for the simulator: one of its services, or a caller's CLIENT call to the datastore. */
function spansOfSystem(system: TracedSystem): SimSpan[] {
    if (isDatastore(system)) return system.dbSystems.map((dbSystem) => ({ service: "order-service", kind: "SPAN_KIND_CLIENT", dbSystem, durationMs: 1 }));
    return system.serviceNames.map((service) => ({ service, durationMs: 1 }));
}

const policiesOf = (config: TailSamplingConfig, system: TracedSystem) =>
    config.policies.filter((p) => Object.values(systemPolicyNames(system)).includes(p.name));

for (const stack of ["dev", "prod"]) {
    describe(`tail sampling (${stack})`, () => {
        const settings = stackSettings(stack);
        const config = tailConfig(settings);
        const many = (n: number, span: SimSpan) => Array.from({ length: n }, () => ({ ...span }));

        it("gives each of the ten systems its errors, SLO-breach and baseline policies", () => {
            assert.equal(settings.systems.length, 10);
            for (const system of settings.systems) {
                const names = systemPolicyNames(system);
                assert.deepEqual(policiesOf(config, system).map((p) => p.name), [names.errors, names.sloBreach, names.baseline]);
            }
            assert.equal(new Set(config.policies.map((p) => p.name)).size, config.policies.length, "policy names are unique");
        });

        it("has no drop policy, so nothing can veto a kept error or breach", () => {
            for (const policy of config.policies) assert.notEqual((policy as { type: string }).type, "drop");
            assert.doesNotMatch(JSON.stringify(config), /invert_match|drop_sub_policy|sample_on_first_match/);
        });

        for (const system of settings.systems) {
            it(`${system.id}: errors and traces slower than ${system.latencySloP95Ms} ms are kept even with every share and cap against them`, () => {
                for (const span of spansOfSystem(system)) {
                    const what = span.dbSystem ?? span.service;
                    const error = [{ service: "edge-proxy", durationMs: 1 }, { ...span, error: true }];
                    assert.ok(decide(config, error, "worst"), `error in ${what} dropped`);
                    const huge = many(baselineTraceSpanLimit + 1, span);
                    huge[0].error = true;
                    assert.ok(decide(config, huge, "worst"), `oversized error trace of ${what} dropped`);
                    assert.ok(decide(config, [{ ...span, durationMs: system.latencySloP95Ms + 1 }], "worst"), `SLO breach in ${what} dropped`);
                    const ordinary = [{ ...span, durationMs: system.latencySloP95Ms }];
                    assert.equal(decide(config, ordinary, "worst"), false, `an ordinary ${what} trace is kept with no share or budget left`);
                    assert.equal(decide(config, ordinary, "best"), system.tailSamplingPercent > 0, "the baseline share keeps ordinary traces");
                    assert.equal(decide(config, many(baselineTraceSpanLimit + 1, ordinary[0]), "best"), false, "the size bound limits the baseline");
                }
            });
        }

        it("judges each system's objective on its own spans, not on the whole trace", () => {
            const db = settings.systems.find((s) => s.id === "databases")!;
            const api = settings.systems.find((s) => s.id === "online-store-api")!;
            const query = { service: api.serviceNames[0], kind: "SPAN_KIND_CLIENT" as const, dbSystem: db.dbSystems[0] };
            const trace = [
                { service: api.serviceNames[0], durationMs: api.latencySloP95Ms - 1 },
                { ...query, durationMs: db.latencySloP95Ms - 1 },
            ];
            assert.ok(trace[0].durationMs > db.latencySloP95Ms, "the request around the query is slower than the database objective");
            const breach = config.policies.find((p) => p.name === systemPolicyNames(db).sloBreach)!;
            assert.equal(policySamples(breach, trace, "worst"), false);
            assert.equal(decide(config, trace, "worst"), false);
        });

        it("keeps a trace with a slow database or cache call, whichever service made it, and only CLIENT calls count", () => {
            for (const system of settings.systems.filter(isDatastore)) {
                for (const dbSystem of system.dbSystems) {
                    const slow = { service: "brand-new-service", kind: "SPAN_KIND_CLIENT" as const, dbSystem, durationMs: system.latencySloP95Ms + 1 };
                    assert.ok(decide(config, [{ service: "edge-proxy", durationMs: 1 }, slow], "worst"), `slow ${dbSystem} call dropped`);
                    // A span that merely carries the attribute without being a call (a SERVER span) is not the datastore's.
                    assert.equal(decide(config, [{ ...slow, kind: "SPAN_KIND_SERVER" }], "worst"), false);
                }
            }
        });

        it("keeps errors of services no system lists", () => {
            assert.ok(decide(config, [{ service: "brand-new-service", error: true, durationMs: 1 }], "worst"));
            assert.equal(decide(config, [{ service: "brand-new-service", durationMs: 60_000 }], "best"), false);
            const guard = config.policies.find((p) => p.name === unlistedServicesErrorsPolicy)!;
            assert.equal(policySamples(guard, [{ service: settings.systems[0].serviceNames[0], error: true, durationMs: 1 }], "worst"), false);
        });

        it("each system's policies name only its own service names (datastores: their db.system.name)", () => {
            for (const system of settings.systems) {
                const own = isDatastore(system) ? system.dbSystems : system.serviceNames;
                for (const policy of policiesOf(config, system)) {
                    const named = identitiesIn(policy);
                    assert.ok(named.length > 0, `${policy.name} names no service`);
                    assert.deepEqual([...new Set(named)].sort(), [...own].sort(), policy.name);
                }
            }
        });

        it("caps each system's baseline at its own expected peak, per gateway", () => {
            for (const system of settings.systems) {
                const baseline = config.policies.find((p) => p.name === systemPolicyNames(system).baseline)!;
                assert.equal(baseline.type, "and");
                const cap = (baseline as Extract<TailSamplingPolicy, { type: "and" }>).and.and_sub_policy.find((p) => p.type === "rate_limiting")!;
                assert.equal((cap as Extract<SubPolicy, { type: "rate_limiting" }>).rate_limiting.spans_per_second, rateCapSpansPerSecond(system, settings.collectors.gatewayMinReplicas));
            }
        });

        it("the rendered gateway config carries exactly these policies", () => {
            const fleet = fleetConfigs(stack);
            const rendered = yaml.parse(fleet.gatewayYaml).processors[gatewayIds.tailSampling];
            assert.deepEqual(rendered, JSON.parse(JSON.stringify(tailConfig(fleet.settings))));
        });
    });
}

describe("tail sampling: changing one system changes only its policies", () => {
    const base = stackSettings("dev");
    const before = tailConfig(base);

    const changes: [string, string][] = [
        ["crm-api", "{ tailSamplingPercent: 35 }"],
        ["crm-api", "{ latencySloP95Ms: 650 }"],
        ["caches", "{ spansPerSecond: 90000 }"],
        ["rabbitmq", "{ serviceNames: [rabbitmq-broker, order-events-consumer] }"],
    ];
    for (const [id, change] of changes) {
        it(`${id}: ${change}`, () => {
            const changed = stackSettings("dev", { "tracing-platform:systemOverrides": withDevOverrides(`${id}: ${change}`) });
            const after = tailConfig(changed);
            const differing = before.policies.filter((p) => JSON.stringify(p) !== JSON.stringify(after.policies.find((q) => q.name === p.name)));
            const target = base.systems.find((s) => s.id === id)!;
            const expected = Object.values(systemPolicyNames(target));
            const serviceNamesChanged = change.includes("serviceNames");
            assert.ok(differing.length > 0, "the change had no effect");
            for (const policy of differing) {
                const allowed = serviceNamesChanged ? [...expected, unlistedServicesErrorsPolicy] : expected;
                assert.ok(allowed.includes(policy.name), `${policy.name} changed`);
            }
            assert.deepEqual(after.policies.map((p) => p.name), before.policies.map((p) => p.name));
        });
    }
});

/** The dev stack's own systemOverrides with one more change on top. */
function withDevOverrides(extra: string): string {
    const dev = yaml.parse(String(readStackFile("dev")["tracing-platform:systemOverrides"])) as Record<string, object>;
    const merged: Record<string, object> = { ...dev };
    for (const [id, fields] of Object.entries(yaml.parse(extra) as Record<string, object>)) merged[id] = { ...(dev[id] ?? {}), ...fields };
    return yaml.stringify(merged);
}

describe("tail sampling: bad input", () => {
    it("refuses an empty catalogue instead of keeping nothing", () => {
        const settings = stackSettings("dev");
        const plan = planCapacity(settings);
        assert.throws(
            () => buildTailSampling({ systems: [], numTraces: plan.gateway.numTraces, expectedNewTracesPerSecond: 1, gatewayMinReplicas: 2 }),
            /config systems/,
        );
    });
});
