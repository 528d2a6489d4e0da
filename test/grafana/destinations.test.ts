/** What the Grafana server dials, read from its provisioning files and grafana.ini as rendered (and parsed back). */
import { strict as assert } from "assert";
import * as ini from "ini";
import * as yaml from "yaml";
import { grafanaAlerting, renderAlerting } from "../../components/grafana/alerts";
import { grafanaDatasources, renderDatasources } from "../../components/grafana/datasources";
import { grafanaDestinations, type GrafanaFiles } from "../../components/grafana/destinations";
import { grafanaIni, renderIni } from "../../components/grafana/ini";
import { describeDestination } from "../../components/platform/destinations";
import { parseSettings } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";

const endpoint = "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123abcd/";
const topicArn = "arn:aws:sns:eu-west-1:333333333333:tracing-alerts-prod";

function files(): GrafanaFiles {
    const settings = parseSettings(stackConfig("prod"), "prod");
    return {
        ini: ini.parse(renderIni(grafanaIni({ hostname: settings.grafana.hostname, httpsPort: 3000, singleSignOn: settings.identity.grafana }))),
        datasources: yaml.parse(renderDatasources(grafanaDatasources({ prometheusEndpoint: endpoint, region: "eu-west-1" }))),
        alerting: yaml.parse(renderAlerting(grafanaAlerting(settings.systems, { topicArn, region: "eu-west-1" }))),
    };
}

const listed = (f: GrafanaFiles) => grafanaDestinations(f).map(describeDestination).sort();
const withoutPluginDownloads = (f: GrafanaFiles): GrafanaFiles => ({ ...f, ini: { ...f.ini, plugins: { ...f.ini.plugins, preinstall_sync: "", preinstall: "", preinstall_async: "" } } });

describe("Grafana destinations, read from its rendered files", () => {
    it("Tempo's query Service, the metrics workspace and SNS (both SigV4 with Pod Identity credentials)", () => {
        assert.deepEqual(listed(withoutPluginDownloads(files())), [
            "169.254.170.23:80/TCP",
            "aps-workspaces.eu-west-1.amazonaws.com:443/TCP",
            "sns.eu-west-1.amazonaws.com:443/TCP",
            "sso.example.com:443/TCP",
            "tempo-query.tracing-tempo.svc.cluster.local:3200/TCP",
        ]);
    });

    it("reports the plugin catalogue while grafana.ini preinstalls plugins", () => {
        const preinstall = grafanaDestinations(files()).filter((d) => /plugins\.preinstall/.test(d.via));
        assert.deepEqual(preinstall.map(describeDestination), files().ini.plugins?.preinstall_sync ? ["grafana.com:443/TCP"] : []);
    });

    it("takes Grafana's defaults for absent phone-home switches (all on), and the hardened values when set", () => {
        const f = withoutPluginDownloads(files());
        const bare = { ...f, ini: { ...f.ini, analytics: {}, news: {}, security: {} } };
        assert.deepEqual(
            listed(bare).filter((d) => !listed(f).includes(d)),
            ["grafana.com:443/TCP", "secure.gravatar.com:443/TCP", "stats.grafana.org:443/TCP"],
        );
    });

    it("single sign-on: the server dials the IdP's token and user-info URLs (not the browser's authorization URL), only while it is enabled", () => {
        const f = withoutPluginDownloads(files());
        const oauth = f.ini.auth && (f.ini.auth as any).generic_oauth;
        const sso = grafanaDestinations(f).filter((d) => d.via.startsWith("grafana.ini auth.generic_oauth"));
        // One host serves both endpoints: one destination, both settings named.
        assert.deepEqual(sso.map(describeDestination), ["sso.example.com:443/TCP"]);
        assert.match(sso[0].via, /auth\.generic_oauth\.token_url/);
        assert.match(sso[0].via, /auth\.generic_oauth\.api_url/);
        const elsewhere = { ...f, ini: { ...f.ini, auth: { ...(f.ini.auth as any), generic_oauth: { ...oauth, token_url: "https://idp.example.net:8443/token", auth_url: "https://browser-only.example.org/auth" } } } };
        assert.ok(listed(elsewhere).includes("idp.example.net:8443/TCP"));
        assert.ok(!listed(elsewhere).some((d) => d.startsWith("browser-only")), "people's browsers open the authorization URL");
        const off = { ...f, ini: { ...f.ini, auth: { ...(f.ini.auth as any), generic_oauth: { ...oauth, enabled: false } } } };
        assert.ok(!listed(off).some((d) => d.startsWith("sso.example.com")));
        // The builder's own shape (dotted section names) reads the same as the parsed file.
        assert.deepEqual(listed({ ...f, ini: { "auth.generic_oauth": oauth } as any }).filter((d) => d.startsWith("sso.")), ["sso.example.com:443/TCP"]);
    });

    it("refuses data sources and receivers it cannot map, and browser-side access", () => {
        const f = files();
        const [tempo] = f.datasources.datasources;
        assert.throws(() => grafanaDestinations({ ...f, datasources: { ...f.datasources, datasources: [{ ...tempo, type: "loki" }] } }), /loki/);
        assert.throws(() => grafanaDestinations({ ...f, datasources: { ...f.datasources, datasources: [{ ...tempo, access: "direct" as "proxy" }] } }), /browsers/);
        const [point] = f.alerting.contactPoints;
        const email = { ...point, receivers: [{ ...point.receivers[0], type: "email" }] };
        assert.throws(() => grafanaDestinations({ ...f, alerting: { contactPoints: [email] } }), /email/);
    });
});
