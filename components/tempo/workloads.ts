/**
 * What runs where for each Tempo mode: one workload per `-target`, its replicas and resources from
 * the capacity plan, its storage, and the hardened pod spec every Tempo pod shares. Pure: the
 * Tempo component turns these into Kubernetes objects.
 */
import type * as k8s from "@pulumi/kubernetes";
import { ports, standardLabels, tlsSecrets, workloads } from "../platform/names";
import type { Settings } from "../platform/settings";
import type { CapacityPlan, PodResources, TempoDistributedPlan } from "../capacity/plan";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, runAsIds, scratchVolume, secretVolume, zoneSpread } from "../platform/pod-hardening";
import { kafkaCredentialEnv, tempoPaths, type TempoTarget } from "./config";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type ContainerPort = k8s.types.input.core.v1.ContainerPort;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** The ConfigMap holding `tempo.yaml`. */
export const tempoConfigMapName = "tempo-config";
/** The Secret holding the SASL/SCRAM username and password (distributed mode only). */
export const kafkaCredentialsSecretName = "tempo-kafka-credentials";
/** The monolith's `app.kubernetes.io/component` label value. */
export const monolithComponent = "monolith";

export type TempoDataVolume =
    /** A PersistentVolumeClaim per pod (volumeClaimTemplates) of the platform's encrypted StorageClass, sized in GiB. */
    | { readonly kind: "persistentVolume"; readonly sizeGb: number }
    /** Pod-lifetime scratch space on the node's root disk, for components that keep no trace data. */
    | { readonly kind: "emptyDir"; readonly sizeLimit: string };

export interface TempoWorkload {
    /** `app.kubernetes.io/component` label value. */
    readonly component: string;
    /** Name of the Deployment or StatefulSet (and the prefix of its pods' hostnames). */
    readonly name: string;
    readonly target: TempoTarget;
    readonly kind: "Deployment" | "StatefulSet";
    readonly replicas: number;
    readonly resources: PodResources;
    /** Produces to or consumes from Kafka, so gets the SCRAM credentials (nothing else does). */
    readonly kafkaClient: boolean;
    /** Opens the OTLP/gRPC receiver the gateways send to. */
    readonly receivesOtlp: boolean;
    readonly data: TempoDataVolume;
    /** Several replicas spread over zones, with a PodDisruptionBudget. */
    readonly highlyAvailable: boolean;
    readonly terminationGracePeriodSeconds: number;
}

/** Where each microservice's replicas and resources live in the capacity plan. */
export const tempoPlanKeys: Readonly<Record<Exclude<TempoTarget, "all">, keyof TempoDistributedPlan["resources"]>> = {
    distributor: "distributor",
    "live-store": "liveStore",
    "block-builder": "blockBuilder",
    querier: "querier",
    "query-frontend": "queryFrontend",
    "backend-scheduler": "backendScheduler",
    "backend-worker": "backendWorker",
};

/**
 * Which components keep trace data on local disk (grafana/tempo v3.0.x; the same in main):
 * - live-store: flushes idle traces to a local WAL and keeps the complete blocks cut from it until
 *   complete_block_timeout (docs/sources/tempo/reference-tempo-architecture/components/live-store.md,
 *   "Local WAL"; wal path /var/tempo/live-store/traces in modules/livestore/config.go);
 * - block-builder: writes each consume cycle into Parquet blocks on local disk before uploading them
 *   (components/block-builder.md, "Size the scratch disk to hold at least one full consumption
 *   cycle"; wal path /var/tempo/block-builder/traces in modules/blockbuilder/config.go).
 * Both get an encrypted persistent volume sized by the capacity plan, so trace data stays off the
 * nodes' root disks (which this program neither sizes nor encrypts) and a restarted live-store
 * serves its WAL during Kafka replay.
 * The others keep no trace data locally: distributors, queriers and query-frontends stream; backend
 * workers compact object to object (no file writes in modules/backendworker); the backend scheduler
 * keeps only its job list (local_work_path), flushed to the bucket every backend_flush_interval
 * (components/compaction.md). They get the plan's small scratch, which fits a node's root disk.
 */
const persistentTargets: Readonly<Partial<Record<Exclude<TempoTarget, "all">, keyof TempoDistributedPlan["volumeGb"]>>> = {
    "live-store": "liveStore",
    "block-builder": "blockBuilder",
};

interface DistributedShape {
    readonly kind: TempoWorkload["kind"];
    readonly kafkaClient: boolean;
    readonly terminationGracePeriodSeconds: number;
}

/**
 * Live-stores and block-builders take their Kafka partition from their StatefulSet ordinal. The
 * backend scheduler is a singleton: a StatefulSet never runs two during a rollout, a Deployment could.
 */
const shapes: Record<Exclude<TempoTarget, "all">, DistributedShape> = {
    distributor: { kind: "Deployment", kafkaClient: true, terminationGracePeriodSeconds: 30 },
    "live-store": { kind: "StatefulSet", kafkaClient: true, terminationGracePeriodSeconds: 60 },
    "block-builder": { kind: "StatefulSet", kafkaClient: true, terminationGracePeriodSeconds: 60 },
    querier: { kind: "Deployment", kafkaClient: false, terminationGracePeriodSeconds: 30 },
    "query-frontend": { kind: "Deployment", kafkaClient: false, terminationGracePeriodSeconds: 30 },
    "backend-scheduler": { kind: "StatefulSet", kafkaClient: false, terminationGracePeriodSeconds: 30 },
    "backend-worker": { kind: "Deployment", kafkaClient: false, terminationGracePeriodSeconds: 60 },
};

/** The workloads of the stack's Tempo mode, sized by the capacity plan. */
export function tempoWorkloads(plan: CapacityPlan["tempo"]): TempoWorkload[] {
    if (plan.mode === "monolithic") {
        if (!plan.monolith) throw new Error("the capacity plan has no monolith sizing for monolithic Tempo");
        return [
            {
                component: monolithComponent,
                name: workloads.tempo.name,
                target: "all",
                kind: "StatefulSet",
                replicas: 1,
                resources: plan.monolith.resources,
                kafkaClient: false,
                receivesOtlp: true,
                data: { kind: "persistentVolume", sizeGb: plan.monolith.volumeGb },
                highlyAvailable: false,
                terminationGracePeriodSeconds: 60,
            },
        ];
    }
    const distributed = plan.distributed;
    if (!distributed) throw new Error("the capacity plan has no distributed sizing for distributed Tempo");
    return (Object.keys(shapes) as Exclude<TempoTarget, "all">[]).map((target) => {
        const key = tempoPlanKeys[target];
        const volume = persistentTargets[target];
        return {
            component: target,
            name: `${workloads.tempo.name}-${target}`,
            target,
            ...shapes[target],
            replicas: distributed[key],
            resources: distributed.resources[key],
            receivesOtlp: target === "distributor",
            data: volume
                ? { kind: "persistentVolume", sizeGb: distributed.volumeGb[volume] }
                : { kind: "emptyDir", sizeLimit: `${distributed.scratchMiB}Mi` },
            highlyAvailable: true,
        };
    });
}

/** Labels a workload's selector, PDB and Services match on. */
export function tempoSelectorLabels(component: string): Record<string, string> {
    return { "app.kubernetes.io/name": workloads.tempo.name, "app.kubernetes.io/component": component };
}

/** Labels on the workload, its pods and its objects. */
export function tempoLabels(environment: string, component: string): Record<string, string> {
    return standardLabels(workloads.tempo.name, environment, component);
}

function containerPorts(workload: TempoWorkload): ContainerPort[] {
    return [
        { name: "http", containerPort: ports.tempoHttp, protocol: "TCP" },
        { name: "grpc", containerPort: ports.tempoGrpc, protocol: "TCP" },
        { name: "gossip", containerPort: ports.tempoMemberlist, protocol: "TCP" },
        { name: "internal", containerPort: ports.tempoInternalHttp, protocol: "TCP" },
        ...(workload.receivesOtlp ? [{ name: "otlp-grpc", containerPort: ports.otlpGrpc, protocol: "TCP" }] : []),
    ];
}

function kafkaCredentials(): EnvVar[] {
    return [kafkaCredentialEnv.username, kafkaCredentialEnv.password].map((name) => ({
        name,
        valueFrom: { secretKeyRef: { name: kafkaCredentialsSecretName, key: name } },
    }));
}

/**
 * The pod spec of one Tempo workload: the `tempo` service account (EKS Pod Identity gives it the
 * trace bucket and key; no token is mounted because Tempo never calls the Kubernetes API), the
 * restricted security context, config and certificates read-only, /var/tempo the only writable path.
 */
export function tempoPodSpec(workload: TempoWorkload, settings: Settings): PodSpec {
    const tls = secretVolume("tls", tlsSecrets.tempoServer.name, tempoPaths.tlsDir);
    const ca = secretVolume("ca", tlsSecrets.caBundle, tempoPaths.caDir);
    const config = {
        volume: { name: "config", configMap: { name: tempoConfigMapName, defaultMode: 0o440 } },
        mount: { name: "config", mountPath: tempoPaths.configDir, readOnly: true },
    };
    const data =
        workload.data.kind === "emptyDir"
            ? scratchVolume("data", tempoPaths.dataDir, workload.data.sizeLimit)
            : { volume: undefined, mount: { name: "data", mountPath: tempoPaths.dataDir } };
    const scratchRequest: Record<string, string> = workload.data.kind === "emptyDir" ? { "ephemeral-storage": workload.data.sizeLimit } : {};
    const selector = tempoSelectorLabels(workload.component);

    return {
        serviceAccountName: workloads.tempo.serviceAccount,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPodSecurityContext(runAsIds.tempo),
        terminationGracePeriodSeconds: workload.terminationGracePeriodSeconds,
        ...(workload.highlyAvailable ? { topologySpreadConstraints: zoneSpread(selector) } : {}),
        containers: [
            {
                name: "tempo",
                image: settings.images.tempo.reference,
                imagePullPolicy: "IfNotPresent",
                args: [`-target=${workload.target}`, `-config.file=${tempoPaths.configFile}`, "-config.expand-env=true"],
                ports: containerPorts(workload),
                ...(workload.kafkaClient ? { env: kafkaCredentials() } : {}),
                readinessProbe: {
                    httpGet: { path: "/ready", port: "internal", scheme: "HTTPS" },
                    initialDelaySeconds: 10,
                    periodSeconds: 10,
                    timeoutSeconds: 3,
                    failureThreshold: 3,
                },
                resources: {
                    requests: { ...workload.resources.requests, ...scratchRequest },
                    limits: { ...workload.resources.limits },
                },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [config.mount, tls.mount, ca.mount, data.mount],
            },
        ],
        volumes: [config.volume, tls.volume, ca.volume, ...(data.volume ? [data.volume] : [])],
    };
}
