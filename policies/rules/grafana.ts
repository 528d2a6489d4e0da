/**
 * Grafana's settings, from grafana.ini in its ConfigMap and from GF_* environment overrides on its
 * workloads: HTTPS with secure cookies, no anonymous users or self sign-up, and a log of who did
 * what with failed sign-ins limited.
 */
import { iniDocuments, type IniDocument } from "./lib/config-documents";
import { configFiles, configMapTypes } from "./lib/config-file-rules";
import { rulesFor } from "./lib/define";
import { containersOf, objectLabel, podSpecOf, workloadTypes } from "./lib/kubernetes";
import { editConfigMapIni, mutation } from "./lib/mutate";
import { asList, isSet } from "./lib/values";
import type { RuleDefinition } from "./types";

const { resourceRule } = rulesFor("grafana");

/** A Grafana setting as the effective value: `GF_<SECTION>_<KEY>` env overrides grafana.ini. */
function grafanaEnvName(section: string, key: string): string {
    return `GF_${section}_${key}`.toUpperCase().replace(/[.-]/g, "_");
}

function grafanaIni(props: Record<string, any>): { key: string; document: IniDocument }[] {
    return iniDocuments(props).filter((d) => d.key === "grafana.ini");
}

/**
 * What a setting must not be: `fromEnv` says the value is a GF_* override, which is judged alone;
 * a value from grafana.ini comes with the rest of its `document`.
 */
type SettingCheck = (value: string | undefined, fromEnv: boolean, document?: IniDocument) => string | undefined;

/** Runs `check` on grafana.ini files in ConfigMaps and on GF_* env overrides in workloads. */
function grafanaSettingRule(settings: readonly { section: string; key: string; bad: SettingCheck }[]): (resource: { type: string; name: string; props: Record<string, any> }, report: (message: string) => void) => void {
    return ({ type, name, props }, report) => {
        if (configMapTypes.includes(type)) {
            for (const { where, document } of configFiles(props, name, grafanaIni)) {
                for (const setting of settings) {
                    const problem = setting.bad(document[setting.section]?.[setting.key], false, document);
                    if (problem) report(`${where}: [${setting.section}] ${setting.key} ${problem}.`);
                }
            }
            return;
        }
        const spec = podSpecOf(type, props);
        if (!spec) return;
        for (const { container } of containersOf(spec)) {
            for (const variable of asList(container.env)) {
                const setting = settings.find((s) => grafanaEnvName(s.section, s.key) === variable.name);
                const problem = setting && typeof variable.value === "string" ? setting.bad(variable.value, true) : undefined;
                if (problem) report(`${type.split(":")[2]} '${objectLabel(props, name)}' env ${variable.name} ${problem}.`);
            }
        }
    };
}

const grafanaNoAnonymousAccess = resourceRule({
    name: "grafana-anonymous-access-disabled",
    description:
        "Grafana admits only signed-in users: anonymous access and self sign-up are off (in grafana.ini and in GF_* env " +
        "overrides). Fix: set [auth.anonymous] enabled = false and [users] allow_sign_up = false.",
    severity: "high",
    securityRule: 3,
    controls: [],
    appliesTo: [...configMapTypes, ...workloadTypes],
    validate: grafanaSettingRule([
        { section: "auth.anonymous", key: "enabled", bad: (value) => (value?.toLowerCase() === "true" ? "lets anyone in without signing in" : undefined) },
        { section: "users", key: "allow_sign_up", bad: (value) => (value?.toLowerCase() === "true" ? "lets anyone create an account" : undefined) },
    ]),
    violate: mutation("enable anonymous access in grafana.ini", (resources) =>
        editConfigMapIni(resources, "grafana.ini", (document) => {
            (document["auth.anonymous"] ??= {}).enabled = "true";
        }),
    ),
});

const grafanaHttpsOnly = resourceRule({
    name: "grafana-serves-https-only",
    description:
        "Grafana serves HTTPS with the platform certificate and marks its session cookies Secure. Fix: set [server] " +
        "protocol = https with cert_file and cert_key from the mounted TLS Secret, and [security] cookie_secure = true.",
    severity: "high",
    securityRule: 1,
    controls: [],
    appliesTo: [...configMapTypes, ...workloadTypes],
    validate: grafanaSettingRule([
        { section: "server", key: "protocol", bad: (value) => (value !== "https" && value !== "h2" ? `is '${value ?? "http (default)"}'; serve https` : undefined) },
        { section: "server", key: "cert_file", bad: (value, fromEnv) => (!fromEnv && !isSet(value) ? "is not set" : undefined) },
        { section: "server", key: "cert_key", bad: (value, fromEnv) => (!fromEnv && !isSet(value) ? "is not set" : undefined) },
        { section: "security", key: "cookie_secure", bad: (value) => (value?.toLowerCase() !== "true" ? "is not true; session cookies could travel without TLS" : undefined) },
    ]),
    violate: mutation("serve Grafana over plain HTTP", (resources) =>
        editConfigMapIni(resources, "grafana.ini", (document) => {
            (document.server ??= {}).protocol = "http";
        }),
    ),
});

/** Loggers of the audit trail and what each writes: every request with the signed-in login, every failed sign-in. */
const auditLoggers: Readonly<Record<string, string>> = { context: "requests", "authn.service": "failed sign-ins" };
const loggedLevels = ["trace", "debug", "info"];

/** Audit loggers that a global level and per-logger filters (`context:info authn.service:info`) set above info. */
function quietedAuditLoggers(level: string | undefined, filters: string | undefined): string[] {
    const perLogger = new Map((filters ?? "").split(/\s+/).filter((f) => f.includes(":")).map((f) => [f.slice(0, f.lastIndexOf(":")), f.slice(f.lastIndexOf(":") + 1).toLowerCase()]));
    return Object.keys(auditLoggers).filter((logger) => !loggedLevels.includes(perLogger.get(logger) ?? level?.toLowerCase() ?? "info"));
}

function quieted(loggers: readonly string[]): string | undefined {
    const hidden = loggers.map((logger) => `${logger} (${auditLoggers[logger]})`).join(" and ");
    return loggers.length > 0 ? `hides ${hidden}; keep them at info, in [log] filters if the level is raised` : undefined;
}

const isTrueSetting = (value: string | undefined) => value?.toLowerCase() === "true";

const grafanaAuditLogging = resourceRule<{ maximumLoginAttempts: number }>({
    name: "grafana-requests-logged-and-logins-limited",
    description:
        "Grafana logs every request with the signed-in login and every failed sign-in at info to the console (the pod's " +
        "stdout, where log shipping reads them), and locks a user name and a client address after a few failed logins. " +
        "Fix: set [server] router_logging = true, keep [log] mode console with context and authn.service at info, and " +
        "leave brute-force, user-name and IP-address login protection on with brute_force_login_protection_max_attempts at most 5.",
    severity: "medium",
    securityRule: 4,
    controls: [],
    config: {
        maximumLoginAttempts: { type: "integer", minimum: 1, default: 5, description: "Most failed logins Grafana may allow before it locks the user name or address." },
    },
    appliesTo: [...configMapTypes, ...workloadTypes],
    validate: (resource, report) =>
        grafanaSettingRule([
            { section: "server", key: "router_logging", bad: (value) => (!isTrueSetting(value) ? "is not true; requests go unlogged" : undefined) },
            { section: "log", key: "mode", bad: (value) => (value !== undefined && !value.split(/\s+/).includes("console") ? `is '${value}'; without console nothing leaves the pod` : undefined) },
            { section: "log", key: "level", bad: (value, fromEnv, document) => quieted(quietedAuditLoggers(value, fromEnv ? undefined : document?.log?.filters)) },
            { section: "log", key: "filters", bad: (value, fromEnv) => (fromEnv ? quieted(quietedAuditLoggers("info", value)) : undefined) },
            ...["disable_brute_force_login_protection", "disable_username_login_protection", "disable_ip_address_login_protection"].map((key) => ({
                section: "security",
                key,
                // Grafana leaves IP-address protection off unless told otherwise.
                bad: (value: string | undefined) => (isTrueSetting(value) || (key === "disable_ip_address_login_protection" && value === undefined) ? "leaves failed logins unlimited" : undefined),
            })),
            {
                section: "security",
                key: "brute_force_login_protection_max_attempts",
                bad: (value) => (value !== undefined && !(Number(value) >= 1 && Number(value) <= resource.config.maximumLoginAttempts) ? `is ${value}; allow at most ${resource.config.maximumLoginAttempts} failed logins` : undefined),
            },
        ])(resource, report),
    violate: mutation("turn Grafana's request logging off in grafana.ini", (resources) =>
        editConfigMapIni(resources, "grafana.ini", (document) => {
            (document.server ??= {}).router_logging = "false";
        }),
    ),
});

export const grafanaRules: readonly RuleDefinition[] = [grafanaNoAnonymousAccess, grafanaHttpsOnly, grafanaAuditLogging];
