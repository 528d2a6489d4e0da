import { editConfigMapIni } from "../../policies/rules/lib/mutate";
import { describeRule, named } from "./helpers";

describe("policies: people are known by name", () => {
    const endpoint = (rs: any[]) => rs.find((r) => r.type === "aws:ec2clientvpn/endpoint:Endpoint");
    // The Deployment shares its Pulumi name with the Service; pick it by type.
    const grafanaContainer = (rs: any[]) => rs.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "tracing-grafana").inputs.spec.template.spec.containers[0];

    describeRule("client-vpn-per-person-authentication", [
        {
            title: "a shared client certificate only (what the platform had)",
            change: (rs) => (endpoint(rs).inputs.authenticationOptions = [{ type: "certificate-authentication", rootCertificateChainArn: "arn:aws:acm:eu-west-1:333333333333:certificate/ca" }]),
            expect: ["Client VPN endpoint 'tracing-vpn' signs nobody in by name (certificate-authentication); add federated-authentication."],
        },
        { title: "no authentication options", change: (rs) => (endpoint(rs).inputs.authenticationOptions = []), expect: ["Client VPN endpoint 'tracing-vpn' signs nobody in by name (no authentication); add federated-authentication."] },
        {
            title: "compliant: a device certificate and SAML federation together",
            change: (rs) =>
                endpoint(rs).inputs.authenticationOptions.unshift({ type: "certificate-authentication", rootCertificateChainArn: "arn:aws:acm:eu-west-1:333333333333:certificate/ca" }),
            expect: [],
        },
    ]);

    describeRule("client-vpn-authorization-by-group", [
        {
            title: "every authenticated user admitted",
            change: (rs) => {
                delete named(rs, "tracing-vpn-platform-vpc").inputs.accessGroupId;
                named(rs, "tracing-vpn-platform-vpc").inputs.authorizeAllGroups = true;
            },
            expect: ["VPN authorisation rule 'tracing-vpn-platform-vpc' admits every authenticated user; name the group in accessGroupId."],
        },
        {
            title: "neither a group nor all groups",
            change: (rs) => delete named(rs, "tracing-vpn-platform-vpc").inputs.accessGroupId,
            expect: ["VPN authorisation rule 'tracing-vpn-platform-vpc' names no accessGroupId."],
        },
    ]);

    describeRule("grafana-single-sign-on", [
        {
            title: "prod: login form, basic auth and no single sign-on",
            change: (rs) =>
                editConfigMapIni(rs, "grafana.ini", (document) => {
                    document.auth.disable_login_form = "false";
                    delete document["auth.basic"];
                    delete document["auth.generic_oauth"];
                }),
            expect: [
                "ConfigMap 'tracing-grafana/grafana-config' grafana.ini: [auth.basic] enabled is not false; local passwords work on the API.",
                "ConfigMap 'tracing-grafana/grafana-config' grafana.ini: [auth.generic_oauth] is not enabled; people must sign in through the identity provider.",
                "ConfigMap 'tracing-grafana/grafana-config' grafana.ini: [auth] disable_login_form is not true; the local login form stays open.",
            ],
        },
        {
            title: "dev may keep the login form, but not without single sign-on",
            stack: "dev",
            change: (rs) =>
                editConfigMapIni(rs, "grafana.ini", (document) => {
                    document.auth.disable_login_form = "false";
                    document["auth.generic_oauth"].enabled = "false";
                }),
            expect: ["ConfigMap 'tracing-grafana/grafana-config' grafana.ini: [auth.generic_oauth] is not enabled; people must sign in through the identity provider."],
        },
        {
            title: "prod: an env override reopening the form and basic auth",
            change: (rs) => {
                grafanaContainer(rs).env = [
                    ...(grafanaContainer(rs).env ?? []),
                    { name: "GF_AUTH_DISABLE_LOGIN_FORM", value: "false" },
                    { name: "GF_AUTH_BASIC_ENABLED", value: "true" },
                ];
            },
            expect: [
                "Deployment 'tracing-grafana/grafana' env GF_AUTH_BASIC_ENABLED=true overrides [auth.basic] enabled.",
                "Deployment 'tracing-grafana/grafana' env GF_AUTH_DISABLE_LOGIN_FORM=false overrides [auth] disable_login_form.",
            ],
        },
        {
            title: "dev: an env override turning single sign-on off",
            stack: "dev",
            change: (rs) => (grafanaContainer(rs).env = [...(grafanaContainer(rs).env ?? []), { name: "GF_AUTH_GENERIC_OAUTH_ENABLED", value: "false" }]),
            expect: ["Deployment 'tracing-grafana/grafana' env GF_AUTH_GENERIC_OAUTH_ENABLED=false overrides [auth.generic_oauth] enabled."],
        },
    ]);
});
