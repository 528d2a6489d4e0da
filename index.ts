import { loadSettings } from "./components/config";
import { Providers } from "./components/providers";
import { PlatformNamespaces } from "./components/namespaces";
import { planCapacity } from "./components/builders/capacity";
import { CollectorFleet } from "./components/collector-fleet";

const settings = loadSettings();
const plan = planCapacity(settings);
const providers = new Providers("tracing", { settings });
const platformNamespaces = new PlatformNamespaces(
    "tracing",
    { environment: settings.environment },
    { providers: [providers.aws, providers.kubernetes] },
);

// TEMPORARY (issue 6 branch only): the metrics workspace is created by the data-plane component
// (MetricsStore) on another branch. At merge the lead replaces this literal with
// pulumi.interpolate`${metricsStore.prometheusEndpoint}api/v1/remote_write`.
const remoteWriteUrl = `https://aps-workspaces.${settings.aws.region}.amazonaws.com/workspaces/ws-00000000-0000-0000-0000-000000000000/api/v1/remote_write`;

const collectors = new CollectorFleet(
    "tracing-collectors",
    { settings, plan, remoteWriteUrl, region: settings.aws.region },
    { providers: [providers.aws, providers.kubernetes], dependsOn: [platformNamespaces] },
);

export const environment = settings.environment;
export const awsAccountId = settings.aws.accountId;
export const awsRegion = settings.aws.region;
export const namespaces = Object.values(platformNamespaces.namespaces).map((ns) => ns.metadata.name);
export const otlpEndpoint = collectors.otlpEndpoint;
