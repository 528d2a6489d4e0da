/**
 * The one host access the policy pack admits: the log agent DaemonSet reads the kubelet's pod log
 * directory, read-only, to ship the platform's own container logs (Grafana's access log among
 * them) to CloudWatch Logs. Any other host path, this path in any other workload, or this path
 * mounted writable stays refused. Its namespace is the one that may enforce the privileged Pod
 * Security level, and may hold nothing but that DaemonSet.
 */
import { containersOf, metadataOf, type PodSpec } from "./kubernetes";
import { asList } from "./values";

/** Who may mount what: the log agent DaemonSet (components/platform/names.ts) and the kubelet's pod log directory. */
export const podLogReader = {
    type: "kubernetes:apps/v1:DaemonSet",
    namespace: "tracing-node-logs",
    name: "otel-log-agent",
    path: "/var/log/pods",
} as const;

/** Whether the object is the log agent DaemonSet, the one workload that may read the node's pod logs. */
export function isPodLogReader(type: string, props: Record<string, any>): boolean {
    const metadata = metadataOf(props);
    return type === podLogReader.type && metadata.namespace === podLogReader.namespace && metadata.name === podLogReader.name;
}

/**
 * Why a hostPath volume of the log agent DaemonSet is not the admitted pod log mount (another path, or a
 * mount that can write), or undefined when it is exactly that.
 */
export function podLogMountProblem(spec: PodSpec, volume: Record<string, any>): string | undefined {
    const path = volume.hostPath?.path;
    if (path !== podLogReader.path) return `mounts host path '${String(path)}'; only ${podLogReader.path} (read-only) is admitted`;
    const writable = containersOf(spec).flatMap((entry) => asList(entry.container.volumeMounts).filter((m) => m?.name === volume.name && m.readOnly !== true));
    if (writable.length > 0) return `mounts ${podLogReader.path} writable at ${writable.map((m) => m.mountPath).join(", ")}; set readOnly: true`;
    return undefined;
}
