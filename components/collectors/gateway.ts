import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CollectorTierArgs, GatewayDeliveryArgs, HashSaltArgs, KafkaMonitoringArgs, TrustBundleArgs } from "./base-args";
import { collectorEnv, collectorPaths, renderCollectorConfig } from "./config";
import { buildGatewayConfig, gatewayConfigInput } from "./gateway-config";
import { collectorDestinations } from "./destinations";
import { brokerHost, kafkaBrokerEnv } from "./kafka-scrape";
import { collectorAccountAndConfig, collectorPodSpec, podTemplateAnnotations, selectorLabels } from "./pod";
import { zoneSpread } from "../platform/pod-hardening";
import { ports, services, standardLabels, tlsSecrets, workloads } from "../platform/names";
import type { Destination } from "../platform/destinations";

export interface CollectorGatewayArgs extends CollectorTierArgs, GatewayDeliveryArgs, HashSaltArgs, TrustBundleArgs, KafkaMonitoringArgs {}

const workload = workloads.gateway;

/** Name of the volume claim template holding the persistent sending queue. */
export const queueVolumeName = "queue";

/**
 * The tail-sampling tier: a StatefulSet, so each gateway keeps its persistent sending queue (and
 * what Tempo has not yet accepted) across restarts, behind a headless Service the agents resolve
 * pod by pod. Scaled by an HPA between the capacity plan's replicas and maximum, spread across
 * zones, and never drained by more than one pod at a time.
 */
export class CollectorGateway extends pulumi.ComponentResource {
    /** The rendered collector config (YAML), as the ConfigMap holds it. */
    public readonly renderedConfig: string;
    /** Every host and port that config dials, its env references resolved (the gateways' NetworkPolicy egress). */
    public readonly destinations: pulumi.Output<Destination[]>;
    public readonly statefulSet: k8s.apps.v1.StatefulSet;
    public readonly headlessService: k8s.core.v1.Service;
    /** The gateways' ServiceAccount: the workload identity allowed aps:RemoteWrite binds to it. */
    public readonly serviceAccountName: pulumi.Output<string>;

    constructor(name: string, args: CollectorGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:collectors:CollectorGateway", name, args, opts);
        const { settings, plan } = args;
        const namespace = workload.namespace;
        const labels = standardLabels(workload.name, settings.environment, "gateway");
        const selector = selectorLabels(workload.name);
        const parent = { parent: this };

        const configInput = gatewayConfigInput(settings, plan, args.region);
        const config = buildGatewayConfig(configInput);
        this.renderedConfig = renderCollectorConfig(config);
        const brokers = args.kafkaBootstrapBrokers;
        if (configInput.kafkaBrokerCount > 0 && brokers === undefined) throw new Error("distributed Tempo: the gateways need MSK's bootstrap brokers to scrape them");
        const brokerEnv = Array.from({ length: configInput.kafkaBrokerCount }, (_, i) => ({
            name: kafkaBrokerEnv(i + 1),
            value: pulumi.output(brokers!).apply((list) => brokerHost(list, i + 1)),
        }));
        this.destinations = pulumi
            .all([pulumi.output(args.remoteWriteUrl), pulumi.all(brokerEnv.map((e) => e.value))])
            .apply(([remoteWriteUrl, hosts]) =>
                collectorDestinations(config, {
                    [collectorEnv.remoteWriteUrl]: remoteWriteUrl,
                    ...Object.fromEntries(brokerEnv.map((e, i) => [e.name, hosts[i]])),
                }),
            );

        // The gateways call AWS (SigV4 remote write), not the Kubernetes API: no API token. EKS Pod
        // Identity / IRSA inject their own projected token regardless of this setting.
        const objects = collectorAccountAndConfig(workload, labels, this.renderedConfig);
        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-service-account`, objects.serviceAccount, parent);
        this.serviceAccountName = serviceAccount.metadata.name;

        const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, objects.configMap, parent);

        this.headlessService = new k8s.core.v1.Service(
            `${name}-headless`,
            {
                metadata: { name: services.gatewayHeadless.name, namespace: services.gatewayHeadless.namespace, labels },
                spec: {
                    clusterIP: "None",
                    selector,
                    // Only ready gateways are routed to; a starting pod joins the hash ring when it can take traces.
                    publishNotReadyAddresses: false,
                    ports: [
                        { name: "otlp-grpc", port: ports.otlpGrpc, targetPort: "otlp-grpc", protocol: "TCP" },
                        { name: "otlp-http", port: ports.otlpHttp, targetPort: "otlp-http", protocol: "TCP" },
                    ],
                },
            },
            parent,
        );

        const podSpec = collectorPodSpec({
            workload: workload.name,
            image: settings.images.collectorGateway.reference,
            resources: plan.gateway.resources,
            configMapName: configMap.metadata.name,
            serverTlsSecret: tlsSecrets.gatewayServer.name,
            clientTlsSecret: tlsSecrets.gatewayClient.name,
            hashSaltSecretName: args.hashSaltSecretName,
            serviceAccountName: workload.serviceAccount,
            automountServiceAccountToken: false,
            env: [{ name: collectorEnv.remoteWriteUrl, value: args.remoteWriteUrl }, ...brokerEnv],
            extraMounts: [{ name: queueVolumeName, mountPath: collectorPaths.queueDir }],
            extraVolumes: [],
        });

        this.statefulSet = new k8s.apps.v1.StatefulSet(
            `${name}-statefulset`,
            {
                metadata: { name: workload.name, namespace, labels },
                spec: {
                    serviceName: this.headlessService.metadata.name,
                    replicas: plan.gateway.replicas,
                    // Gateways are interchangeable: start and stop them together, not one ordinal at a time.
                    podManagementPolicy: "Parallel",
                    selector: { matchLabels: selector },
                    updateStrategy: { type: "RollingUpdate" },
                    // A scaled-down gateway's queue stays on its volume and drains when the ordinal returns.
                    persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
                    volumeClaimTemplates: [
                        {
                            metadata: { name: queueVolumeName, labels },
                            spec: {
                                accessModes: ["ReadWriteOnce"],
                                storageClassName: args.storageClassName,
                                resources: { requests: { storage: `${plan.gateway.queueVolumeGb}Gi` } },
                            },
                        },
                    ],
                    template: {
                        metadata: { labels: { ...labels, ...selector }, annotations: podTemplateAnnotations(this.renderedConfig, args.tlsHash) },
                        spec: {
                            ...podSpec,
                            topologySpreadConstraints: zoneSpread(selector),
                            // Time to flush batches and finish in-flight exports; queued data stays on the volume.
                            terminationGracePeriodSeconds: 60,
                        },
                    },
                },
            },
            // The HPA owns the replica count once the StatefulSet exists.
            { parent: this, dependsOn: [serviceAccount], ignoreChanges: ["spec.replicas"] },
        );

        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-autoscaler`,
            {
                metadata: { name: workload.name, namespace, labels },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: this.statefulSet.metadata.name },
                    minReplicas: plan.gateway.replicas,
                    maxReplicas: plan.gateway.maxReplicas,
                    // CPU only: tail sampling holds a fixed decision buffer, so memory stays high at any load and
                    // a memory target would ratchet to maxReplicas, re-routing traces at every step.
                    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
                    // Every scaling event moves ~1/N of the traces to another gateway (in-flight ones split), so
                    // scale up promptly but down slowly, one pod at a time.
                    behavior: {
                        scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
                        scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
                    },
                },
            },
            parent,
        );

        new k8s.policy.v1.PodDisruptionBudget(
            `${name}-disruption-budget`,
            { metadata: { name: workload.name, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
            parent,
        );

        this.registerOutputs({ serviceAccountName: this.serviceAccountName });
    }
}
