/**
 * AWS Client VPN, the only way people reach the platform: strong authentication, logged
 * connections (successful and failed), short sessions with a usage banner, its own security group,
 * and authorisation only to the platform's private networks.
 */
import type { ClientVpnAuthorizationRuleInputs as AuthorizationRuleInputs, ClientVpnEndpointInputs as EndpointInputs } from "./lib/aws";
import { awsTypes } from "./lib/aws-types";
import { effectiveAllowList, isAllowListed, isOpenCidr } from "./lib/cidrs";
import { rulesFor } from "./lib/define";
import { mutation, pick } from "./lib/mutate";
import { asList, isSet, isTrue, stringList } from "./lib/values";
import type { RuleDefinition } from "./types";


const { resourceRule } = rulesFor("vpn");

const connectionLogging = resourceRule({
    name: "client-vpn-connection-logging",
    description:
        "Every Client VPN connection attempt, successful or failed, is logged to CloudWatch. Fix: set " +
        "connectionLogOptions { enabled: true, cloudwatchLogGroup: <encrypted log group> } on the endpoint.",
    severity: "high",
    securityRule: 4,
    controls: ["Security Hub EC2.51"],
    appliesTo: awsTypes.vpnEndpoint,
    validate: ({ name, props }, report) => {
        const options = (props as EndpointInputs).connectionLogOptions;
        if (options?.enabled !== true) report(`Client VPN endpoint '${name}' does not log connections; set connectionLogOptions.enabled: true.`);
        else if (!isSet(options.cloudwatchLogGroup)) report(`Client VPN endpoint '${name}' logs connections nowhere; set connectionLogOptions.cloudwatchLogGroup.`);
    },
    violate: mutation("turn connection logging off on the first Client VPN endpoint", (resources) => {
        pick(resources, awsTypes.vpnEndpoint, "Client VPN endpoint").inputs.connectionLogOptions = { enabled: false };
    }),
});

const acceptedAuthentication = ["certificate-authentication", "federated-authentication"];

const strongAuthentication = resourceRule({
    name: "client-vpn-mutual-tls-or-federated-auth",
    description:
        "Client VPN users authenticate with a client certificate from the environment's CA (mutual TLS) or through SAML " +
        "federation with MFA at the identity provider, and the endpoint presents its own server certificate. Fix: set " +
        "authenticationOptions to certificate-authentication (rootCertificateChainArn = the imported client CA) or " +
        "federated-authentication (samlProviderArn), and serverCertificateArn.",
    severity: "critical",
    securityRule: 3,
    controls: [],
    appliesTo: awsTypes.vpnEndpoint,
    validate: ({ name, props }, report) => {
        const endpoint = props as EndpointInputs;
        const options = asList(endpoint.authenticationOptions);
        if (options.length === 0) report(`Client VPN endpoint '${name}' has no authentication options.`);
        for (const option of options) {
            if (!acceptedAuthentication.includes(option.type)) {
                report(`Client VPN endpoint '${name}' authenticates with '${option.type}'; use certificate-authentication (mutual TLS) or federated-authentication.`);
            } else if (option.type === "certificate-authentication" && !isSet(option.rootCertificateChainArn)) {
                report(`Client VPN endpoint '${name}' uses certificate authentication without rootCertificateChainArn (the client CA).`);
            } else if (option.type === "federated-authentication" && !isSet(option.samlProviderArn)) {
                report(`Client VPN endpoint '${name}' uses federated authentication without samlProviderArn.`);
            }
        }
        if (!isSet(endpoint.serverCertificateArn)) report(`Client VPN endpoint '${name}' has no serverCertificateArn.`);
    },
    violate: mutation("authenticate the first Client VPN endpoint with Active Directory only", (resources) => {
        pick(resources, awsTypes.vpnEndpoint, "Client VPN endpoint").inputs.authenticationOptions = [
            { type: "directory-service-authentication", activeDirectoryId: "d-0000000000" },
        ];
    }),
});

const sessionLimits = resourceRule<{ maximumSessionHours: number }>({
    name: "client-vpn-session-limits",
    description:
        "Client VPN sessions are short and announced: sessionTimeoutHours at most the maximum (8 in prod), a login banner " +
        "shown on connect, and no self-service portal unless users authenticate through federation. Fix: set " +
        "sessionTimeoutHours, clientLoginBannerOptions { enabled: true, bannerText } and selfServicePortal 'disabled'.",
    severity: "medium",
    securityRule: 3,
    controls: [],
    config: {
        maximumSessionHours: { type: "integer", enum: [8, 10, 12, 24], default: 12, description: "Longest accepted VPN session in hours." },
    },
    appliesTo: awsTypes.vpnEndpoint,
    validate: ({ name, props, config }, report) => {
        const endpoint = props as EndpointInputs;
        const hours = endpoint.sessionTimeoutHours ?? 24;
        if (hours > config.maximumSessionHours) report(`Client VPN endpoint '${name}' keeps sessions ${hours} hours; set sessionTimeoutHours to at most ${config.maximumSessionHours}.`);
        if (endpoint.clientLoginBannerOptions?.enabled !== true || !isSet(endpoint.clientLoginBannerOptions.bannerText)) {
            report(`Client VPN endpoint '${name}' shows no login banner; set clientLoginBannerOptions { enabled: true, bannerText }.`);
        }
        const federated = asList(endpoint.authenticationOptions).some((o) => o.type === "federated-authentication");
        if (endpoint.selfServicePortal === "enabled" && !federated) {
            report(`Client VPN endpoint '${name}' enables the self-service portal without federated authentication; set selfServicePortal 'disabled'.`);
        }
    },
    violate: mutation("let the first Client VPN endpoint keep sessions 24 hours", (resources) => {
        pick(resources, awsTypes.vpnEndpoint, "Client VPN endpoint").inputs.sessionTimeoutHours = 24;
    }),
});

const ownSecurityGroup = resourceRule({
    name: "client-vpn-own-security-group",
    description:
        "The Client VPN endpoint sits in the platform VPC behind its own security group (otherwise AWS applies the VPC's " +
        "default group). Fix: set vpcId and securityGroupIds to the endpoint's dedicated aws.ec2.SecurityGroup.",
    severity: "medium",
    securityRule: 2,
    controls: [],
    appliesTo: awsTypes.vpnEndpoint,
    validate: ({ name, props }, report) => {
        const endpoint = props as EndpointInputs;
        if (!isSet(endpoint.vpcId)) report(`Client VPN endpoint '${name}' names no vpcId.`);
        if (stringList(endpoint.securityGroupIds).length === 0) report(`Client VPN endpoint '${name}' has no securityGroupIds; attach its own security group.`);
    },
    violate: mutation("detach the security groups of the first Client VPN endpoint", (resources) => {
        const endpoint = pick(resources, awsTypes.vpnEndpoint, "Client VPN endpoint");
        delete endpoint.inputs.securityGroupIds;
        if (endpoint.propertyDependencies) endpoint.propertyDependencies.securityGroupIds = [];
    }),
});

const authorizationScoped = resourceRule<{ allowedCidrs: string[] }>({
    name: "client-vpn-authorization-scoped",
    description:
        "Client VPN authorisation rules open only the platform's private networks, never the internet. Fix: set " +
        "targetNetworkCidr to the platform VPC (or subnet) CIDR from the allow-list.",
    severity: "high",
    securityRule: 3,
    controls: [],
    config: {
        allowedCidrs: { type: "array", items: { type: "string" }, default: [], description: "Networks VPN users may be authorised to reach (default: private address space)." },
    },
    appliesTo: awsTypes.vpnAuthorizationRule,
    validate: ({ name, props, config }, report) => {
        const rule = props as AuthorizationRuleInputs;
        if (isOpenCidr(rule.targetNetworkCidr)) {
            report(`VPN authorisation rule '${name}' opens ${rule.targetNetworkCidr} (the internet through the VPN); target the platform VPC CIDR.`);
        } else if (!isAllowListed(rule.targetNetworkCidr, effectiveAllowList(config.allowedCidrs))) {
            report(`VPN authorisation rule '${name}' opens ${rule.targetNetworkCidr}, outside the allow-list ${effectiveAllowList(config.allowedCidrs).join(", ")}.`);
        }
        if (isTrue(rule.authorizeAllGroups) && isSet(rule.accessGroupId)) report(`VPN authorisation rule '${name}' sets both authorizeAllGroups and accessGroupId.`);
    },
    violate: mutation("authorise 0.0.0.0/0 in the first VPN authorisation rule", (resources) => {
        pick(resources, awsTypes.vpnAuthorizationRule, "Client VPN authorization rule").inputs.targetNetworkCidr = "0.0.0.0/0";
    }),
});

export const vpnRules: readonly RuleDefinition[] = [connectionLogging, strongAuthentication, sessionLimits, ownSecurityGroup, authorizationScoped];
