import { strict as assert } from "assert";
import * as ini from "ini";
import { grafanaAdminUser, grafanaIni, grafanaPaths, grafanaSecretFileEnvironment, grafanaSecretKeys, grafanaSecretName, renderIni } from "../../components/grafana/ini";
import { genericOauthSection, mappedGroups, roleAttributePath } from "../../components/grafana/single-sign-on";
import { awsResourceNames, namespaces, workloads } from "../../components/platform/names";
import { kubernetesObject, oneOfType, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { dependenciesOf, dependencyOfType, isSecretInput, settingsOf } from "../harness/recorded";
import { singleSignOn } from "./sso-fixture";

/**
 * Keys Grafana's generic OAuth connector reads, from grafana/grafana's source: the mapstructure
 * tags of OAuthInfo (pkg/login/social/social.go) and ExtraGenericOAuthSettingKeys
 * (pkg/login/social/connectors/generic_oauth.go: name_attribute_path, login_attribute_path,
 * id_token_attribute_name, team_ids, allowed_organizations). Read from the newest version the
 * source index holds (OAuthInfo with workload_identity_token_file and login_prompt, the 12.x/13.x
 * line); a key outside this list would be ignored silently, so the section may use no other.
 */
const genericOauthKeys = new Set([
    "allow_assign_grafana_admin", "allow_sign_up", "allowed_domains", "allowed_groups", "api_url", "auth_style", "auth_url",
    "auto_login", "client_authentication", "client_id", "client_secret", "managed_identity_client_id", "workload_identity_token_file",
    "federated_credential_audience", "email_attribute_name", "email_attribute_path", "empty_scopes", "enabled", "groups_attribute_path",
    "hosted_domain", "icon", "name", "role_attribute_path", "role_attribute_strict", "org_attribute_path", "org_mapping", "scopes",
    "signout_redirect_url", "skip_org_role_sync", "team_ids_attribute_path", "teams_url", "tls_client_ca", "tls_client_cert",
    "tls_client_key", "tls_skip_verify_insecure", "token_url", "use_pkce", "use_refresh_token", "login_prompt",
    "name_attribute_path", "login_attribute_path", "id_token_attribute_name", "team_ids", "allowed_organizations",
]);

const parse = (passwordLogin: boolean) =>
    ini.parse(renderIni(grafanaIni({ hostname: "grafana.tracing.test.internal.example.com", httpsPort: 3000, singleSignOn: singleSignOn({ passwordLogin }) })));

describe("Grafana single sign-on (grafana.ini builder)", () => {
    it("signs people in through generic OAuth with the configured endpoints and client, using only keys Grafana reads", () => {
        const sso = singleSignOn();
        const section = parse(false).auth.generic_oauth;
        for (const key of Object.keys(section)) assert.ok(genericOauthKeys.has(key), `[auth.generic_oauth] ${key} is not a key Grafana's generic OAuth connector reads`);
        assert.equal(section.enabled, true);
        assert.equal(section.client_id, sso.clientId);
        assert.equal(section.auth_url, sso.authUrl);
        assert.equal(section.token_url, sso.tokenUrl);
        assert.equal(section.api_url, sso.userInfoUrl);
        assert.equal(section.scopes, "openid email profile groups");
        assert.equal(section.use_pkce, true);
        assert.equal(section.tls_skip_verify_insecure, false);
    });

    it("keeps the client secret out of grafana.ini: Grafana reads it from the mounted Secret's file", () => {
        const text = renderIni(grafanaIni({ hostname: "grafana.example.com", httpsPort: 3000, singleSignOn: singleSignOn() }));
        assert.ok(!text.includes(singleSignOn().clientSecret.reveal()));
        assert.equal(ini.parse(text).auth.generic_oauth.client_secret, undefined);
        const env = Object.fromEntries(grafanaSecretFileEnvironment().map((e) => [e.name, e.value]));
        assert.equal(env.GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET__FILE, `${grafanaPaths.secrets}/${grafanaSecretKeys.oauthClientSecret}`);
    });

    it("maps groups to roles highest first, refuses people in no mapped group, and never grants server admin", () => {
        const sso = singleSignOn();
        const section = genericOauthSection(sso);
        assert.equal(
            roleAttributePath("groups", sso.roleGroups),
            `(contains("groups" || \`[]\`, '/tracing/admins')) && 'Admin' || ` +
                `(contains("groups" || \`[]\`, '/tracing/sre') || contains("groups" || \`[]\`, '/tracing/oncall')) && 'Editor' || ` +
                `(contains("groups" || \`[]\`, '/tracing/readers')) && 'Viewer'`,
        );
        assert.equal(section.role_attribute_path, roleAttributePath("groups", sso.roleGroups));
        assert.equal(section.role_attribute_strict, true, "no role means no login, not the default Viewer");
        assert.equal(section.allowed_groups, "/tracing/admins,/tracing/sre,/tracing/oncall,/tracing/readers");
        assert.deepEqual(mappedGroups(sso.roleGroups), ["/tracing/admins", "/tracing/sre", "/tracing/oncall", "/tracing/readers"]);
        assert.equal(section.groups_attribute_path, '"groups"');
        assert.equal(section.allow_assign_grafana_admin, false);
        assert.ok(!String(section.role_attribute_path).includes("GrafanaAdmin"));
        // A claim with a colon (Cognito) is quoted, not parsed as JMESPath syntax.
        assert.match(roleAttributePath("cognito:groups", { Viewer: ["readers"] }), /^\(contains\("cognito:groups" \|\| `\[\]`, 'readers'\)\) && 'Viewer'$/);
        assert.equal(roleAttributePath("groups", { Viewer: ["readers"] }).includes("Admin"), false, "unmapped roles are not written");
    });

    it("turns the login form and basic auth off where password login is off (prod); dev keeps them", () => {
        const prod = parse(false);
        assert.equal(prod.auth.disable_login_form, true);
        assert.equal(prod.auth.basic.enabled, false);
        const dev = parse(true);
        assert.equal(dev.auth.disable_login_form, false);
        assert.equal(dev.auth.basic.enabled, true);
        assert.equal(dev.auth.basic.password_policy, true);
    });

    it("logs who did what: router logging on, request and sign-in loggers pinned at info", () => {
        const config = parse(false);
        assert.equal(config.server.router_logging, true);
        assert.equal(config.log.level, "info");
        assert.deepEqual(String(config.log.filters).split(" ").sort(), ["authn.service:info", "context:info"]);
        assert.equal(config.auth.generic_oauth.login_attribute_path, "preferred_username || email", "the login logged as uname is the person's name at the IdP");
    });
});

function grafanaIniOf(recording: StackRecording): any {
    const configMap = kubernetesObject(recording, "core/v1", "ConfigMap", "grafana-config", namespaces.grafana);
    return ini.parse(configMap.inputs.data["grafana.ini"]);
}

describe("Grafana single sign-on and break-glass admin (program)", () => {
    for (const stack of shippedStacks) {
        describe(`${stack} stack`, () => {
            let recording: StackRecording;
            before(async () => {
                recording = await stackRecording(stack);
            });

            it("configures generic OAuth from the stack's settings, prod with the login form and basic auth off", () => {
                const settings = settingsOf(recording);
                const config = grafanaIniOf(recording);
                assert.deepEqual(config.auth.generic_oauth, ini.parse(renderIni({ s: genericOauthSection(settings.identity.grafana) })).s);
                assert.equal(config.auth.disable_login_form, stack === "prod");
                assert.equal(config.auth.basic.enabled, stack !== "prod");
            });

            it("holds the client secret only in Grafana's Secret (a Pulumi secret), mounted as the file Grafana reads", () => {
                const settings = settingsOf(recording);
                const secret = kubernetesObject(recording, "core/v1", "Secret", grafanaSecretName, namespaces.grafana);
                assert.equal(secret.inputs.stringData[grafanaSecretKeys.oauthClientSecret], settings.identity.grafana.clientSecret.reveal());
                assert.ok(isSecretInput(secret, "stringData"));
                const deployment = kubernetesObject(recording, "apps/v1", "Deployment", workloads.grafana.name, namespaces.grafana);
                const env = deployment.inputs.spec.template.spec.containers[0].env;
                assert.ok(env.some((e: any) => e.name === "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET__FILE" && e.value === `${grafanaPaths.secrets}/${grafanaSecretKeys.oauthClientSecret}`));
                const everywhereElse = recording.resources.filter((r) => r.urn !== secret.urn).map((r) => JSON.stringify(r.inputs));
                for (const text of [...everywhereElse, JSON.stringify(recording.outputs)]) assert.ok(!text.includes(settings.identity.grafana.clientSecret.reveal()));
            });

            it("keeps the break-glass admin's login in Secrets Manager, encrypted with the trace key, protected in prod", () => {
                const settings = settingsOf(recording);
                const names = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region);
                const secret = oneOfType(recording, "aws:secretsmanager/secret:Secret", "grafana-break-glass");
                assert.equal(secret.inputs.name, names.grafanaBreakGlassSecret);
                assert.equal(dependencyOfType(recording, secret, "kmsKeyId", "aws:kms/key:Key").name, "tracing-trace");
                assert.equal(secret.protect, stack === "prod");
                assert.equal(secret.inputs.recoveryWindowInDays, settings.kms.deletionWindowDays);
                const version = oneOfType(recording, "aws:secretsmanager/secretVersion:SecretVersion", "grafana-break-glass-value");
                assert.ok(isSecretInput(version, "secretString"));
                assert.deepEqual(JSON.parse(version.inputs.secretString), { username: grafanaAdminUser, password: "mock-password-grafana-admin-password" });
                assert.deepEqual(dependenciesOf(recording, version, "secretString").map((r) => r.name), ["grafana-admin-password"]);
                // The same password Grafana creates its admin with; people read it from Secrets Manager only.
                const grafanaSecret = kubernetesObject(recording, "core/v1", "Secret", grafanaSecretName, namespaces.grafana);
                assert.equal(grafanaSecret.inputs.stringData[grafanaSecretKeys.adminPassword], "mock-password-grafana-admin-password");
                assert.equal(recording.outputs.grafanaBreakGlassSecretArn, `arn:aws:secretsmanager:${settings.aws.region}:${settings.aws.accountId}:secret:${names.grafanaBreakGlassSecret}-AbCdEf`);
            });

            it("lets only Secrets Manager use the trace key for the break-glass secret (and MSK's), nothing else it holds", () => {
                const settings = settingsOf(recording);
                const names = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region);
                const key = oneOfType(recording, "aws:kms/key:Key", "tracing-trace");
                const statement = JSON.parse(key.inputs.policy).Statement.find((s: any) => s.Sid === "SecretsManagerUsesKeyForPlatformCredentials");
                assert.deepEqual(statement.Condition.StringLike["kms:EncryptionContext:SecretARN"], [
                    `arn:aws:secretsmanager:${settings.aws.region}:${settings.aws.accountId}:secret:AmazonMSK_*`,
                    `arn:aws:secretsmanager:${settings.aws.region}:${settings.aws.accountId}:secret:${names.grafanaBreakGlassSecret}-*`,
                ]);
            });
        });
    }
});
