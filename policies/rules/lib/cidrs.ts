/** CIDR allow-list checks shared by security groups, VPN authorisation, load balancers and NetworkPolicies. */
import { cidrContains, isOpenToInternet, parseCidr } from "../../../components/platform/cidr";

/**
 * Private address space (RFC 1918 and RFC 6598): what an allow-list may contain when a stack's
 * policy config names no narrower list.
 */
export const privateNetworks: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/** True for `0.0.0.0/0` and `::/0`. */
export function isOpenCidr(cidr: string): boolean {
    return isOpenToInternet(cidr);
}

/** True when `cidr` lies inside one of `allowList` (IPv6 only by exact match: the allow-lists are IPv4). */
export function isAllowListed(cidr: string, allowList: readonly string[]): boolean {
    const inner = parseCidr(cidr.trim());
    if (typeof inner === "string") return allowList.some((entry) => entry.trim() === cidr.trim());
    return allowList.some((entry) => {
        const outer = parseCidr(entry.trim());
        return typeof outer !== "string" && cidrContains(outer, inner);
    });
}

/** The allow-list a rule applies: its configured list, else private address space. */
export function effectiveAllowList(configured: readonly string[]): readonly string[] {
    return configured.length > 0 ? configured : privateNetworks;
}
