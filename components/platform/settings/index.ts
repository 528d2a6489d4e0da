/**
 * Reads every configuration value once, validates all of it, and returns one typed, frozen settings
 * object. Components never read config themselves: they receive the slice they own from here.
 *
 * Validation collects every problem before failing, so a user fixing a stack file sees the whole
 * list in one run, each with the config key, the offending value and what is allowed. It runs
 * before any resource is constructed. Each concern's keys are read by its own module below, in the
 * order the problems are listed.
 */
import { readAws, readEnvironment, readTags } from "./aws";
import { readCluster } from "./cluster";
import { readCollectors } from "./collectors";
import { readGrafana } from "./grafana";
import { readIdentity } from "./identity";
import { readImages } from "./images";
import { projectName } from "./keys";
import { readNetwork } from "./network";
import { readPki } from "./pki";
import { Reader } from "./reader";
import { readKms, readRetention } from "./retention";
import { readSystems } from "./systems";
import { readTempo } from "./tempo";
import type { Settings } from "./types";

export { minimumImageVersions, parseImageReference, versionAtLeast } from "./images";
export { declaredKeys, projectName, retiredKeys, type DeclaredKey } from "./keys";
export { vpnSessionTimeouts } from "./network";
export { scheduledDeployIntervalHours, vpnServerLeadHours } from "./pki";
export { ConfigValidationError } from "./reader";
export { parseSamlMetadata, samlMetadataNamespace } from "./saml-metadata";
export { cloudWatchRetentionDays } from "./retention";
export { tempoKafkaSecurityMinimumVersion, tempoModeFor } from "./tempo";
export {
    environmentNames,
    datastoreKinds,
    isDatastore,
    grafanaRoles,
    SecretText,
    systemKinds,
    tempoModes,
    traceDurabilities,
    type ConfigProblem,
    type EnvironmentName,
    type GrafanaRole,
    type ImageRef,
    type Settings,
    type SystemKind,
    type TempoMode,
    type TraceDurability,
    type TracedSystem,
} from "./types";

function deepFreeze<T>(value: T): T {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) deepFreeze(child);
    }
    return value;
}

/**
 * Validates a flat configuration map (`namespace:key` → string, arrays and objects as JSON, as the
 * Pulumi engine hands them to a program) and returns the settings, or throws one
 * ConfigValidationError listing every problem.
 */
export function parseSettings(raw: Readonly<Record<string, string>>, stack: string): Settings {
    const r = new Reader(raw);
    r.reportUndeclaredKeys();

    const environment = readEnvironment(r, stack);
    const isProduction = environment === "prod";
    const aws = readAws(r, environment);
    const tags = readTags(r, environment);
    const network = readNetwork(r);
    const cluster = readCluster(r, network);
    const pki = readPki(r);
    const retention = readRetention(r, isProduction);
    const kms = readKms(r, isProduction);
    const images = readImages(r, isProduction);
    const collectors = readCollectors(r, isProduction);
    const tempo = readTempo(r, { image: images.tempo, privateSubnetIds: network.privateSubnetIds });
    const grafana = readGrafana(r);
    const identity = readIdentity(r, isProduction);
    const systems = readSystems(r);

    r.finish(stack);

    return deepFreeze<Settings>({
        project: projectName,
        stack,
        environment,
        isProduction,
        aws,
        tags,
        network,
        cluster,
        pki,
        retention,
        kms,
        images,
        collectors,
        tempo,
        grafana,
        identity,
        systems,
        protectStatefulResources: isProduction,
    });
}
