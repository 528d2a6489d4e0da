/**
 * Provisioned dashboards, generated from the systems catalogue: an overview of every system, one
 * dashboard per system with the seed's metrics and TraceQL drill-down, and a platform dashboard
 * from the collectors' own telemetry.
 */
import type { Dashboard } from "@grafana/schema";
import * as yaml from "yaml";
import type { TracedSystem } from "../platform/settings";
import { grafanaPaths } from "./ini";
import { platformDashboard } from "./platform-dashboard";
import { overviewDashboard, systemDashboard } from "./system-dashboards";
import { grafanaFolder } from "./uids";

/** Every provisioned dashboard, keyed by its file name. */
export function grafanaDashboards(systems: readonly TracedSystem[]): Record<string, Dashboard> {
    const all = [overviewDashboard(systems), platformDashboard(), ...systems.map(systemDashboard)];
    return Object.fromEntries(all.map((d) => [`${d.uid}.json`, d]));
}

export function renderDashboards(dashboards: Record<string, Dashboard>): Record<string, string> {
    return Object.fromEntries(Object.entries(dashboards).map(([file, d]) => [file, JSON.stringify(d)]));
}

/** The file provider that loads the dashboards, read-only in the UI. */
export function dashboardProvider(): string {
    return yaml.stringify({
        apiVersion: 1,
        providers: [
            {
                name: "tracing-platform",
                orgId: 1,
                folder: grafanaFolder.title,
                folderUid: grafanaFolder.uid,
                type: "file",
                disableDeletion: true,
                allowUiUpdates: false,
                updateIntervalSeconds: 60,
                options: { path: grafanaPaths.dashboards, foldersFromFilesStructure: false },
            },
        ],
    });
}
