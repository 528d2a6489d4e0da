/** Platform: settings and their loading, names, providers and namespaces; used by every other concern. */
export { clockVariable, platformClock } from "./clock";
export { loadSettings } from "./config";
export { awsResourceNames, type AwsResourceNames } from "./names";
export { PlatformNamespaces, type PlatformNamespacesArgs } from "./namespaces";
export { Providers, type ProvidersArgs } from "./providers";
export type { Settings } from "./settings";
