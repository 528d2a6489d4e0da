import { describeRule, named } from "./helpers";

describe("policies: TLS / PKI", () => {
    describeRule("tls-private-keys-strong", [
        {
            title: "the provider's default curve, RSA-1024, Ed25519",
            change: (rs) => {
                delete named(rs, "grafana-server-tls-key").inputs.ecdsaCurve;
                Object.assign(named(rs, "vpn-client-key").inputs, { algorithm: "RSA", rsaBits: 1024 });
                rs.push({ ...structuredClone(named(rs, "vpn-client-key")), urn: "urn:pulumi:prod::tracing-platform::tls:index/privateKey:PrivateKey::ssh", name: "ssh", inputs: { algorithm: "ED25519" } });
            },
            expect: [
                "TLS key 'grafana-server-tls-key' uses curve 'P224 (provider default)'; set ecdsaCurve to P256 or P384.",
                "TLS key 'vpn-client-key' is RSA-1024; use at least 2048 bits.",
                "TLS key 'ssh' uses ED25519, which ACM and Client VPN cannot import; use ECDSA or RSA.",
            ],
        },
        {
            title: "a CA key on P-256 or RSA-2048 is too weak for signing",
            change: (rs) => (named(rs, "tracing-ca-key").inputs.ecdsaCurve = "P256"),
            expect: ["TLS signing key 'tracing-ca-key' uses curve 'P256'; set ecdsaCurve to P384."],
        },
        {
            title: "an RSA-3072 CA key, which Client VPN refuses (1024/2048-bit RSA only, CA included)",
            change: (rs) => (named(rs, "tracing-ca-key").inputs = { algorithm: "RSA", rsaBits: 3072 }),
            expect: ["TLS signing key 'tracing-ca-key' is RSA-3072; Client VPN accepts at most 2048-bit RSA keys, CA included."],
        },
        {
            title: "compliant: an RSA-2048 CA key",
            change: (rs) => (named(rs, "tracing-ca-key").inputs = { algorithm: "RSA", rsaBits: 2048 }),
            expect: [],
        },
    ]);

    describeRule("tls-certificates-short-lived-and-renewed", [
        {
            title: "a two-year leaf renewed never; a CA past ten years",
            change: (rs) => {
                const leaf = named(rs, "grafana-server-tls-cert").inputs;
                leaf.validityPeriodHours = 17520;
                delete leaf.earlyRenewalHours;
                named(rs, "tracing-ca").inputs.validityPeriodHours = 100000;
            },
            expect: [
                "CA certificate 'tracing-ca' is valid 100000 hours; at most 87600.",
                "certificate 'grafana-server-tls-cert' is valid 17520 hours; at most 8760.",
                "certificate 'grafana-server-tls-cert' has earlyRenewalHours 0; set at least 24 so updates renew it before expiry.",
            ],
        },
        {
            title: "a renewal window as long as the validity",
            change: (rs) => Object.assign(named(rs, "vpn-client-cert").inputs, { validityPeriodHours: 720, earlyRenewalHours: 720 }),
            expect: ["certificate 'vpn-client-cert' has earlyRenewalHours 720, not shorter than its validity 720."],
        },
    ]);

    describeRule("tls-certificates-scoped-usage", [
        {
            title: "a CA that also serves, a signing leaf, a leaf without auth usage",
            change: (rs) => {
                named(rs, "tracing-ca").inputs.allowedUses = ["cert_signing", "server_auth"];
                named(rs, "grafana-server-tls-cert").inputs.allowedUses = ["server_auth", "cert_signing"];
                named(rs, "vpn-client-cert").inputs.allowedUses = ["digital_signature"];
            },
            expect: [
                "CA certificate 'tracing-ca' is also usable for server_auth; keep the CA to signing.",
                "leaf certificate 'grafana-server-tls-cert' allows cert_signing; only a CA signs.",
                "leaf certificate 'vpn-client-cert' allows neither server_auth nor client_auth.",
            ],
        },
        {
            title: "a server certificate without names, one with a wildcard, any_extended",
            change: (rs) => {
                delete named(rs, "grafana-server-tls-request").inputs.dnsNames;
                named(rs, "vpn-client-request").inputs.dnsNames = ["*.tracing.example.com"];
                named(rs, "vpn-client-cert").inputs.allowedUses = ["client_auth", "any_extended"];
            },
            expect: [
                "server certificate 'grafana-server-tls-cert' names no DNS names or IP addresses.",
                "certificate 'vpn-client-cert' allows any_extended usage.",
                "certificate 'vpn-client-cert' covers wildcard name '*.tracing.example.com'; list the exact names.",
            ],
        },
        { title: "a CA that cannot sign", change: (rs) => (named(rs, "tracing-ca").inputs.allowedUses = ["crl_signing"]), expect: ["CA certificate 'tracing-ca' cannot sign certificates; add cert_signing."] },
    ]);
});
