import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CapacityPlan } from "../capacity/plan";
import {
    kafkaCredentialEnv,
    serializeTempoConfig,
    tempoConfig,
    tempoInternalServices,
    tempoServiceHost,
} from "./config";
import { tempoDestinations } from "./destinations";
import {
    kafkaCredentialsSecretName,
    monolithComponent,
    tempoConfigMapName,
    tempoLabels,
    tempoPodSpec,
    tempoSelectorLabels,
    tempoWorkloads,
    type TempoWorkload,
} from "./workloads";
import { ports, services, tlsHashAnnotation, workloads } from "../platform/names";
import type { Destination } from "../platform/destinations";
import type { Settings } from "../platform/settings";

/** How distributed Tempo reaches its Kafka topic on MSK. */
export interface TempoKafkaConnection {
    /** MSK's SASL/SCRAM bootstrap brokers (`host:9096,...`). */
    readonly bootstrapBrokers: pulumi.Input<string>;
    /** The pre-created trace topic. */
    readonly topic: pulumi.Input<string>;
    /** SASL/SCRAM username. */
    readonly username: pulumi.Input<string>;
    /** SASL/SCRAM password (a Pulumi secret); lands only in a Kubernetes Secret. */
    readonly password: pulumi.Input<string>;
}

export interface TempoArgs {
    /** Validated settings of this stack. */
    readonly settings: Settings;
    /** Tempo's slice of the capacity plan: mode, replicas and resources. */
    readonly plan: CapacityPlan["tempo"];
    /** Name of the tracing-tempo Namespace (its output, so objects wait for the namespace). */
    readonly namespace: pulumi.Input<string>;
    /** Name of the trace bucket Tempo stores blocks in. */
    readonly traceBucketName: pulumi.Input<string>;
    /** ARN of the KMS key Tempo requests SSE-KMS with. */
    readonly traceKeyArn: pulumi.Input<string>;
    /** The platform's encrypted StorageClass, for every volume that holds trace data. */
    readonly storageClassName: pulumi.Input<string>;
    /** The MSK connection: required in distributed mode, absent in monolithic mode. */
    readonly kafka?: TempoKafkaConnection;
    /**
     * Hash of the CA bundle and Tempo's certificate (PlatformPki.tlsHash("tempoServer")). Tempo's
     * HTTP and gRPC servers read the certificate at each handshake (exporter-toolkit), but every
     * listener reads its client CAs once, memberlist's listener keeps the certificate it started
     * with (dskit crypto/tls) and the OTLP receiver has no reload_interval: a renewal rolls the pods.
     */
    readonly tlsHash: pulumi.Input<string>;
}

type Workload = k8s.apps.v1.Deployment | k8s.apps.v1.StatefulSet;

/**
 * Grafana Tempo 3 in the stack's mode. Monolithic: one StatefulSet (`-target=all`) with a
 * persistent volume. Distributed: distributors write to Kafka, live-stores and block-builders
 * consume it (each pod on its own persistent volume), queriers and query-frontends serve Grafana,
 * the backend scheduler and workers compact and enforce retention. Either way the gateways send to
 * `tempo-ingest:4317` and Grafana queries `tempo-query:3200`, both mutual TLS. Every volume comes
 * from the platform's encrypted StorageClass.
 */
export class Tempo extends pulumi.ComponentResource {
    public readonly config: k8s.core.v1.ConfigMap;
    public readonly serviceAccount: k8s.core.v1.ServiceAccount;
    /** Deployments and StatefulSets by component label value. */
    public readonly workloads: Readonly<Record<string, Workload>>;
    /** OTLP/gRPC endpoint (mutual TLS) the gateways export to. */
    public readonly ingestEndpoint: string;
    /** HTTPS base URL (client certificate required) Grafana's Tempo data source uses. */
    public readonly queryUrl: string;
    /** Every host and port tempo.yaml dials (Tempo's NetworkPolicy egress is derived from it). */
    public readonly destinations: pulumi.Output<Destination[]>;
    /** Every Service of this component, in creation order (other workloads and the NetworkPolicies address them). */
    public get services(): readonly k8s.core.v1.Service[] {
        return this.createdServices;
    }

    private readonly createdServices: k8s.core.v1.Service[] = [];
    private readonly settings: Settings;
    private readonly environment: string;
    private readonly storageClassName: pulumi.Input<string>;

    constructor(name: string, args: TempoArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:tempo:Tempo", name, args, opts);
        const { settings, plan } = args;
        this.settings = settings;
        this.environment = settings.environment;
        this.storageClassName = args.storageClassName;
        const distributed = plan.mode === "distributed";
        if (plan.mode !== settings.tempo.mode) throw new Error(`capacity plan is for ${plan.mode} Tempo, settings say ${settings.tempo.mode}`);
        if (distributed !== (args.kafka !== undefined)) {
            throw new Error(distributed ? "distributed Tempo needs the MSK connection (kafka)" : "monolithic Tempo takes no Kafka connection");
        }

        const environment = this.environment;
        const namespace = args.namespace;
        const child = { parent: this };
        const meta = (objectName: string, component: string) => ({ name: objectName, namespace, labels: tempoLabels(environment, component) });

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            {
                metadata: meta(workloads.tempo.serviceAccount, "identity"),
                automountServiceAccountToken: false,
            },
            child,
        );

        const kafka = args.kafka;
        const configObject = pulumi
            .all([args.traceBucketName, args.traceKeyArn, kafka?.bootstrapBrokers, kafka?.topic])
            .apply(([traceBucketName, traceKeyArn, bootstrapBrokers, topic]) =>
                tempoConfig({
                    mode: plan.mode,
                    environment,
                    region: settings.aws.region,
                    traceBucketName,
                    traceKeyArn,
                    retentionDays: settings.retention.traceDays,
                    ...(bootstrapBrokers !== undefined && topic !== undefined ? { kafka: { bootstrapBrokers, topic } } : {}),
                }),
            );
        const configYaml = configObject.apply(serializeTempoConfig);
        this.destinations = configObject.apply(tempoDestinations);
        this.config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            { metadata: meta(tempoConfigMapName, "config"), data: { "tempo.yaml": configYaml } },
            child,
        );
        // Pods roll when tempo.yaml or the TLS material they read at start-up changes; the config
        // holds no secrets and the certificates are public, so the hashes reveal nothing.
        const annotations = {
            "checksum/config": configYaml.apply((text) => createHash("sha256").update(text).digest("hex")),
            [tlsHashAnnotation]: args.tlsHash,
        };

        const credentials = kafka
            ? new k8s.core.v1.Secret(
                  `${name}-kafka-credentials`,
                  {
                      metadata: meta(kafkaCredentialsSecretName, "kafka-client"),
                      type: "Opaque",
                      stringData: pulumi.secret(
                          pulumi.all([kafka.username, kafka.password]).apply(([username, password]) => ({
                              [kafkaCredentialEnv.username]: username,
                              [kafkaCredentialEnv.password]: password,
                          })),
                      ),
                  },
                  child,
              )
            : undefined;

        const memberlist = this.service(name, "memberlist", tempoInternalServices.memberlist, namespace, {
            // All Tempo pods gossip; not-ready members must be resolvable or the rings never form.
            clusterIP: "None",
            publishNotReadyAddresses: true,
            selector: { "app.kubernetes.io/name": workloads.tempo.name },
            ports: [{ name: "gossip", port: ports.tempoMemberlist, targetPort: "gossip", protocol: "TCP" }],
        });

        const created: Record<string, Workload> = {};
        for (const workload of tempoWorkloads(plan)) {
            created[workload.component] = this.workload(name, workload, namespace, annotations, memberlist, credentials);
            if (workload.highlyAvailable) this.disruptionBudget(name, workload, namespace);
        }
        this.workloads = created;

        const ingestComponent = distributed ? "distributor" : monolithComponent;
        const queryComponent = distributed ? "query-frontend" : monolithComponent;
        this.service(name, "ingest", services.tempoIngest.name, namespace, {
            type: "ClusterIP",
            selector: tempoSelectorLabels(ingestComponent),
            ports: [{ name: "otlp-grpc", port: ports.otlpGrpc, targetPort: "otlp-grpc", protocol: "TCP" }],
        });
        this.service(name, "query", services.tempoQuery.name, namespace, {
            type: "ClusterIP",
            selector: tempoSelectorLabels(queryComponent),
            ports: [{ name: "http", port: ports.tempoHttp, targetPort: "http", protocol: "TCP" }],
        });
        if (distributed) {
            this.service(name, "query-frontend-discovery", tempoInternalServices.queryFrontendDiscovery, namespace, {
                clusterIP: "None",
                selector: tempoSelectorLabels("query-frontend"),
                ports: [{ name: "grpc", port: ports.tempoGrpc, targetPort: "grpc", protocol: "TCP" }],
            });
            this.service(name, "backend-scheduler", tempoInternalServices.backendScheduler, namespace, {
                type: "ClusterIP",
                selector: tempoSelectorLabels("backend-scheduler"),
                ports: [{ name: "grpc", port: ports.tempoGrpc, targetPort: "grpc", protocol: "TCP" }],
            });
        }

        this.ingestEndpoint = `${tempoServiceHost(services.tempoIngest.name)}:${ports.otlpGrpc}`;
        this.queryUrl = `https://${tempoServiceHost(services.tempoQuery.name)}:${ports.tempoHttp}`;
        this.registerOutputs({ ingestEndpoint: this.ingestEndpoint, queryUrl: this.queryUrl });
    }

    private service(
        name: string,
        suffix: string,
        serviceName: string,
        namespace: pulumi.Input<string>,
        spec: k8s.types.input.core.v1.ServiceSpec,
    ): k8s.core.v1.Service {
        const service = new k8s.core.v1.Service(
            `${name}-${suffix}`,
            { metadata: { name: serviceName, namespace, labels: tempoLabels(this.environment, suffix) }, spec },
            { parent: this },
        );
        this.createdServices.push(service);
        return service;
    }

    private workload(
        name: string,
        workload: TempoWorkload,
        namespace: pulumi.Input<string>,
        annotations: Record<string, pulumi.Input<string>>,
        governingService: k8s.core.v1.Service,
        credentials: k8s.core.v1.Secret | undefined,
    ): Workload {
        const labels = tempoLabels(this.environment, workload.component);
        const selector = tempoSelectorLabels(workload.component);
        const template = {
            metadata: { labels, annotations },
            spec: tempoPodSpec(workload, this.settings),
        };
        const metadata = { name: workload.name, namespace, labels };
        // Pods must not start before the Secret they read credentials from exists.
        const opts = { parent: this, dependsOn: credentials && workload.kafkaClient ? [credentials] : [] };
        if (workload.kind === "Deployment") {
            return new k8s.apps.v1.Deployment(
                `${name}-${workload.component}`,
                {
                    metadata,
                    spec: {
                        replicas: workload.replicas,
                        selector: { matchLabels: selector },
                        // Surge first: a rollout never drops below the planned capacity.
                        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                        template,
                    },
                },
                opts,
            );
        }
        const persistent = workload.data.kind === "persistentVolume" ? workload.data : undefined;
        return new k8s.apps.v1.StatefulSet(
            `${name}-${workload.component}`,
            {
                metadata,
                spec: {
                    replicas: workload.replicas,
                    selector: { matchLabels: selector },
                    serviceName: governingService.metadata.name,
                    // Partition owners start together; ordinals, not start order, assign partitions.
                    podManagementPolicy: workload.highlyAvailable ? "Parallel" : "OrderedReady",
                    updateStrategy: { type: "RollingUpdate" },
                    template,
                    ...(persistent
                        ? {
                              volumeClaimTemplates: [
                                  {
                                      metadata: { name: "data", labels },
                                      spec: {
                                          accessModes: ["ReadWriteOnce"],
                                          storageClassName: this.storageClassName,
                                          resources: { requests: { storage: `${persistent.sizeGb}Gi` } },
                                      },
                                  },
                              ],
                              // The WAL outlives a deleted or scaled-down StatefulSet; the pod that returns replays it.
                              persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
                          }
                        : {}),
                },
            },
            opts,
        );
    }

    /** One voluntary disruption at a time; unhealthy pods never block a node drain. */
    private disruptionBudget(name: string, workload: TempoWorkload, namespace: pulumi.Input<string>): k8s.policy.v1.PodDisruptionBudget {
        return new k8s.policy.v1.PodDisruptionBudget(
            `${name}-${workload.component}-pdb`,
            {
                metadata: { name: workload.name, namespace, labels: tempoLabels(this.environment, workload.component) },
                spec: {
                    maxUnavailable: 1,
                    selector: { matchLabels: tempoSelectorLabels(workload.component) },
                    unhealthyPodEvictionPolicy: "AlwaysAllow",
                },
            },
            { parent: this },
        );
    }
}
