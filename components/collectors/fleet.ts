import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CollectorTierArgs, GatewayDeliveryArgs, KafkaMonitoringArgs, TrustBundleArgs } from "./base-args";
import { hashSaltSecretKey } from "./pod";
import { CollectorAgent } from "./agent";
import { CollectorGateway } from "./gateway";
import { CollectorLogAgent } from "./log-agent";
import { namespaces, standardLabels } from "../platform/names";

export interface CollectorFleetArgs extends CollectorTierArgs, GatewayDeliveryArgs, TrustBundleArgs, KafkaMonitoringArgs {}

/**
 * The OpenTelemetry collector fleet: node-local agents, the node log shippers in their own
 * namespace, and tail-sampling gateways, plus the salt the agents and gateways use to pseudonymise user and session ids (one salt, so a value hashed by an agent is
 * recognised and left alone by a gateway).
 */
export class CollectorFleet extends pulumi.ComponentResource {
    public readonly agent: CollectorAgent;
    public readonly logAgent: CollectorLogAgent;
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
        this.logAgent = new CollectorLogAgent(`${name}-log-agent`, { settings, plan: args.plan, tlsHash: args.tlsHash }, { parent: this });
        this.gateway = new CollectorGateway(
            `${name}-gateway`,
            {
                settings,
                plan: args.plan,
                remoteWriteUrl: args.remoteWriteUrl,
                region: args.region,
                hashSaltSecretName: saltSecret.metadata.name,
                tlsHash: args.tlsHash,
                ...(args.kafkaBootstrapBrokers !== undefined ? { kafkaBootstrapBrokers: args.kafkaBootstrapBrokers } : {}),
                storageClassName: args.storageClassName,
            },
            { parent: this },
        );
        this.otlpEndpoint = this.agent.otlpGrpcEndpoint;
        this.gatewayServiceAccountName = this.gateway.serviceAccountName;
        this.registerOutputs({ otlpEndpoint: this.otlpEndpoint, gatewayServiceAccountName: this.gatewayServiceAccountName });
    }
}
