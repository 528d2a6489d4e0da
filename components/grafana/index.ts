/** Grafana: the server, its data sources, dashboards and alerts. */
export { Grafana, type GrafanaArgs } from "./server";
export { GrafanaImage, type GrafanaImageArgs } from "./image";
