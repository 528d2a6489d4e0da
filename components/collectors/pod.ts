/**
 * The pod template every collector shares (agents, log agents, gateways): one hardened container
 * reading its config from a ConfigMap, TLS material from Secrets, the pod's own identity from the
 * downward API, and health probes on the health_check extension. They differ only in what they
 * add (env, volumes, service account token, a server certificate and the salt where they receive
 * and scrub spans), so the hardening cannot drift between them.
 */
import { createHash } from "crypto";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PodResources } from "../capacity/plan";
import { collectorEnv, collectorPaths } from "./config";
import { hashSaltEnvVar } from "./pii-scrubbing";
import { logOffsetsDir, podLogsDir } from "./platform-logs";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, runAsIds, scratchVolume, secretVolume } from "../platform/pod-hardening";
import { partOf, ports, tlsHashAnnotation, tlsSecrets } from "../platform/names";

type Container = k8s.types.input.core.v1.Container;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type DaemonSetSpec = k8s.types.input.apps.v1.DaemonSetSpec;
type PodSpec = k8s.types.input.core.v1.PodSpec;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/** Annotation on the pod template carrying the config's hash, so a config change rolls the pods. */
export const configHashAnnotation = "checksum/config";

/** Key of the pseudonymisation salt in its Secret. */
export const hashSaltSecretKey = "salt";

/** Share of the memory limit given to the Go runtime as its soft limit (GOMEMLIMIT). */
export const goMemLimitShare = 0.8;

export function configHash(renderedConfig: string): string {
    return createHash("sha256").update(renderedConfig).digest("hex");
}

/**
 * Annotations of a tier's pod template: a changed config, or a changed CA bundle, rolls the pods.
 * Certificates and keys reload on their own (`reload_interval`), as does a server's client CA
 * (`client_ca_file_reload`), but an exporter's `ca_file` is read once at start-up (configtls
 * loadCACertPool), so the bundle's hash (PlatformPki.tlsHash) is the restart that picks a new CA up.
 */
export function podTemplateAnnotations(renderedConfig: string, tlsHash: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return { [configHashAnnotation]: configHash(renderedConfig), [tlsHashAnnotation]: tlsHash };
}

/**
 * A collector's ServiceAccount and config ConfigMap, as resource arguments. The account never
 * hands out its token by itself: a pod that calls the API mounts it explicitly.
 */
export function collectorAccountAndConfig(
    workload: { readonly name: string; readonly serviceAccount: string; readonly namespace: string },
    labels: Record<string, string>,
    renderedConfig: string,
): { serviceAccount: k8s.core.v1.ServiceAccountArgs; configMap: k8s.core.v1.ConfigMapArgs } {
    const { namespace } = workload;
    return {
        serviceAccount: { metadata: { name: workload.serviceAccount, namespace, labels }, automountServiceAccountToken: false },
        configMap: { metadata: { name: `${workload.name}-config`, namespace, labels }, data: { "config.yaml": renderedConfig } },
    };
}

/** Labels that select a tier's pods (stable: never include anything that changes between releases). */
export function selectorLabels(workload: string): Record<string, string> {
    return { "app.kubernetes.io/name": workload, "app.kubernetes.io/part-of": partOf };
}

const mebibytesPer: Record<string, number> = { Mi: 1, Gi: 1024 };

/** GOMEMLIMIT for a Kubernetes memory limit such as `1024Mi`: 80% of it, in MiB. */
export function goMemLimit(memoryLimit: string): string {
    const match = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(memoryLimit);
    if (!match) throw new Error(`collector memory limit '${memoryLimit}' is not in Mi or Gi; the capacity plan must produce one`);
    return `${Math.floor(Number(match[1]) * mebibytesPer[match[2]] * goMemLimitShare)}MiB`;
}

function fieldEnv(name: string, fieldPath: string): EnvVar {
    return { name, valueFrom: { fieldRef: { fieldPath } } };
}

export interface CollectorPodInput {
    /** Workload name (container name and label). */
    readonly workload: string;
    /** Pinned image reference from settings. */
    readonly image: string;
    /** Requests and limits from the capacity plan. */
    readonly resources: PodResources;
    /** ConfigMap holding the rendered config. */
    readonly configMapName: pulumi.Input<string>;
    /** Secret with the tier's server certificate (tls.crt, tls.key); absent for a collector that receives no OTLP (no OTLP ports either). */
    readonly serverTlsSecret?: string;
    /** Secret with the tier's client certificate for mutual TLS to the next hop. */
    readonly clientTlsSecret: string;
    /** Secret holding the pseudonymisation salt; absent for a collector that scrubs nothing. */
    readonly hashSaltSecretName?: pulumi.Input<string>;
    readonly serviceAccountName: string;
    /** True only for a tier that calls the Kubernetes API. */
    readonly automountServiceAccountToken: boolean;
    /** Tier-specific environment (resource attributes, remote-write URL). */
    readonly env: readonly EnvVar[];
    /** Tier-specific volumes and their mounts (the gateway's queue volume comes from a claim template). */
    readonly extraMounts: readonly VolumeMount[];
    readonly extraVolumes: readonly Volume[];
    /** Extra groups of the pod's processes (the log agents read the node's container logs as group root). */
    readonly supplementalGroups?: readonly number[];
}

/** Volume name of the node's pod log directory: a read-only hostPath, on the log agents only. */
export const podLogsVolumeName = "pod-logs";

/**
 * What a log agent needs to tail the platform's container logs: the kubelet's pod log directory,
 * mounted read-only, and group root, because containerd writes each log file 0640 root:root (the
 * log agent keeps its non-root UID); its file offsets go to an emptyDir, which survives a container
 * restart (platform-logs.ts explains why a new pod starts at the end).
 */
export function podLogReader(): { volumes: Volume[]; mounts: VolumeMount[]; supplementalGroups: number[] } {
    const offsets = scratchVolume("log-offsets", logOffsetsDir, "16Mi");
    return {
        volumes: [{ name: podLogsVolumeName, hostPath: { path: podLogsDir, type: "Directory" } }, offsets.volume],
        mounts: [{ name: podLogsVolumeName, mountPath: podLogsDir, readOnly: true }, offsets.mount],
        supplementalGroups: [0],
    };
}

export function collectorContainer(input: CollectorPodInput, mounts: readonly VolumeMount[]): Container {
    const health = { httpGet: { path: "/", port: "health" } };
    return {
        name: input.workload,
        image: input.image,
        imagePullPolicy: "IfNotPresent",
        args: [`--config=${collectorPaths.configDir}/${collectorPaths.configFileName}`],
        ports: [
            ...(input.serverTlsSecret
                ? [
                      { name: "otlp-grpc", containerPort: ports.otlpGrpc, protocol: "TCP" },
                      { name: "otlp-http", containerPort: ports.otlpHttp, protocol: "TCP" },
                  ]
                : []),
            { name: "health", containerPort: ports.collectorHealth, protocol: "TCP" },
        ],
        env: [
            fieldEnv(collectorEnv.podIp, "status.podIP"),
            fieldEnv(collectorEnv.podName, "metadata.name"),
            fieldEnv(collectorEnv.nodeName, "spec.nodeName"),
            { name: "GOMEMLIMIT", value: goMemLimit(input.resources.limits.memory) },
            ...(input.hashSaltSecretName !== undefined
                ? [{ name: hashSaltEnvVar, valueFrom: { secretKeyRef: { name: input.hashSaltSecretName, key: hashSaltSecretKey } } }]
                : []),
            ...input.env,
        ],
        resources: input.resources,
        livenessProbe: { ...health, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
        readinessProbe: { ...health, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
        securityContext: restrictedContainerSecurityContext(),
        volumeMounts: [...mounts],
    };
}

/** The hardened pod spec of a collector tier. */
export function collectorPodSpec(input: CollectorPodInput): PodSpec {
    const config: { volume: Volume; mount: VolumeMount } = {
        volume: { name: "config", configMap: { name: input.configMapName, defaultMode: 0o440 } },
        mount: { name: "config", mountPath: collectorPaths.configDir, readOnly: true },
    };
    const mounted = [
        config,
        ...(input.serverTlsSecret ? [secretVolume("server-tls", input.serverTlsSecret, collectorPaths.serverTlsDir)] : []),
        secretVolume("client-tls", input.clientTlsSecret, collectorPaths.clientTlsDir),
        secretVolume("ca-bundle", tlsSecrets.caBundle, collectorPaths.caDir),
        scratchVolume("tmp", collectorPaths.scratchDir),
    ];
    return {
        serviceAccountName: input.serviceAccountName,
        automountServiceAccountToken: input.automountServiceAccountToken,
        securityContext: {
            ...restrictedPodSecurityContext(runAsIds.collector),
            ...(input.supplementalGroups ? { supplementalGroups: [...input.supplementalGroups] } : {}),
        },
        containers: [collectorContainer(input, [...mounted.map((m) => m.mount), ...input.extraMounts])],
        volumes: [...mounted.map((m) => m.volume), ...input.extraVolumes],
    };
}

export interface NodeCollectorInput {
    /** Labels of the pod template (the standard labels). */
    readonly labels: Record<string, string>;
    /** Stable labels selecting the pods (selectorLabels). */
    readonly selector: Record<string, string>;
    /** Pod template annotations (podTemplateAnnotations). */
    readonly annotations: Record<string, pulumi.Input<string>>;
    readonly podSpec: PodSpec;
}

/**
 * The spec of a collector that runs on every node (agents, log agents): tainted nodes included,
 * since applications and platform pods may run there too, and one node at a time on a rollout.
 */
export function nodeCollectorSpec(input: NodeCollectorInput): DaemonSetSpec {
    return {
        selector: { matchLabels: input.selector },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        template: {
            metadata: { labels: { ...input.labels, ...input.selector }, annotations: input.annotations },
            spec: { ...input.podSpec, tolerations: [{ operator: "Exists", effect: "NoSchedule" }], terminationGracePeriodSeconds: 30 },
        },
    };
}
