import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CapacityPlan } from "../capacity/plan";
import { hashSaltSecretKey } from "./pod";
import { CollectorAgent } from "./agent";
import { CollectorGateway } from "./gateway";
import { namespaces, standardLabels } from "../platform/names";
import type { Settings } from "../platform/settings";

export interface CollectorFleetArgs {
    /** Validated settings of this stack. */
    readonly settings: Settings;
    /** Capacity plan the agents and gateways are sized from. */
    readonly plan: CapacityPlan;
    /** Remote-write URL of the metrics workspace (workspace endpoint + "api/v1/remote_write"). */
    readonly remoteWriteUrl: pulumi.Input<string>;
    /** AWS region of the metrics workspace. */
    readonly region: string;
    /**
     * Hash of the platform CA bundle (PlatformPki.tlsHash()): the collectors reload their own
     * certificates, but read the CA bundle they verify peers with only at start-up.
     */
    readonly tlsHash: pulumi.Input<string>;
    /** The platform's encrypted StorageClass, for the gateways' queue volumes. */
    readonly storageClassName: pulumi.Input<string>;
}

/**
 * The OpenTelemetry collector fleet: node-local agents and tail-sampling gateways, plus the salt
 * both tiers use to pseudonymise user and session ids (one salt, so a value hashed by an agent is
 * recognised and left alone by a gateway).
 */
export class CollectorFleet extends pulumi.ComponentResource {
    public readonly agent: CollectorAgent;
    public readonly gateway: CollectorGateway;
    /** OTLP/gRPC endpoint (node-local agent Service) applications export to. */
    public readonly otlpEndpoint: string;
    /** The gateways' ServiceAccount, for the workload identity allowed to remote-write. */
    public readonly gatewayServiceAccountName: pulumi.Output<string>;

    constructor(name: string, args: CollectorFleetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:collectors:CollectorFleet", name, args, opts);
        const { settings } = args;

        // Default providers are disabled for every package; the salt's generator gets its own.
        const randomProvider = new random.Provider(`${name}-random`, {}, { parent: this });
        const salt = new random.RandomBytes(`${name}-pii-salt`, { length: 32 }, { parent: this, provider: randomProvider });
        const saltSecret = new k8s.core.v1.Secret(
            `${name}-pii-salt`,
            {
                metadata: {
                    name: "otel-pii-hash-salt",
                    namespace: namespaces.collectors,
                    labels: standardLabels("otel-collector", settings.environment, "pii"),
                },
                type: "Opaque",
                stringData: { [hashSaltSecretKey]: salt.hex },
            },
            { parent: this },
        );

        this.agent = new CollectorAgent(
            `${name}-agent`,
            { settings, plan: args.plan, hashSaltSecretName: saltSecret.metadata.name, tlsHash: args.tlsHash },
            { parent: this },
        );
        this.gateway = new CollectorGateway(
            `${name}-gateway`,
            {
                settings,
                plan: args.plan,
                remoteWriteUrl: args.remoteWriteUrl,
                region: args.region,
                hashSaltSecretName: saltSecret.metadata.name,
                tlsHash: args.tlsHash,
                storageClassName: args.storageClassName,
            },
            { parent: this },
        );
        this.otlpEndpoint = this.agent.otlpGrpcEndpoint;
        this.gatewayServiceAccountName = this.gateway.serviceAccountName;
        this.registerOutputs({ otlpEndpoint: this.otlpEndpoint, gatewayServiceAccountName: this.gatewayServiceAccountName });
    }
}
