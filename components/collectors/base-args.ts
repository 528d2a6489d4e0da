/** What the collector components are given alike: the stack's settings and the capacity plan, and the gateways' metrics destination. */
import type * as pulumi from "@pulumi/pulumi";
import type { CapacityPlan } from "../capacity/plan";
import type { Settings } from "../platform/settings";

/** A collector tier sized from the capacity plan. */
export interface CollectorTierArgs {
    /** Validated settings of this stack. */
    readonly settings: Settings;
    /** Capacity plan the tier takes its replicas, resources and buffers from. */
    readonly plan: CapacityPlan;
}

/** Where the gateways remote-write span metrics, and where they queue what is not yet sent. */
export interface GatewayDeliveryArgs {
    /** Remote-write URL of the metrics workspace (workspace endpoint + "api/v1/remote_write"). */
    readonly remoteWriteUrl: pulumi.Input<string>;
    /** AWS region of the metrics workspace, the SigV4 signing region. */
    readonly region: string;
    /** The platform's encrypted StorageClass, for the gateways' queue volumes: queued spans are trace data. */
    readonly storageClassName: pulumi.Input<string>;
}

/** A tier that pseudonymises user and session ids with the salt both tiers share. */
export interface HashSaltArgs {
    /** Secret holding the pseudonymisation salt the agents and gateways share. */
    readonly hashSaltSecretName: pulumi.Input<string>;
}

/**
 * A tier that rolls its pods when the platform CA bundle changes: the collectors reload their own
 * certificates, but an exporter reads the CA bundle it verifies peers with only at start-up.
 */
export interface TrustBundleArgs {
    /** Hash of the platform CA bundle (PlatformPki.tlsHash()), put in the pod template. */
    readonly tlsHash: pulumi.Input<string>;
}

/** The gateways scrape MSK's brokers in distributed mode. */
export interface KafkaMonitoringArgs {
    /** MSK's bootstrap brokers (`host:port,...`), whose Open Monitoring exporters the first gateway scrapes. */
    readonly kafkaBootstrapBrokers?: pulumi.Input<string>;
}
