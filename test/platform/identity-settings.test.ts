import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError, parseSamlMetadata, parseSettings, type ConfigProblem } from "../../components/platform/settings";
import { projectRoot, readProjectFile, readStackFile, secretKeys, secretStandIn, stackConfig } from "../harness/stack-config";

const p = (key: string) => `tracing-platform:${key}`;
const metadata = (stack: string) => fs.readFileSync(path.join(projectRoot, "identity", `${stack}-saml-metadata.xml`), "utf8");

/** The one error a configuration fails with (undefined when it is valid). */
function failure(stack: string, overrides: Record<string, unknown>): ConfigValidationError | undefined {
    try {
        parseSettings(stackConfig(stack, overrides), stack);
    } catch (e) {
        if (e instanceof ConfigValidationError) return e;
        throw e;
    }
    return undefined;
}

function problems(stack: string, overrides: Record<string, unknown>): ConfigProblem[] {
    return [...(failure(stack, overrides)?.problems ?? [])];
}

function assertProblem(found: readonly ConfigProblem[], key: string, allowed: string, value?: string): void {
    const match = found.find((x) => x.key === p(key) && x.allowed.includes(allowed) && (value === undefined || x.value.includes(value)));
    assert.ok(match, `expected a problem for ${key} allowing "${allowed}"; got:\n${found.map((x) => `${x.key}: ${x.value} / ${x.allowed}`).join("\n")}`);
}

describe("identity settings: the VPN's SAML provider and Grafana's OpenID Connect sign-in", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: reads the IdP metadata file, the VPN access groups and the OIDC client (secret kept out of every printout)`, () => {
            const settings = parseSettings(stackConfig(stack), stack);
            assert.equal(settings.identity.vpn.samlMetadata, metadata(stack));
            assert.ok(settings.identity.vpn.accessGroups.length >= 1);
            const sso = settings.identity.grafana;
            for (const url of [sso.issuer, sso.authUrl, sso.tokenUrl, sso.userInfoUrl]) assert.match(url, /^https:\/\//);
            assert.equal(sso.clientSecret.reveal(), secretStandIn(p("grafanaOidcClientSecret")));
            assert.ok(!JSON.stringify(settings).includes(sso.clientSecret.reveal()), "the settings serialise the secret as [secret]");
            assert.ok(!String(sso.clientSecret).includes("stand-in"));
            assert.ok(sso.scopes.includes("openid"));
            assert.deepEqual(Object.keys(sso.roleGroups).sort(), ["Admin", "Editor", "Viewer"]);
            assert.equal(sso.passwordLogin, stack !== "prod", "local password login is off in prod");
        });
    }

    it("bad and missing IdP settings fail as ONE settings error that lists every problem", () => {
        const error = failure("prod", {
            [p("grafanaOidcIssuer")]: undefined,
            [p("grafanaOidcTokenUrl")]: "http://sso.example.com/realms/tracing/protocol/openid-connect/token",
            [p("grafanaRoleGroups")]: "Owner: [/tracing/owners]\nAdmin: [/tracing/admins]\nViewer: [/tracing/admins]\n",
            [p("vpnSamlMetadata")]: "<md:EntityDescriptor xmlns:md='urn:oasis:names:tc:SAML:2.0:metadata'><md:IDPSSODescriptor></md:EntityDescriptor>",
        });
        assert.ok(error, "the configuration is refused");
        const found = error.problems;
        assertProblem(found, "grafanaOidcIssuer", "issuer", "missing");
        assertProblem(found, "grafanaOidcTokenUrl", "never http://");
        assertProblem(found, "grafanaRoleGroups", "roles Admin, Editor, Viewer only", "Owner");
        assertProblem(found, "grafanaRoleGroups", "each group under one role", "/tracing/admins");
        assertProblem(found, "vpnSamlMetadata", "SAML 2.0 identity provider metadata", "not well-formed");
        assert.match(error.message, /^Invalid configuration for stack 'prod' \(\d+ problems\):/);
        for (const key of ["grafanaOidcIssuer", "grafanaOidcTokenUrl", "grafanaRoleGroups", "vpnSamlMetadata"]) {
            assert.ok(error.message.includes(p(key)), `the message names ${key}`);
        }
    });

    const badCases: { name: string; overrides: Record<string, unknown>; key: string; allowed: string }[] = [
        { name: "client secret not set", overrides: { [p("grafanaOidcClientSecret")]: undefined }, key: "grafanaOidcClientSecret", allowed: "pulumi config set --secret" },
        { name: "client id not set", overrides: { [p("grafanaOidcClientId")]: undefined }, key: "grafanaOidcClientId", allowed: "client id" },
        { name: "user-info URL that is no URL", overrides: { [p("grafanaOidcUserInfoUrl")]: "sso.example.com/userinfo" }, key: "grafanaOidcUserInfoUrl", allowed: "absolute https:// URL" },
        { name: "authorization URL with credentials", overrides: { [p("grafanaOidcAuthUrl")]: "https://user:pw@sso.example.com/auth" }, key: "grafanaOidcAuthUrl", allowed: "without user info" },
        { name: "scopes without openid", overrides: { [p("grafanaOidcScopes")]: ["email", "profile"] }, key: "grafanaOidcScopes", allowed: "includes openid" },
        { name: "groups claim that cannot be quoted", overrides: { [p("grafanaOidcGroupsClaim")]: 'groups"] || `["Admin' }, key: "grafanaOidcGroupsClaim", allowed: "claim name" },
        { name: "role mapping that is a list", overrides: { [p("grafanaRoleGroups")]: "- Admin\n- Viewer\n" }, key: "grafanaRoleGroups", allowed: "YAML mapping of Grafana roles" },
        { name: "role with no groups", overrides: { [p("grafanaRoleGroups")]: "Admin: []\n" }, key: "grafanaRoleGroups", allowed: "non-empty list" },
        { name: "GrafanaAdmin granted by the IdP", overrides: { [p("grafanaRoleGroups")]: "GrafanaAdmin: [/tracing/admins]\n" }, key: "grafanaRoleGroups", allowed: "break-glass" },
        { name: "group that would break out of the JMESPath literal", overrides: { [p("grafanaRoleGroups")]: "Viewer: [\"x') || 'Admin\"]\n" }, key: "grafanaRoleGroups", allowed: "no spaces or quotes" },
        { name: "IdP egress open to the internet", overrides: { [p("grafanaIdpCidrs")]: ["0.0.0.0/0"] }, key: "grafanaIdpCidrs", allowed: "never contains 0.0.0.0/0" },
        { name: "no IdP egress addresses", overrides: { [p("grafanaIdpCidrs")]: [] }, key: "grafanaIdpCidrs", allowed: "at least 1" },
        { name: "no VPN access group", overrides: { [p("vpnAccessGroups")]: [] }, key: "vpnAccessGroups", allowed: "at least 1 group" },
        { name: "VPN access group twice", overrides: { [p("vpnAccessGroups")]: ["g-1", "g-1"] }, key: "vpnAccessGroups", allowed: "each group once" },
        { name: "metadata path outside the project", overrides: { [p("vpnSamlMetadata")]: "../idp.xml" }, key: "vpnSamlMetadata", allowed: "relative to the project directory" },
        { name: "metadata file that does not exist", overrides: { [p("vpnSamlMetadata")]: "identity/missing.xml" }, key: "vpnSamlMetadata", allowed: "existing metadata file" },
        {
            name: "service-provider metadata instead of the IdP's",
            overrides: { [p("vpnSamlMetadata")]: metadata("dev").replace(/IDPSSODescriptor/g, "SPSSODescriptor") },
            key: "vpnSamlMetadata",
            allowed: "identity provider metadata",
        },
        {
            name: "metadata whose signing certificate is not a certificate",
            overrides: { [p("vpnSamlMetadata")]: metadata("dev").replace(/MII[A-Za-z0-9+/]{20}/, "MIInotacertificateatall") },
            key: "vpnSamlMetadata",
            allowed: "identity provider metadata",
        },
    ];
    for (const bad of badCases) {
        it(`refuses ${bad.name}, naming ${bad.key}`, () => assertProblem(problems("dev", bad.overrides), bad.key, bad.allowed));
    }
});

describe("SAML metadata check", () => {
    it("accepts both shipped metadata files and reports their entityID", () => {
        for (const stack of ["dev", "prod"]) {
            const parsed = parseSamlMetadata(metadata(stack));
            assert.ok(!Array.isArray(parsed), `${stack}: ${parsed}`);
            assert.match(parsed.entityId, /^https:\/\/portal\.sso\.[a-z0-9-]+\.amazonaws\.com\/saml\/assertion\//);
        }
    });

    it("names each defect of a broken document", () => {
        const expired = parseSamlMetadata(metadata("dev"), new Date("2040-01-01T00:00:00Z"));
        assert.ok(Array.isArray(expired) && expired.some((x) => x.includes("signing certificate expired")));
        const noHttps = parseSamlMetadata(metadata("dev").replace(/Location="https:/g, 'Location="http:'));
        assert.deepEqual(noHttps, ["no SingleSignOnService with an https:// Location"]);
        const wrongRoot = parseSamlMetadata(metadata("dev").replace(/md:EntityDescriptor/g, "md:EntitiesDescriptor"));
        assert.ok(Array.isArray(wrongRoot) && wrongRoot.some((x) => x.includes("not an EntityDescriptor")));
        const unclosed = parseSamlMetadata(metadata("dev").replace("</md:EntityDescriptor>", ""));
        assert.ok(Array.isArray(unclosed) && unclosed.some((x) => x.includes("is never closed")));
        assert.ok(Array.isArray(parseSamlMetadata("not xml at all")));
    });
});

describe("secret configuration", () => {
    it("Pulumi.yaml declares the OIDC client secret secret, and no stack file holds it in plain text", () => {
        assert.deepEqual(secretKeys(), [p("grafanaOidcClientSecret")]);
        assert.equal(readProjectFile().config.grafanaOidcClientSecret.default, undefined, "a secret has no default");
        for (const stack of ["dev", "prod"]) {
            for (const key of secretKeys()) {
                const value = readStackFile(stack)[key];
                assert.ok(value === undefined || (typeof value === "object" && value !== null && "secure" in value), `Pulumi.${stack}.yaml sets ${key} without --secret`);
            }
        }
    });
});
