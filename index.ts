import { loadSettings } from "./components/config";
import { Providers } from "./components/providers";
import { PlatformNamespaces } from "./components/namespaces";
import { capacityPlanOutput } from "./components/builders/capacity-report";

const settings = loadSettings();
const providers = new Providers("tracing", { settings });
const platformNamespaces = new PlatformNamespaces(
    "tracing",
    { environment: settings.environment },
    { providers: [providers.aws, providers.kubernetes] },
);

export const environment = settings.environment;
export const awsAccountId = settings.aws.accountId;
export const awsRegion = settings.aws.region;
export const namespaces = Object.values(platformNamespaces.namespaces).map((ns) => ns.metadata.name);
export const capacityPlan = capacityPlanOutput(settings);
