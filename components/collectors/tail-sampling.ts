/**
 * Tail-sampling policies generated from the systems catalogue.
 *
 * The processor's final decision is: any `drop` policy matching -> dropped; otherwise any policy
 * sampling -> sampled; otherwise not sampled. So "errors and SLO breaches are always kept" is
 * literally true when (1) each of them is a top-level policy of its own, never nested in an `and`
 * with a probabilistic share, a rate cap or a size bound, and (2) no `drop` policy exists. Caps
 * and bounds therefore live only inside each system's baseline `and`, where they limit the
 * ordinary traces a system may add, and never an error or a breach.
 *
 * Each system's policies name only that system's spans: errors and breaches are OTTL span
 * conditions pairing the system's identity with the span's own status or duration, so a system's
 * objective is judged on its own spans, not on the whole trace (a database call is not "slow"
 * because the API request around it took 400 ms). A service's spans are identified by
 * `service.name`; a database's or cache's by the CLIENT spans its callers write with its
 * `db.system.name`, so a trace with a slow query or cache call is kept whichever service made it.
 * Services outside the catalogue still have their errors kept by one guard policy.
 */
import { capacityAssumptions } from "../capacity/plan";
import { ottlString } from "./pii-scrubbing";
import { isDatastore, type TracedSystem } from "../platform/settings";

/** Seconds a trace is buffered before its decision (the capacity model sizes num_traces for it). */
export const decisionWaitSeconds = capacityAssumptions.decisionWaitSeconds.value;

/** Decision caches remember this many times num_traces, so late spans of decided traces follow the decision. */
export const decisionCacheFactor = 4;

/**
 * Largest trace (in spans) a system's probabilistic share may keep. Tempo refuses traces above its
 * per-trace limit (max_bytes_per_trace, 5 MB by default; ~10,000 spans at the model's 500 B/span),
 * so keeping bigger ordinary traces only spends gateway memory and Tempo ingest on data that is cut.
 * Errors and breaches are kept whatever their size.
 */
export const baselineTraceSpanLimit = Math.floor(5_000_000 / capacityAssumptions.bytesPerSpan.value);

/** Headroom of the per-system rate cap over the system's expected kept spans at peak. */
export const rateCapHeadroom = 2;

/** The rate cap never goes below this (spans/s per gateway), so a quiet system can still be sampled. */
export const minimumRateCapSpansPerSecond = 50;

export interface StringAttributePolicy {
    readonly name: string;
    readonly type: "string_attribute";
    readonly string_attribute: { readonly key: string; readonly values: readonly string[] };
}
export interface ProbabilisticPolicy {
    readonly name: string;
    readonly type: "probabilistic";
    readonly probabilistic: { readonly sampling_percentage: number };
}
export interface SpanCountPolicy {
    readonly name: string;
    readonly type: "span_count";
    readonly span_count: { readonly min_spans: number; readonly max_spans: number };
}
export interface RateLimitingPolicy {
    readonly name: string;
    readonly type: "rate_limiting";
    readonly rate_limiting: { readonly spans_per_second: number };
}
export interface OttlConditionPolicy {
    readonly name: string;
    readonly type: "ottl_condition";
    /** Span conditions are ORed: the trace is sampled when any span satisfies any condition. */
    readonly ottl_condition: { readonly error_mode: "ignore"; readonly span: readonly string[] };
}
export type SubPolicy = StringAttributePolicy | ProbabilisticPolicy | SpanCountPolicy | RateLimitingPolicy;
export interface AndPolicy {
    readonly name: string;
    readonly type: "and";
    readonly and: { readonly and_sub_policy: readonly SubPolicy[] };
}
export type TailSamplingPolicy = OttlConditionPolicy | AndPolicy;

export interface TailSamplingConfig {
    readonly decision_wait: string;
    readonly num_traces: number;
    readonly expected_new_traces_per_sec: number;
    readonly decision_cache: { readonly sampled_cache_size: number; readonly non_sampled_cache_size: number };
    readonly policies: readonly TailSamplingPolicy[];
}

export interface TailSamplingInput {
    readonly systems: readonly TracedSystem[];
    /** From the capacity plan: traces buffered per gateway. */
    readonly numTraces: number;
    /** From the capacity plan: new traces per second per gateway. */
    readonly expectedNewTracesPerSecond: number;
    /** Configured gateway floor (config gatewayMinReplicas); rate caps are per gateway. */
    readonly gatewayMinReplicas: number;
}

const serviceNameKey = "service.name";
const dbSystemKey = "db.system.name";
const isError = "span.status.code == STATUS_CODE_ERROR";

function ownedBy(service: string): string {
    return `resource.attributes[${ottlString(serviceNameKey)}] == ${ottlString(service)}`;
}

function callTo(dbSystem: string): string {
    return `span.kind == SPAN_KIND_CLIENT and span.attributes[${ottlString(dbSystemKey)}] == ${ottlString(dbSystem)}`;
}

/** One OTTL condition per identity of the system: its services, or the datastores its callers reach. */
function spansOf(system: TracedSystem): string[] {
    return isDatastore(system) ? system.dbSystems.map(callTo) : system.serviceNames.map(ownedBy);
}

/** The attribute and values the baseline's string_attribute policy matches the system's spans by. */
function identityOf(system: TracedSystem): { key: string; values: string[] } {
    return isDatastore(system) ? { key: dbSystemKey, values: [...system.dbSystems] } : { key: serviceNameKey, values: [...system.serviceNames] };
}

function slowerThan(milliseconds: number): string {
    return `span.end_time_unix_nano - span.start_time_unix_nano > ${milliseconds * 1_000_000}`;
}

/** Per-gateway cap on the spans a system's baseline share may keep each second. */
export function rateCapSpansPerSecond(system: TracedSystem, gatewayMinReplicas: number): number {
    const ingest = system.spansPerSecond * (system.headSamplingPercent / 100);
    const keptAtPeak = ingest * (system.tailSamplingPercent / 100) * capacityAssumptions.peakToAverage.value;
    return Math.max(minimumRateCapSpansPerSecond, Math.ceil((keptAtPeak * rateCapHeadroom) / Math.max(1, gatewayMinReplicas)));
}

/** Policy names of a system, so tests and dashboards can find them. */
export function systemPolicyNames(system: TracedSystem): { errors: string; sloBreach: string; baseline: string } {
    return { errors: `${system.id}-errors`, sloBreach: `${system.id}-slo-breach`, baseline: `${system.id}-baseline` };
}

/** Name of the guard keeping errors of services that belong to no catalogue system. */
export const unlistedServicesErrorsPolicy = "unlisted-services-errors";

/** The three policies of one system; they depend on that system's entry only. */
export function systemPolicies(system: TracedSystem, gatewayMinReplicas: number): TailSamplingPolicy[] {
    const names = systemPolicyNames(system);
    return [
        {
            name: names.errors,
            type: "ottl_condition",
            ottl_condition: { error_mode: "ignore", span: spansOf(system).map((spans) => `${spans} and ${isError}`) },
        },
        {
            name: names.sloBreach,
            type: "ottl_condition",
            ottl_condition: {
                error_mode: "ignore",
                span: spansOf(system).map((spans) => `${spans} and ${slowerThan(system.latencySloP95Ms)}`),
            },
        },
        {
            name: names.baseline,
            type: "and",
            and: {
                and_sub_policy: [
                    { name: `${names.baseline}-services`, type: "string_attribute", string_attribute: identityOf(system) },
                    { name: `${names.baseline}-share`, type: "probabilistic", probabilistic: { sampling_percentage: system.tailSamplingPercent } },
                    { name: `${names.baseline}-size-bound`, type: "span_count", span_count: { min_spans: 1, max_spans: baselineTraceSpanLimit } },
                    {
                        name: `${names.baseline}-rate-cap`,
                        type: "rate_limiting",
                        rate_limiting: { spans_per_second: rateCapSpansPerSecond(system, gatewayMinReplicas) },
                    },
                ],
            },
        },
    ];
}

/** Errors of any service no system lists (a new service, a typo in service.name) are kept too. */
export function unlistedServicesErrors(systems: readonly TracedSystem[]): OttlConditionPolicy {
    const listed = systems.flatMap((s) => s.serviceNames);
    const notListed = listed.map((s) => `resource.attributes[${ottlString(serviceNameKey)}] != ${ottlString(s)}`);
    return {
        name: unlistedServicesErrorsPolicy,
        type: "ottl_condition",
        ottl_condition: { error_mode: "ignore", span: [[isError, ...notListed].join(" and ")] },
    };
}

export function buildTailSampling(input: TailSamplingInput): TailSamplingConfig {
    if (input.systems.length === 0) throw new Error("tail sampling needs at least one system in the catalogue (config systems)");
    const cache = input.numTraces * decisionCacheFactor;
    return {
        decision_wait: `${decisionWaitSeconds}s`,
        num_traces: input.numTraces,
        expected_new_traces_per_sec: input.expectedNewTracesPerSecond,
        decision_cache: { sampled_cache_size: cache, non_sampled_cache_size: cache },
        policies: [...input.systems.flatMap((s) => systemPolicies(s, input.gatewayMinReplicas)), unlistedServicesErrors(input.systems)],
    };
}
