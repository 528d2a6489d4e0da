/** The shape of the validated settings, and the closed lists its types are drawn from. */

export const environmentNames = ["dev", "test", "prod"] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export const tempoModes = ["monolithic", "distributed"] as const;
export type TempoMode = (typeof tempoModes)[number];

/** Organisation roles single sign-on may grant (server administration is never granted by the IdP). */
export const grafanaRoles = ["Admin", "Editor", "Viewer"] as const;
export type GrafanaRole = (typeof grafanaRoles)[number];

/**
 * A secret configuration value. It prints and serialises as `[secret]`, so logging or dumping the
 * settings never shows it; the component that needs it calls `reveal()` and wraps it in a Pulumi secret.
 */
export class SecretText {
    readonly #value: string;
    constructor(value: string) {
        this.#value = value;
    }
    reveal(): string {
        return this.#value;
    }
    toJSON(): string {
        return "[secret]";
    }
    toString(): string {
        return "[secret]";
    }
}
/** AWS services the platform reaches through VPC endpoints: S3 (gateway), SNS, Managed Prometheus and CloudWatch Logs (interface). */
export const endpointServices = ["s3", "sns", "aps", "logs"] as const;
export type EndpointService = (typeof endpointServices)[number];
/**
 * What a stack promises about acknowledged spans. `replicated`: none is lost on any single pod, node
 * or zone failure (distributed Tempo acknowledges only after a replicated Kafka log has). `single-node`:
 * monolithic Tempo acknowledges spans still in memory, so a crash loses at most the last
 * `max_trace_live` of them.
 */
export const traceDurabilities = ["replicated", "single-node"] as const;
export type TraceDurability = (typeof traceDurabilities)[number];

export const systemKinds = ["http-api", "worker", "integration", "database", "cache", "queue"] as const;
export type SystemKind = (typeof systemKinds)[number];

/**
 * Kinds measured from their callers' CLIENT spans: a database or cache runs no SDK, so it has no
 * service names of its own and is identified by the `db.system.name` its callers write.
 */
export const datastoreKinds: readonly SystemKind[] = ["database", "cache"];

export function isDatastore(system: Pick<TracedSystem, "kind">): boolean {
    return datastoreKinds.includes(system.kind);
}

/** One traced system of the catalogue (ten by default). */
export interface TracedSystem {
    /** Stable id (lowercase, dashes), used in policy, dashboard and alert names. */
    readonly id: string;
    /** Human name for dashboards. */
    readonly displayName: string;
    /**
     * What sort of system it is: queue systems get per-queue processing and wait panels and alerts,
     * integrations per-provider ones, databases and caches are measured from their callers' spans.
     */
    readonly kind: SystemKind;
    /** OpenTelemetry `service.name` values that belong to this system (none for databases and caches). */
    readonly serviceNames: readonly string[];
    /** `db.system.name` values (e.g. postgresql, redis) whose CLIENT spans measure this system; databases and caches only. */
    readonly dbSystems: readonly string[];
    /** Expected spans per second produced before head sampling (for databases and caches: their callers' CLIENT spans). */
    readonly spansPerSecond: number;
    /**
     * Share of traces the SDKs keep (head sampling, parent-based), 0-100. A database's or cache's
     * spans belong to their callers' traces, so for those it is the callers' share.
     */
    readonly headSamplingPercent: number;
    /** Share of ordinary (fast, error-free) traces the gateways keep (tail sampling), 0-100. */
    readonly tailSamplingPercent: number;
    /** p95 latency objective in milliseconds; slower traces are always kept. */
    readonly latencySloP95Ms: number;
    /** Error-rate objective: failed requests per 1000. */
    readonly errorsPer1000Slo: number;
    /** RabbitMQ queues (messaging.destination.name) this system consumes; queue systems only. */
    readonly queues: readonly string[];
    /** Objective for message processing time per queue in milliseconds; queue systems only. */
    readonly queueProcessingSloMs?: number;
    /** Objective for the p95 time a message waits in its queue (publish to consume) in milliseconds; queue systems only. */
    readonly queueWaitSloMs?: number;
    /** Objective: at least this percentage of cache lookups hit; caches only. */
    readonly cacheHitRatioSloPercent?: number;
    /** Objective for requests denied access (HTTP 401/403) per 1000; optional, HTTP APIs only (the auth system sets it). */
    readonly deniedPer1000Slo?: number;
}

/** A pinned container image reference, split into parts. */
export interface ImageRef {
    /** The full reference as configured, used verbatim in pod specs. */
    readonly reference: string;
    readonly repository: string;
    readonly tag: string;
    readonly digest?: string;
    readonly version: { readonly major: number; readonly minor: number; readonly patch: number };
}

export interface Settings {
    readonly project: string;
    readonly stack: string;
    readonly environment: EnvironmentName;
    readonly isProduction: boolean;
    readonly aws: {
        readonly region: string;
        readonly accountId: string;
        readonly accountIds: Readonly<Record<EnvironmentName, string>>;
    };
    /** Tags every AWS resource carries (provider defaultTags) and Kubernetes objects mirror as labels. */
    readonly tags: Readonly<Record<"environment" | "system" | "owner" | "cost-center" | "data-classification", string>>;
    readonly network: {
        readonly vpcId: string;
        readonly vpcCidr: string;
        readonly privateSubnetIds: readonly string[];
        readonly privateRouteTableIds: readonly string[];
        /** VPC endpoints already in the VPC that the platform reuses instead of creating its own. */
        readonly existingEndpointIds: Readonly<Partial<Record<EndpointService, string>>>;
        readonly vpnClientCidr: string;
        readonly vpnSessionTimeoutHours: number;
        readonly vpnLoginBanner: string;
        /** Client VPN subnet associations (one per zone, from the first of privateSubnetIds): each is billed per hour. */
        readonly vpnSubnetAssociations: number;
        readonly appOtlpCidrs: readonly string[];
        readonly appNamespaceLabel: { readonly key: string; readonly value: string };
    };
    readonly cluster: {
        readonly name: string;
        /** Security group of the cluster's worker nodes (the only source MSK admits). */
        readonly nodeSecurityGroupId: string;
        /** The cluster's service CIDR; the `kubernetes` Service (the API for in-cluster clients) has its first host. */
        readonly serviceCidr: string;
    };
    readonly pki: {
        readonly caValidityHours: number;
        readonly certValidityHours: number;
        readonly earlyRenewalHours: number;
    };
    readonly retention: {
        readonly traceDays: number;
        readonly auditDays: number;
        readonly logDays: number;
    };
    readonly kms: { readonly deletionWindowDays: number };
    readonly images: {
        /** Agents: the Kubernetes distribution (otelcol-k8s). */
        readonly collector: ImageRef;
        /** Gateways: the contrib distribution, the one with Prometheus remote write and SigV4 auth. */
        readonly collectorGateway: ImageRef;
        readonly tempo: ImageRef;
        readonly grafana: ImageRef;
    };
    readonly collectors: {
        readonly gatewayMinReplicas: number;
        readonly gatewayMaxReplicas: number;
        /** Queue volume per gateway when the stack fixes it; unset, the capacity plan sizes it from the load. */
        readonly gatewayQueueVolumeGb?: number;
        readonly dropClientAddress: boolean;
        /** OTLP senders outside the cluster, each with its own client certificate. */
        readonly externalSenders: readonly string[];
    };
    readonly tempo: {
        readonly durability: TraceDurability;
        /** Follows from the durability: replicated runs distributed Tempo, single-node the monolith. */
        readonly mode: TempoMode;
        /** Monolith volume when the stack fixes it; unset, the capacity plan sizes it from the load. */
        readonly volumeGb?: number;
        /** MSK brokers the stack fixes; each one left unset is chosen by the capacity plan from the load. */
        readonly msk: {
            readonly instanceType?: string;
            readonly brokerCount?: number;
            readonly volumeGb?: number;
            readonly kafkaVersion: string;
        };
    };
    readonly grafana: {
        readonly hostname: string;
        readonly volumeGb: number;
        readonly alertEmail: string;
    };
    readonly identity: {
        /** Client VPN's SAML federation: the IdP metadata IAM's SAML provider is made from, and who may connect. */
        readonly vpn: {
            readonly samlMetadata: string;
            /** IdP group ids (SAML memberOf values), one authorization rule each. */
            readonly accessGroups: readonly string[];
        };
        /** Grafana's OpenID Connect single sign-on. */
        readonly grafana: {
            readonly issuer: string;
            readonly authUrl: string;
            readonly tokenUrl: string;
            readonly userInfoUrl: string;
            readonly clientId: string;
            readonly clientSecret: SecretText;
            readonly scopes: readonly string[];
            readonly groupsClaim: string;
            /** Groups behind each role; a person in none of them cannot sign in. */
            readonly roleGroups: Readonly<Partial<Record<GrafanaRole, readonly string[]>>>;
            /** Hosts of the token and user-info endpoints, which Grafana's server calls. */
            readonly providerHosts: readonly string[];
            /** Addresses of those hosts: Grafana's only egress outside the VPC. */
            readonly providerCidrs: readonly string[];
            /** Login form and basic auth for local users (dev only; prod signs people in through the IdP alone). */
            readonly passwordLogin: boolean;
        };
    };
    readonly systems: readonly TracedSystem[];
    /** Protect stateful resources from deletion (prod). */
    readonly protectStatefulResources: boolean;
}

/** One configuration problem: which key, what value, what would be accepted. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: string;
    readonly allowed: string;
}
