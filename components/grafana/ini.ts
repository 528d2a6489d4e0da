/**
 * Grafana's configuration: a hardened grafana.ini (no secrets in it), the in-container paths the
 * Deployment mounts and the provisioning files refer to, and the environment that points Grafana at
 * its file-mounted secrets.
 *
 * Keys and defaults: grafana/grafana conf/defaults.ini and the "Configure security hardening"
 * docs (grafana.com/docs/grafana/latest/setup-grafana/configure-security/configure-security-hardening);
 * brute-force keys from pkg/setting/setting.go (readSecuritySettings); plugin keys (preinstall_disabled,
 * public_key_retrieval_disabled, plugin_admin_enabled) from pkg/setting/setting_plugins.go (readPluginSettings);
 * single sign-on keys: see single-sign-on.ts.
 */
import { genericOauthSection, type SingleSignOn } from "./single-sign-on";

/** Where things live inside the Grafana container. */
export const grafanaPaths = {
    /** Directory of the grafana.ini ConfigMap (GF_PATHS_CONFIG points at the file in it). */
    configDir: "/etc/grafana/config",
    configFile: "/etc/grafana/config/grafana.ini",
    /** Provisioning root; datasources/, dashboards/ and alerting/ are mounted below it. */
    provisioning: "/etc/grafana/provisioning",
    /** Dashboard JSON files the dashboard provider reads. */
    dashboards: "/etc/grafana/dashboards",
    /** SQLite database, on the persistent volume. */
    data: "/var/lib/grafana",
    /**
     * Plugins baked into the image (images/grafana/Dockerfile). Outside `data` on purpose: the
     * persistent volume is mounted there and would hide anything the image put below it.
     */
    plugins: "/opt/grafana-plugins",
    logs: "/var/log/grafana",
    tmp: "/tmp",
    /** Server certificate and key (the PKI's grafana server Secret). */
    serverTls: "/etc/grafana/tls/server",
    /** Client certificate and key for mutual TLS to Tempo. */
    clientTls: "/etc/grafana/tls/client",
    /** The platform CA bundle. */
    caBundle: "/etc/grafana/tls/ca",
    /** Admin password and secret_key files. */
    secrets: "/etc/grafana/secrets",
} as const;

/** File names inside the TLS Secrets (kubernetes.io/tls) and the CA bundle Secret. */
export const tlsFileNames = { certificate: "tls.crt", privateKey: "tls.key", ca: "ca.crt" } as const;

/** Grafana's own Secret: admin password, secret_key and the OAuth client secret. */
export const grafanaSecretName = "grafana-secrets";

/** Annotation whose change rolls the pod when any rendered configuration changes. */
export const configHashAnnotation = "tracing.platform/config-hash";

/** Keys of Grafana's own Kubernetes Secret, mounted as files under grafanaPaths.secrets. */
export const grafanaSecretKeys = { adminPassword: "admin-password", secretKey: "secret-key", oauthClientSecret: "oauth-client-secret" } as const;

/**
 * The Amazon Managed Service for Prometheus data source plugin. Grafana 13 removed SigV4 from the
 * core Prometheus data source (grafana.com/docs/grafana/v13.1/datasources/prometheus: "migrated to
 * dedicated plugins"), so the workspace is queried through this signed plugin. It is baked into the
 * Grafana image at build time (images/grafana/Dockerfile, built by GrafanaImage) because Grafana's
 * NetworkPolicy has no internet egress and a failed start-up install stops Grafana.
 *
 * The pin is the linux-amd64 package (hence Grafana runs on amd64 nodes only); BuildKit refuses the
 * download unless its sha256 matches. 3.1.0 rather than the newer 3.2.0: it is the version whose
 * package checksum can be cited, a public pin from another project's mirror script that fetches
 * exactly this URL and verifies exactly this sha256. When bumping, take the checksum from grafana.com
 * itself and never from a local download:
 *   curl -s https://grafana.com/api/plugins/grafana-amazonprometheus-datasource/versions/<v> | jq -r '.packages["linux-amd64"].sha256'
 */
export const amazonPrometheusPlugin = {
    id: "grafana-amazonprometheus-datasource",
    version: "3.1.0",
    sha256: "0374c5d7680ed86b904709a86f78a07f41fb263a9098df5c42d2371b6ea5a829",
    url: "https://grafana.com/api/plugins/grafana-amazonprometheus-datasource/versions/3.1.0/download?os=linux&arch=amd64",
} as const;

/** How often Grafana checks its server certificate and key for a renewal (`[server] certs_watch_interval`). */
export const serverCertificateWatchInterval = "1h";

/** The break-glass admin's login name (not a secret; the password, kept in Secrets Manager, is). */
export const grafanaAdminUser = "tracing-admin";

export type IniValue = string | number | boolean;
export type IniDocument = Readonly<Record<string, Readonly<Record<string, IniValue>>>>;

export interface GrafanaIniInput {
    /** DNS name users reach Grafana at (server certificate SAN, root_url). */
    readonly hostname: string;
    /** HTTPS port Grafana listens on. */
    readonly httpsPort: number;
    /** The OpenID Connect provider people sign in with, and whether local password login stays on (dev). */
    readonly singleSignOn: SingleSignOn;
}

/**
 * The hardened configuration. Secrets are deliberately absent: the admin password, secret_key and
 * the OAuth client secret come from files via the environment (grafanaSecretFileEnvironment).
 *
 * People sign in through the IdP. Where local password login is off (prod), Grafana registers
 * neither the form nor the basic-auth client (pkg/services/authn/authnimpl: both are skipped when
 * disabled), so the break-glass admin can sign in only after the runbook's break-glass step turns
 * the form back on for the duration.
 */
export function grafanaIni(input: GrafanaIniInput): IniDocument {
    const certificate = (file: string) => `${grafanaPaths.serverTls}/${file}`;
    return {
        paths: {
            data: grafanaPaths.data,
            logs: grafanaPaths.logs,
            plugins: grafanaPaths.plugins,
            provisioning: grafanaPaths.provisioning,
        },
        server: {
            protocol: "https",
            http_port: input.httpsPort,
            domain: input.hostname,
            root_url: `https://${input.hostname}/`,
            // Requests for another Host are redirected to the domain (DNS-rebinding protection).
            enforce_domain: true,
            cert_file: certificate(tlsFileNames.certificate),
            cert_key: certificate(tlsFileNames.privateKey),
            // Off (0) by default: Grafana would serve its first certificate until restarted. With an
            // interval it re-reads both files when their modification time changes (the kubelet
            // swaps them in when the PKI renews the certificate).
            certs_watch_interval: serverCertificateWatchInterval,
            min_tls_version: "TLS1.2",
            // Access log of every request, including 401/403 (audit trail for the VPN-only UI).
            router_logging: true,
        },
        security: {
            disable_initial_admin_creation: false,
            admin_user: grafanaAdminUser,
            cookie_secure: true,
            cookie_samesite: "strict",
            disable_gravatar: true,
            allow_embedding: false,
            strict_transport_security: true,
            strict_transport_security_max_age_seconds: 31536000,
            strict_transport_security_preload: false,
            strict_transport_security_subdomains: false,
            content_security_policy: true,
            x_content_type_options: true,
            x_xss_protection: true,
            disable_brute_force_login_protection: false,
            brute_force_login_protection_max_attempts: 5,
            disable_username_login_protection: false,
            // Off by default in Grafana; on here so one address cannot spray many user names.
            disable_ip_address_login_protection: false,
        },
        auth: {
            disable_login_form: !input.singleSignOn.passwordLogin,
            login_maximum_inactive_lifetime_duration: "8h",
            login_maximum_lifetime_duration: "24h",
            // Grafana signs requests to the metrics workspace with AWS SigV4.
            sigv4_auth_enabled: true,
        },
        "auth.basic": { enabled: input.singleSignOn.passwordLogin, password_policy: true },
        "auth.generic_oauth": genericOauthSection(input.singleSignOn),
        "auth.anonymous": { enabled: false },
        users: {
            allow_sign_up: false,
            allow_org_create: false,
            auto_assign_org: true,
            auto_assign_org_role: "Viewer",
        },
        // Snapshots copy query results out of access control (anyone holding the link may view them).
        snapshots: { enabled: false, external_enabled: false, public_mode: false },
        analytics: {
            reporting_enabled: false,
            check_for_updates: false,
            check_for_plugin_updates: false,
            feedback_links_enabled: false,
        },
        news: { news_feed_enabled: false },
        // Credentials for AWS come only from the pod's workload identity (EKS Pod Identity via the SDK's default chain).
        aws: { allowed_auth_providers: "default", assume_role_enabled: false },
        plugins: {
            // Grafana has no internet: its one extra plugin is baked into the image (paths.plugins), and
            // nothing is downloaded, installed or updated at run time, not even Grafana's default plugins.
            preinstall_disabled: true,
            preinstall_auto_update: false,
            plugin_admin_enabled: false,
            // Signing keys compiled into Grafana verify the baked plugin; no fetch of newer ones from grafana.com.
            public_key_retrieval_disabled: true,
        },
        database: { type: "sqlite3", wal: true },
        // Who did what: request logs ("Request Completed", logger `context`) carry the signed-in
        // login as `uname`, and the authentication service logs failed sign-ins; both stay at info
        // even if the global level is raised to cut noise.
        log: { mode: "console", level: "info", filters: "context:info authn.service:info" },
        "log.console": { format: "json" },
        unified_alerting: { enabled: true },
    };
}

/** Serialises an ini document (sections in order, `key = value`). */
export function renderIni(document: IniDocument): string {
    return (
        Object.entries(document)
            .map(([section, entries]) =>
                [`[${section}]`, ...Object.entries(entries).map(([key, value]) => `${key} = ${String(value)}`)].join("\n"),
            )
            .join("\n\n") + "\n"
    );
}

/**
 * Environment that makes Grafana read its admin password, secret_key and OAuth client secret from
 * the mounted Secret (the image's entrypoint expands every `GF_*__FILE` variable into the variable
 * itself), so no such value appears in a ConfigMap, an env literal or the pod spec.
 */
export function grafanaSecretFileEnvironment(): { readonly name: string; readonly value: string }[] {
    return [
        { name: "GF_SECURITY_ADMIN_PASSWORD__FILE", value: `${grafanaPaths.secrets}/${grafanaSecretKeys.adminPassword}` },
        { name: "GF_SECURITY_SECRET_KEY__FILE", value: `${grafanaPaths.secrets}/${grafanaSecretKeys.secretKey}` },
        { name: "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET__FILE", value: `${grafanaPaths.secrets}/${grafanaSecretKeys.oauthClientSecret}` },
    ];
}
