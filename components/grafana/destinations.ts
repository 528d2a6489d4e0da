/**
 * Every connection the Grafana server opens, read from its provisioning and grafana.ini as the
 * builders produce them (or as a parser reads the rendered files back); Grafana's NetworkPolicy
 * egress is derived from this list.
 *
 *  - data sources with `access: proxy` are queried by the server at `url`; SigV4 with the
 *    `default` auth type takes credentials from the AWS SDK's default chain (EKS Pod Identity);
 *  - the SNS contact point publishes to `api_url`, or the SDK's regional endpoint
 *    `sns.<sigv4.region>.amazonaws.com` when unset (grafana/alerting receivers/sns/v1);
 *  - grafana.ini: plugin preinstalls download from the plugin catalogue (`[grafana_com] api_url`,
 *    https://grafana.com/api by default), and usage reporting, update checks, the news feed and
 *    Gravatar phone home unless switched off; absent keys take Grafana's defaults
 *    (conf/defaults.ini), which switch all of them on;
 *  - single sign-on (`[auth.generic_oauth]` enabled): the server redeems the sign-in code at
 *    `token_url` and reads `api_url` (user info); `auth_url` is opened by people's browsers, and the
 *    ID token arrives in the token response, so no key set is fetched
 *    (pkg/login/social/connectors/generic_oauth.go).
 */
import type { AlertingProvisioning } from "./alerts";
import type { DatasourceProvisioning } from "./datasources";
import { amazonPrometheusPlugin } from "./ini";
import { awsCredentials, destination, distinctDestinations, urlDestination, type Destination } from "../platform/destinations";

/** grafana.ini as sections of keys; values as the builder writes them or an ini parser reads them. */
export type IniSections = Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;

/** The rendered files Grafana reads at start. */
export interface GrafanaFiles {
    readonly ini: IniSections;
    readonly datasources: DatasourceProvisioning;
    readonly alerting: Pick<AlertingProvisioning, "contactPoints">;
}

/** Value of a grafana.ini switch, with Grafana's default when the key is absent. */
function switchedOn(ini: IniSections, section: string, key: string, grafanaDefault: boolean): boolean {
    const value = ini[section]?.[key];
    if (value === undefined || value === "") return grafanaDefault;
    return value === true || String(value).toLowerCase() === "true";
}

/** A section by its dotted name, as the builder writes it (`auth.generic_oauth`) or an ini parser nests it (`auth` → `generic_oauth`). */
function section(ini: IniSections, name: string): Readonly<Record<string, unknown>> | undefined {
    const [outer, inner] = name.split(".");
    return ini[name] ?? (ini[outer]?.[inner] as Readonly<Record<string, unknown>> | undefined);
}

function singleSignOnDestinations(ini: IniSections): Destination[] {
    const oauth = section(ini, "auth.generic_oauth");
    if (!oauth || !switchedOn({ oauth }, "oauth", "enabled", false)) return [];
    return ["token_url", "api_url"].filter((key) => String(oauth[key] ?? "") !== "").map((key) => urlDestination(String(oauth[key]), `grafana.ini auth.generic_oauth.${key}`));
}

function iniDestinations(ini: IniSections): Destination[] {
    const catalogue = String(ini.grafana_com?.api_url ?? "https://grafana.com/api");
    const preinstalls = ["preinstall", "preinstall_sync", "preinstall_async"].filter((key) => String(ini.plugins?.[key] ?? "").trim() !== "");
    const phoneHome: [string, string, boolean, string][] = [
        ["analytics", "reporting_enabled", true, "https://stats.grafana.org"],
        ["analytics", "check_for_updates", true, "https://grafana.com"],
        ["analytics", "check_for_plugin_updates", true, catalogue],
        ["news", "news_feed_enabled", true, "https://grafana.com"],
    ];
    return [
        ...preinstalls.map((key) => urlDestination(catalogue, `grafana.ini plugins.${key} (downloads from the plugin catalogue)`)),
        ...phoneHome.filter(([section, key, byDefault]) => switchedOn(ini, section, key, byDefault)).map(([section, key, , url]) => urlDestination(url, `grafana.ini ${section}.${key}`)),
        ...(switchedOn(ini, "security", "disable_gravatar", false) ? [] : [urlDestination("https://secure.gravatar.com", "grafana.ini security.disable_gravatar=false")]),
        ...singleSignOnDestinations(ini),
    ];
}

function datasourceDestinations(datasources: DatasourceProvisioning): Destination[] {
    return datasources.datasources.flatMap((source) => {
        const via = `datasource ${source.uid}`;
        if (source.access !== "proxy") throw new Error(`${via}: access ${String(source.access)} makes browsers dial it; only proxy access is mapped`);
        const url = urlDestination(source.url, `${via} url`);
        if (source.type === "tempo") return [url];
        if (source.type === amazonPrometheusPlugin.id) {
            const signed = source.jsonData.sigV4Auth === true && source.jsonData.sigV4AuthType === "default";
            return signed ? [url, awsCredentials(`${via} (SigV4)`)] : [url];
        }
        throw new Error(`${via}: data source type ${source.type} is not mapped; teach grafana/destinations.ts what it dials`);
    });
}

function contactPointDestinations(alerting: GrafanaFiles["alerting"]): Destination[] {
    return alerting.contactPoints.flatMap((point) =>
        point.receivers.flatMap((receiver) => {
            const via = `contact point ${point.name} (${receiver.type})`;
            if (receiver.type !== "sns") throw new Error(`${via}: receiver type ${receiver.type} is not mapped; teach grafana/destinations.ts what it dials`);
            const settings = receiver.settings as { api_url?: string; sigv4?: { region?: string; access_key?: string } };
            const region = settings.sigv4?.region;
            if (!settings.api_url && !region) throw new Error(`${via}: neither api_url nor sigv4.region says where to publish`);
            const endpoint = settings.api_url ? urlDestination(settings.api_url, `${via} api_url`) : destination(`sns.${region}.amazonaws.com`, 443, `${via} sigv4.region`);
            return settings.sigv4?.access_key ? [endpoint] : [endpoint, awsCredentials(via)];
        }),
    );
}

/** Every host and port Grafana with these files connects to. */
export function grafanaDestinations(files: GrafanaFiles): Destination[] {
    return distinctDestinations([...datasourceDestinations(files.datasources), ...contactPointDestinations(files.alerting), ...iniDestinations(files.ini)]);
}
