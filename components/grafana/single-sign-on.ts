/**
 * Grafana's single sign-on: the `[auth.generic_oauth]` section (OpenID Connect; SAML is a Grafana
 * Enterprise feature) and the JMESPath that turns a person's IdP groups into a Grafana role.
 *
 * Keys are the ones Grafana's generic OAuth connector reads (grafana/grafana
 * pkg/login/social/social.go, OAuthInfo's mapstructure tags, and
 * pkg/login/social/connectors/generic_oauth.go, ExtraGenericOAuthSettingKeys). The client secret
 * is not among them here: it comes from a mounted file (GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET__FILE).
 */
import { grafanaRoles, type GrafanaRole, type Settings } from "../platform/settings";

export type SingleSignOn = Settings["identity"]["grafana"];

/** `'text'`: a JMESPath raw string literal (the settings reject quotes and backslashes in group names). */
function literal(text: string): string {
    return `'${text}'`;
}

/** The groups claim as a quoted JMESPath identifier, so names such as cognito:groups work. */
function claim(groupsClaim: string): string {
    return JSON.stringify(groupsClaim);
}

/**
 * The role of the first matching tier, highest first: `(contains(groups, 'a') || ...) && 'Admin' ||
 * ... && 'Viewer'`. A person in no mapped group yields no role, which role_attribute_strict turns
 * into a refused login rather than the default Viewer.
 */
export function roleAttributePath(groupsClaim: string, roleGroups: SingleSignOn["roleGroups"]): string {
    const groups = `${claim(groupsClaim)} || \`[]\``;
    return grafanaRoles
        .filter((role) => (roleGroups[role] ?? []).length > 0)
        .map((role: GrafanaRole) => {
            const anyOf = roleGroups[role]!.map((group) => `contains(${groups}, ${literal(group)})`).join(" || ");
            return `(${anyOf}) && ${literal(role)}`;
        })
        .join(" || ");
}

/** Every group that grants a role: nobody else may sign in (allowed_groups). */
export function mappedGroups(roleGroups: SingleSignOn["roleGroups"]): string[] {
    return grafanaRoles.flatMap((role) => roleGroups[role] ?? []);
}

/** The `[auth.generic_oauth]` section. */
export function genericOauthSection(sso: SingleSignOn): Record<string, string | boolean> {
    return {
        enabled: true,
        name: "Single sign-on",
        // Accounts are created at first sign-in (the IdP decides who exists); the form's sign-up stays off.
        allow_sign_up: true,
        auto_login: false,
        client_id: sso.clientId,
        scopes: sso.scopes.join(" "),
        empty_scopes: false,
        auth_url: sso.authUrl,
        token_url: sso.tokenUrl,
        api_url: sso.userInfoUrl,
        use_pkce: true,
        // The login that router and sign-in logs show as `uname`: a person's name at the IdP.
        login_attribute_path: "preferred_username || email",
        groups_attribute_path: claim(sso.groupsClaim),
        allowed_groups: mappedGroups(sso.roleGroups).join(","),
        role_attribute_path: roleAttributePath(sso.groupsClaim, sso.roleGroups),
        role_attribute_strict: true,
        // Grafana server administration is never granted by the IdP: it stays with the break-glass admin.
        allow_assign_grafana_admin: false,
        skip_org_role_sync: false,
        tls_skip_verify_insecure: false,
    };
}
