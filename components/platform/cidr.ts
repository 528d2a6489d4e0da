/** IPv4 CIDR arithmetic for config validation and allow-list checks (pure, no resources). */

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly network: number;
    readonly prefixLength: number;
}

/** Parses `a.b.c.d/n`; returns a reason string when the text is not a canonical IPv4 CIDR block. */
export function parseCidr(text: string): Cidr | string {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
    if (!match) return text.includes(":") ? "IPv6 is not supported here" : "not in a.b.c.d/n form";
    const octets = match.slice(1, 5).map(Number);
    const prefixLength = Number(match[5]);
    if (octets.some((o) => o > 255)) return "an octet is above 255";
    if (prefixLength > 32) return "prefix length above 32";
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const network = (address & mask(prefixLength)) >>> 0;
    if (network !== address) return `host bits set; the network is ${formatAddress(network)}/${prefixLength}`;
    return { network, prefixLength };
}

function mask(prefixLength: number): number {
    return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

function formatAddress(address: number): string {
    return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");
}

export function describeCidr(cidr: Cidr): string {
    return `${formatAddress(cidr.network)}/${cidr.prefixLength}`;
}

/** True when two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    const shorter = Math.min(a.prefixLength, b.prefixLength);
    return ((a.network & mask(shorter)) >>> 0) === ((b.network & mask(shorter)) >>> 0);
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return outer.prefixLength <= inner.prefixLength && cidrsOverlap(outer, inner);
}

/** True for the "any address" blocks that must never appear in an ingress allow-list. */
export function isOpenToInternet(cidr: string): boolean {
    const trimmed = cidr.trim();
    return trimmed === "0.0.0.0/0" || trimmed === "::/0";
}

/** The address `offset` places after the network address of a block, e.g. the VPC resolver at +2. */
export function addressInBlock(cidrText: string, offset: number): string {
    const cidr = parseCidr(cidrText);
    if (typeof cidr === "string") throw new Error(`${cidrText} is not an IPv4 CIDR block: ${cidr}`);
    const size = 2 ** (32 - cidr.prefixLength);
    if (!Number.isInteger(offset) || offset < 0 || offset >= size) {
        throw new Error(`offset ${offset} lies outside ${cidrText} (${size} addresses)`);
    }
    return formatAddress((cidr.network + offset) >>> 0);
}

/** True when the IPv4 address lies inside the block. */
export function addressInCidr(address: string, cidrText: string): boolean {
    const block = parseCidr(cidrText);
    const host = parseCidr(`${address}/32`);
    if (typeof block === "string") throw new Error(`${cidrText} is not an IPv4 CIDR block: ${block}`);
    if (typeof host === "string") throw new Error(`${address} is not an IPv4 address: ${host}`);
    return cidrContains(block, host);
}
