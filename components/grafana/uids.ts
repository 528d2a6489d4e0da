/**
 * Stable identities of what Grafana provisions: the folder dashboards and alert rules share, and
 * dashboard uids, which links and alert annotations point at and which must survive renames.
 */
import type { TracedSystem } from "../platform/settings";

/** Folder the dashboards (and alert rules) are provisioned into. */
export const grafanaFolder = { title: "Tracing platform", uid: "tracing-platform" } as const;

/** Grafana's limit on dashboard and alert-rule uids. */
export const maxUidLength = 40;

/** A uid from readable parts, shortened with a stable hash when it would exceed Grafana's limit. */
export function stableUid(...parts: string[]): string {
    const uid = parts.join("-");
    if (uid.length <= maxUidLength) return uid;
    let hash = 0x811c9dc5;
    for (const char of uid) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    const suffix = hash.toString(16).padStart(8, "0");
    return `${uid.slice(0, maxUidLength - suffix.length - 1)}-${suffix}`;
}

export const dashboardUids = {
    overview: "tracing-overview",
    platform: "tracing-platform-health",
    system: (system: TracedSystem) => stableUid("tracing-system", system.id),
} as const;
