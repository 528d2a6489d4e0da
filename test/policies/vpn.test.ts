import { describeRule, named } from "./helpers";

describe("policies: Client VPN", () => {
    // The endpoint shares its Pulumi name with its security group; pick it by type.
    const endpoint = (rs: any[]) => rs.find((r) => r.type === "aws:ec2clientvpn/endpoint:Endpoint");

    describeRule("client-vpn-connection-logging", [
        { title: "logging off", change: (rs) => (endpoint(rs).inputs.connectionLogOptions = { enabled: false }), expect: ["Client VPN endpoint 'tracing-vpn' does not log connections; set connectionLogOptions.enabled: true."] },
        {
            title: "logging on but to no log group",
            change: (rs) => (endpoint(rs).inputs.connectionLogOptions = { enabled: true }),
            expect: ["Client VPN endpoint 'tracing-vpn' logs connections nowhere; set connectionLogOptions.cloudwatchLogGroup."],
        },
    ]);

    describeRule("client-vpn-mutual-tls-or-federated-auth", [
        {
            title: "Active Directory passwords only, no server certificate",
            change: (rs) => {
                endpoint(rs).inputs.authenticationOptions = [{ type: "directory-service-authentication", activeDirectoryId: "d-1234567890" }];
                delete endpoint(rs).inputs.serverCertificateArn;
            },
            expect: [
                "Client VPN endpoint 'tracing-vpn' authenticates with 'directory-service-authentication'; use certificate-authentication (mutual TLS) or federated-authentication.",
                "Client VPN endpoint 'tracing-vpn' has no serverCertificateArn.",
            ],
        },
        {
            title: "certificate authentication without the client CA, federation without a SAML provider",
            change: (rs) => (endpoint(rs).inputs.authenticationOptions = [{ type: "certificate-authentication" }, { type: "federated-authentication" }]),
            expect: [
                "Client VPN endpoint 'tracing-vpn' uses certificate authentication without rootCertificateChainArn (the client CA).",
                "Client VPN endpoint 'tracing-vpn' uses federated authentication without samlProviderArn.",
            ],
        },
        { title: "no authentication options", change: (rs) => (endpoint(rs).inputs.authenticationOptions = []), expect: ["Client VPN endpoint 'tracing-vpn' has no authentication options."] },
        {
            title: "compliant: federated (SAML) authentication",
            change: (rs) => (endpoint(rs).inputs.authenticationOptions = [{ type: "federated-authentication", samlProviderArn: "arn:aws:iam::333333333333:saml-provider/idp" }]),
            expect: [],
        },
    ]);

    describeRule("client-vpn-session-limits", [
        {
            title: "default 24 h sessions, no banner, self-service portal with certificates",
            change: (rs) => {
                const inputs = endpoint(rs).inputs;
                delete inputs.sessionTimeoutHours;
                delete inputs.clientLoginBannerOptions;
                inputs.selfServicePortal = "enabled";
                inputs.authenticationOptions = [{ type: "certificate-authentication", rootCertificateChainArn: inputs.serverCertificateArn }];
            },
            expect: [
                "Client VPN endpoint 'tracing-vpn' keeps sessions 24 hours; set sessionTimeoutHours to at most 8.",
                "Client VPN endpoint 'tracing-vpn' shows no login banner; set clientLoginBannerOptions { enabled: true, bannerText }.",
                "Client VPN endpoint 'tracing-vpn' enables the self-service portal without federated authentication; set selfServicePortal 'disabled'.",
            ],
        },
        { title: "compliant in dev: 12 h sessions", stack: "dev", change: (rs) => (endpoint(rs).inputs.sessionTimeoutHours = 12), expect: [] },
        {
            title: "10 h sessions exceed prod's 8",
            change: (rs) => (endpoint(rs).inputs.sessionTimeoutHours = 10),
            expect: ["Client VPN endpoint 'tracing-vpn' keeps sessions 10 hours; set sessionTimeoutHours to at most 8."],
        },
    ]);

    describeRule("client-vpn-own-security-group", [
        {
            title: "no VPC, no security group",
            change: (rs) => {
                delete endpoint(rs).inputs.vpcId;
                endpoint(rs).inputs.securityGroupIds = [];
            },
            expect: ["Client VPN endpoint 'tracing-vpn' names no vpcId.", "Client VPN endpoint 'tracing-vpn' has no securityGroupIds; attach its own security group."],
        },
    ]);

    describeRule("client-vpn-authorization-scoped", [
        {
            title: "the internet through the VPN",
            change: (rs) => (named(rs, "tracing-vpn-platform-vpc").inputs.targetNetworkCidr = "0.0.0.0/0"),
            expect: ["VPN authorisation rule 'tracing-vpn-platform-vpc' opens 0.0.0.0/0 (the internet through the VPN); target the platform VPC CIDR."],
        },
        {
            title: "a network off the allow-list (the dev VPC from prod)",
            change: (rs) => (named(rs, "tracing-vpn-platform-vpc").inputs.targetNetworkCidr = "10.20.0.0/16"),
            expect: [
                "VPN authorisation rule 'tracing-vpn-platform-vpc' opens 10.20.0.0/16, outside the allow-list 10.40.0.0/16, 172.24.0.0/20, 10.40.64.0/18, 10.41.0.0/20.",
            ],
        },
        {
            title: "a group and all groups at once",
            change: (rs) => (named(rs, "tracing-vpn-platform-vpc").inputs.authorizeAllGroups = true),
            expect: ["VPN authorisation rule 'tracing-vpn-platform-vpc' sets both authorizeAllGroups and accessGroupId."],
        },
        { title: "compliant: a subnet inside the VPC", change: (rs) => (named(rs, "tracing-vpn-platform-vpc").inputs.targetNetworkCidr = "10.40.1.0/24"), expect: [] },
    ]);
});
