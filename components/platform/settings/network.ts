/** The existing VPC the platform lives in, the Client VPN range, and who may reach it. */
import { parseCidr, cidrsOverlap, isOpenToInternet } from "../cidr";
import type { DeclaredKey } from "./keys";
import { readAllowList, readCidr, readResourceIds, show, type Reader } from "./reader";
import { endpointServices, type EndpointService, type Settings } from "./types";

/** Session timeouts AWS Client VPN accepts. */
export const vpnSessionTimeouts = [8, 10, 12, 24] as const;

/** Config key naming an endpoint to reuse, per service. */
const existingEndpointKeys: Readonly<Record<EndpointService, DeclaredKey>> = {
    s3: "existingS3EndpointId",
    sns: "existingSnsEndpointId",
    aps: "existingApsEndpointId",
    logs: "existingLogsEndpointId",
};

const labelKeyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function readNetwork(r: Reader): Settings["network"] {
    const vpcId = r.string("vpcId", "a VPC id such as vpc-0123456789abcdef0");
    if (vpcId && !/^vpc-[0-9a-f]{8,17}$/.test(vpcId)) r.problem("vpcId", vpcId, "a VPC id such as vpc-0123456789abcdef0");
    const vpcCidrText = r.string("vpcCidr", "the VPC's IPv4 CIDR block");
    const vpcCidr = vpcCidrText ? readCidr(r, "vpcCidr", vpcCidrText, "an IPv4 CIDR block such as 10.20.0.0/16") : undefined;
    if (vpcCidrText === "0.0.0.0/0") r.problem("vpcCidr", vpcCidrText, "the VPC's own CIDR block, never 0.0.0.0/0");
    const privateSubnetIds = readResourceIds(r, "privateSubnetIds", "subnet", 2);
    const privateRouteTableIds = readResourceIds(r, "privateRouteTableIds", "rtb", 1);
    const existingEndpointIds = readExistingEndpointIds(r);

    const vpnClientCidrText = r.string("vpnClientCidr", "an IPv4 CIDR block from /12 to /22");
    const vpnClientCidr = vpnClientCidrText
        ? readCidr(r, "vpnClientCidr", vpnClientCidrText, "an IPv4 CIDR block from /12 to /22")
        : undefined;
    if (vpnClientCidr && (vpnClientCidr.prefixLength < 12 || vpnClientCidr.prefixLength > 22)) {
        r.problem("vpnClientCidr", vpnClientCidrText, "an IPv4 CIDR block from /12 to /22 (AWS Client VPN limits)");
    }
    if (vpnClientCidr && vpcCidr && cidrsOverlap(vpnClientCidr, vpcCidr)) {
        r.problem("vpnClientCidr", vpnClientCidrText, `a block that does not overlap vpcCidr ${vpcCidrText}`);
    }
    const vpnSessionTimeoutHours = r.integer("vpnSessionTimeoutHours", 8, 24, "hours");
    if (!(vpnSessionTimeouts as readonly number[]).includes(vpnSessionTimeoutHours)) {
        r.problem("vpnSessionTimeoutHours", vpnSessionTimeoutHours, `one of ${vpnSessionTimeouts.join(", ")} hours`);
    }
    const vpnLoginBanner = r.string("vpnLoginBanner", "a login banner of at most 1400 characters");
    if (vpnLoginBanner.length > 1400) r.problem("vpnLoginBanner", `${vpnLoginBanner.length} characters`, "at most 1400 characters");

    // Each association is billed per hour; more of them keep the VPN up through a zone outage.
    const vpnSubnetAssociations = r.integer("vpnSubnetAssociations", 1, 16);
    if (privateSubnetIds.length > 0 && vpnSubnetAssociations > privateSubnetIds.length) {
        r.problem("vpnSubnetAssociations", vpnSubnetAssociations, `at most the number of privateSubnetIds (${privateSubnetIds.length})`);
    }

    const appOtlpCidrs = readAllowList(r, "appOtlpCidrs", 1);
    for (const entry of appOtlpCidrs) {
        if (isOpenToInternet(entry)) continue;
        const cidr = parseCidr(entry);
        if (typeof cidr !== "string" && vpnClientCidr && cidrsOverlap(cidr, vpnClientCidr)) {
            r.problem("appOtlpCidrs", entry, `application networks, not the VPN client range ${vpnClientCidrText}`);
        }
    }

    const labelText = r.string("appNamespaceLabel", "a namespace label selector key=value");
    const [labelKey, labelValue, ...rest] = labelText.split("=");
    if (labelText && (rest.length > 0 || !labelKeyPattern.test(labelKey ?? "") || labelValue === undefined || !labelValuePattern.test(labelValue))) {
        r.problem("appNamespaceLabel", labelText, "one Kubernetes label key=value, e.g. tracing.example.com/enabled=true");
    }

    return {
        vpcId,
        vpcCidr: vpcCidrText,
        privateSubnetIds,
        privateRouteTableIds,
        existingEndpointIds,
        vpnClientCidr: vpnClientCidrText,
        vpnSessionTimeoutHours,
        vpnLoginBanner,
        vpnSubnetAssociations,
        appOtlpCidrs,
        appNamespaceLabel: { key: labelKey, value: labelValue },
    };
}

/**
 * Endpoints to reuse: an S3 gateway endpoint already on the route tables (AWS allows one per route
 * table) or a private-DNS interface endpoint already in the VPC (AWS allows one per service). Each
 * endpoint serves one service, so one id given for two services is a mistake in one of them.
 */
export function readExistingEndpointIds(r: Reader): Settings["network"]["existingEndpointIds"] {
    const ids: Partial<Record<EndpointService, string>> = {};
    const servicesById = new Map<string, EndpointService>();
    for (const service of endpointServices) {
        const key = existingEndpointKeys[service];
        const id = r.optionalString(key).trim();
        if (id === "") continue;
        if (!/^vpce-[0-9a-f]{8,17}$/.test(id)) {
            r.problem(key, id, "a VPC endpoint id such as vpce-0123456789abcdef0, or empty to create the endpoint");
            continue;
        }
        const other = servicesById.get(id);
        if (other) {
            r.problem(key, id, `the ${service} endpoint's own id; ${show(id)} is already ${existingEndpointKeys[other]}, and an endpoint serves one service`);
            continue;
        }
        servicesById.set(id, service);
        ids[service] = id;
    }
    return ids;
}
