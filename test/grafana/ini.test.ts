import { strict as assert } from "assert";
import * as ini from "ini";
import { grafanaIni, grafanaPaths, grafanaSecretFileEnvironment, grafanaSecretKeys, amazonPrometheusPlugin, renderIni } from "../../components/grafana/ini";
import { datasourceTypes } from "../../components/grafana/datasources";
import { singleSignOn } from "./sso-fixture";

const hostname = "grafana.tracing.test.internal.example.com";
/** grafana.ini read back by an ini parser (dotted section names such as auth.anonymous nest). */
const parsed = () => ini.parse(renderIni(grafanaIni({ hostname, httpsPort: 3000, singleSignOn: singleSignOn() })));

describe("grafana.ini builder: hardening", () => {
    it("serves HTTPS only, with the mounted server certificate, at the VPN hostname", () => {
        const { server } = parsed();
        assert.equal(server.protocol, "https");
        assert.equal(server.cert_file, `${grafanaPaths.serverTls}/tls.crt`);
        assert.equal(server.cert_key, `${grafanaPaths.serverTls}/tls.key`);
        assert.equal(server.root_url, `https://${hostname}/`);
        assert.equal(server.domain, hostname);
        assert.equal(server.enforce_domain, true);
        assert.equal(server.min_tls_version, "TLS1.2");
        assert.equal(server.http_port, "3000");
    });

    it("re-reads its server certificate when the PKI renews it (certs_watch_interval, 0 = never, by default)", () => {
        // Grafana parses the key with MustDuration(0) (pkg/setting/setting.go readServerSettings) and
        // only watches the files when the interval is positive (pkg/api/http_server.go).
        const { server } = parsed();
        const match = /^(\d+)(s|m|h)$/.exec(server.certs_watch_interval ?? "");
        assert.ok(match, `certs_watch_interval '${server.certs_watch_interval}' is a Go duration`);
        const hours = Number(match[1]) / { s: 3600, m: 60, h: 1 }[match[2] as "s" | "m" | "h"];
        assert.ok(hours > 0 && hours <= 24, `watched every ${hours} h, well inside the weeks a renewed certificate overlaps the old one`);
    });

    it("no anonymous access, no sign-up, login attempts limited", () => {
        const config = parsed();
        assert.equal(config.auth.anonymous.enabled, false);
        assert.equal(config.users.allow_sign_up, false);
        assert.equal(config.users.allow_org_create, false);
        assert.equal(config.users.auto_assign_org_role, "Viewer");
        assert.equal(config.security.disable_brute_force_login_protection, false);
        assert.ok(Number(config.security.brute_force_login_protection_max_attempts) <= 5);
        assert.equal(config.security.disable_username_login_protection, false);
        assert.equal(config.security.disable_ip_address_login_protection, false);
        assert.equal(config.auth.basic.password_policy, true);
    });

    it("cookies secure and same-site strict, HSTS on, embedding and gravatar off", () => {
        const { security } = parsed();
        assert.equal(security.cookie_secure, true);
        assert.equal(security.cookie_samesite, "strict");
        assert.equal(security.strict_transport_security, true);
        assert.ok(Number(security.strict_transport_security_max_age_seconds) >= 31536000);
        assert.equal(security.allow_embedding, false);
        assert.equal(security.disable_gravatar, true);
        assert.equal(security.content_security_policy, true);
        assert.equal(security.x_content_type_options, true);
    });

    it("nothing leaves the platform: external snapshots, usage reporting and update checks off", () => {
        const config = parsed();
        assert.equal(config.snapshots.external_enabled, false);
        assert.equal(config.snapshots.enabled, false);
        assert.equal(config.analytics.reporting_enabled, false);
        assert.equal(config.analytics.check_for_updates, false);
        assert.equal(config.analytics.check_for_plugin_updates, false);
        assert.equal(config.news.news_feed_enabled, false);
    });

    it("router (access) logging is on", () => {
        assert.equal(parsed().server.router_logging, true);
    });

    it("holds no secret: admin password and secret_key come from files of the mounted Secret", () => {
        const config = parsed();
        const keys = (node: Record<string, unknown>): string[] =>
            Object.entries(node).flatMap(([key, value]) => (typeof value === "object" && value !== null ? keys(value as Record<string, unknown>) : [key]));
        for (const key of keys(config)) assert.ok(!/password$|secret_key/.test(key), `grafana.ini sets ${key}`);
        const env = Object.fromEntries(grafanaSecretFileEnvironment().map((e) => [e.name, e.value]));
        assert.equal(env.GF_SECURITY_ADMIN_PASSWORD__FILE, `${grafanaPaths.secrets}/${grafanaSecretKeys.adminPassword}`);
        assert.equal(env.GF_SECURITY_SECRET_KEY__FILE, `${grafanaPaths.secrets}/${grafanaSecretKeys.secretKey}`);
    });

    it("AWS credentials only from the workload identity; plugins pinned and never self-updated", () => {
        const config = parsed();
        assert.equal(config.aws.allowed_auth_providers, "default");
        assert.equal(config.aws.assume_role_enabled, false);
        assert.equal(config.auth.sigv4_auth_enabled, true);
        // Pinned by version and package checksum (baked into the image, see test/grafana/offline-start.test.ts).
        assert.match(amazonPrometheusPlugin.version, /^\d+\.\d+\.\d+$/);
        assert.match(amazonPrometheusPlugin.sha256, /^[0-9a-f]{64}$/);
        assert.ok(amazonPrometheusPlugin.url.includes(`/versions/${amazonPrometheusPlugin.version}/`), "the URL fetches the pinned version");
        assert.equal(config.plugins.preinstall_disabled, true);
        assert.equal(config.plugins.preinstall_auto_update, false);
        assert.equal(config.plugins.plugin_admin_enabled, false);
        // The plugin baked in is the one the metrics data source uses.
        assert.equal(datasourceTypes.metrics, amazonPrometheusPlugin.id);
    });

    it("writes state only below the mounted data and log paths; reads plugins from the image", () => {
        const { paths } = parsed();
        assert.equal(paths.data, grafanaPaths.data);
        assert.equal(paths.plugins, grafanaPaths.plugins);
        assert.ok(!String(paths.plugins).startsWith(`${grafanaPaths.data}/`), "the data volume would hide baked plugins");
        assert.equal(paths.logs, grafanaPaths.logs);
        assert.equal(paths.provisioning, grafanaPaths.provisioning);
    });
});
