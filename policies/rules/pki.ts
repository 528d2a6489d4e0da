/**
 * The platform PKI (@pulumi/tls): keys strong enough for their role (CA keys stronger), short-lived
 * certificates that a `pulumi up` renews before they expire, and each certificate limited to its
 * job (CA signing, server or client authentication) with the names it serves.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";
import type * as tls from "@pulumi/tls";
import { rulesFor } from "./lib/define";
import { mutation, pick } from "./lib/mutate";
import type { StackView } from "./lib/stack-view";
import { stringList } from "./lib/values";
import type { RuleDefinition } from "./types";

type PrivateKeyInputs = Unwrap<tls.PrivateKeyArgs>;
type SelfSignedCertInputs = Unwrap<tls.SelfSignedCertArgs>;
type LocallySignedCertInputs = Unwrap<tls.LocallySignedCertArgs>;
type CertRequestInputs = Unwrap<tls.CertRequestArgs>;

const { resourceRule, stackRule } = rulesFor("pki");

const tlsTypes = {
    privateKey: ["tls:index/privateKey:PrivateKey"],
    selfSigned: ["tls:index/selfSignedCert:SelfSignedCert"],
    locallySigned: ["tls:index/locallySignedCert:LocallySignedCert"],
    certRequest: ["tls:index/certRequest:CertRequest"],
} as const;

const certificateTypes: readonly string[] = [...tlsTypes.selfSigned, ...tlsTypes.locallySigned];

/** Keys that sign certificates: a CA's own key, or the key a LocallySignedCert is signed with. */
function signingKeys(view: StackView): Set<string> {
    const keys = view.ofType(tlsTypes.privateKey);
    const signing = new Set<string>();
    view.each(view.ofType(certificateTypes), (certificate) => {
        const isCa = certificate.props.isCaCertificate === true;
        for (const key of keys) {
            const signs =
                view.dependsThrough(certificate, "caPrivateKeyPem", key) ||
                view.dependsThrough(certificate, "caPrivateKeyPemWo", key) ||
                (isCa && (view.dependsThrough(certificate, "privateKeyPem", key) || view.dependsThrough(certificate, "privateKeyPemWo", key)));
            if (signs) signing.add(key.urn);
        }
    });
    return signing;
}

const privateKeysStrong = stackRule<{ minimumRsaBits: number; maximumRsaBits: number; allowedCurves: string[]; allowedCaCurves: string[] }>({
    name: "tls-private-keys-strong",
    description:
        "TLS keys are strong enough for their role and importable into ACM/Client VPN: ECDSA on P256/P384 (P384 for CA " +
        "keys) with the curve set explicitly (the provider default is P224), or RSA of exactly 2048 bits, which is only for " +
        "the Client VPN chain: Client VPN accepts 1024- and 2048-bit RSA only, CA included (AWS Client VPN administrator " +
        "guide, mutual authentication). Fix: set algorithm 'ECDSA' with ecdsaCurve 'P384' (or 'RSA' with rsaBits 2048) on the tls.PrivateKey.",
    severity: "high",
    securityRule: 1,
    controls: ["Security Hub ACM.2", "NIST SP 800-131A Rev. 2"],
    config: {
        minimumRsaBits: { type: "integer", default: 2048, description: "Smallest RSA key for leaf certificates." },
        maximumRsaBits: { type: "integer", default: 2048, description: "Largest RSA key Client VPN accepts, for leaves and CAs alike." },
        allowedCurves: { type: "array", items: { type: "string" }, default: ["P256", "P384"], description: "ECDSA curves accepted for leaf keys." },
        allowedCaCurves: { type: "array", items: { type: "string" }, default: ["P384"], description: "ECDSA curves accepted for signing keys." },
    },
    appliesTo: tlsTypes.privateKey,
    validate: ({ view, config }, report) => {
        const signing = signingKeys(view);
        view.each(view.ofType(tlsTypes.privateKey), (key: PolicyResource) => {
            const inputs = key.props as PrivateKeyInputs;
            const isCa = signing.has(key.urn);
            const role = isCa ? "signing key" : "key";
            if (inputs.algorithm === "RSA") {
                const bits = inputs.rsaBits ?? 2048;
                if (bits < config.minimumRsaBits) report(`TLS ${role} '${key.name}' is RSA-${bits}; use at least ${config.minimumRsaBits} bits.`, key.urn);
                else if (bits > config.maximumRsaBits) {
                    report(`TLS ${role} '${key.name}' is RSA-${bits}; Client VPN accepts at most ${config.maximumRsaBits}-bit RSA keys, CA included.`, key.urn);
                }
            } else if (inputs.algorithm === "ECDSA") {
                const allowed = isCa ? config.allowedCaCurves : config.allowedCurves;
                if (!inputs.ecdsaCurve || !allowed.includes(inputs.ecdsaCurve)) {
                    report(`TLS ${role} '${key.name}' uses curve '${inputs.ecdsaCurve ?? "P224 (provider default)"}'; set ecdsaCurve to ${allowed.join(" or ")}.`, key.urn);
                }
            } else {
                report(`TLS ${role} '${key.name}' uses ${inputs.algorithm}, which ACM and Client VPN cannot import; use ECDSA or RSA.`, key.urn);
            }
        });
    },
    violate: mutation("make the first TLS private key RSA-1024", (resources) => {
        const key = pick(resources, tlsTypes.privateKey, "TLS private key");
        key.inputs.algorithm = "RSA";
        key.inputs.rsaBits = 1024;
        delete key.inputs.ecdsaCurve;
    }),
});

const certificatesShortLived = resourceRule<{ maximumLeafValidityHours: number; maximumCaValidityHours: number; minimumEarlyRenewalHours: number }>({
    name: "tls-certificates-short-lived-and-renewed",
    description:
        "Certificates are short-lived and renewed before they expire: validity at most a year for leaves (ten for a CA) " +
        "and an earlyRenewalHours window so the next `pulumi up` inside it replaces the certificate. Fix: set " +
        "validityPeriodHours and earlyRenewalHours from the stack's certValidityHours/caValidityHours/certEarlyRenewalHours.",
    severity: "medium",
    securityRule: 1,
    controls: ["Security Hub ACM.1"],
    config: {
        maximumLeafValidityHours: { type: "integer", default: 8760, description: "Longest validity of a leaf certificate." },
        maximumCaValidityHours: { type: "integer", default: 87600, description: "Longest validity of a CA certificate." },
        minimumEarlyRenewalHours: { type: "integer", default: 24, description: "Shortest renewal window before expiry." },
    },
    appliesTo: certificateTypes,
    validate: ({ name, props, config }, report) => {
        const certificate = props as SelfSignedCertInputs | LocallySignedCertInputs;
        const isCa = certificate.isCaCertificate === true;
        const maximum = isCa ? config.maximumCaValidityHours : config.maximumLeafValidityHours;
        const kind = isCa ? "CA certificate" : "certificate";
        if (certificate.validityPeriodHours > maximum) report(`${kind} '${name}' is valid ${certificate.validityPeriodHours} hours; at most ${maximum}.`);
        const renewal = certificate.earlyRenewalHours ?? 0;
        if (renewal < config.minimumEarlyRenewalHours) report(`${kind} '${name}' has earlyRenewalHours ${renewal}; set at least ${config.minimumEarlyRenewalHours} so updates renew it before expiry.`);
        else if (renewal >= certificate.validityPeriodHours) report(`${kind} '${name}' has earlyRenewalHours ${renewal}, not shorter than its validity ${certificate.validityPeriodHours}.`);
    },
    violate: mutation("make the first certificate valid for 200000 hours", (resources) => {
        pick(resources, certificateTypes, "TLS certificate").inputs.validityPeriodHours = 200000;
    }),
});

const caUses = ["cert_signing", "crl_signing", "digital_signature"];
const signingUses = ["cert_signing", "crl_signing"];

const certificatesScopedUsage = stackRule({
    name: "tls-certificates-scoped-usage",
    description:
        "Each certificate does one job: a CA signs (cert_signing, crl_signing) and serves nobody; a leaf is for " +
        "server_auth and/or client_auth, never signs and never 'any_extended'; server certificates name the DNS names or " +
        "IPs they serve, without wildcards. Fix: set allowedUses accordingly and dnsNames on the CertRequest/SelfSignedCert.",
    severity: "high",
    securityRule: 1,
    controls: ["Checkov CKV2_AWS_71"],
    appliesTo: certificateTypes,
    validate: ({ view }, report) => {
        const requests = view.ofType(tlsTypes.certRequest);
        view.each(view.ofType(certificateTypes), (certificate) => {
            const inputs = certificate.props as SelfSignedCertInputs | LocallySignedCertInputs;
            const uses = stringList(inputs.allowedUses);
            if (uses.includes("any_extended")) report(`certificate '${certificate.name}' allows any_extended usage.`, certificate.urn);
            if (inputs.isCaCertificate === true) {
                if (!uses.includes("cert_signing")) report(`CA certificate '${certificate.name}' cannot sign certificates; add cert_signing.`, certificate.urn);
                const extra = uses.filter((u) => !caUses.includes(u) && u !== "any_extended");
                if (extra.length > 0) report(`CA certificate '${certificate.name}' is also usable for ${extra.join(", ")}; keep the CA to signing.`, certificate.urn);
                return;
            }
            const signs = uses.filter((u) => signingUses.includes(u));
            if (signs.length > 0) report(`leaf certificate '${certificate.name}' allows ${signs.join(", ")}; only a CA signs.`, certificate.urn);
            if (!uses.includes("server_auth") && !uses.includes("client_auth")) report(`leaf certificate '${certificate.name}' allows neither server_auth nor client_auth.`, certificate.urn);
            const request = requests.find((r) => view.dependsThrough(certificate, "certRequestPem", r));
            const names = request ? (request.props as CertRequestInputs) : (inputs as SelfSignedCertInputs);
            const dnsNames = stringList(names.dnsNames);
            if (uses.includes("server_auth") && dnsNames.length === 0 && stringList(names.ipAddresses).length === 0) {
                report(`server certificate '${certificate.name}' names no DNS names or IP addresses.`, certificate.urn);
            }
            for (const wildcard of dnsNames.filter((n) => n.includes("*"))) report(`certificate '${certificate.name}' covers wildcard name '${wildcard}'; list the exact names.`, certificate.urn);
        });
    },
    violate: mutation("allow any_extended usage on the first certificate", (resources) => {
        const certificate = pick(resources, certificateTypes, "TLS certificate");
        certificate.inputs.allowedUses = [...stringList(certificate.inputs.allowedUses), "any_extended"];
    }),
});

export const pkiRules: readonly RuleDefinition[] = [privateKeysStrong, certificatesShortLived, certificatesScopedUsage];
