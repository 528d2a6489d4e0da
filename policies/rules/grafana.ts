/**
 * Grafana's settings, from grafana.ini in its ConfigMap and from GF_* environment overrides on its
 * workloads: HTTPS with secure cookies, and no anonymous users or self sign-up.
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

/** Runs `check` on grafana.ini files in ConfigMaps and on GF_* env overrides in workloads. */
function grafanaSettingRule(
    settings: readonly { section: string; key: string; bad: (value: string | undefined, fromEnv: boolean) => string | undefined }[],
): (resource: { type: string; name: string; props: Record<string, any> }, report: (message: string) => void) => void {
    return ({ type, name, props }, report) => {
        if (configMapTypes.includes(type)) {
            for (const { where, document } of configFiles(props, name, grafanaIni)) {
                for (const setting of settings) {
                    const problem = setting.bad(document[setting.section]?.[setting.key], false);
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

export const grafanaRules: readonly RuleDefinition[] = [grafanaNoAnonymousAccess, grafanaHttpsOnly];
