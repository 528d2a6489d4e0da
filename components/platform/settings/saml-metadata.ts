/**
 * Checks that a text is an identity provider's SAML 2.0 metadata document, the input IAM's
 * CreateSAMLProvider accepts (IAM API reference: SAMLMetadataDocument, 1,000 to 10,000,000
 * characters). IAM rejects a bad document only when the stack is deployed, and Client VPN then
 * fails every login; checking it here turns that into a settings error before anything changes.
 *
 * Without an XML library in the program, the check is structural: balanced elements, an
 * EntityDescriptor in the SAML metadata namespace with an entityID, an IDPSSODescriptor for the
 * SAML 2.0 protocol with an HTTPS SingleSignOnService, and a signing certificate that parses as
 * X.509 and has not expired.
 */
import { X509Certificate } from "crypto";

export const samlMetadataNamespace = "urn:oasis:names:tc:SAML:2.0:metadata";
const samlProtocol = "urn:oasis:names:tc:SAML:2.0:protocol";
const iamLengthLimits = { min: 1000, max: 10_000_000 } as const;

export interface SamlMetadata {
    /** The document, as IAM receives it. */
    readonly xml: string;
    /** The identity provider's entityID (what IAM Identity Center or any SAML IdP calls its issuer). */
    readonly entityId: string;
}

/** Markup that is not an element: comments, processing instructions, CDATA, DOCTYPE. */
const nonElementMarkup = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>/g;
const tagPattern = /<(\/?)([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;

interface Element {
    readonly localName: string;
    readonly attributes: Readonly<Record<string, string>>;
}

function attributesOf(text: string): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (const match of text.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[match[1]] = match[2] ?? match[3];
    return attributes;
}

/** Every start tag in document order, or why the markup is not well formed. */
function elements(xml: string): Element[] | string {
    const markup = xml.replace(nonElementMarkup, (m) => " ".repeat(m.length));
    const found: Element[] = [];
    const open: string[] = [];
    let position = 0;
    for (const match of markup.matchAll(tagPattern)) {
        if (/</.test(markup.slice(position, match.index))) return `markup that is not a well-formed tag near character ${position}`;
        position = match.index + match[0].length;
        const [, closing, qualifiedName, attributeText, selfClosing] = match;
        if (closing) {
            const expected = open.pop();
            if (expected !== qualifiedName) return `</${qualifiedName}> closes ${expected ? `<${expected}>` : "nothing"}`;
            continue;
        }
        if (found.length > 0 && open.length === 0) return `<${qualifiedName}> follows the root element`;
        found.push({ localName: qualifiedName.split(":").pop()!, attributes: attributesOf(attributeText) });
        if (!selfClosing) open.push(qualifiedName);
    }
    if (/</.test(markup.slice(position))) return `markup that is not a well-formed tag near character ${position}`;
    if (open.length > 0) return `<${open[open.length - 1]}> is never closed`;
    if (found.length === 0) return "no XML elements";
    return found;
}

/** The base64 bodies of every X509Certificate element. */
function certificates(xml: string): string[] {
    return [...xml.matchAll(/<(?:[\w.-]+:)?X509Certificate>([\s\S]*?)<\/(?:[\w.-]+:)?X509Certificate>/g)].map((m) => m[1].replace(/\s+/g, ""));
}

/**
 * Reads a metadata document: returns it with its entityID, or the list of what is wrong with it
 * (empty list never returned; each entry says what is missing or malformed).
 */
export function parseSamlMetadata(xml: string, now: Date = new Date()): SamlMetadata | string[] {
    const problems: string[] = [];
    if (xml.length < iamLengthLimits.min || xml.length > iamLengthLimits.max) {
        problems.push(`${xml.length} characters (IAM accepts ${iamLengthLimits.min} to ${iamLengthLimits.max})`);
    }
    const parsed = elements(xml);
    if (typeof parsed === "string") return [...problems, `not well-formed XML: ${parsed}`];
    const root = parsed[0];
    const namespaceDeclared = Object.entries(root.attributes).some(([name, value]) => /^xmlns(:|$)/.test(name) && value === samlMetadataNamespace);
    if (root.localName !== "EntityDescriptor" || !namespaceDeclared) {
        problems.push(`the root element is <${root.localName}>, not an EntityDescriptor in the ${samlMetadataNamespace} namespace`);
    }
    const entityId = root.attributes.entityID ?? "";
    if (!entityId) problems.push("the EntityDescriptor has no entityID");
    const idp = parsed.find((e) => e.localName === "IDPSSODescriptor");
    if (!idp) problems.push("no IDPSSODescriptor (this is not an identity provider's metadata)");
    else if (!(idp.attributes.protocolSupportEnumeration ?? "").split(/\s+/).includes(samlProtocol)) {
        problems.push(`the IDPSSODescriptor does not support ${samlProtocol}`);
    }
    const signOn = parsed.filter((e) => e.localName === "SingleSignOnService");
    if (!signOn.some((e) => (e.attributes.Location ?? "").startsWith("https://"))) problems.push("no SingleSignOnService with an https:// Location");
    const bodies = certificates(xml);
    if (bodies.length === 0) problems.push("no X509Certificate (the key the IdP signs assertions with)");
    for (const body of bodies) {
        try {
            const certificate = new X509Certificate(Buffer.from(body, "base64"));
            if (new Date(certificate.validTo) <= now) problems.push(`the signing certificate expired on ${certificate.validTo}`);
        } catch {
            problems.push("an X509Certificate that is not a base64 DER certificate");
        }
    }
    return problems.length > 0 ? problems : { xml, entityId };
}
