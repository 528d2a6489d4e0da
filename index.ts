import { loadSettings } from "./components/config";
import { Providers } from "./components/providers";
import { PlatformNamespaces } from "./components/namespaces";
import { Grafana } from "./components/grafana";

const settings = loadSettings();
const providers = new Providers("tracing", { settings });
const platformNamespaces = new PlatformNamespaces(
    "tracing",
    { environment: settings.environment },
    { providers: [providers.aws, providers.kubernetes] },
);
const grafana = new Grafana(
    "grafana",
    {
        settings,
        // TEMPORARY placeholder until the data-plane branch merges: the lead replaces it with the
        // MetricsStore component's workspace query endpoint (its prometheusEndpoint output).
        prometheusEndpoint: `https://aps-workspaces.${settings.aws.region}.amazonaws.com/workspaces/ws-00000000-0000-0000-0000-000000000000/`,
    },
    { providers: [providers.kubernetes, providers.random], dependsOn: [platformNamespaces] },
);

export const environment = settings.environment;
export const awsAccountId = settings.aws.accountId;
export const awsRegion = settings.aws.region;
export const namespaces = Object.values(platformNamespaces.namespaces).map((ns) => ns.metadata.name);
export const grafanaUrl = `https://${settings.grafana.hostname}/`;
export const grafanaDeployment = grafana.deployment.metadata.name;
