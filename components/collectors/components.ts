/**
 * Which collector component names a given image understands. The collector renamed many components
 * to lower_snake_case in 2026 (`otlp` -> `otlp_grpc`, `k8sattributes` -> `k8s_attributes`, ...):
 * the old names stay as deprecated aliases, but the new names fail to load on binaries older than
 * the rename. Each distribution also bundles a different component set (otelcol-k8s admits only
 * OTLP exporters, so Prometheus remote write and SigV4 auth exist only in otelcol-contrib). The
 * builders check every rendered config against this table before any object is created.
 */
import type { ImageRef } from "../platform/settings";

export type Version = ImageRef["version"];
export type ComponentKind = "receivers" | "processors" | "exporters" | "connectors" | "extensions";

/** Collector distributions, named after the last path segment of their image repository. */
export const distributions = {
    k8s: "opentelemetry-collector-k8s",
    contrib: "opentelemetry-collector-contrib",
} as const;
export type Distribution = keyof typeof distributions;

export interface ComponentSupport {
    /** First release that accepts this type name. */
    readonly since: Version;
    /** Distributions whose binaries include the component. */
    readonly distributions: readonly Distribution[];
    /** Where the floor and the distribution membership come from. */
    readonly source: string;
}

const v = (minor: number): Version => ({ major: 0, minor, patch: 0 });
const both: readonly Distribution[] = ["k8s", "contrib"];
const k8sManifest = "opentelemetry-collector-releases distributions/otelcol-k8s/manifest.yaml (v0.159.0) and otelcol-contrib/manifest.yaml";

/**
 * Component type (the part of an id before `/`) -> support. Types whose names never changed carry
 * the floor of the oldest release this platform supports anything on (0.100.0).
 */
export const componentSupport: Readonly<Record<ComponentKind, Readonly<Record<string, ComponentSupport>>>> = {
    receivers: {
        otlp: { since: v(100), distributions: both, source: `${k8sManifest}; the otlp receiver kept its name (collector#14396)` },
        prometheus: { since: v(100), distributions: both, source: k8sManifest },
        file_log: {
            since: v(150),
            distributions: both,
            source:
                `${k8sManifest} (filelogreceiver); contrib#46750 (merged 2026-03-30) renamed filelog to file_log, deprecated ` +
                "since contrib 0.150.0 (Graylog2/graylog2-server#25669; dash0-operator#994 says 0.149.0, so the later one is the floor)",
        },
    },
    processors: {
        memory_limiter: { since: v(100), distributions: both, source: k8sManifest },
        batch: { since: v(100), distributions: both, source: k8sManifest },
        transform: { since: v(120), distributions: both, source: `${k8sManifest}; statement groups without context need the v0.120.0 config format (transformprocessor README)` },
        resource: { since: v(100), distributions: both, source: k8sManifest },
        filter: { since: v(100), distributions: both, source: `${k8sManifest}; the metrics.metric OTTL condition form used here predates v0.100.0` },
        tail_sampling: { since: v(100), distributions: both, source: k8sManifest },
        k8s_attributes: { since: v(146), distributions: both, source: "contrib v0.146.0 release notes: k8sattributes renamed to k8s_attributes (#45894)" },
        resource_detection: { since: v(153), distributions: both, source: "contrib#48525 (merged 2026-05-19, released in v0.153.0): resourcedetection renamed to resource_detection" },
    },
    exporters: {
        otlp_grpc: { since: v(144), distributions: both, source: "collector v1.50.0/v0.144.0 changelog: otlp exporter renamed to otlp_grpc (#14403)" },
        load_balancing: { since: v(153), distributions: both, source: "contrib v0.153.0 changelog: loadbalancing exporter renamed to load_balancing (contrib#48533)" },
        prometheus_remote_write: {
            since: v(154),
            distributions: ["contrib"],
            source: "contrib#48705 (released in v0.154.0); otelcol-k8s admits only OTLP exporters (maintainers cite that rule on releases#942)",
        },
        awscloudwatchlogs: {
            since: v(100),
            distributions: ["contrib"],
            source:
                "ecosystem-explorer registry collector/contrib/v0.161.0/exporter.yaml and v0.162.1-SNAPSHOT: type awscloudwatchlogs, " +
                "distributions [contrib] (not renamed); otelcol-k8s admits only OTLP exporters (releases#942)",
        },
    },
    connectors: {
        forward: { since: v(100), distributions: both, source: `${k8sManifest}; forward keeps its name (collector#14396)` },
        span_metrics: {
            since: v(153),
            distributions: both,
            source: "contrib#47963 (opened 2026-04-28 after v0.151.0 was cut); v0.153.0 is the first release it is certainly in",
        },
        service_graph: {
            since: v(153),
            distributions: both,
            source: "contrib#47971 (servicegraph renamed to service_graph, opened 2026-04-28 with #47963 in the same rename wave, contrib#45339)",
        },
    },
    extensions: {
        health_check: { since: v(100), distributions: both, source: k8sManifest },
        file_storage: { since: v(100), distributions: both, source: k8sManifest },
        sigv4auth: { since: v(100), distributions: ["contrib"], source: "otelcol-contrib manifest; absent from otelcol-k8s (no AWS-specific auth)" },
    },
};

function compare(a: Version, b: Version): number {
    return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function show(version: Version): string {
    return `${version.major}.${version.minor}.${version.patch}`;
}

/** The distribution an image reference belongs to, from the last segment of its repository (mirrors keep it). */
export function distributionOf(image: ImageRef): Distribution | undefined {
    const last = image.repository.split("/").pop();
    return (Object.keys(distributions) as Distribution[]).find((d) => distributions[d] === last);
}

/** A component id as it appears in a config: `type` or `type/name`. */
export function componentType(id: string): string {
    return id.split("/")[0];
}

/** The shape of a collector config this check needs: the component sections. */
export type ComponentSections = Partial<Record<ComponentKind, Readonly<Record<string, unknown>> | undefined>>;

/**
 * Throws, naming the config key, when the image cannot run a component the config declares:
 * an unknown distribution, a component the distribution does not bundle, a component type this
 * table does not know, or a type name newer than the image.
 */
export function assertImageSupportsConfig(config: ComponentSections, image: ImageRef, configKey: string): void {
    const distribution = distributionOf(image);
    if (!distribution) {
        throw new Error(
            `${configKey}: '${image.reference}' is not a known collector distribution; allowed: an image whose repository ends in ` +
                Object.values(distributions).join(" or "),
        );
    }
    const problems: string[] = [];
    for (const kind of Object.keys(componentSupport) as ComponentKind[]) {
        for (const id of Object.keys(config[kind] ?? {})) {
            const type = componentType(id);
            const support = componentSupport[kind][type];
            if (!support) {
                problems.push(`${kind}.${id}: no support entry for '${type}' (add it to componentSupport with its source)`);
            } else if (!support.distributions.includes(distribution)) {
                problems.push(`${kind}.${id}: not in ${distributions[distribution]} (only ${support.distributions.map((d) => distributions[d]).join(", ")})`);
            } else if (compare(image.version, support.since) < 0) {
                problems.push(`${kind}.${id}: the name '${type}' exists from ${show(support.since)}, the image is ${show(image.version)}`);
            }
        }
    }
    if (problems.length > 0) {
        throw new Error(`${configKey}: '${image.reference}' cannot run this collector config:\n  - ${problems.join("\n  - ")}`);
    }
}
