/**
 * Grafana starts without internet access. Its NetworkPolicy allows no egress beyond the VPC, and
 * Grafana exits when a synchronous plugin install fails (pkg/setting/setting_plugins.go,
 * readPluginSettings: `preinstall_sync`; `preinstall_disabled` turns every preinstall off). So the
 * one plugin it needs is baked into its image at build time, fetched by BuildKit with
 * `ADD --checksum` (Dockerfile reference, "ADD --checksum": the build fails unless the download
 * has that digest), and the pod runs that image by digest.
 */
import { strict as assert } from "assert";
import * as ini from "ini";
import { amazonPrometheusPlugin, grafanaPaths } from "../../components/grafana/ini";
import { grafanaImageContext, grafanaImagePlatform } from "../../components/grafana/image-tag";
import { allowedFlows, describeFlow } from "../../components/network/policy-graph";
import { runAsIds } from "../../components/platform/pod-hardening";
import { addressInBlock } from "../../components/platform/cidr";
import { namespaces, standardLabels, workloads } from "../../components/platform/names";
import { expandArgs, readDockerfile, stageArgs, type DockerInstruction } from "../harness/dockerfile";
import { kubernetesObject, kubernetesObjects, ofType, shippedStacks, stackRecording, type StackRecording } from "../harness/program";
import { dependenciesOf, settingsOf } from "../harness/recorded";

function grafanaPod(recording: StackRecording) {
    const deployment = kubernetesObject(recording, "apps/v1", "Deployment", workloads.grafana.name, namespaces.grafana);
    const pod = deployment.inputs.spec.template.spec;
    const container = pod.containers.find((c: any) => c.name === "grafana");
    const configMap = kubernetesObject(recording, "core/v1", "ConfigMap", "grafana-config", namespaces.grafana);
    return { deployment, pod, container, grafanaIni: ini.parse(configMap.inputs.data["grafana.ini"]) };
}

function imageBuild(recording: StackRecording) {
    const builds = ofType(recording, "docker-build:index:Image");
    assert.equal(builds.length, 1, "one image build: Grafana's");
    return builds[0];
}

/** Instructions of every stage, in order. */
function allInstructions(): DockerInstruction[] {
    return readDockerfile(grafanaImageContext).stages.flatMap((s) => s.instructions);
}

describe("Grafana starts without internet access: its plugin is baked into a pinned image", () => {
    for (const stack of shippedStacks) {
        describe(stack, () => {
            it("grafana.ini installs nothing at start: no preinstall lists, preinstall disabled, no plugin catalogue or updates", async () => {
                const { grafanaIni } = grafanaPod(await stackRecording(stack));
                const plugins = grafanaIni.plugins;
                for (const key of ["preinstall", "preinstall_sync"]) assert.equal(plugins[key], undefined, `[plugins] ${key} downloads from grafana.com`);
                assert.equal(plugins.preinstall_disabled, true);
                assert.equal(plugins.preinstall_auto_update, false);
                assert.equal(plugins.plugin_admin_enabled, false);
                assert.equal(plugins.public_key_retrieval_disabled, true);
                assert.equal(grafanaIni.analytics.check_for_plugin_updates, false);
            });

            it("plugins are read from the baked directory, which no volume (least of all the data PVC) covers", async () => {
                const { container, grafanaIni } = grafanaPod(await stackRecording(stack));
                const pluginsPath = grafanaIni.paths.plugins;
                assert.equal(pluginsPath, grafanaPaths.plugins);
                const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
                assert.equal(env.GF_PATHS_PLUGINS, pluginsPath, "environment and ini agree");
                assert.equal(env.GF_INSTALL_PLUGINS, undefined);
                for (const mount of container.volumeMounts) {
                    const covers = pluginsPath === mount.mountPath || pluginsPath.startsWith(`${mount.mountPath.replace(/\/$/, "")}/`);
                    assert.ok(!covers, `volume ${mount.name} at ${mount.mountPath} hides ${pluginsPath}`);
                }
                assert.ok(!pluginsPath.startsWith(`${grafanaPaths.data}/`));
            });

            it("the container runs the ECR repository's pushed image, pinned by digest, on the plugin package's architecture", async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(recording);
                const { deployment, pod, container } = grafanaPod(recording);
                const [repository] = ofType(recording, "aws:ecr/repository:Repository");
                const build = imageBuild(recording);
                const registry = `${settings.aws.accountId}.dkr.ecr.${settings.aws.region}.amazonaws.com`;
                const [tag] = build.inputs.tags;
                assert.ok(tag.startsWith(`${registry}/${repository.inputs.name}:`), `${tag} is pushed to ${repository.inputs.name}`);
                assert.match(container.image, new RegExp(`^${tag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}@sha256:[0-9a-f]{64}$`));
                assert.equal(build.inputs.push, true);
                assert.ok(
                    dependenciesOf(recording, deployment, "spec").some((r) => r.urn === build.urn),
                    "the Deployment waits for the push (its image comes from the build's digest)",
                );
                assert.deepEqual(build.inputs.platforms, [grafanaImagePlatform]);
                assert.ok(amazonPrometheusPlugin.url.includes(`os=linux&arch=${grafanaImagePlatform.split("/")[1]}`), "the pinned package is that platform's");
                assert.deepEqual(pod.nodeSelector, { "kubernetes.io/arch": grafanaImagePlatform.split("/")[1] });
            });

            it("the program builds FROM the stack's pinned grafanaImage and passes exactly the plugin pin", async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(recording);
                const build = imageBuild(recording);
                assert.equal(build.inputs.context.location, grafanaImageContext);
                assert.deepEqual(build.inputs.buildArgs, {
                    GRAFANA_IMAGE: settings.images.grafana.reference,
                    PLUGIN_URL: amazonPrometheusPlugin.url,
                    PLUGIN_SHA256: amazonPrometheusPlugin.sha256,
                });
                if (stack === "prod") assert.match(settings.images.grafana.reference, /@sha256:[0-9a-f]{64}$/, "prod builds from a digest");
                const dockerfile = readDockerfile(grafanaImageContext);
                for (const stage of dockerfile.stages) assert.equal(expandArgs(stage.from, build.inputs.buildArgs), settings.images.grafana.reference);
            });
        });
    }

    describe("the Dockerfile (images/grafana)", () => {
        const dockerfile = readDockerfile(grafanaImageContext);

        it("is valid: no unknown instruction or flag", () => {
            assert.deepEqual(dockerfile.problems, []);
        });

        it("every stage is FROM the GRAFANA_IMAGE build arg, which has no default (the base always comes from the stack)", () => {
            assert.ok(dockerfile.stages.length >= 1);
            for (const stage of dockerfile.stages) assert.equal(stage.from, "${GRAFANA_IMAGE}");
            assert.ok("GRAFANA_IMAGE" in dockerfile.globalArgs, "declared before the first FROM");
            assert.equal(dockerfile.globalArgs.GRAFANA_IMAGE, undefined);
        });

        it("downloads exactly the pinned plugin URL, verified by the builder against the pinned sha256", () => {
            const pin = { PLUGIN_URL: amazonPrometheusPlugin.url, PLUGIN_SHA256: amazonPrometheusPlugin.sha256 };
            const downloads = dockerfile.stages.flatMap((stage) =>
                stage.instructions.filter((i) => i.keyword === "ADD").map((add) => ({ add, declared: stageArgs(stage) })),
            );
            assert.equal(downloads.length, 1, "one download");
            const [{ add, declared }] = downloads;
            // No default: without the program's pin the checksum would be empty and the build fails.
            assert.deepEqual(declared, { PLUGIN_URL: undefined, PLUGIN_SHA256: undefined });
            assert.equal(expandArgs(add.flags.checksum ?? "", pin), `sha256:${amazonPrometheusPlugin.sha256}`);
            assert.equal(expandArgs(add.args[0], pin), "https://grafana.com/api/plugins/grafana-amazonprometheus-datasource/versions/3.1.0/download?os=linux&arch=amd64");
            assert.equal(amazonPrometheusPlugin.sha256, "0374c5d7680ed86b904709a86f78a07f41fb263a9098df5c42d2371b6ea5a829");
            assert.equal(amazonPrometheusPlugin.version, "3.1.0");
        });

        it("fetches nothing else: no other remote source, no curl, wget or grafana cli", () => {
            for (const instruction of allInstructions()) {
                if (instruction.keyword === "ADD") assert.ok("checksum" in instruction.flags, `unverified ADD ${instruction.content}`);
                if (instruction.keyword === "RUN") assert.doesNotMatch(instruction.content, /\b(curl|wget|grafana(-cli| cli)|apk|apt-get|git)\b/);
            }
        });

        it("puts the plugin where grafana.ini looks, owned by and run as Grafana's user", () => {
            const final = dockerfile.stages.at(-1)!;
            const copy = final.instructions.find((i) => i.keyword === "COPY")!;
            assert.equal(copy.args.at(-1), grafanaPaths.plugins);
            assert.equal(copy.flags.chown?.split(":")[0], String(runAsIds.grafana));
            const env = final.instructions.filter((i) => i.keyword === "ENV").flatMap((i) => i.args);
            assert.ok(env.includes(`GF_PATHS_PLUGINS=${grafanaPaths.plugins}`));
            const users = final.instructions.filter((i) => i.keyword === "USER");
            assert.equal(users.at(-1)?.args[0], String(runAsIds.grafana), "the image's last USER is Grafana's, not root");
            assert.ok(!final.instructions.some((i) => i.keyword === "ADD"), "the archive stays in the build stage, out of the image");
        });
    });

    describe("Grafana's NetworkPolicy still allows no internet egress (see also test/network/pod-policies.test.ts)", () => {
        for (const stack of shippedStacks) {
            it(`${stack}: Grafana reaches no internet address (grafana.com included) on any port, only the VPC`, async () => {
                const recording = await stackRecording(stack);
                const settings = settingsOf(recording);
                const web = [443, 80].map((port) => ({ port, protocol: "TCP" as const }));
                // Public addresses standing in for grafana.com, its CDN and any other download site.
                const internet = ["34.120.177.193", "1.1.1.1", "8.8.8.8"].map((ip, i) => ({ kind: "host" as const, id: `internet-${i}`, ip, ports: web }));
                const vpcService = { kind: "host" as const, id: "vpc-service", ip: addressInBlock(settings.network.vpcCidr, 0x0300 + 30), ports: web };
                const flows = allowedFlows({
                    policies: kubernetesObjects(recording, "networking.k8s.io/v1", "NetworkPolicy").map((p) => ({ metadata: p.inputs.metadata, spec: p.inputs.spec })),
                    namespaceLabels: Object.fromEntries(kubernetesObjects(recording, "core/v1", "Namespace").map((n) => [n.inputs.metadata.name, n.inputs.metadata.labels ?? {}])),
                    endpoints: [
                        { kind: "pod", id: "grafana", namespace: namespaces.grafana, labels: standardLabels(workloads.grafana.name, settings.environment), ports: [] },
                        vpcService,
                        ...internet,
                    ],
                }).map(describeFlow);
                // The model does find Grafana's allowed egress (interface endpoints in the VPC), so an empty answer below means something.
                assert.deepEqual(flows.filter((f) => f.startsWith("grafana -> ")), ["grafana -> vpc-service:443/TCP"]);
            });
        }
    });
});
