import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
    pkiPlan,
    authorityUses,
    type AuthorityId,
    type AuthoritySpec,
    type CertificateSubject,
    type KeySpec,
    type LeafCertificateSpec,
    type TlsSecretKey,
    senderLeafId,
} from "./plan";
import {
    alternatingAuthorities,
    authorityLifetime,
    leafLifetime,
    renewalWindow,
    scheduleOf,
    vpnServerLifetime,
    type CertificateLifetime,
} from "./rotation";
import {
    namespaces as namespaceNames,
    partOf,
    platformNamespaceKey,
    standardLabels,
    tlsSecrets,
    workloads,
    type PlatformNamespace,
} from "../platform/names";
import type { Settings } from "../platform/settings";

export interface PlatformPkiArgs {
    /** Environment name; written into every subject so each environment has its own authorities. */
    readonly environment: string;
    /** Validity and early-renewal windows (hours) from config. */
    readonly validity: Settings["pki"];
    /** The instant renewal windows are computed from (components/platform/clock.ts). */
    readonly now: Date;
    /** DNS name users open Grafana at; the Grafana server certificate names it. */
    readonly grafanaHostname: string;
    /** Upper bound of gateway replicas; the gateway certificate names every possible pod. */
    readonly gatewayMaxReplicas: number;
    /** OTLP senders outside the cluster; each gets its own client certificate. */
    readonly externalSenders: readonly string[];
    /** The platform namespaces the Secrets are written to. */
    readonly namespaces: Readonly<Record<PlatformNamespace, k8s.core.v1.Namespace>>;
}

/** A certificate and its private key (the key is always a Pulumi secret). */
export interface IssuedCertificate {
    /** The certificate (public PEM). */
    readonly certificatePem: pulumi.Output<string>;
    /** Its private key (PEM), a Pulumi secret. */
    readonly privateKeyPem: pulumi.Output<string>;
}

interface Authority {
    readonly key: tls.PrivateKey;
    readonly certificate: tls.SelfSignedCert;
}

/** The authority that signs a trust domain's leaves now, and the CA certificates its clients trust now. */
interface TrustDomain {
    readonly signer: Authority;
    readonly trusted: readonly Authority[];
}

/** `agentServer` -> `agent-server`, for resource names. */
function kebab(id: string): string {
    return id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Concatenated PEMs, each ending in a newline, as a CA file holds them. */
function pemBundle(pems: readonly string[]): string {
    return pems.map((pem) => (pem.endsWith("\n") ? pem : `${pem}\n`)).join("");
}

/** Key outputs that must never appear in plain text (state, previews, stack outputs). */
const privateKeyOutputs = ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"];

/**
 * The environment's PKI: a platform CA for workload mutual TLS and a separate VPN CA for Client
 * VPN (see plan.ts for why two), every leaf certificate of the plan, and the
 * Kubernetes Secrets workloads mount: one `kubernetes.io/tls` Secret per certificate (tls.crt,
 * tls.key, ca.crt) and the CA bundle (ca.crt) in every platform namespace.
 *
 * Renewal (rotation.ts): every key and certificate carries a `replacementTrigger` naming its current
 * renewal window, so the first `pulumi up` in a new window replaces it (@pulumi/tls alone never
 * would: pulumi/pulumi-tls#39); leaves are re-keyed too. A leaf is `replaceWith` its signing CA, so
 * a CA replaced for any reason (a `--replace` after a compromise included) reissues what it signed.
 * The platform CA is two authorities taking turns: the trust bundles (ca.crt everywhere, and the
 * `trustBundlePem` output) carry the next CA before it signs anything and the previous one until
 * everything it signed was replaced. Private keys exist only in Pulumi state (as secrets), in the
 * Secrets and in the secret outputs.
 */
export class PlatformPki extends pulumi.ComponentResource {
    /** The platform CA certificates trusted now (public PEM bundle): what clients of the platform's endpoints install. */
    public readonly trustBundlePem: pulumi.Output<string>;
    /** The VPN CA certificate (public): the chain of the endpoint's server certificate, which VPN clients verify. */
    public readonly vpnCaCertificatePem: pulumi.Output<string>;
    /** Client VPN server certificate and key, for the ACM import. */
    public readonly vpnServer: IssuedCertificate;
    /** Client certificate and key of each external OTLP sender, by sender name. */
    public readonly externalSenders: Readonly<Record<string, IssuedCertificate>>;
    /** The kubernetes.io/tls Secrets, keyed like `tlsSecrets` in names.ts. */
    public readonly tlsSecrets: Readonly<Record<TlsSecretKey, k8s.core.v1.Secret>>;
    /** The CA bundle Secret (`tlsSecrets.caBundle`, key ca.crt) of each platform namespace. */
    public readonly caBundles: Readonly<Record<PlatformNamespace, k8s.core.v1.Secret>>;

    private readonly resourceName: string;
    private readonly issued: Readonly<Record<LeafCertificateSpec["id"], IssuedCertificate>>;

    constructor(name: string, args: PlatformPkiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:pki:PlatformPki", name, args, opts);
        this.resourceName = name;
        const plan = pkiPlan({
            environment: args.environment,
            grafanaHostname: args.grafanaHostname,
            gatewayMaxReplicas: args.gatewayMaxReplicas,
            externalSenders: args.externalSenders,
        });

        const domains = {} as Record<AuthorityId, TrustDomain>;
        for (const spec of Object.values(plan.authorities)) domains[spec.id] = this.trustDomain(spec, args.validity, args.now);
        const bundle = (id: AuthorityId) => pulumi.all(domains[id].trusted.map((authority) => authority.certificate.certPem)).apply(pemBundle);

        const issued = {} as Record<LeafCertificateSpec["id"], IssuedCertificate>;
        const secrets = {} as Record<TlsSecretKey, k8s.core.v1.Secret>;
        for (const leaf of plan.leaves) {
            const lifetime = leaf.id === "vpnServer" ? vpnServerLifetime(args.validity) : leafLifetime(args.validity);
            issued[leaf.id] = this.leaf(leaf, domains[leaf.authority].signer, lifetime, args.now);
            if (leaf.secret) {
                secrets[leaf.id as TlsSecretKey] = this.tlsSecret(leaf, issued[leaf.id], bundle(leaf.authority), args);
            }
        }

        const caBundles = {} as Record<PlatformNamespace, k8s.core.v1.Secret>;
        for (const key of Object.keys(namespaceNames) as PlatformNamespace[]) {
            caBundles[key] = new k8s.core.v1.Secret(
                `${name}-ca-bundle-${key}`,
                {
                    metadata: {
                        name: tlsSecrets.caBundle,
                        namespace: args.namespaces[key].metadata.name,
                        labels: standardLabels(partOf, args.environment, "ca-bundle"),
                    },
                    type: "Opaque",
                    // The CA certificates are public; they are marked secret only because Secret
                    // objects in this project carry secret inputs throughout.
                    stringData: pulumi.secret(pulumi.output({ "ca.crt": bundle("platform") })),
                },
                { parent: this },
            );
        }

        this.trustBundlePem = bundle("platform");
        this.vpnCaCertificatePem = domains.vpn.signer.certificate.certPem;
        this.vpnServer = issued.vpnServer;
        this.externalSenders = Object.fromEntries(args.externalSenders.map((sender) => [sender, issued[senderLeafId(sender)]]));
        this.tlsSecrets = secrets;
        this.caBundles = caBundles;
        this.issued = issued;
        this.registerOutputs({
            trustBundlePem: this.trustBundlePem,
            vpnCaCertificatePem: this.vpnCaCertificatePem,
        });
    }

    /**
     * A hash of the platform trust bundle and the named workload certificates, for the pod template
     * of a workload that reads them only at start-up (`tlsHashAnnotation`): it changes exactly when
     * one of them is renewed, which rolls the pods onto the new files.
     */
    public tlsHash(...certificates: TlsSecretKey[]): pulumi.Output<string> {
        return pulumi
            .all([this.trustBundlePem, ...certificates.map((id) => this.issued[id].certificatePem)])
            .apply((pems) => createHash("sha256").update(pems.join("\0")).digest("hex"));
    }

    private privateKey(id: string, spec: KeySpec, renewal: string): tls.PrivateKey {
        return new tls.PrivateKey(
            `${this.resourceName}-${kebab(id)}-key`,
            spec.algorithm === "ECDSA" ? { algorithm: "ECDSA", ecdsaCurve: spec.ecdsaCurve } : { algorithm: "RSA", rsaBits: spec.rsaBits },
            { parent: this, additionalSecretOutputs: privateKeyOutputs, replacementTrigger: renewal },
        );
    }

    /** One authority, or two taking turns (the platform CA): who signs now and whom clients trust now. */
    private trustDomain(spec: AuthoritySpec, validity: Settings["pki"], now: Date): TrustDomain {
        const lifetime = authorityLifetime(validity);
        if (!spec.alternate) {
            const single = this.authority(spec.id, spec, spec.subject, lifetime, renewalWindow(scheduleOf(lifetime), now));
            return { signer: single, trusted: [single] };
        }
        const turns = alternatingAuthorities(validity, now);
        const pair = [
            this.authority(spec.id, spec, spec.subject, lifetime, turns.windows[0]),
            this.authority(`${spec.id}-2`, spec, spec.alternate, lifetime, turns.windows[1]),
        ] as const;
        return { signer: pair[turns.signer], trusted: turns.trusted.map((slot) => pair[slot]) };
    }

    private authority(id: string, spec: AuthoritySpec, subject: CertificateSubject, lifetime: CertificateLifetime, renewal: string): Authority {
        const key = this.privateKey(`${id}-ca`, spec.key, renewal);
        const certificate = new tls.SelfSignedCert(
            `${this.resourceName}-${id}-ca`,
            {
                privateKeyPem: pulumi.secret(key.privateKeyPem),
                subject: { ...subject },
                isCaCertificate: true,
                // The provider encodes 0 as "no path-length constraint" (it never sets Go's
                // MaxPathLenZero), so the guarantee that no intermediate exists is that this CA
                // signs only the plan's leaves, none of which is a CA.
                maxPathLength: 0,
                allowedUses: [...authorityUses],
                validityPeriodHours: lifetime.validityHours,
                // Renew while a full leaf lifetime remains, so no leaf outlives its CA.
                earlyRenewalHours: lifetime.earlyRenewalHours,
                setSubjectKeyId: true,
                setAuthorityKeyId: true,
            },
            { parent: this, replacementTrigger: renewal },
        );
        return { key, certificate };
    }

    private leaf(spec: LeafCertificateSpec, signer: Authority, lifetime: CertificateLifetime, now: Date): IssuedCertificate {
        const renewal = renewalWindow(scheduleOf(lifetime), now);
        const key = this.privateKey(spec.id, spec.key, renewal);
        const request = new tls.CertRequest(
            `${this.resourceName}-${kebab(spec.id)}-csr`,
            {
                privateKeyPem: pulumi.secret(key.privateKeyPem),
                subject: { ...spec.subject },
                ...(spec.dnsNames.length > 0 ? { dnsNames: [...spec.dnsNames] } : {}),
                ...(spec.uris.length > 0 ? { uris: [...spec.uris] } : {}),
            },
            { parent: this },
        );
        const certificate = new tls.LocallySignedCert(
            `${this.resourceName}-${kebab(spec.id)}-cert`,
            {
                certRequestPem: request.certRequestPem,
                caCertPem: signer.certificate.certPem,
                // Write-only: the CA key is sent to the provider but not copied into this
                // resource's state. A new CA key always comes with a new CA certificate, which
                // replaces this certificate, so the version never needs to move.
                caPrivateKeyPemWo: pulumi.secret(signer.key.privateKeyPem),
                caPrivateKeyPemWoVersion: 1,
                allowedUses: [...spec.allowedUses],
                validityPeriodHours: lifetime.validityHours,
                earlyRenewalHours: lifetime.earlyRenewalHours,
                setSubjectKeyId: true,
            },
            { parent: this, replacementTrigger: renewal, replaceWith: [signer.certificate] },
        );
        return { certificatePem: certificate.certPem, privateKeyPem: pulumi.secret(key.privateKeyPem) };
    }

    private tlsSecret(spec: LeafCertificateSpec, issued: IssuedCertificate, trustBundle: pulumi.Output<string>, args: PlatformPkiArgs): k8s.core.v1.Secret {
        const secret = spec.secret!;
        const namespaceKey = platformNamespaceKey(secret.namespace);
        return new k8s.core.v1.Secret(
            `${this.resourceName}-${kebab(spec.id)}-tls`,
            {
                metadata: {
                    name: secret.name,
                    namespace: args.namespaces[namespaceKey].metadata.name,
                    labels: standardLabels(workloads[spec.workload!].name, args.environment, "tls"),
                },
                type: "kubernetes.io/tls",
                stringData: pulumi.secret(
                    pulumi.output({ "tls.crt": issued.certificatePem, "tls.key": issued.privateKeyPem, "ca.crt": trustBundle }),
                ),
            },
            { parent: this },
        );
    }
}
