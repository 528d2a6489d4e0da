import * as assert from "assert";
import type { EditableResource } from "../../policies/resource-shape";
import { configMapData, describeRule, grafanaDeployment } from "./helpers";

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
});
