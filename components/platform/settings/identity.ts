/**
 * Who people are: the SAML identity provider Client VPN federates to (and the groups whose members
 * may reach Grafana), and the OpenID Connect provider Grafana signs people in with (endpoints,
 * client, the groups behind each Grafana role, and the addresses Grafana's server calls).
 */
import * as fs from "fs";
import * as path from "path";
import { readAllowList, type Reader } from "./reader";
import { parseSamlMetadata } from "./saml-metadata";
import { grafanaRoles, SecretText, type GrafanaRole, type Settings } from "./types";

/** The project directory: metadata paths in stack files are relative to it. */
const projectDirectory = path.resolve(__dirname, "..", "..", "..");

/**
 * Group names and ids as IdPs send them (IAM Identity Center ids, Keycloak paths, Entra object ids).
 * No quotes, backslashes, commas or spaces: each is written into a JMESPath string literal and into
 * Grafana's comma-separated allowed_groups, and names a VPN authorization rule resource.
 */
const groupPattern = /^[A-Za-z0-9/][A-Za-z0-9._@/:=+-]{0,127}$/;
const groupAllowed = "group names or ids of 1 to 128 characters (letters, digits and . _ @ / : = + -), no spaces or quotes";
/** A claim name Grafana reads groups from, quoted into JMESPath (e.g. groups, cognito:groups). */
const claimPattern = /^[A-Za-z_][A-Za-z0-9_:./-]{0,127}$/;

function readGroups(r: Reader, key: "vpnAccessGroups", groups: readonly string[], minimum: number): void {
    if (groups.length < minimum) r.problem(key, groups, `at least ${minimum} group`);
    const seen = new Set<string>();
    for (const group of groups) {
        if (!groupPattern.test(group)) r.problem(key, group, groupAllowed);
        else if (seen.has(group)) r.problem(key, group, "each group once");
        seen.add(group);
    }
}

/** The metadata document itself, or the file a relative path inside the project names. */
function readMetadataText(r: Reader, key: "vpnSamlMetadata"): string | undefined {
    const value = r.string(key, "the IdP's SAML metadata XML, or a path to it relative to the project directory");
    if (!value) return undefined;
    if (value.trimStart().startsWith("<")) return value;
    const file = path.resolve(projectDirectory, value);
    if (path.isAbsolute(value) || !file.startsWith(`${projectDirectory}${path.sep}`)) {
        r.problem(key, value, "a path relative to the project directory (inside it), or the XML itself");
        return undefined;
    }
    if (!fs.existsSync(file)) {
        r.problem(key, value, "an existing metadata file (download it from the IdP's SAML application)");
        return undefined;
    }
    return fs.readFileSync(file, "utf8");
}

function readVpnFederation(r: Reader): Settings["identity"]["vpn"] {
    const text = readMetadataText(r, "vpnSamlMetadata");
    const metadata = text === undefined ? undefined : parseSamlMetadata(text);
    if (Array.isArray(metadata)) {
        for (const problem of metadata) r.problem("vpnSamlMetadata", problem, "SAML 2.0 identity provider metadata as the IdP exports it");
    }
    const accessGroups = r.stringArray("vpnAccessGroups", "IdP group ids (the SAML memberOf values) whose members may reach Grafana");
    readGroups(r, "vpnAccessGroups", accessGroups, 1);
    return { samlMetadata: metadata && !Array.isArray(metadata) ? metadata.xml : "", accessGroups };
}

type OidcUrlKey = "grafanaOidcIssuer" | "grafanaOidcAuthUrl" | "grafanaOidcTokenUrl" | "grafanaOidcUserInfoUrl";

/** An https:// URL without credentials or fragment: tokens and codes travel over it. */
function readHttpsUrl(r: Reader, key: OidcUrlKey, what: string): string {
    const value = r.string(key, `the ${what} (https://...)`);
    if (!value) return "";
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        r.problem(key, value, `an absolute https:// URL of the ${what}`);
        return value;
    }
    if (url.protocol !== "https:") r.problem(key, value, `an https:// URL (the ${what} carries codes and tokens; never http://)`);
    else if (url.username || url.password || url.hash) r.problem(key, value, "a URL without user info or fragment");
    return value;
}

/**
 * Which groups make a person Admin, Editor or Viewer: a YAML mapping from role to group list. Each
 * group maps to one role; nobody outside these groups gets in (role_attribute_strict, allowed_groups).
 */
function readRoleGroups(r: Reader): Settings["identity"]["grafana"]["roleGroups"] {
    const allowed = `a YAML mapping of Grafana roles (${grafanaRoles.join(", ")}) to lists of IdP groups, e.g. "Admin: [tracing-admins]"`;
    const document = r.yamlDocument("grafanaRoleGroups", allowed);
    const roleGroups: Partial<Record<GrafanaRole, string[]>> = {};
    if (document === undefined) return roleGroups;
    if (typeof document !== "object" || document === null || Array.isArray(document) || Object.keys(document).length === 0) {
        r.problem("grafanaRoleGroups", document ?? "empty", allowed);
        return roleGroups;
    }
    const roleOf = new Map<string, string>();
    for (const [role, groups] of Object.entries(document)) {
        if (!(grafanaRoles as readonly string[]).includes(role)) {
            r.problem("grafanaRoleGroups", role, `roles ${grafanaRoles.join(", ")} only (server administration stays with the break-glass admin)`);
            continue;
        }
        if (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => typeof g !== "string")) {
            r.problem("grafanaRoleGroups", `${role}: ${JSON.stringify(groups)}`, "a non-empty list of group names for each role");
            continue;
        }
        for (const group of groups as string[]) {
            if (!groupPattern.test(group)) r.problem("grafanaRoleGroups", group, groupAllowed);
            else if (roleOf.has(group)) r.problem("grafanaRoleGroups", group, `each group under one role (also under ${roleOf.get(group)})`);
            roleOf.set(group, role);
        }
        roleGroups[role as GrafanaRole] = groups as string[];
    }
    return roleGroups;
}

function readGrafanaSingleSignOn(r: Reader, isProduction: boolean): Settings["identity"]["grafana"] {
    const issuer = readHttpsUrl(r, "grafanaOidcIssuer", "OpenID provider's issuer");
    const authUrl = readHttpsUrl(r, "grafanaOidcAuthUrl", "authorization endpoint");
    const tokenUrl = readHttpsUrl(r, "grafanaOidcTokenUrl", "token endpoint");
    const userInfoUrl = readHttpsUrl(r, "grafanaOidcUserInfoUrl", "user-info endpoint");
    const clientId = r.string("grafanaOidcClientId", "the client id of Grafana's registration at the OpenID provider");
    const clientSecret = r.string("grafanaOidcClientSecret", "the client secret, set with `pulumi config set --secret`");
    const scopes = r.stringArray("grafanaOidcScopes", "OAuth scopes");
    if (!scopes.includes("openid")) r.problem("grafanaOidcScopes", scopes, "a list of scopes that includes openid");
    const groupsClaim = r.string("grafanaOidcGroupsClaim", "the claim that lists a person's groups");
    if (groupsClaim && !claimPattern.test(groupsClaim)) r.problem("grafanaOidcGroupsClaim", groupsClaim, "a claim name such as groups or cognito:groups");
    const roleGroups = readRoleGroups(r);
    const providerCidrs = readAllowList(r, "grafanaIdpCidrs", 1);
    const providerHosts = [...new Set([tokenUrl, userInfoUrl].filter((url) => URL.canParse(url)).map((url) => new URL(url).hostname))];
    return {
        issuer,
        authUrl,
        tokenUrl,
        userInfoUrl,
        clientId,
        clientSecret: new SecretText(clientSecret),
        scopes,
        groupsClaim,
        roleGroups,
        providerHosts,
        providerCidrs,
        passwordLogin: !isProduction,
    };
}

export function readIdentity(r: Reader, isProduction: boolean): Settings["identity"] {
    return { vpn: readVpnFederation(r), grafana: readGrafanaSingleSignOn(r, isProduction) };
}
