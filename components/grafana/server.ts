import * as crypto from "crypto";
import * as aws from "../platform/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { grafanaAlerting, renderAlerting } from "./alerts";
import { dashboardProvider, grafanaDashboards, renderDashboards } from "./dashboards";
import { grafanaDatasources, renderDatasources } from "./datasources";
import { grafanaDestinations } from "./destinations";
import { GrafanaImage } from "./image";
import { grafanaImagePlatform } from "./image-tag";
import {
    configHashAnnotation,
    grafanaAdminUser,
    grafanaIni,
    grafanaPaths,
    grafanaSecretFileEnvironment,
    grafanaSecretKeys,
    grafanaSecretName,
    renderIni,
} from "./ini";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, runAsIds, scratchVolume, secretVolume } from "../platform/pod-hardening";
import { awsResourceNames, namespaces, partOf, ports, standardLabels, tlsHashAnnotation, tlsSecrets, workloads } from "../platform/names";
import type { Destination } from "../platform/destinations";
import type { Settings } from "../platform/settings";

type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

export interface GrafanaArgs {
    /** Validated settings of this stack (hostname, volume, region, systems catalogue, image). */
    readonly settings: Settings;
    /** Query endpoint of the span-metrics workspace (Amazon Managed Service for Prometheus). */
    readonly prometheusEndpoint: pulumi.Input<string>;
    /** ARN of the SNS topic the alert contact point publishes to. */
    readonly alertTopicArn: pulumi.Input<string>;
    /** ARN of the platform KMS key that encrypts the Grafana image repository and the break-glass admin's secret. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Hash of the CA bundle and Grafana's client certificate (PlatformPki.tlsHash("grafanaClient")):
     * the Tempo data source reads both through `$__file{}` once, when provisioning runs at start-up,
     * so a renewal rolls the pod. The server certificate reloads by itself (certs_watch_interval).
     */
    readonly tlsHash: pulumi.Input<string>;
    /** The platform's encrypted StorageClass, for Grafana's database volume. */
    readonly storageClassName: pulumi.Input<string>;
}

/** Mounts a ConfigMap read-only. */
function configMapVolume(name: string, configMapName: pulumi.Input<string>, mountPath: string): { volume: Volume; mount: VolumeMount } {
    return {
        volume: { name, configMap: { name: configMapName, defaultMode: 0o444 } },
        mount: { name, mountPath, readOnly: true },
    };
}

/**
 * Grafana for the tracing platform: one replica on a persistent volume, HTTPS with the PKI's server
 * certificate, provisioned data sources (Tempo over mutual TLS, the span-metrics workspace with
 * SigV4 through the pod's workload identity), dashboards and alert rules generated from the systems
 * catalogue, whose notifications go to the alert SNS topic (signed with the same identity). Users reach it only through the perimeter's internal load balancer (VPN CIDR); this
 * component creates no Service of its own. It runs its own image (GrafanaImage: the stack's pinned
 * Grafana with the metrics plugin baked in), pinned by digest, so it starts without internet access.
 */
export class Grafana extends pulumi.ComponentResource {
    public readonly serviceAccount: k8s.core.v1.ServiceAccount;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly volumeClaim: k8s.core.v1.PersistentVolumeClaim;
    /** The image the Deployment runs, built and pushed to the platform's ECR repository. */
    public readonly image: GrafanaImage;
    /** Labels of the Grafana pod (the perimeter's load balancer selects on them). */
    public readonly podLabels: Readonly<Record<string, string>>;
    /** Name of the Secret holding the admin password, secret_key and OAuth client secret. */
    public readonly secretName: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret with the break-glass admin's login (the runbook reads it from there). */
    public readonly breakGlassSecretArn: pulumi.Output<string>;
    /** Every host and port Grafana's rendered files dial (its NetworkPolicy egress is derived from it). */
    public readonly destinations: pulumi.Output<Destination[]>;

    constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:grafana:Grafana", name, args, opts);
        const { settings } = args;
        const names = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region);
        const workload = workloads.grafana;
        const namespace = namespaces.grafana;
        const labels = standardLabels(workload.name, settings.environment, "dashboards");
        const selector = { "app.kubernetes.io/name": workload.name, "app.kubernetes.io/part-of": partOf };
        const stateful = { parent: this, protect: settings.protectStatefulResources };
        this.podLabels = labels;

        this.image = new GrafanaImage(
            `${name}-image`,
            {
                repositoryName: names.grafanaImageRepository,
                kmsKeyArn: args.kmsKeyArn,
                baseImage: settings.images.grafana.reference,
                grafanaVersion: settings.images.grafana.tag,
            },
            { parent: this },
        );

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            { metadata: { name: workload.serviceAccount, namespace, labels }, automountServiceAccountToken: false },
            { parent: this },
        );

        // The break-glass admin's password: Grafana reads it from the Secret below when it first
        // creates the admin; people read it only from Secrets Manager (runbook, "Break-glass access").
        const adminPassword = new random.RandomPassword(
            `${name}-admin-password`,
            { length: 32, special: false, minLower: 2, minUpper: 2, minNumeric: 2 },
            { parent: this },
        );
        // Encrypts the data source secrets Grafana stores; replacing it strands them, hence protected in prod.
        const secretKey = new random.RandomPassword(`${name}-secret-key`, { length: 48, special: false }, stateful);
        const secret = new k8s.core.v1.Secret(
            `${name}-secrets`,
            {
                metadata: { name: grafanaSecretName, namespace, labels },
                type: "Opaque",
                stringData: {
                    [grafanaSecretKeys.adminPassword]: pulumi.secret(adminPassword.result),
                    [grafanaSecretKeys.secretKey]: pulumi.secret(secretKey.result),
                    [grafanaSecretKeys.oauthClientSecret]: pulumi.secret(settings.identity.grafana.clientSecret.reveal()),
                },
            },
            { parent: this },
        );
        this.secretName = secret.metadata.name;

        const breakGlass = new aws.secretsmanager.Secret(
            `${name}-break-glass`,
            {
                name: names.grafanaBreakGlassSecret,
                description: `Grafana ${settings.environment}: break-glass admin login, for when single sign-on is unavailable (runbook: Break-glass access)`,
                kmsKeyId: args.kmsKeyArn,
                recoveryWindowInDays: settings.kms.deletionWindowDays,
            },
            stateful,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-break-glass-value`,
            {
                secretId: breakGlass.id,
                secretString: pulumi.secret(adminPassword.result.apply((password) => JSON.stringify({ username: grafanaAdminUser, password }))),
            },
            { parent: this },
        );
        this.breakGlassSecretArn = breakGlass.arn;

        const configMap = (suffix: string, data: pulumi.Input<Record<string, pulumi.Input<string>>>) =>
            new k8s.core.v1.ConfigMap(`${name}-${suffix}`, { metadata: { name: `grafana-${suffix}`, namespace, labels }, data }, { parent: this });

        const iniDocument = grafanaIni({ hostname: settings.grafana.hostname, httpsPort: ports.grafanaHttps, singleSignOn: settings.identity.grafana });
        const ini = renderIni(iniDocument);
        const datasourceFiles = pulumi
            .output(args.prometheusEndpoint)
            .apply((endpoint) => grafanaDatasources({ prometheusEndpoint: endpoint, region: settings.aws.region }));
        const datasources = datasourceFiles.apply(renderDatasources);
        const provider = dashboardProvider();
        const dashboards = renderDashboards(grafanaDashboards(settings.systems));
        const alertingFiles = pulumi
            .output(args.alertTopicArn)
            .apply((topicArn) => grafanaAlerting(settings.systems, { topicArn, region: settings.aws.region }));
        const alerting = alertingFiles.apply(renderAlerting);
        this.destinations = pulumi
            .all([datasourceFiles, alertingFiles])
            .apply(([datasourceFile, alertingFile]) => grafanaDestinations({ ini: iniDocument, datasources: datasourceFile, alerting: alertingFile }));

        const configFiles = {
            config: configMap("config", { "grafana.ini": ini }),
            datasources: configMap("datasources", { "datasources.yaml": datasources }),
            dashboardProvider: configMap("dashboard-provider", { "dashboards.yaml": provider }),
            dashboards: configMap("dashboards", dashboards),
            alerting: configMap("alerting", { "alerting.yaml": alerting }),
        };
        const configHash = pulumi.all([datasources, alerting]).apply(([ds, alerts]) =>
            crypto
                .createHash("sha256")
                .update([ini, ds, provider, alerts, ...Object.entries(dashboards).flat()].join("\0"))
                .digest("hex"),
        );

        this.volumeClaim = new k8s.core.v1.PersistentVolumeClaim(
            `${name}-data`,
            {
                metadata: { name: "grafana-data", namespace, labels },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    storageClassName: args.storageClassName,
                    resources: { requests: { storage: `${settings.grafana.volumeGb}Gi` } },
                },
            },
            stateful,
        );

        const provisioning = (dir: string) => `${grafanaPaths.provisioning}/${dir}`;
        const mounts = [
            configMapVolume("config", configFiles.config.metadata.name, grafanaPaths.configDir),
            configMapVolume("datasources", configFiles.datasources.metadata.name, provisioning("datasources")),
            configMapVolume("dashboard-provider", configFiles.dashboardProvider.metadata.name, provisioning("dashboards")),
            configMapVolume("alerting", configFiles.alerting.metadata.name, provisioning("alerting")),
            configMapVolume("dashboards", configFiles.dashboards.metadata.name, grafanaPaths.dashboards),
            secretVolume("secrets", grafanaSecretName, grafanaPaths.secrets),
            secretVolume("server-tls", tlsSecrets.grafanaServer.name, grafanaPaths.serverTls),
            secretVolume("client-tls", tlsSecrets.grafanaClient.name, grafanaPaths.clientTls),
            secretVolume("ca-bundle", tlsSecrets.caBundle, grafanaPaths.caBundle),
            scratchVolume("logs", grafanaPaths.logs),
            scratchVolume("tmp", grafanaPaths.tmp, "256Mi"),
            {
                volume: { name: "data", persistentVolumeClaim: { claimName: this.volumeClaim.metadata.name } },
                mount: { name: "data", mountPath: grafanaPaths.data },
            },
        ];

        const health = (periodSeconds: number, failureThreshold: number): k8s.types.input.core.v1.Probe => ({
            httpGet: {
                path: "/api/health",
                port: "https",
                scheme: "HTTPS",
                // enforce_domain redirects any other Host; probe as users address it.
                httpHeaders: [{ name: "Host", value: settings.grafana.hostname }],
            },
            periodSeconds,
            timeoutSeconds: 5,
            failureThreshold,
        });

        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: workload.name, namespace, labels },
                spec: {
                    replicas: 1,
                    // One ReadWriteOnce volume: the old pod must release it before the new one starts.
                    strategy: { type: "Recreate" },
                    revisionHistoryLimit: 5,
                    selector: { matchLabels: selector },
                    template: {
                        metadata: { labels, annotations: { [configHashAnnotation]: configHash, [tlsHashAnnotation]: args.tlsHash } },
                        spec: {
                            serviceAccountName: workload.serviceAccount,
                            // Grafana never calls the Kubernetes API; EKS Pod Identity injects its own token.
                            automountServiceAccountToken: false,
                            enableServiceLinks: false,
                            securityContext: restrictedPodSecurityContext(runAsIds.grafana),
                            // The baked plugin's backend is the linux-amd64 build.
                            nodeSelector: { "kubernetes.io/arch": grafanaImagePlatform.split("/")[1] },
                            containers: [
                                {
                                    name: "grafana",
                                    image: this.image.ref,
                                    imagePullPolicy: "IfNotPresent",
                                    ports: [{ name: "https", containerPort: ports.grafanaHttps, protocol: "TCP" }],
                                    env: [
                                        { name: "GF_PATHS_CONFIG", value: grafanaPaths.configFile },
                                        { name: "GF_PATHS_DATA", value: grafanaPaths.data },
                                        { name: "GF_PATHS_LOGS", value: grafanaPaths.logs },
                                        { name: "GF_PATHS_PLUGINS", value: grafanaPaths.plugins },
                                        { name: "GF_PATHS_PROVISIONING", value: grafanaPaths.provisioning },
                                        ...grafanaSecretFileEnvironment(),
                                    ],
                                    volumeMounts: mounts.map((m) => m.mount),
                                    securityContext: restrictedContainerSecurityContext(),
                                    resources: {
                                        requests: { cpu: "100m", memory: "256Mi" },
                                        limits: { cpu: "1", memory: "1Gi" },
                                    },
                                    // First start migrates the database.
                                    startupProbe: health(10, 30),
                                    readinessProbe: health(10, 3),
                                    livenessProbe: health(20, 3),
                                },
                            ],
                            volumes: mounts.map((m) => m.volume),
                        },
                    },
                },
            },
            { parent: this, dependsOn: [this.serviceAccount, secret] },
        );

        this.registerOutputs({
            deployment: this.deployment,
            serviceAccount: this.serviceAccount,
            volumeClaim: this.volumeClaim,
            secretName: this.secretName,
            breakGlassSecretArn: this.breakGlassSecretArn,
            imageRef: this.image.ref,
        });
    }
}
