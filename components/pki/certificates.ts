import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
    pkiPlan,
    authorityUses,
    type AuthorityId,
    type AuthoritySpec,
    type KeySpec,
    type LeafCertificateSpec,
    type TlsSecretKey,
    senderLeafId,
} from "./plan";
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

/** `agentServer` -> `agent-server`, for resource names. */
function kebab(id: string): string {
    return id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Key outputs that must never appear in plain text (state, previews, stack outputs). */
const privateKeyOutputs = ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"];

/**
 * The environment's PKI: a platform CA for workload mutual TLS and a separate VPN CA for Client
 * VPN (see plan.ts for why two), every leaf certificate of the plan, and the
 * Kubernetes Secrets workloads mount: one `kubernetes.io/tls` Secret per certificate (tls.crt,
 * tls.key, ca.crt) and the CA bundle (ca.crt) in every platform namespace.
 *
 * Rotation: leaves carry `earlyRenewalHours`, so any `pulumi up` inside that window reissues
 * them. An authority renews once fewer than a leaf's lifetime of hours remain, so no leaf ever
 * outlives the CA that signed it; a renewed CA reissues every leaf it signed in the same update.
 * Private keys exist only in Pulumi state (as secrets), in the Secrets and in the secret outputs.
 */
export class PlatformPki extends pulumi.ComponentResource {
    /** The platform CA certificate (public): what clients of the platform's endpoints trust. */
    public readonly caCertificatePem: pulumi.Output<string>;
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

    constructor(name: string, args: PlatformPkiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:pki:PlatformPki", name, args, opts);
        this.resourceName = name;
        const plan = pkiPlan({
            environment: args.environment,
            grafanaHostname: args.grafanaHostname,
            gatewayMaxReplicas: args.gatewayMaxReplicas,
            externalSenders: args.externalSenders,
        });

        const authorities = {} as Record<AuthorityId, Authority>;
        for (const spec of Object.values(plan.authorities)) authorities[spec.id] = this.authority(spec, args.validity);
        const caPem = (id: AuthorityId) => authorities[id].certificate.certPem;

        const issued = {} as Record<LeafCertificateSpec["id"], IssuedCertificate>;
        const secrets = {} as Record<TlsSecretKey, k8s.core.v1.Secret>;
        for (const leaf of plan.leaves) {
            issued[leaf.id] = this.leaf(leaf, authorities[leaf.authority], args.validity);
            if (leaf.secret) {
                secrets[leaf.id as TlsSecretKey] = this.tlsSecret(leaf, issued[leaf.id], caPem(leaf.authority), args);
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
                    // The CA certificate is public; it is marked secret only because Secret
                    // objects in this project carry secret inputs throughout.
                    stringData: pulumi.secret(pulumi.output({ "ca.crt": caPem("platform") })),
                },
                { parent: this },
            );
        }

        this.caCertificatePem = caPem("platform");
        this.vpnCaCertificatePem = caPem("vpn");
        this.vpnServer = issued.vpnServer;
        this.externalSenders = Object.fromEntries(args.externalSenders.map((sender) => [sender, issued[senderLeafId(sender)]]));
        this.tlsSecrets = secrets;
        this.caBundles = caBundles;
        this.registerOutputs({
            caCertificatePem: this.caCertificatePem,
            vpnCaCertificatePem: this.vpnCaCertificatePem,
        });
    }

    private privateKey(id: string, spec: KeySpec): tls.PrivateKey {
        return new tls.PrivateKey(
            `${this.resourceName}-${kebab(id)}-key`,
            spec.algorithm === "ECDSA" ? { algorithm: "ECDSA", ecdsaCurve: spec.ecdsaCurve } : { algorithm: "RSA", rsaBits: spec.rsaBits },
            { parent: this, additionalSecretOutputs: privateKeyOutputs },
        );
    }

    private authority(spec: AuthoritySpec, validity: Settings["pki"]): Authority {
        const key = this.privateKey(`${spec.id}-ca`, spec.key);
        const certificate = new tls.SelfSignedCert(
            `${this.resourceName}-${spec.id}-ca`,
            {
                privateKeyPem: pulumi.secret(key.privateKeyPem),
                subject: { ...spec.subject },
                isCaCertificate: true,
                // The provider encodes 0 as "no path-length constraint" (it never sets Go's
                // MaxPathLenZero), so the guarantee that no intermediate exists is that this CA
                // signs only the plan's leaves, none of which is a CA.
                maxPathLength: 0,
                allowedUses: [...authorityUses],
                validityPeriodHours: validity.caValidityHours,
                // Renew while a full leaf lifetime remains, so no leaf outlives its CA.
                earlyRenewalHours: validity.certValidityHours,
                setSubjectKeyId: true,
                setAuthorityKeyId: true,
            },
            { parent: this },
        );
        return { key, certificate };
    }

    private leaf(spec: LeafCertificateSpec, authority: Authority, validity: Settings["pki"]): IssuedCertificate {
        const key = this.privateKey(spec.id, spec.key);
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
                caCertPem: authority.certificate.certPem,
                // Write-only: the CA key is sent to the provider but not copied into this
                // resource's state. A new CA key always comes with a new CA certificate, which
                // replaces this certificate, so the version never needs to move.
                caPrivateKeyPemWo: pulumi.secret(authority.key.privateKeyPem),
                caPrivateKeyPemWoVersion: 1,
                allowedUses: [...spec.allowedUses],
                validityPeriodHours: validity.certValidityHours,
                earlyRenewalHours: validity.earlyRenewalHours,
                setSubjectKeyId: true,
            },
            { parent: this },
        );
        return { certificatePem: certificate.certPem, privateKeyPem: pulumi.secret(key.privateKeyPem) };
    }

    private tlsSecret(spec: LeafCertificateSpec, issued: IssuedCertificate, caPem: pulumi.Output<string>, args: PlatformPkiArgs): k8s.core.v1.Secret {
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
                    pulumi.output({ "tls.crt": issued.certificatePem, "tls.key": issued.privateKeyPem, "ca.crt": caPem }),
                ),
            },
            { parent: this },
        );
    }
}
