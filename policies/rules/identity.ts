/**
 * People are known by name: Client VPN signs each person in through the identity provider (so its
 * connection log names them) and admits only members of the groups allowed to reach Grafana, and
 * Grafana signs people in through single sign-on, with no shared local passwords in production.
 */
import type { ClientVpnAuthorizationRuleInputs as AuthorizationRuleInputs, ClientVpnEndpointInputs as EndpointInputs } from "./lib/aws";
import { awsTypes } from "./lib/aws-types";
import { iniDocuments } from "./lib/config-documents";
import { rulesFor } from "./lib/define";
import { containersOf, objectLabel, podSpecOf, workloadTypes } from "./lib/kubernetes";
import { editConfigMapIni, mutation, pick } from "./lib/mutate";
import { asList, isSet, isTrue } from "./lib/values";
import type { RuleDefinition } from "./types";


const { resourceRule } = rulesFor("identity");

/** Authentication that names a person (Client VPN logs `username` for these). */
const personalAuthentication = ["federated-authentication", "directory-service-authentication"];

const vpnPerPerson = resourceRule({
    name: "client-vpn-per-person-authentication",
    description:
        "Client VPN users sign in as themselves, through SAML federation (or a directory), so the connection log names " +
        "the person and a leaver is revoked at the identity provider; a certificate alone is a shared credential. Fix: " +
        "set authenticationOptions to federated-authentication with samlProviderArn.",
    severity: "high",
    securityRule: 4,
    controls: [],
    appliesTo: awsTypes.vpnEndpoint,
    validate: ({ name, props }, report) => {
        const options = asList((props as EndpointInputs).authenticationOptions);
        if (!options.some((o) => personalAuthentication.includes(o.type))) {
            report(`Client VPN endpoint '${name}' signs nobody in by name (${options.map((o) => o.type).join(", ") || "no authentication"}); add federated-authentication.`);
        }
    },
    violate: mutation("authenticate the first Client VPN endpoint by client certificate only", (resources) => {
        const endpoint = pick(resources, awsTypes.vpnEndpoint, "Client VPN endpoint");
        // The shared-certificate setup the platform had: the server certificate's ARN as the client root.
        endpoint.inputs.authenticationOptions = [{ type: "certificate-authentication", rootCertificateChainArn: endpoint.inputs.serverCertificateArn }];
    }),
});

const vpnByGroup = resourceRule({
    name: "client-vpn-authorization-by-group",
    description:
        "Each Client VPN authorization rule admits the members of one identity-provider group (who may reach Grafana), " +
        "never every authenticated user. Fix: set accessGroupId and leave authorizeAllGroups unset.",
    severity: "high",
    securityRule: 3,
    controls: [],
    appliesTo: awsTypes.vpnAuthorizationRule,
    validate: ({ name, props }, report) => {
        const rule = props as AuthorizationRuleInputs;
        if (isTrue(rule.authorizeAllGroups)) report(`VPN authorisation rule '${name}' admits every authenticated user; name the group in accessGroupId.`);
        else if (!isSet(rule.accessGroupId)) report(`VPN authorisation rule '${name}' names no accessGroupId.`);
    },
    violate: mutation("authorise all groups in the first VPN authorisation rule", (resources) => {
        const rule = pick(resources, awsTypes.vpnAuthorizationRule, "Client VPN authorization rule");
        delete rule.inputs.accessGroupId;
        rule.inputs.authorizeAllGroups = true;
    }),
});

/**
 * Environment overrides (`GF_<SECTION>_<KEY>` beats grafana.ini) that would undo single sign-on:
 * which value reopens password login, and whether that is wrong even where password login is allowed.
 */
const envOverrides: Readonly<Record<string, { readonly setting: string; readonly reopenedBy: string; readonly always: boolean }>> = {
    GF_AUTH_GENERIC_OAUTH_ENABLED: { setting: "[auth.generic_oauth] enabled", reopenedBy: "false", always: true },
    GF_AUTH_DISABLE_LOGIN_FORM: { setting: "[auth] disable_login_form", reopenedBy: "false", always: false },
    GF_AUTH_BASIC_ENABLED: { setting: "[auth.basic] enabled", reopenedBy: "true", always: false },
};

const grafanaSingleSignOn = resourceRule<{ passwordLoginAllowed: boolean }>({
    name: "grafana-single-sign-on",
    description:
        "Grafana signs people in through the identity provider (generic OAuth / OpenID Connect), and where password " +
        "login is not allowed (prod) the login form and basic auth are off, leaving only the documented break-glass " +
        "admin. Fix: set [auth.generic_oauth] enabled = true and, in prod, [auth] disable_login_form = true and " +
        "[auth.basic] enabled = false (and no GF_* env override turning them back).",
    severity: "high",
    securityRule: 3,
    controls: [],
    config: {
        passwordLoginAllowed: { type: "boolean", default: false, description: "Whether local password login (form, basic auth) may stay on (dev)." },
    },
    appliesTo: ["kubernetes:core/v1:ConfigMap", ...workloadTypes],
    validate: ({ type, name, props, config }, report) => {
        const spec = podSpecOf(type, props);
        if (spec) {
            for (const { container } of containersOf(spec)) {
                for (const variable of asList(container.env)) {
                    const override = envOverrides[variable.name];
                    if (!override || String(variable.value ?? "").toLowerCase() !== override.reopenedBy) continue;
                    if (override.always || !config.passwordLoginAllowed) {
                        report(`${type.split(":")[2]} '${objectLabel(props, name)}' env ${variable.name}=${variable.value} overrides ${override.setting}.`);
                    }
                }
            }
            return;
        }
        for (const { document } of iniDocuments(props).filter((d) => d.key === "grafana.ini")) {
            const where = `ConfigMap '${objectLabel(props, name)}' grafana.ini`;
            if (document["auth.generic_oauth"]?.enabled?.toLowerCase() !== "true") report(`${where}: [auth.generic_oauth] is not enabled; people must sign in through the identity provider.`);
            if (config.passwordLoginAllowed) continue;
            if (document.auth?.disable_login_form?.toLowerCase() !== "true") report(`${where}: [auth] disable_login_form is not true; the local login form stays open.`);
            if (document["auth.basic"]?.enabled?.toLowerCase() !== "false") report(`${where}: [auth.basic] enabled is not false; local passwords work on the API.`);
        }
    },
    violate: mutation("turn Grafana's login form back on and single sign-on off", (resources) =>
        editConfigMapIni(resources, "grafana.ini", (document) => {
            (document.auth ??= {}).disable_login_form = "false";
            (document["auth.generic_oauth"] ??= {}).enabled = "false";
        }),
    ),
});

export const identityRules: readonly RuleDefinition[] = [vpnPerPerson, vpnByGroup, grafanaSingleSignOn];
