/**
 * The user-behaviour view: requests, errors and client errors per route for every system users
 * talk to, and, from sampled traces, each pseudonymous session's journey and the routes an entry
 * route leads to. The data-minimisation trade-off is written into the dashboard and each panel.
 */
import type { Dashboard, Panel, RowPanel } from "@grafana/schema";
import type { TracedSystem } from "../platform/settings";
import { spanMetricLabels } from "../platform/span-metrics";
import { clientErrorsPer1000PerRoute, errorsPer1000PerRoute, requestsPerRoute, routeFlow, sessionJourneys, topRoutes, userFacing } from "./behaviour-queries";
import { dashboard, dashboardWindow, promTarget, row, timeSeriesPanel, traceTablePanel } from "./panels";
import { dashboardUids } from "./uids";

/**
 * Why the view stops where it does. Routes are templates (`GET /api/orders/{id}`), never concrete
 * URLs, and carry no person. The session id is pseudonymised (salted SHA-256) before it leaves the
 * agent, and it is read only from the sampled traces Tempo keeps for their retention; it never
 * becomes a metric label, so no per-visitor series is exported and nothing counts distinct
 * visitors over the whole traffic. Sessions per hour therefore belong in product analytics with
 * its own consent, not in tracing.
 */
export const dataMinimisationNote =
    "Data minimisation: routes are templates, not URLs; the session id is pseudonymous (salted SHA-256 at the agent) and is read only " +
    "from sampled traces within their retention, never turned into a metric label, so nothing here counts or follows individual visitors " +
    "across all traffic. Session counts belong in product analytics with its own consent.";

export const behaviourPanelTitles = {
    requests: "Requests per route (busiest, head sampling corrected)",
    errors: "Errors per 1000 requests per route (worst)",
    clientErrors: "Client errors (4xx) per 1000 requests per route (worst)",
    journeys: "Session journeys: requests per pseudonymous session (sampled traces)",
    flow: "Route-to-route flow: routes an entry route leads to (sampled traces)",
} as const;

const routeLegend = `{{${spanMetricLabels.service}}} {{${spanMetricLabels.spanName}}}`;

function systemPanels(system: TracedSystem): (Panel | RowPanel)[] {
    const w = dashboardWindow;
    const metricNote = `From the gateways' span metrics, before sampling: the ${topRoutes} routes with the highest value. ${dataMinimisationNote}`;
    const panel = (title: string, unit: string, expr: string) =>
        timeSeriesPanel({ title: `${system.displayName}: ${title}`, description: metricNote, unit, min: 0, width: 8, height: 8 }, [promTarget("A", expr, routeLegend)]);
    return [
        row(system.displayName),
        panel(behaviourPanelTitles.requests, "reqps", requestsPerRoute(system, w)),
        panel(behaviourPanelTitles.errors, "short", errorsPer1000PerRoute(system, w)),
        panel(behaviourPanelTitles.clientErrors, "short", clientErrorsPer1000PerRoute(system, w)),
        traceTablePanel(`${system.displayName}: ${behaviourPanelTitles.journeys}`, `Sort by session and time to read a journey. ${dataMinimisationNote}`, sessionJourneys(system), "spans"),
        traceTablePanel(`${system.displayName}: ${behaviourPanelTitles.flow}`, `Server spans downstream of the system's entry routes in the same trace. ${dataMinimisationNote}`, routeFlow(system), "spans"),
    ];
}

export function behaviourDashboard(systems: readonly TracedSystem[]): Dashboard {
    return dashboard(
        dashboardUids.behaviour,
        "Tracing: user behaviour",
        `How users move through the systems they talk to (${userFacing(systems).map((s) => s.displayName).join(", ")}). ${dataMinimisationNote}`,
        ["behaviour"],
        userFacing(systems).flatMap(systemPanels),
    );
}
