/**
 * A small, fully compliant stack in the recorded-resource shape: one of everything the policy pack
 * checks (providers, KMS keys, trace and audit buckets with all their side resources, CloudTrail,
 * Client VPN, security groups, IAM, Kubernetes workloads and configs, PKI), built from the real
 * stack settings so its accounts, regions, CIDRs and images are the environment's own. The mutation
 * hooks are proven on it until the components exist; then the same hooks run on the real stacks.
 */
import { eksKubeconfig } from "../../../components/platform/kubeconfig";
import { services, tlsSecrets } from "../../../components/platform/names";
import { parseSettings, type Settings } from "../../../components/platform/settings";
import type { RecordedResource } from "../../harness/recording";
import { stackConfig } from "../../harness/stack-config";
import { addAwsResources } from "./aws";
import { json, StackBuilder } from "./builder";
import { addKubernetesResources } from "./kubernetes";
import { addStorage } from "./storage";

/** The compliant golden stack for `dev` or `prod`, from that stack's real settings. */
export function goldenStack(stack: "dev" | "prod"): RecordedResource[] {
    const settings = parseSettings(stackConfig(stack), stack);
    const { accountId, region } = settings.aws;
    const b = new StackBuilder(stack);

    // Providers: explicit, locked to the environment's account, tagged.
    const providers = b.add("tracing:platform:Providers", "tracing", {});
    const aws = b.add(
        "pulumi:providers:aws",
        "tracing-aws",
        { region, allowedAccountIds: json([accountId]), defaultTags: json({ tags: settings.tags }), skipCredentialsValidation: "false" },
        { parent: providers },
    );
    const kubeconfig = eksKubeconfig({
        name: settings.cluster.name,
        arn: `arn:aws:eks:${region}:${accountId}:cluster/${settings.cluster.name}`,
        endpoint: `https://0123456789ABCDEF.gr7.${region}.eks.amazonaws.com`,
        certificateAuthorityData: "TU9DSw==",
        region,
    });
    const kubernetes = b.add("pulumi:providers:kubernetes", "tracing-kubernetes", { kubeconfig, enableServerSideApply: "true" }, { parent: providers });
    const tlsProvider = b.add("pulumi:providers:tls", "tracing-tls", {}, { parent: providers });

    const traceStore = addAwsResources(b, settings, aws);
    addKubernetesResources(b, settings, kubernetes, traceStore);
    addStorage(b, kubernetes, traceStore);
    addPki(b, settings, tlsProvider);
    return b.resources;
}

/** PKI: an ECDSA P-384 CA, a P-256 server certificate for Grafana, a VPN client certificate. */
function addPki(b: StackBuilder, settings: Settings, tlsProvider: RecordedResource): void {
    const stack = b.stack;
    const onTls = { provider: tlsProvider };
    const caKey = b.add("tls:index/privateKey:PrivateKey", "tracing-ca-key", { algorithm: "ECDSA", ecdsaCurve: "P384" }, onTls);
    const caCert = b.add(
        "tls:index/selfSignedCert:SelfSignedCert",
        "tracing-ca",
        {
            privateKeyPem: "[secret]",
            subject: { commonName: `tracing-platform ${stack} CA`, organization: "tracing-platform" },
            isCaCertificate: true,
            maxPathLength: 0,
            allowedUses: ["cert_signing", "crl_signing"],
            validityPeriodHours: settings.pki.caValidityHours,
            earlyRenewalHours: settings.pki.earlyRenewalHours,
        },
        { ...onTls, from: { privateKeyPem: [caKey] } },
    );
    const leaf = (name: string, dnsNames: string[], uses: string[]) => {
        const key = b.add("tls:index/privateKey:PrivateKey", `${name}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, onTls);
        const request = b.add(
            "tls:index/certRequest:CertRequest",
            `${name}-request`,
            { privateKeyPem: "[secret]", subject: { commonName: name }, ...(dnsNames.length > 0 ? { dnsNames } : {}) },
            { ...onTls, from: { privateKeyPem: [key] } },
        );
        b.add(
            "tls:index/locallySignedCert:LocallySignedCert",
            `${name}-cert`,
            {
                certRequestPem: "[pem]",
                caCertPem: "[pem]",
                caPrivateKeyPem: "[secret]",
                allowedUses: uses,
                validityPeriodHours: settings.pki.certValidityHours,
                earlyRenewalHours: settings.pki.earlyRenewalHours,
            },
            { ...onTls, from: { certRequestPem: [request], caCertPem: [caCert], caPrivateKeyPem: [caKey] } },
        );
    };
    leaf(tlsSecrets.grafanaServer.name, [settings.grafana.hostname, `${services.grafana.name}.${services.grafana.namespace}.svc`], ["digital_signature", "key_encipherment", "server_auth"]);
    leaf("vpn-client", [], ["digital_signature", "client_auth"]);
}
