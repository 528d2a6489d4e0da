/** A single sign-on configuration as the settings reader returns it, for the pure ini builders. */
import { SecretText } from "../../components/platform/settings";
import type { SingleSignOn } from "../../components/grafana/single-sign-on";

export function singleSignOn(overrides: Partial<SingleSignOn> = {}): SingleSignOn {
    return {
        issuer: "https://sso.example.com/realms/tracing",
        authUrl: "https://sso.example.com/realms/tracing/protocol/openid-connect/auth",
        tokenUrl: "https://sso.example.com/realms/tracing/protocol/openid-connect/token",
        userInfoUrl: "https://sso.example.com/realms/tracing/protocol/openid-connect/userinfo",
        clientId: "grafana-tracing-test",
        clientSecret: new SecretText("client-secret-that-must-not-leak"),
        scopes: ["openid", "email", "profile", "groups"],
        groupsClaim: "groups",
        roleGroups: { Admin: ["/tracing/admins"], Editor: ["/tracing/sre", "/tracing/oncall"], Viewer: ["/tracing/readers"] },
        providerHosts: ["sso.example.com"],
        providerCidrs: ["10.60.10.0/28"],
        passwordLogin: false,
        ...overrides,
    };
}
