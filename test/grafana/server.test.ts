import { strict as assert } from "assert";
import * as ini from "ini";
import * as yaml from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { configHashAnnotation, grafanaPaths, grafanaSecretKeys, grafanaSecretName } from "../../components/grafana/ini";
import { namespaces, ports, tlsHashAnnotation, tlsSecrets, workloads } from "../../components/platform/names";
import { parseSettings } from "../../components/platform/settings";
import { expectedTlsHash } from "../harness/recorded";
import { byUrn, kubernetesObject, kubernetesObjects, ofType, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { encryptedStorageClassName } from "../harness/recorded";

const namespace = namespaces.grafana;

function grafanaParts(recording: StackRecording) {
    const deployment = kubernetesObject(recording, "apps/v1", "Deployment", workloads.grafana.name, namespace);
    const pod = deployment.inputs.spec.template.spec;
    const container = pod.containers.find((c: any) => c.name === "grafana");
    const configMaps = kubernetesObjects(recording, "core/v1", "ConfigMap").filter((c) => c.inputs.metadata.namespace === namespace);
    const configMap = (name: string) => configMaps.find((c) => c.inputs.metadata.name === name)!;
    const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);
    const mountOf = (path: string) => container.volumeMounts.find((m: any) => m.mountPath === path);
    return { deployment, pod, container, configMaps, configMap, volume, mountOf };
}

/** The component that owns a resource, walking up the parent chain. */
function ancestorTypes(recording: StackRecording, resource: RecordedResource): string[] {
    const types: string[] = [];
    for (let parent = resource.parent && byUrn(recording, resource.parent); parent; parent = parent.parent ? byUrn(recording, parent.parent) : undefined) {
        types.push(parent.type);
    }
    return types;
}

describe("Grafana component (program)", () => {
    for (const stack of shippedStacks) {
        describe(stack, () => {
            it("one Grafana replica, recreated on rollout (its volume is ReadWriteOnce), valid against the Kubernetes schema", async () => {
                const recording = await stackRecording(stack);
                const { deployment } = grafanaParts(recording);
                const spec = deployment.inputs.spec;
                assert.equal(spec.replicas, 1);
                assert.equal(spec.strategy.type, "Recreate");
                for (const [key, value] of Object.entries(spec.selector.matchLabels)) assert.equal(spec.template.metadata.labels[key], value);
                // The perimeter's internal load balancer selects app.kubernetes.io/name=grafana.
                assert.equal(spec.template.metadata.labels["app.kubernetes.io/name"], "grafana");
                new Deployment(deployment.inputs as any).validate();
            });

            it("the pod is hardened: non-root, no escalation, read-only root, no capabilities, RuntimeDefault seccomp, requests and limits, no API token", async () => {
                const recording = await stackRecording(stack);
                const settings = parseSettings(recording.config, stack);
                const { pod, container } = grafanaParts(recording);
                assert.equal(pod.serviceAccountName, workloads.grafana.serviceAccount);
                assert.equal(pod.automountServiceAccountToken, false);
                assert.equal(pod.securityContext.runAsNonRoot, true);
                assert.ok(pod.securityContext.runAsUser > 0 && pod.securityContext.runAsGroup > 0);
                assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
                assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC);
                const security = container.securityContext;
                assert.equal(security.allowPrivilegeEscalation, false);
                assert.equal(security.readOnlyRootFilesystem, true);
                assert.deepEqual(security.capabilities.drop, ["ALL"]);
                assert.equal(security.privileged, false);
                for (const kind of ["requests", "limits"]) for (const resource of ["cpu", "memory"]) assert.ok(container.resources[kind][resource], `${kind}.${resource}`);
                // The image built from settings.images.grafana with the plugin baked in, pinned by digest in every stack.
                const [build] = ofType(recording, "docker-build:index:Image");
                assert.equal(build.inputs.buildArgs.GRAFANA_IMAGE, settings.images.grafana.reference);
                assert.match(container.image, /@sha256:[0-9a-f]{64}$/);
            });

            it("serves HTTPS on the Grafana port and probes /api/health over HTTPS", async () => {
                const recording = await stackRecording(stack);
                const settings = parseSettings(recording.config, stack);
                const { container } = grafanaParts(recording);
                assert.deepEqual(container.ports, [{ name: "https", containerPort: ports.grafanaHttps, protocol: "TCP" }]);
                for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
                    const http = container[probe].httpGet;
                    assert.equal(http.scheme, "HTTPS", probe);
                    assert.equal(http.path, "/api/health", probe);
                    assert.equal(http.port, "https", probe);
                    assert.deepEqual(http.httpHeaders, [{ name: "Host", value: settings.grafana.hostname }]);
                }
            });

            it("data on a PVC of the platform's encrypted StorageClass, of the configured size (protected in prod)", async () => {
                const recording = await stackRecording(stack);
                const settings = parseSettings(recording.config, stack);
                const { volume, mountOf } = grafanaParts(recording);
                const claim = kubernetesObject(recording, "core/v1", "PersistentVolumeClaim", "grafana-data", namespace);
                assert.deepEqual(claim.inputs.spec.accessModes, ["ReadWriteOnce"]);
                assert.equal(claim.inputs.spec.storageClassName, encryptedStorageClassName(recording));
                assert.equal(claim.inputs.spec.resources.requests.storage, `${settings.grafana.volumeGb}Gi`);
                assert.equal(claim.protect, settings.protectStatefulResources);
                new PersistentVolumeClaim(claim.inputs as any).validate();
                const data = mountOf(grafanaPaths.data);
                assert.equal(volume(data.name).persistentVolumeClaim.claimName, "grafana-data");
            });

            it("admin password and secret_key are random, held only in a Secret as Pulumi secrets, read from files", async () => {
                const recording = await stackRecording(stack);
                const { container, volume, mountOf } = grafanaParts(recording);
                const secret = kubernetesObject(recording, "core/v1", "Secret", grafanaSecretName, namespace);
                assert.deepEqual(Object.keys(secret.inputs.stringData).sort(), Object.values(grafanaSecretKeys).sort());
                assert.ok(secret.secretPaths.includes("stringData"), "the Secret's data is a Pulumi secret");
                const passwords = ofType(recording, "random:index/randomPassword:RandomPassword").filter((r) => ancestorTypes(recording, r).includes("tracing:grafana:Grafana"));
                assert.equal(passwords.length, 2);
                for (const password of passwords) assert.ok(Number(password.inputs.length) >= 32, password.name);
                for (const key of [grafanaSecretKeys.adminPassword, grafanaSecretKeys.secretKey]) assert.match(secret.inputs.stringData[key], /^mock-password-grafana-/);
                const secretKey = passwords.find((p) => p.name.endsWith("secret-key"))!;
                assert.equal(secretKey.protect, stack === "prod");
                const mount = mountOf(grafanaPaths.secrets);
                assert.equal(volume(mount.name).secret.secretName, grafanaSecretName);
                assert.equal(mount.readOnly, true);
                const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
                assert.equal(env.GF_SECURITY_ADMIN_PASSWORD__FILE, `${grafanaPaths.secrets}/${grafanaSecretKeys.adminPassword}`);
                assert.equal(env.GF_SECURITY_SECRET_KEY__FILE, `${grafanaPaths.secrets}/${grafanaSecretKeys.secretKey}`);
                assert.equal(recording.outputs.grafanaAdminPassword, undefined, "the admin password is not a stack output");
            });

            it("no secret value appears in any ConfigMap, env literal or stack output", async () => {
                const recording = await stackRecording(stack);
                const secret = kubernetesObject(recording, "core/v1", "Secret", grafanaSecretName, namespace);
                const secretValues = Object.values(secret.inputs.stringData) as string[];
                const haystacks = [
                    ...kubernetesObjects(recording, "core/v1", "ConfigMap").map((c) => JSON.stringify(c.inputs)),
                    ...recording.resources.flatMap((r) =>
                        (r.inputs.spec?.template?.spec?.containers ?? []).flatMap((c: any) => (c.env ?? []).map((e: any) => JSON.stringify(e))),
                    ),
                    JSON.stringify(recording.outputs),
                ];
                for (const text of haystacks) {
                    assert.ok(!text.includes("mock-password"), `a generated secret leaked: ${text.slice(0, 200)}`);
                    for (const value of secretValues) assert.ok(!text.includes(value));
                }
            });

            it("TLS: the server certificate, the client certificate for Tempo and the CA bundle are mounted where the config reads them", async () => {
                const recording = await stackRecording(stack);
                const { configMap, volume, mountOf } = grafanaParts(recording);
                const secretAt = (path: string) => {
                    const directory = path.slice(0, path.lastIndexOf("/"));
                    const mount = mountOf(directory);
                    assert.ok(mount, `nothing mounted at ${directory}`);
                    assert.equal(mount.readOnly, true);
                    return volume(mount.name).secret?.secretName;
                };
                const grafanaIni = ini.parse(configMap("grafana-config").inputs.data["grafana.ini"]);
                assert.equal(secretAt(grafanaIni.server.cert_file), tlsSecrets.grafanaServer.name);
                assert.equal(secretAt(grafanaIni.server.cert_key), tlsSecrets.grafanaServer.name);
                const datasources = yaml.parse(configMap("grafana-datasources").inputs.data["datasources.yaml"]);
                const tempo = datasources.datasources.find((d: any) => d.type === "tempo");
                const file = (value: string) => /^\$__file\{(.+)\}$/.exec(value)![1];
                assert.equal(secretAt(file(tempo.secureJsonData.tlsCACert)), tlsSecrets.caBundle);
                assert.equal(secretAt(file(tempo.secureJsonData.tlsClientCert)), tlsSecrets.grafanaClient.name);
                assert.equal(secretAt(file(tempo.secureJsonData.tlsClientKey)), tlsSecrets.grafanaClient.name);
            });

            it("configuration comes from ConfigMaps (grafana.ini hardened, data sources for this stack, dashboards, alerting) and rolls the pod when it changes", async () => {
                const recording = await stackRecording(stack);
                const settings = parseSettings(recording.config, stack);
                const { deployment, configMap, configMaps, volume, mountOf, container } = grafanaParts(recording);
                const grafanaIni = ini.parse(configMap("grafana-config").inputs.data["grafana.ini"]);
                assert.equal(grafanaIni.auth.anonymous.enabled, false);
                assert.equal(grafanaIni.server.root_url, `https://${settings.grafana.hostname}/`);
                const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
                assert.equal(volume(mountOf(env.GF_PATHS_CONFIG.slice(0, env.GF_PATHS_CONFIG.lastIndexOf("/"))).name).configMap.name, "grafana-config");
                const datasources = yaml.parse(configMap("grafana-datasources").inputs.data["datasources.yaml"]);
                const metrics = datasources.datasources.find((d: any) => d.jsonData.sigV4Auth);
                assert.equal(metrics.jsonData.sigV4Region, settings.aws.region);
                assert.ok(metrics.url.includes(`aps-workspaces.${settings.aws.region}.amazonaws.com/workspaces/`));
                assert.equal(Object.keys(configMap("grafana-dashboards").inputs.data).length, settings.systems.length + 3, "overview, platform, user behaviour and one per system");
                const alerting = yaml.parse(configMap("grafana-alerting").inputs.data["alerting.yaml"]);
                const [receiver] = alerting.contactPoints[0].receivers;
                assert.equal(receiver.type, "sns");
                const [topic] = ofType(recording, "aws:sns/topic:Topic");
                assert.equal(receiver.settings.topic_arn, `arn:aws:sns:${settings.aws.region}:${settings.aws.accountId}:${topic.inputs.name}`);
                assert.equal(receiver.settings.topic_arn, recording.outputs.alertTopicArn, "the topic the program exports");
                assert.equal(receiver.settings.sigv4.region, settings.aws.region);
                for (const [dir, name] of [
                    ["datasources", "grafana-datasources"],
                    ["dashboards", "grafana-dashboard-provider"],
                    ["alerting", "grafana-alerting"],
                ]) {
                    assert.equal(volume(mountOf(`${grafanaPaths.provisioning}/${dir}`).name).configMap.name, name);
                }
                assert.equal(volume(mountOf(grafanaPaths.dashboards).name).configMap.name, "grafana-dashboards");
                const totalBytes = configMaps.reduce((sum, c) => sum + JSON.stringify(c.inputs.data).length, 0);
                assert.ok(totalBytes < 900 * 1024, `ConfigMaps total ${totalBytes} bytes`);
                assert.match(deployment.inputs.spec.template.metadata.annotations[configHashAnnotation], /^[0-9a-f]{64}$/);
            });

            it("rolls the pod when the CA bundle or its client certificate is renewed: the Tempo data source reads them once, at provisioning", async () => {
                const recording = await stackRecording(stack);
                const { deployment } = grafanaParts(recording);
                const expected = expectedTlsHash(recording, tlsSecrets.grafanaClient);
                assert.equal(deployment.inputs.spec.template.metadata.annotations[tlsHashAnnotation], expected);
                assert.notEqual(expected, expectedTlsHash(recording), "the client certificate is part of it");
            });

            it("the component creates no Service: exposure is the perimeter's internal, VPN-only load balancer", async () => {
                const recording = await stackRecording(stack);
                const mine = recording.resources.filter((r) => ancestorTypes(recording, r).includes("tracing:grafana:Grafana"));
                assert.ok(mine.length > 5);
                assert.deepEqual(mine.filter((r) => r.type === "kubernetes:core/v1:Service" || r.type === "kubernetes:networking.k8s.io/v1:Ingress"), []);
                for (const resource of mine) {
                    if (resource.type.startsWith("kubernetes:")) assert.equal(resource.inputs.metadata.namespace, namespace, resource.name);
                }
                const account = kubernetesObject(recording, "core/v1", "ServiceAccount", workloads.grafana.serviceAccount, namespace);
                assert.equal(account.inputs.automountServiceAccountToken, false);
            });
        });
    }

    it("different configuration means a different config hash (dev and prod differ in hostname and region)", async () => {
        const [dev, prod] = await Promise.all(shippedStacks.map((s) => stackRecording(s)));
        const hash = (r: StackRecording) => grafanaParts(r).deployment.inputs.spec.template.metadata.annotations[configHashAnnotation];
        assert.notEqual(hash(dev), hash(prod));
    });
});
