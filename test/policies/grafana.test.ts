import * as assert from "assert";
import type { EditableResource } from "../../policies/resource-shape";
import { configMapData, describeRule, describeRuleOnRecordings, grafanaDeployment, kubernetesObject } from "./helpers";

const grafanaIni = (rs: EditableResource[], from: string, to: string) => {
    const data = configMapData(rs, "grafana-config");
    assert.ok(data["grafana.ini"].includes(from), `grafana.ini has no '${from}'`);
    data["grafana.ini"] = data["grafana.ini"].replace(from, to);
};
const iniFile = "ConfigMap 'tracing-grafana/grafana-config' file 'grafana.ini'";

describe("policies: Grafana configuration", () => {
    describeRule("grafana-anonymous-access-disabled", [
        {
            title: "anonymous access and sign-up on in grafana.ini",
            change: (rs) => {
                grafanaIni(rs, "[auth.anonymous]\nenabled = false", "[auth.anonymous]\nenabled = true\norg_role = Admin");
                grafanaIni(rs, "allow_sign_up = false", "allow_sign_up = true");
            },
            expect: [`${iniFile}: [auth.anonymous] enabled lets anyone in without signing in.`, `${iniFile}: [users] allow_sign_up lets anyone create an account.`],
        },
        {
            title: "anonymous access switched on through the environment",
            change: (rs) => grafanaDeployment(rs).inputs.spec.template.spec.containers[0].env.push({ name: "GF_AUTH_ANONYMOUS_ENABLED", value: "true" }),
            expect: ["Deployment 'tracing-grafana/grafana' env GF_AUTH_ANONYMOUS_ENABLED lets anyone in without signing in."],
        },
    ]);

    describeRule("grafana-serves-https-only", [
        {
            title: "plain HTTP without certificate, insecure cookies",
            change: (rs) => {
                grafanaIni(rs, "protocol = https", "protocol = http");
                grafanaIni(rs, "cert_file = /etc/grafana/tls/tls.crt\n", "");
                grafanaIni(rs, "cookie_secure = true", "cookie_secure = false");
            },
            expect: [
                `${iniFile}: [server] protocol is 'http'; serve https.`,
                `${iniFile}: [server] cert_file is not set.`,
                `${iniFile}: [security] cookie_secure is not true; session cookies could travel without TLS.`,
            ],
        },
        {
            title: "the protocol overridden to http through the environment",
            change: (rs) => grafanaDeployment(rs).inputs.spec.template.spec.containers[0].env.push({ name: "GF_SERVER_PROTOCOL", value: "http" }),
            expect: ["Deployment 'tracing-grafana/grafana' env GF_SERVER_PROTOCOL is 'http'; serve https."],
        },
    ]);

    describeRule("grafana-requests-logged-and-logins-limited", [
        {
            title: "no request log, logs only to a file, everything below warn hidden",
            change: (rs) => {
                grafanaIni(rs, "router_logging = true", "router_logging = false");
                grafanaIni(rs, "[users]", "[log]\nmode = file\nlevel = warn\n\n[users]");
            },
            expect: [
                `${iniFile}: [server] router_logging is not true; requests go unlogged.`,
                `${iniFile}: [log] mode is 'file'; without console nothing leaves the pod.`,
                `${iniFile}: [log] level hides context (requests) and authn.service (failed sign-ins); keep them at info, in [log] filters if the level is raised.`,
            ],
        },
        {
            title: "compliant: the level raised with filters keeping the audit loggers at info",
            change: (rs) => grafanaIni(rs, "[users]", "[log]\nmode = console file\nlevel = error\nfilters = context:info authn.service:debug\n\n[users]"),
            expect: [],
        },
        {
            title: "failed logins unlimited: protection off, too many attempts, IP-address protection left at Grafana's default",
            change: (rs) => {
                grafanaIni(rs, "brute_force_login_protection_max_attempts = 5", "brute_force_login_protection_max_attempts = 50\ndisable_brute_force_login_protection = true");
                grafanaIni(rs, "disable_ip_address_login_protection = false\n", "");
            },
            expect: [
                `${iniFile}: [security] disable_brute_force_login_protection leaves failed logins unlimited.`,
                `${iniFile}: [security] disable_ip_address_login_protection leaves failed logins unlimited.`,
                `${iniFile}: [security] brute_force_login_protection_max_attempts is 50; allow at most 5 failed logins.`,
            ],
        },
        {
            title: "the environment raises the log level and turns user-name protection off",
            change: (rs) =>
                grafanaDeployment(rs).inputs.spec.template.spec.containers[0].env.push(
                    { name: "GF_LOG_LEVEL", value: "error" },
                    { name: "GF_SECURITY_DISABLE_USERNAME_LOGIN_PROTECTION", value: "true" },
                ),
            expect: [
                "Deployment 'tracing-grafana/grafana' env GF_LOG_LEVEL hides context (requests) and authn.service (failed sign-ins); keep them at info, in [log] filters if the level is raised.",
                "Deployment 'tracing-grafana/grafana' env GF_SECURITY_DISABLE_USERNAME_LOGIN_PROTECTION leaves failed logins unlimited.",
            ],
        },
    ]);

    describeRuleOnRecordings("grafana-requests-logged-and-logins-limited", [
        {
            title: "the real grafana.ini quiets failed sign-ins and allows ten attempts",
            change: (rs) => {
                grafanaIni(rs, "authn.service:info", "authn.service:warn");
                grafanaIni(rs, "brute_force_login_protection_max_attempts = 5", "brute_force_login_protection_max_attempts = 10");
            },
            expect: () => [
                `${iniFile}: [log] level hides authn.service (failed sign-ins); keep them at info, in [log] filters if the level is raised.`,
                `${iniFile}: [security] brute_force_login_protection_max_attempts is 10; allow at most 5 failed logins.`,
            ],
        },
        {
            title: "the real Grafana Deployment filters request logs out through the environment",
            change: (rs) => kubernetesObject(rs, "Deployment", "grafana").inputs.spec.template.spec.containers[0].env.push({ name: "GF_LOG_FILTERS", value: "context:error" }),
            expect: () => ["Deployment 'tracing-grafana/grafana' env GF_LOG_FILTERS hides context (requests); keep them at info, in [log] filters if the level is raised."],
        },
    ]);
});
