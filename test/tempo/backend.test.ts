import * as assert from "assert";
import * as yaml from "yaml";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { planCapacity } from "../../components/capacity/plan";
import { distributedTargets, kafkaCredentialEnv } from "../../components/tempo/config";
import { tempoPlanKeys } from "../../components/tempo/workloads";
import { namespaces, ports, services, tlsHashAnnotation, tlsSecrets, workloads } from "../../components/platform/names";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { kubernetesObject, kubernetesObjects, ofType, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { encryptedStorageClassName, expectedTlsHash } from "../harness/recorded";
import { stackConfig } from "../harness/stack-config";


function settingsOf(stack: string): Settings {
    return parseSettings(stackConfig(stack), stack);
}

function tempoWorkloads(recording: StackRecording): RecordedResource[] {
    return [...kubernetesObjects(recording, "apps/v1", "Deployment"), ...kubernetesObjects(recording, "apps/v1", "StatefulSet")].filter(
        (r) => r.inputs.metadata.namespace === namespaces.tempo,
    );
}

function tempoConfig(recording: StackRecording): any {
    return yaml.parse(kubernetesObject(recording, "core/v1", "ConfigMap", "tempo-config", namespaces.tempo).inputs.data["tempo.yaml"]);
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function podsSelectedBy(recording: StackRecording, selector: Record<string, string>): RecordedResource[] {
    return tempoWorkloads(recording).filter((w) => matches(selector, w.inputs.spec.template.metadata.labels));
}

/** kubernetes-models validates against the Kubernetes OpenAPI schema; it throws on an invalid object. */
function validate(resource: RecordedResource): void {
    const { inputs } = resource;
    const models: Record<string, new (x: any) => { validate(): void }> = {
        Deployment,
        StatefulSet,
        ConfigMap,
        Secret,
        Service,
        ServiceAccount,
        PodDisruptionBudget,
        NetworkPolicy,
    };
    const Model = models[inputs.kind];
    assert.ok(Model, `no model for ${inputs.kind}`);
    new Model(inputs).validate();
}

describe("Tempo (program)", () => {
    describe("dev renders monolithic Tempo", () => {
        it("runs one -target=all StatefulSet with a persistent volume and no Kafka or MSK", async () => {
            const dev = await stackRecording("dev");
            const settings = settingsOf("dev");
            const plan = planCapacity(settings).tempo;
            assert.strictEqual(plan.mode, "monolithic");
            assert.deepStrictEqual(ofType(dev, "aws:msk/cluster:Cluster"), []);
            assert.deepStrictEqual(ofType(dev, "aws:msk/topic:Topic"), []);
            const found = tempoWorkloads(dev);
            assert.deepStrictEqual(found.map((w) => `${w.inputs.kind}/${w.inputs.metadata.name}`), ["StatefulSet/tempo"]);
            const monolith = found[0].inputs.spec;
            assert.strictEqual(monolith.replicas, 1);
            assert.deepStrictEqual(monolith.template.spec.containers[0].args.filter((a: string) => a.startsWith("-target")), ["-target=all"]);
            const [claim] = monolith.volumeClaimTemplates;
            assert.strictEqual(claim.spec.storageClassName, encryptedStorageClassName(dev));
            assert.strictEqual(claim.spec.resources.requests.storage, `${plan.monolith!.volumeGb}Gi`);
            assert.ok(monolith.template.spec.containers[0].volumeMounts.some((m: any) => m.name === claim.metadata.name && m.mountPath === "/var/tempo"));
            assert.deepStrictEqual(monolith.template.spec.containers[0].resources, plan.monolith!.resources);
            assert.strictEqual(tempoConfig(dev).ingest, undefined);
            assert.deepStrictEqual(kubernetesObjects(dev, "core/v1", "Secret").filter((s) => s.inputs.metadata.name === "tempo-kafka-credentials"), []);
        });
    });

    describe("prod renders distributed Tempo", () => {
        it("runs every Tempo 3 microservice with the plan's replicas and resources", async () => {
            const prod = await stackRecording("prod");
            const plan = planCapacity(settingsOf("prod")).tempo.distributed!;
            const byComponent = new Map(tempoWorkloads(prod).map((w) => [w.inputs.spec.template.metadata.labels["app.kubernetes.io/component"], w]));
            assert.deepStrictEqual([...byComponent.keys()].sort(), [...distributedTargets].sort());
            for (const target of distributedTargets) {
                const spec = byComponent.get(target)!.inputs.spec;
                assert.strictEqual(spec.replicas, plan[tempoPlanKeys[target]], `${target} replicas`);
                const container = spec.template.spec.containers[0];
                assert.ok(container.args.includes(`-target=${target}`), `${target} runs its own target`);
                assert.ok(container.args.includes("-config.expand-env=true"));
                assert.deepStrictEqual(
                    { cpu: container.resources.requests.cpu, memory: container.resources.requests.memory },
                    plan.resources[tempoPlanKeys[target]].requests,
                );
                assert.deepStrictEqual(container.resources.limits, plan.resources[tempoPlanKeys[target]].limits);
                // Disk is the plan's too: a claim of its volume size for the trace-data holders (test/tempo/volumes.test.ts),
                // otherwise scratch requested as ephemeral storage and capped on the emptyDir.
                const data = spec.template.spec.volumes.find((v: any) => v.name === "data");
                if (target === "live-store" || target === "block-builder") {
                    assert.strictEqual(data, undefined, `${target} keeps no data on an emptyDir`);
                    const volumeGb = plan.volumeGb[target === "live-store" ? "liveStore" : "blockBuilder"];
                    assert.strictEqual(spec.volumeClaimTemplates[0].spec.resources.requests.storage, `${volumeGb}Gi`, `${target} volume`);
                } else {
                    const scratch = `${plan.scratchMiB}Mi`;
                    assert.strictEqual(container.resources.requests["ephemeral-storage"], scratch, `${target} scratch request`);
                    assert.strictEqual(data.emptyDir.sizeLimit, scratch, `${target} scratch limit`);
                }
            }
            assert.strictEqual(byComponent.get("live-store")!.inputs.spec.replicas, plan.kafkaPartitions, "one live-store per partition");
            assert.strictEqual(byComponent.get("query-frontend")!.inputs.spec.replicas, 2);
            assert.strictEqual(byComponent.get("backend-scheduler")!.inputs.spec.replicas, 1);
            for (const stateful of ["live-store", "block-builder", "backend-scheduler"]) {
                assert.strictEqual(byComponent.get(stateful)!.inputs.kind, "StatefulSet", `${stateful} has stable ordinals`);
            }
        });

        it("guards each microservice with a PDB and spreads it over zones", async () => {
            const prod = await stackRecording("prod");
            const budgets = kubernetesObjects(prod, "policy/v1", "PodDisruptionBudget").filter((p) => p.inputs.metadata.namespace === namespaces.tempo);
            assert.strictEqual(budgets.length, distributedTargets.length);
            for (const target of distributedTargets) {
                const budget = budgets.find((b) => b.inputs.spec.selector.matchLabels["app.kubernetes.io/component"] === target);
                assert.ok(budget, `${target} has a PDB`);
                assert.strictEqual(budget.inputs.spec.maxUnavailable, 1);
                const selected = podsSelectedBy(prod, budget.inputs.spec.selector.matchLabels);
                assert.deepStrictEqual(selected.map((w) => w.inputs.metadata.name), [`tempo-${target}`], `${target} PDB selects exactly its pods`);
                const spread = selected[0].inputs.spec.template.spec.topologySpreadConstraints;
                const zone = spread.find((c: any) => c.topologyKey === "topology.kubernetes.io/zone");
                assert.strictEqual(zone.whenUnsatisfiable, "DoNotSchedule");
                assert.deepStrictEqual(zone.labelSelector.matchLabels, budget.inputs.spec.selector.matchLabels);
            }
        });

        it("routes ingest to distributors, queries to query-frontends and gossip to every Tempo pod", async () => {
            const prod = await stackRecording("prod");
            const ingest = kubernetesObject(prod, "core/v1", "Service", services.tempoIngest.name, namespaces.tempo).inputs.spec;
            assert.deepStrictEqual(podsSelectedBy(prod, ingest.selector).map((w) => w.inputs.metadata.name), ["tempo-distributor"]);
            assert.deepStrictEqual(ingest.ports.map((p: any) => p.port), [ports.otlpGrpc]);
            const query = kubernetesObject(prod, "core/v1", "Service", services.tempoQuery.name, namespaces.tempo).inputs.spec;
            assert.deepStrictEqual(podsSelectedBy(prod, query.selector).map((w) => w.inputs.metadata.name), ["tempo-query-frontend"]);
            assert.deepStrictEqual(query.ports.map((p: any) => p.port), [ports.tempoHttp]);
            const gossip = kubernetesObject(prod, "core/v1", "Service", "tempo-memberlist", namespaces.tempo).inputs.spec;
            assert.strictEqual(gossip.clusterIP, "None");
            assert.strictEqual(gossip.publishNotReadyAddresses, true);
            assert.strictEqual(podsSelectedBy(prod, gossip.selector).length, distributedTargets.length);
            const discovery = kubernetesObject(prod, "core/v1", "Service", "tempo-query-frontend-discovery", namespaces.tempo).inputs.spec;
            assert.strictEqual(discovery.clusterIP, "None", "queriers must resolve every frontend");
            for (const statefulSet of tempoWorkloads(prod).filter((w) => w.inputs.kind === "StatefulSet")) {
                assert.strictEqual(statefulSet.inputs.spec.serviceName, "tempo-memberlist");
            }
        });

        it("gives the SCRAM credentials only to Kafka clients, from a Secret", async () => {
            const prod = await stackRecording("prod");
            for (const workload of tempoWorkloads(prod)) {
                const component = workload.inputs.spec.template.metadata.labels["app.kubernetes.io/component"];
                const env: any[] = workload.inputs.spec.template.spec.containers[0].env ?? [];
                const usesKafka = ["distributor", "live-store", "block-builder"].includes(component);
                assert.deepStrictEqual(
                    env.map((e) => e.name).sort(),
                    usesKafka ? [kafkaCredentialEnv.password, kafkaCredentialEnv.username] : [],
                    component,
                );
                for (const variable of env) {
                    assert.strictEqual(variable.value, undefined, `${component} ${variable.name} has no literal value`);
                    assert.deepStrictEqual(variable.valueFrom.secretKeyRef, { name: "tempo-kafka-credentials", key: variable.name });
                }
            }
        });
    });

    for (const stack of shippedStacks) {
        describe(`${stack}: every Tempo pod`, () => {
            it("runs as the tempo service account without an API token, hardened, with requests and limits", async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(stack);
                const found = tempoWorkloads(recording);
                assert.ok(found.length > 0);
                const account = kubernetesObject(recording, "core/v1", "ServiceAccount", workloads.tempo.serviceAccount, namespaces.tempo);
                assert.strictEqual(account.inputs.automountServiceAccountToken, false);
                for (const workload of found) {
                    const pod = workload.inputs.spec.template.spec;
                    const name = workload.inputs.metadata.name;
                    assert.strictEqual(pod.serviceAccountName, workloads.tempo.serviceAccount, name);
                    assert.strictEqual(pod.automountServiceAccountToken, false, name);
                    assert.strictEqual(pod.securityContext.runAsNonRoot, true, name);
                    assert.ok(pod.securityContext.runAsUser > 0 && pod.securityContext.runAsGroup > 0, name);
                    assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault", name);
                    assert.strictEqual(workload.inputs.spec.template.metadata.labels["app.kubernetes.io/name"], "tempo");
                    for (const container of pod.containers) {
                        assert.strictEqual(container.image, settings.images.tempo.reference, name);
                        const security = container.securityContext;
                        assert.strictEqual(security.allowPrivilegeEscalation, false, name);
                        assert.strictEqual(security.readOnlyRootFilesystem, true, name);
                        assert.deepStrictEqual(security.capabilities.drop, ["ALL"], name);
                        for (const side of ["requests", "limits"]) {
                            assert.ok(container.resources[side].cpu && container.resources[side].memory, `${name} ${side}`);
                        }
                        const writable = container.volumeMounts.filter((m: any) => !m.readOnly).map((m: any) => m.mountPath);
                        assert.deepStrictEqual(writable, ["/var/tempo"], `${name} writes only its data directory`);
                        assert.strictEqual(container.readinessProbe.httpGet.scheme, "HTTPS");
                        assert.strictEqual(container.readinessProbe.httpGet.port, "internal");
                        assert.ok(container.ports.some((p: any) => p.name === "internal" && p.containerPort === ports.tempoInternalHttp));
                    }
                    const secrets = pod.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName).sort();
                    assert.deepStrictEqual(secrets, [tlsSecrets.tempoServer.name, tlsSecrets.caBundle].sort(), `${name} mounts its certificate and the CA`);
                    assert.match(workload.inputs.spec.template.metadata.annotations["checksum/config"], /^[0-9a-f]{64}$/);
                }
            });

            // Tempo's servers read their certificate at each handshake (exporter-toolkit), but the
            // client CAs once, and memberlist's listener keeps the certificate it started with
            // (dskit crypto/tls): every workload rolls when the bundle or Tempo's certificate changes.
            it("rolls every Tempo pod when the CA bundle or Tempo's certificate is renewed", async () => {
                const recording = await stackRecording(stack);
                const expected = expectedTlsHash(recording, tlsSecrets.tempoServer);
                const annotated = tempoWorkloads(recording).map((w) => w.inputs.spec.template.metadata.annotations[tlsHashAnnotation]);
                assert.ok(annotated.length >= 1);
                assert.deepStrictEqual(annotated, annotated.map(() => expected));
            });

            it("renders valid Kubernetes objects", async () => {
                const recording = await stackRecording(stack);
                const objects = recording.resources.filter((r) => r.type.startsWith("kubernetes:") && r.inputs.metadata?.namespace === namespaces.tempo);
                assert.ok(objects.length >= 5);
                for (const object of objects) validate(object);
            });

            it("points Tempo at the stack's trace bucket and key with the stack's retention", async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(stack);
                const config = tempoConfig(recording);
                const key = ofType(recording, "aws:kms/key:Key").filter((k) => k.name === "tracing-trace");
                assert.strictEqual(key.length, 1);
                assert.strictEqual(config.storage.trace.s3.sse.kms_key_id, `arn:aws:kms:${settings.aws.region}:${settings.aws.accountId}:key/${key[0].name}-id`);
                assert.strictEqual(config.storage.trace.s3.bucket, `tracing-traces-${settings.environment}-${settings.aws.accountId}-${settings.aws.region}`);
                assert.strictEqual(config.backend_worker.compaction.block_retention, `${settings.retention.traceDays * 24}h`);
            });

            it("puts no secret value in any ConfigMap", async () => {
                const recording = await stackRecording(stack);
                const passwords = ofType(recording, "random:index/randomPassword:RandomPassword").map((p) => `mock-password-${p.name}`);
                const configMaps = recording.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap");
                assert.ok(configMaps.length > 0);
                for (const configMap of configMaps) {
                    const text = JSON.stringify(configMap.inputs);
                    for (const password of passwords) assert.ok(!text.includes(password), `${configMap.name} contains a generated password`);
                    assert.deepStrictEqual(configMap.secretPaths, [], `${configMap.name} carries a Pulumi secret`);
                }
                if (settingsOf(stack).tempo.mode === "distributed") {
                    // The check above is only meaningful if the password exists and does reach Tempo somewhere.
                    const credentials = kubernetesObject(recording, "core/v1", "Secret", "tempo-kafka-credentials", namespaces.tempo);
                    assert.ok(passwords.includes(credentials.inputs.stringData[kafkaCredentialEnv.password]));
                    assert.ok(credentials.secretPaths.some((p) => p.startsWith("stringData")), "the Secret's data is a Pulumi secret");
                }
            });
        });
    }
});
