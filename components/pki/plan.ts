/**
 * What the platform's PKI issues, as plain data: the two authorities, every leaf certificate with
 * its subject, SANs, key type and usages, and the Secret it lands in. The PKI component turns this
 * plan into @pulumi/tls resources; tests and policies read the same plan, so a SAN or usage is
 * decided in exactly one place.
 *
 * Two authorities per environment, on purpose:
 *  - the platform CA (ECDSA P-384) signs the in-cluster server and client certificates;
 *  - the VPN CA (RSA) signs only the Client VPN server certificate.
 * People authenticate to Client VPN through SAML federation, one identity each, so no client
 * certificate is issued: a shared one named nobody in the connection log, and a per-person one
 * would need a revocation list that neither @pulumi/tls can sign nor any Pulumi resource imports.
 * The VPN server certificate still has its own authority, so nothing the platform CA signs can
 * pose as the VPN endpoint and no VPN certificate passes the workloads' mutual TLS. The VPN chain
 * is RSA because Client VPN accepts only RSA 1024/2048-bit keys (AWS Client VPN administrator
 * guide, mutual authentication: "supports 1024-bit and 2048-bit RSA key sizes only") and exempts
 * no part of the chain, so the VPN CA is RSA-2048 like its leaf.
 */
import {
    headlessPodDnsSuffix,
    serviceDnsNames,
    services,
    tlsSecrets,
    workloads,
    type WorkloadKey,
} from "../platform/names";

export type KeySpec =
    | { readonly algorithm: "ECDSA"; readonly ecdsaCurve: "P256" | "P384" }
    | { readonly algorithm: "RSA"; readonly rsaBits: 2048 | 3072 | 4096 };

/** Authority keys: the curve is always explicit (the provider's default curve is P-224). */
export const platformCaKey: KeySpec = { algorithm: "ECDSA", ecdsaCurve: "P384" };
export const vpnCaKey: KeySpec = { algorithm: "RSA", rsaBits: 2048 };
/** Leaf keys: P-256 for workloads (every TLS stack involved speaks it), RSA-2048 for the Client VPN server. */
export const workloadLeafKey: KeySpec = { algorithm: "ECDSA", ecdsaCurve: "P256" };
export const vpnLeafKey: KeySpec = { algorithm: "RSA", rsaBits: 2048 };

export const authorityUses = ["cert_signing", "crl_signing"] as const;
/** ECDSA keys only sign; the RSA leaf (VPN server) also needs key_encipherment for OpenVPN's key-usage check. */
const ecdsaServerUses = ["digital_signature", "server_auth"];
const ecdsaClientUses = ["digital_signature", "client_auth"];
const rsaServerUses = ["digital_signature", "key_encipherment", "server_auth"];

export type AuthorityId = "platform" | "vpn";
export type TlsSecretKey = Exclude<keyof typeof tlsSecrets, "caBundle">;
/** Client certificate of an OTLP sender outside the cluster (externalSenders). */
export type SenderLeafId = `sender-${string}`;
export type LeafId = TlsSecretKey | "vpnServer" | SenderLeafId;

export interface CertificateSubject {
    readonly commonName: string;
    readonly organization: string;
    readonly organizationalUnit: string;
}

export interface AuthoritySpec {
    readonly id: AuthorityId;
    readonly subject: CertificateSubject;
    readonly key: KeySpec;
    /**
     * Subject of a second authority that takes turns with the first (rotation.ts), so trust moves
     * from one CA to the next with an overlap; absent where one authority is enough.
     */
    readonly alternate?: CertificateSubject;
}

export interface LeafCertificateSpec {
    readonly id: LeafId;
    readonly authority: AuthorityId;
    readonly subject: CertificateSubject;
    /** DNS SANs a TLS client verifies; empty for client certificates. */
    readonly dnsNames: readonly string[];
    /** URI SANs naming the workload identity (SPIFFE form), for audit logs and future authorisation. */
    readonly uris: readonly string[];
    readonly allowedUses: readonly string[];
    readonly key: KeySpec;
    /** Workload the certificate belongs to (labels of its Secret); absent for VPN certificates. */
    readonly workload?: WorkloadKey;
    /** The kubernetes.io/tls Secret the certificate and key are written to; VPN certificates have none. */
    readonly secret?: { readonly name: string; readonly namespace: string };
}

export interface PkiPlanInput {
    /** Environment name; part of every subject so dev and prod authorities can never be confused. */
    readonly environment: string;
    /** DNS name users open Grafana at (its server certificate's first SAN). */
    readonly grafanaHostname: string;
    /** Upper bound of gateway replicas; one SAN set per possible gateway pod. */
    readonly gatewayMaxReplicas: number;
    /** OTLP senders outside the cluster; each gets a client certificate of the platform CA. */
    readonly externalSenders: readonly string[];
}

export interface PkiPlan {
    readonly authorities: Readonly<Record<AuthorityId, AuthoritySpec>>;
    readonly leaves: readonly LeafCertificateSpec[];
}

const organization = "tracing-platform";

/** SPIFFE-style identity of a workload's service account in this environment's trust domain. */
export function workloadIdentityUri(environment: string, workload: WorkloadKey): string {
    const { namespace, serviceAccount } = workloads[workload];
    return `spiffe://${organization}.${environment}/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * Names of the gateway pods as the agents dial them.
 *
 * The agents' load_balancing exporter uses the k8s resolver with `return_hostnames: true`: it
 * watches the headless Service's EndpointSlices and dials `<pod hostname>.<service>.<namespace>`
 * (opentelemetry-collector-contrib, exporter/loadbalancingexporter resolver_k8s). Without it the
 * resolver dials pod IPs, which no certificate can name ahead of time and which change on every
 * restart, moving that pod's share of the trace-ID ring. With hostnames the ring is keyed on the
 * StatefulSet's stable identities, and TLS verifies each pod's own name with no
 * `server_name_override`. This requires the gateway StatefulSet to be named `workloads.gateway.name`
 * and to use `services.gatewayHeadless` as its serviceName. The certificate enumerates ordinals up
 * to the HPA maximum instead of using a wildcard; raising gatewayMaxReplicas reissues it.
 */
export function gatewayPodDnsNames(maxReplicas: number): string[] {
    if (!Number.isInteger(maxReplicas) || maxReplicas < 1) throw new Error(`gateway max replicas must be a positive integer, got ${maxReplicas}`);
    const { name: service, namespace } = services.gatewayHeadless;
    const names: string[] = [];
    for (let ordinal = 0; ordinal < maxReplicas; ordinal++) {
        const pod = `${workloads.gateway.name}-${ordinal}`;
        names.push(`${pod}.${service}.${namespace}`, `${pod}.${service}.${namespace}.svc`, `${pod}.${headlessPodDnsSuffix("gatewayHeadless")}`);
    }
    return names;
}

/** The Client VPN server's name: `vpn.` under the domain Grafana lives in (ACM needs a DNS SAN to list it). */
export function vpnServerDnsName(grafanaHostname: string): string {
    const parent = grafanaHostname.split(".").slice(1).join(".");
    return `vpn.${parent || grafanaHostname}`;
}

/** RFC 5280 upper bound of a commonName; longer names are rejected by strict parsers. */
export const maxCommonNameLength = 64;

function subject(environment: string, commonName: string): CertificateSubject {
    if (commonName.length > maxCommonNameLength) {
        throw new Error(`certificate common name '${commonName}' is longer than ${maxCommonNameLength} characters`);
    }
    return { commonName, organization, organizationalUnit: environment };
}

function workloadLeaf(
    environment: string,
    id: TlsSecretKey,
    workload: WorkloadKey,
    role: "server" | "client" | "server-and-client",
    dnsNames: readonly string[],
): LeafCertificateSpec {
    const uses = role === "server" ? ecdsaServerUses : role === "client" ? ecdsaClientUses : [...ecdsaServerUses, "client_auth"];
    const { serviceAccount, namespace } = workloads[workload];
    return {
        id,
        authority: "platform",
        // Names are in the SANs; the CN only labels the certificate for people reading logs.
        subject: subject(environment, `${serviceAccount}.${namespace} ${role === "client" ? "client" : "server"}`),
        dnsNames,
        uris: [workloadIdentityUri(environment, workload)],
        allowedUses: uses,
        key: workloadLeafKey,
        workload,
        secret: tlsSecrets[id],
    };
}

export function senderLeafId(sender: string): SenderLeafId {
    return `sender-${sender}`;
}

/**
 * An external sender's client certificate. The gateway's OTLP receiver demands a client
 * certificate of the platform CA (client_ca_file), and the NLB passes TLS through, so a sender
 * outside the cluster can only connect with one; one per sender means a leaver is revoked by
 * removing its name (the next update reissues nothing else) and the gateway's logs name the sender.
 */
function senderLeaf(environment: string, sender: string): LeafCertificateSpec {
    return {
        id: senderLeafId(sender),
        authority: "platform",
        subject: subject(environment, `${sender} OTLP sender`),
        dnsNames: [],
        uris: [`spiffe://${organization}.${environment}/sender/${sender}`],
        allowedUses: ecdsaClientUses,
        key: workloadLeafKey,
    };
}

/** The environment's complete certificate plan. */
export function pkiPlan(input: PkiPlanInput): PkiPlan {
    const { environment, grafanaHostname, gatewayMaxReplicas, externalSenders } = input;
    const vpnName = vpnServerDnsName(grafanaHostname);
    const leaves: LeafCertificateSpec[] = [
        workloadLeaf(environment, "agentServer", "agent", "server", serviceDnsNames("agent")),
        workloadLeaf(environment, "agentClient", "agent", "client", []),
        // The node log shipper sends to the gateways' mutual-TLS receiver like the agents, under its own identity.
        workloadLeaf(environment, "logAgentClient", "logAgent", "client", []),
        workloadLeaf(environment, "gatewayServer", "gateway", "server", [
            ...serviceDnsNames("gatewayHeadless"),
            ...serviceDnsNames("gatewayExternal"),
            ...gatewayPodDnsNames(gatewayMaxReplicas),
        ]),
        workloadLeaf(environment, "gatewayClient", "gateway", "client", []),
        // Tempo's components also dial each other (gRPC, memberlist) with this certificate, so it
        // serves and authenticates; they set tls_server_name to one of these names because the
        // ring hands them peer IPs.
        workloadLeaf(environment, "tempoServer", "tempo", "server-and-client", [
            ...serviceDnsNames("tempoIngest"),
            ...serviceDnsNames("tempoQuery"),
        ]),
        workloadLeaf(environment, "grafanaServer", "grafana", "server", [grafanaHostname, ...serviceDnsNames("grafana")]),
        workloadLeaf(environment, "grafanaClient", "grafana", "client", []),
        {
            id: "vpnServer",
            authority: "vpn",
            subject: subject(environment, `tracing-${environment}-vpn-server`),
            dnsNames: [vpnName],
            uris: [],
            allowedUses: rsaServerUses,
            key: vpnLeafKey,
        },
        ...externalSenders.map((sender) => senderLeaf(environment, sender)),
    ];
    return {
        authorities: {
            // Workloads trust each other through it and reload at different times: rotation overlaps.
            platform: {
                id: "platform",
                subject: subject(environment, `tracing-platform ${environment} platform CA`),
                alternate: subject(environment, `tracing-platform ${environment} platform CA 2`),
                key: platformCaKey,
            },
            // Client VPN takes one client root chain and users install its CA with their profile: one at a time.
            vpn: { id: "vpn", subject: subject(environment, `tracing-platform ${environment} VPN CA`), key: vpnCaKey },
        },
        leaves,
    };
}
