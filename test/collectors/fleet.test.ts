import { strict as assert } from "assert";
import * as yaml from "yaml";
import { DaemonSet, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { planCapacity } from "../../components/capacity/plan";
import { buildAgentConfig } from "../../components/collectors/agent-config";
import { collectorEnv, collectorPaths, renderCollectorConfig } from "../../components/collectors/config";
import { buildGatewayConfig } from "../../components/collectors/gateway-config";
import { configHash, configHashAnnotation, goMemLimit } from "../../components/collectors/pod";
import { hashSaltEnvVar } from "../../components/collectors/pii-scrubbing";
import { namespaces, ports, services, tlsHashAnnotation, tlsSecrets, workloads } from "../../components/platform/names";
import { parseSettings } from "../../components/platform/settings";
import { kubernetesObject, kubernetesObjects, ofType, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { encryptedStorageClassName, expectedTlsHash } from "../harness/recorded";
import { gatewayInput } from "./fixtures";

const ns = namespaces.collectors;

function fleetOf(recording: StackRecording) {
    const settings = parseSettings(recording.config, recording.stack);
    const plan = planCapacity(settings);
    return {
        settings,
        plan,
        storageClass: encryptedStorageClassName(recording),
        daemonSet: kubernetesObject(recording, "apps/v1", "DaemonSet", workloads.agent.name, ns),
        statefulSet: kubernetesObject(recording, "apps/v1", "StatefulSet", workloads.gateway.name, ns),
        agentService: kubernetesObject(recording, "core/v1", "Service", services.agent.name, ns),
        headless: kubernetesObject(recording, "core/v1", "Service", services.gatewayHeadless.name, ns),
        agentConfig: kubernetesObject(recording, "core/v1", "ConfigMap", `${workloads.agent.name}-config`, ns),
        gatewayConfig: kubernetesObject(recording, "core/v1", "ConfigMap", `${workloads.gateway.name}-config`, ns),
    };
}

const pod = (workload: RecordedResource) => workload.inputs.spec.template.spec;
const container = (workload: RecordedResource) => pod(workload).containers[0];
const envOf = (workload: RecordedResource) => Object.fromEntries(container(workload).env.map((e: any) => [e.name, e]));

/** Every `${env:NAME}` a rendered config expands. */
function envReferences(rendered: string): string[] {
    return [...new Set([...rendered.matchAll(/\$\{env:([A-Z_]+)\}/g)].map((m) => m[1]))];
}

for (const stack of shippedStacks) {
    describe(`collector fleet program (${stack})`, () => {
        let recording: StackRecording;
        let fleet: ReturnType<typeof fleetOf>;
        before(async () => {
            recording = await stackRecording(stack);
            fleet = fleetOf(recording);
        });

        it("validates every collector object against the Kubernetes schemas", () => {
            const models: Record<string, { new (data: any): { validate(): void } }> = {
                "apps/v1:DaemonSet": DaemonSet,
                "apps/v1:StatefulSet": StatefulSet,
                "autoscaling/v2:HorizontalPodAutoscaler": HorizontalPodAutoscaler,
                "policy/v1:PodDisruptionBudget": PodDisruptionBudget,
                "rbac.authorization.k8s.io/v1:ClusterRole": ClusterRole,
                "rbac.authorization.k8s.io/v1:ClusterRoleBinding": ClusterRoleBinding,
                "rbac.authorization.k8s.io/v1:Role": Role,
                "rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
                "core/v1:ConfigMap": ConfigMap,
                "core/v1:Secret": Secret,
                "core/v1:Service": Service,
                "core/v1:ServiceAccount": ServiceAccount,
            };
            let validated = 0;
            for (const [kind, Model] of Object.entries(models)) {
                for (const object of ofType(recording, `kubernetes:${kind}`)) {
                    if (object.inputs.metadata?.namespace !== ns && !kind.startsWith("rbac.authorization.k8s.io/v1:Cluster")) continue;
                    assert.doesNotThrow(() => new Model(object.inputs).validate(), `${kind} ${object.inputs.metadata?.name}`);
                    validated++;
                }
            }
            assert.ok(validated >= 14, `only ${validated} objects validated`);
        });

        it("agents: a DaemonSet of the otelcol-k8s image, sized by the plan, rolled by its config hash", () => {
            const { daemonSet, agentConfig, settings, plan } = fleet;
            assert.equal(container(daemonSet).image, settings.images.collector.reference);
            assert.deepEqual(container(daemonSet).resources, plan.agent.resources);
            assert.equal(envOf(daemonSet).GOMEMLIMIT.value, goMemLimit(plan.agent.resources.limits.memory));
            const rendered = agentConfig.inputs.data["config.yaml"];
            assert.equal(daemonSet.inputs.spec.template.metadata.annotations[configHashAnnotation], configHash(rendered));
            assert.equal(rendered, renderCollectorConfig(buildAgentConfig({ image: settings.images.collector, dropClientAddress: settings.collectors.dropClientAddress })));
            assert.equal(pod(daemonSet).volumes.find((v: any) => v.name === "config").configMap.name, agentConfig.inputs.metadata.name);
        });

        it("gateways: a StatefulSet of the contrib image with the plan's replicas, resources and queue volume", () => {
            const { statefulSet, gatewayConfig, settings, plan, storageClass } = fleet;
            const spec = statefulSet.inputs.spec;
            assert.equal(spec.replicas, plan.gateway.replicas);
            assert.equal(spec.serviceName, services.gatewayHeadless.name);
            assert.equal(container(statefulSet).image, settings.images.collectorGateway.reference);
            assert.deepEqual(container(statefulSet).resources, plan.gateway.resources);
            assert.equal(envOf(statefulSet).GOMEMLIMIT.value, goMemLimit(plan.gateway.resources.limits.memory));
            const [claim] = spec.volumeClaimTemplates;
            assert.equal(claim.spec.storageClassName, storageClass);
            assert.equal(claim.spec.resources.requests.storage, `${plan.gateway.queueVolumeGb}Gi`);
            assert.deepEqual(claim.spec.accessModes, ["ReadWriteOnce"]);
            const queueMount = container(statefulSet).volumeMounts.find((m: any) => m.name === claim.metadata.name);
            assert.equal(queueMount.mountPath, collectorPaths.queueDir);
            const rendered = gatewayConfig.inputs.data["config.yaml"];
            assert.equal(rendered, renderCollectorConfig(buildGatewayConfig(gatewayInput(settings, plan))));
            assert.equal(spec.template.metadata.annotations[configHashAnnotation], configHash(rendered));
            const zones = spec.template.spec.topologySpreadConstraints.find((c: any) => c.topologyKey === "topology.kubernetes.io/zone");
            assert.equal(zones.whenUnsatisfiable, "DoNotSchedule");
            assert.deepEqual(zones.labelSelector.matchLabels, spec.selector.matchLabels);
        });

        it("gateways: the remote-write URL reaches the pod, and every ${env:...} the configs expand is set", () => {
            const url = envOf(fleet.statefulSet)[collectorEnv.remoteWriteUrl].value;
            assert.match(url, new RegExp(`^https://aps-workspaces\\.${fleet.settings.aws.region}\\.amazonaws\\.com/workspaces/[^/]+/api/v1/remote_write$`));
            for (const [workload, config] of [
                [fleet.daemonSet, fleet.agentConfig],
                [fleet.statefulSet, fleet.gatewayConfig],
            ] as const) {
                const env = envOf(workload);
                for (const name of envReferences(config.inputs.data["config.yaml"])) assert.ok(env[name], `${workload.inputs.metadata.name} lacks ${name}`);
                assert.equal(env[collectorEnv.podIp].valueFrom.fieldRef.fieldPath, "status.podIP");
                assert.equal(env[collectorEnv.podName].valueFrom.fieldRef.fieldPath, "metadata.name");
                assert.equal(env[hashSaltEnvVar].value, undefined, "the salt is never inline");
                assert.ok(env[hashSaltEnvVar].valueFrom.secretKeyRef.name);
            }
            const resourceAttributes = envOf(fleet.daemonSet)[collectorEnv.resourceAttributes].value;
            assert.match(resourceAttributes, new RegExp(`k8s\\.cluster\\.name=${fleet.settings.cluster.name}`));
            assert.match(resourceAttributes, new RegExp(`deployment\\.environment\\.name=${stack}`));
        });

        it("the pseudonymisation salt is a Pulumi secret in a Secret, shared by both tiers", () => {
            const secrets = kubernetesObjects(recording, "core/v1", "Secret").filter((s) => s.inputs.metadata.namespace === ns);
            const salt = secrets.find((s) => s.inputs.metadata.name === envOf(fleet.daemonSet)[hashSaltEnvVar].valueFrom.secretKeyRef.name)!;
            assert.ok(salt, "salt Secret");
            assert.ok(salt.secretPaths.some((p) => p.startsWith("stringData")), "the salt is not marked secret");
            assert.equal(envOf(fleet.statefulSet)[hashSaltEnvVar].valueFrom.secretKeyRef.name, salt.inputs.metadata.name);
            assert.match(Object.values(salt.inputs.stringData)[0] as string, /^[0-9a-f]{32,}$/);
            assert.ok(!ofType(recording, "kubernetes:core/v1:ConfigMap").some((c) => JSON.stringify(c.inputs.data ?? {}).includes(Object.values(salt.inputs.stringData)[0] as string)));
        });

        it("mounts the TLS Secrets the configs read, read-only", () => {
            const expectations = [
                [fleet.daemonSet, tlsSecrets.agentServer.name, tlsSecrets.agentClient.name],
                [fleet.statefulSet, tlsSecrets.gatewayServer.name, tlsSecrets.gatewayClient.name],
            ] as const;
            for (const [workload, server, client] of expectations) {
                const volumes = pod(workload).volumes;
                const mounts = container(workload).volumeMounts;
                const mountOf = (secretName: string) => {
                    const volume = volumes.find((v: any) => v.secret?.secretName === secretName);
                    assert.ok(volume, `${workload.inputs.metadata.name} does not mount ${secretName}`);
                    assert.equal(volume.secret.defaultMode, 0o440);
                    const mount = mounts.find((m: any) => m.name === volume.name);
                    assert.equal(mount.readOnly, true);
                    return mount.mountPath;
                };
                assert.equal(mountOf(server), collectorPaths.serverTlsDir);
                assert.equal(mountOf(client), collectorPaths.clientTlsDir);
                assert.equal(mountOf(tlsSecrets.caBundle), collectorPaths.caDir);
            }
        });

        // Renewed certificates are picked up without a manual restart (issue 15): configtls re-reads
        // cert_file/key_file every reload_interval and a server's client_ca_file when it changes
        // (client_ca_file_reload), but an exporter's ca_file only at start-up, so the pod template
        // carries the CA bundle's hash and a new bundle rolls both tiers.
        //
        // Prometheus scrape jobs (the platform scrape) use Prometheus' own tls_config, which has no
        // reload_interval: its client reads cert_file and key_file from disk at every TLS handshake
        // (prometheus/common config/http_config.go, TLSConfig.getClientCertificate), so they are
        // checked for reading files, not for the collector's reload settings.
        it("reloads every certificate it presents, and rolls its pods when the CA bundle changes", () => {
            const tlsBlocks: any[] = [];
            const scrapeTls: any[] = [];
            const collect = (node: any): void => {
                if (Array.isArray(node)) node.forEach(collect);
                else if (node && typeof node === "object") {
                    if (typeof node.cert_file === "string") tlsBlocks.push(node);
                    for (const [key, value] of Object.entries(node)) {
                        if (key === "scrape_configs") for (const job of value as any[]) scrapeTls.push(...(job.tls_config ? [job.tls_config] : []));
                        else collect(value);
                    }
                }
            };
            for (const config of [fleet.agentConfig, fleet.gatewayConfig]) collect(yaml.parse(config.inputs.data["config.yaml"]));
            assert.ok(tlsBlocks.length >= 6, `${tlsBlocks.length} TLS settings with a certificate`);
            for (const tls of tlsBlocks) {
                assert.equal(tls.reload_interval, "1h", `${tls.cert_file} is re-read hourly`);
                if (tls.client_ca_file) assert.equal(tls.client_ca_file_reload, true, `${tls.client_ca_file} is re-read when it changes`);
            }
            assert.ok(scrapeTls.length > 0, "the agents scrape Tempo and Grafana over TLS");
            for (const tls of scrapeTls) {
                assert.ok(typeof tls.ca_file === "string" && tls.cert_pem === undefined && tls.key === undefined, "scrape TLS reads its certificates from the mounted files");
                if (tls.cert_file) assert.ok(typeof tls.key_file === "string");
            }
            const bundleHash = expectedTlsHash(recording);
            for (const workload of [fleet.daemonSet, fleet.statefulSet]) {
                assert.equal(workload.inputs.spec.template.metadata.annotations[tlsHashAnnotation], bundleHash, `${workload.inputs.metadata.name} rolls with the CA bundle`);
            }
        });

        it("runs both tiers hardened: restricted pod security, requests and limits, probes on health_check", () => {
            for (const workload of [fleet.daemonSet, fleet.statefulSet]) {
                const spec = pod(workload);
                assert.equal(spec.securityContext.runAsNonRoot, true);
                assert.ok(spec.securityContext.runAsUser > 0 && spec.securityContext.runAsGroup > 0);
                assert.equal(spec.securityContext.seccompProfile.type, "RuntimeDefault");
                for (const key of ["hostNetwork", "hostPID", "hostIPC"]) assert.ok(!spec[key], key);
                // Neither tier touches the node: the platform's logs are read by the log agents in their own namespace.
                assert.deepEqual(spec.volumes.filter((v: any) => v.hostPath), [], `hostPath volume on ${workload.inputs.metadata.name}`);
                assert.equal(spec.securityContext.supplementalGroups, undefined, "no extra groups");
                for (const c of spec.containers) {
                    const sc = c.securityContext;
                    assert.equal(sc.allowPrivilegeEscalation, false);
                    assert.equal(sc.readOnlyRootFilesystem, true);
                    assert.deepEqual(sc.capabilities.drop, ["ALL"]);
                    assert.ok(!sc.capabilities.add);
                    assert.ok(!c.ports.some((p: any) => p.hostPort));
                    for (const kind of ["requests", "limits"]) for (const r of ["cpu", "memory"]) assert.ok(c.resources[kind][r], `${kind}.${r}`);
                    const health = c.ports.find((p: any) => p.name === "health");
                    assert.equal(health.containerPort, ports.collectorHealth);
                    for (const probe of [c.livenessProbe, c.readinessProbe]) assert.equal(probe.httpGet.port, "health");
                }
                assert.ok(spec.volumes.some((v: any) => v.emptyDir && container(workload).volumeMounts.some((m: any) => m.name === v.name && m.mountPath === "/tmp")));
            }
        });

        it("service accounts: their own, and the API token only where the API is called (agents)", () => {
            assert.equal(pod(fleet.daemonSet).serviceAccountName, workloads.agent.serviceAccount);
            assert.equal(pod(fleet.statefulSet).serviceAccountName, workloads.gateway.serviceAccount);
            assert.equal(pod(fleet.daemonSet).automountServiceAccountToken, true);
            assert.equal(pod(fleet.statefulSet).automountServiceAccountToken, false);
            for (const sa of kubernetesObjects(recording, "core/v1", "ServiceAccount").filter((s) => s.inputs.metadata.namespace === ns)) {
                assert.equal(sa.inputs.automountServiceAccountToken, false, sa.inputs.metadata.name);
            }
        });

        it("RBAC: read-only metadata cluster-wide and EndpointSlices in the namespace, for the agents only", () => {
            const agentSubject = { kind: "ServiceAccount", name: workloads.agent.serviceAccount, namespace: ns };
            const roles = [...kubernetesObjects(recording, "rbac.authorization.k8s.io/v1", "ClusterRole"), ...kubernetesObjects(recording, "rbac.authorization.k8s.io/v1", "Role")];
            const bindings = [
                ...kubernetesObjects(recording, "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
                ...kubernetesObjects(recording, "rbac.authorization.k8s.io/v1", "RoleBinding"),
            ];
            const granted = new Map<string, Set<string>>();
            for (const binding of bindings) {
                assert.deepEqual(binding.inputs.subjects, [agentSubject], "only the agents are bound");
                const role = roles.find((r) => r.inputs.metadata.name === binding.inputs.roleRef.name && r.type.endsWith(binding.inputs.roleRef.kind))!;
                for (const rule of role.inputs.rules) {
                    assert.deepEqual([...rule.verbs].sort(), ["get", "list", "watch"], "read-only");
                    for (const group of rule.apiGroups) for (const resource of rule.resources) {
                        const key = `${group || "core"}/${resource}`;
                        if (!granted.has(key)) granted.set(key, new Set());
                        granted.get(key)!.add(role.type.endsWith(":ClusterRole") ? "cluster" : role.inputs.metadata.namespace);
                    }
                }
            }
            assert.deepEqual([...granted.keys()].sort(), ["apps/replicasets", "core/namespaces", "core/pods", "discovery.k8s.io/endpointslices"]);
            assert.deepEqual([...granted.get("discovery.k8s.io/endpointslices")!], [ns], "EndpointSlices only in the collectors namespace");
        });

        it("Services: node-local agent endpoint and the gateways' headless Service", () => {
            const agent = fleet.agentService.inputs.spec;
            assert.equal(agent.type, "ClusterIP");
            assert.equal(agent.internalTrafficPolicy, "Local");
            assert.deepEqual(agent.ports.map((p: any) => p.port).sort(), [ports.otlpGrpc, ports.otlpHttp]);
            assert.deepEqual(agent.selector, fleet.daemonSet.inputs.spec.selector.matchLabels);
            const headless = fleet.headless.inputs.spec;
            assert.equal(headless.clusterIP, "None");
            assert.ok(headless.ports.some((p: any) => p.port === ports.otlpGrpc));
            assert.deepEqual(headless.selector, fleet.statefulSet.inputs.spec.selector.matchLabels);
            assert.equal(recording.outputs.otlpEndpoint, `https://${services.agent.name}.${services.agent.namespace}.svc.cluster.local:${ports.otlpGrpc}`);
        });

        it("HPA between the plan's replicas and maximum, and a PDB allowing one gateway down", () => {
            const hpa = kubernetesObject(recording, "autoscaling/v2", "HorizontalPodAutoscaler", workloads.gateway.name, ns).inputs.spec;
            assert.deepEqual(hpa.scaleTargetRef, { apiVersion: "apps/v1", kind: "StatefulSet", name: workloads.gateway.name });
            assert.equal(hpa.minReplicas, fleet.plan.gateway.replicas);
            assert.equal(hpa.maxReplicas, fleet.plan.gateway.maxReplicas);
            assert.ok(hpa.behavior.scaleDown.stabilizationWindowSeconds >= 300, "scale-down re-routes traces: slowly");
            // Kubernetes HPA (autoscaling/v2): with several metrics the controller takes the largest proposal, so a
            // memory metric held high by the fixed tail-sampling buffer would pin the gateways at maxReplicas.
            assert.deepEqual(
                hpa.metrics.map((m: any) => `${m.type}:${m.resource?.name}`),
                ["Resource:cpu"],
                "the gateways scale on CPU only",
            );
            assert.equal(hpa.metrics[0].resource.target.type, "Utilization");
            const pdb = kubernetesObject(recording, "policy/v1", "PodDisruptionBudget", workloads.gateway.name, ns).inputs.spec;
            assert.equal(pdb.maxUnavailable, 1);
            assert.deepEqual(pdb.selector.matchLabels, fleet.statefulSet.inputs.spec.selector.matchLabels);
        });

        it("the ConfigMaps hold parseable YAML and nothing secret", () => {
            for (const config of [fleet.agentConfig, fleet.gatewayConfig]) {
                const text = config.inputs.data["config.yaml"];
                assert.doesNotThrow(() => yaml.parse(text));
                assert.doesNotMatch(text, /-----BEGIN|AKIA[0-9A-Z]{16}/);
                assert.deepEqual(config.secretPaths, []);
            }
        });
    });
}

describe("collector fleet program: dev against prod", () => {
    it("prod runs more gateways than dev, each exactly as planned", async () => {
        const [dev, prod] = await Promise.all([stackRecording("dev"), stackRecording("prod")]);
        const replicas = (r: StackRecording) => kubernetesObject(r, "apps/v1", "StatefulSet", workloads.gateway.name, ns).inputs.spec.replicas;
        assert.ok(replicas(prod) > replicas(dev), `prod ${replicas(prod)} vs dev ${replicas(dev)}`);
        assert.equal(replicas(dev), planCapacity(parseSettings(dev.config, "dev")).gateway.replicas);
        assert.equal(replicas(prod), planCapacity(parseSettings(prod.config, "prod")).gateway.replicas);
        assert.deepEqual([replicas(dev), replicas(prod)], [2, 3]);
    });
});
