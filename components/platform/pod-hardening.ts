/**
 * The restricted Pod Security Standard as reusable spec fragments, so every platform workload is
 * hardened the same way: non-root, no privilege escalation, no capabilities, RuntimeDefault
 * seccomp, read-only root filesystem (writable paths are explicit emptyDir or PVC mounts).
 */
import type * as k8s from "@pulumi/kubernetes";

type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/** Unprivileged ids the platform's containers run as (the images' own non-root users). */
export const runAsIds = {
    collector: 10001,
    tempo: 10001,
    grafana: 472,
} as const;

export function restrictedPodSecurityContext(uid: number): PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: uid,
        fsGroup: uid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}

export function restrictedContainerSecurityContext(): SecurityContext {
    return {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** A writable scratch directory on an otherwise read-only root filesystem. */
export function scratchVolume(name: string, mountPath: string, sizeLimit = "64Mi"): { volume: Volume; mount: VolumeMount } {
    return {
        volume: { name, emptyDir: { sizeLimit } },
        mount: { name, mountPath },
    };
}

/** Mounts a Secret read-only with owner-only file modes. */
export function secretVolume(name: string, secretName: string, mountPath: string): { volume: Volume; mount: VolumeMount } {
    return {
        volume: { name, secret: { secretName, defaultMode: 0o440 } },
        mount: { name, mountPath, readOnly: true },
    };
}

/** Spreads replicas across zones (hard) and nodes (soft) for the given pod labels. */
export function zoneSpread(matchLabels: Record<string, string>): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels } },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels } },
    ];
}
