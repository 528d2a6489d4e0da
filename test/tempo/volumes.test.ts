/**
 * Where Tempo keeps trace data on disk, as the program records it. Which components write trace
 * data locally comes from Tempo 3 (grafana/tempo v3.0.x, unchanged in main):
 * - live-store: "flushes traces to a local WAL", later "cut into complete blocks that are also
 *   stored locally" (docs/sources/tempo/reference-tempo-architecture/components/live-store.md);
 * - block-builder: "writes them into Parquet blocks on local disk, uploads the blocks"
 *   (components/block-builder.md);
 * both under /var/tempo by default (modules/livestore/config.go, modules/blockbuilder/config.go).
 * Those volumes must be encrypted persistent volumes, never emptyDir on the node's root disk.
 */
import { strict as assert } from "assert";
import { planCapacity } from "../../components/capacity/plan";
import { namespaces, storageClassName } from "../../components/platform/names";
import { kubernetesObjects, shippedStacks, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { encryptedStorageClassName, settingsOf } from "../harness/recorded";

/** Tempo's data directory, the parent of every WAL and block path. */
const dataDir = "/var/tempo";

/** Distributed components that write trace data to local disk, and where the plan sizes their volume. */
const traceDataComponents = { "live-store": "liveStore", "block-builder": "blockBuilder" } as const;

function tempoWorkloads(recording: StackRecording): RecordedResource[] {
    return [...kubernetesObjects(recording, "apps/v1", "Deployment"), ...kubernetesObjects(recording, "apps/v1", "StatefulSet")].filter(
        (w) => w.inputs.metadata.namespace === namespaces.tempo,
    );
}

const componentOf = (workload: RecordedResource): string => workload.inputs.spec.template.metadata.labels["app.kubernetes.io/component"];

/** The volume a workload's container mounts at `path`: a pod volume, or a claim template of the StatefulSet. */
function volumeAt(workload: RecordedResource, path: string): { emptyDir?: any; claim?: any } {
    const mount = workload.inputs.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.mountPath === path);
    assert.ok(mount, `${workload.inputs.metadata.name} mounts nothing at ${path}`);
    const podVolume = (workload.inputs.spec.template.spec.volumes ?? []).find((v: any) => v.name === mount.name);
    const claim = (workload.inputs.spec.volumeClaimTemplates ?? []).find((t: any) => t.metadata.name === mount.name);
    assert.ok(!(podVolume && claim), `${workload.inputs.metadata.name}: '${mount.name}' is both a pod volume and a claim template`);
    return { emptyDir: podVolume?.emptyDir, claim };
}

describe("Tempo volumes", () => {
    describe("prod (distributed): no trace data on node disks", () => {
        it("live-stores and block-builders keep /var/tempo on a claim of the encrypted class, sized by the plan", async () => {
            const prod = await stackRecording("prod");
            const plan = planCapacity(settingsOf(prod)).tempo.distributed!;
            const byComponent = new Map(tempoWorkloads(prod).map((w) => [componentOf(w), w]));
            for (const [component, planKey] of Object.entries(traceDataComponents)) {
                const workload = byComponent.get(component);
                assert.ok(workload, `prod runs a ${component}`);
                assert.equal(workload.inputs.kind, "StatefulSet", `${component}: volume claim templates need a StatefulSet`);
                const { emptyDir, claim } = volumeAt(workload, dataDir);
                assert.equal(emptyDir, undefined, `${component} keeps its WAL and blocks on an emptyDir`);
                assert.ok(claim, `${component} has no claim template at ${dataDir}`);
                assert.equal(claim.spec.storageClassName, encryptedStorageClassName(prod));
                assert.deepEqual(claim.spec.accessModes, ["ReadWriteOnce"]);
                assert.equal(claim.spec.resources.requests.storage, `${plan.volumeGb[planKey]}Gi`);
                // gp3 volumes are 1 GiB to 16 TiB (EBS user guide, volume types); the plan sizes them from the load (test/capacity/sizing.test.ts).
                assert.ok(plan.volumeGb[planKey] >= 1 && plan.volumeGb[planKey] <= 16_384, `${component}: ${plan.volumeGb[planKey]} GiB is not a gp3 size`);
                const container = workload.inputs.spec.template.spec.containers[0];
                assert.equal(container.resources.requests["ephemeral-storage"], undefined, `${component} asks the node for no disk`);
            }
        });

        it("the other components have only small scratch emptyDirs, each with a size limit", async () => {
            const prod = await stackRecording("prod");
            const others = tempoWorkloads(prod).filter((w) => !(componentOf(w) in traceDataComponents));
            assert.equal(others.length, 5, "distributor, querier, query-frontend, backend-scheduler, backend-worker");
            for (const workload of others) {
                const { emptyDir, claim } = volumeAt(workload, dataDir);
                assert.equal(claim, undefined, componentOf(workload));
                assert.ok(emptyDir?.sizeLimit, `${componentOf(workload)}: an emptyDir without sizeLimit can fill the node's disk`);
                assert.match(emptyDir.sizeLimit, /^\d+Mi$/, `${componentOf(workload)}: scratch in MiB, not GiB`);
                assert.ok(parseInt(emptyDir.sizeLimit, 10) <= 512, `${componentOf(workload)} scratch ${emptyDir.sizeLimit}`);
            }
        });
    });

    for (const stack of shippedStacks) {
        it(`${stack}: every Tempo claim template names the platform's encrypted StorageClass and outlives its pod`, async () => {
            const recording = await stackRecording(stack);
            const templates = tempoWorkloads(recording).flatMap((w) => (w.inputs.spec.volumeClaimTemplates ?? []).map((t: any) => ({ w, t })));
            assert.equal(templates.length, stack === "prod" ? 2 : 1);
            for (const { w, t } of templates) {
                assert.equal(t.spec.storageClassName, storageClassName(stack), w.inputs.metadata.name);
                assert.deepEqual(w.inputs.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
            }
        });
    }
});
