/**
 * Patching rule: every container image is pinned, lives only in Pulumi.yaml / Pulumi.<stack>.yaml,
 * and the Renovate regex that proposes updates finds every one of them. Images the program builds
 * (images/<name>/Dockerfile) start FROM one of those configured images, passed in as a build arg.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { RE2 } from "re2-wasm";
import { parseImageReference, parseSettings } from "../../components/platform/settings";
import { projectRoot, readProjectFile, readStackFile, stackConfig } from "../harness/stack-config";
import { imageContexts, readDockerfile } from "../harness/dockerfile";
import { ofType, shippedStacks, stackRecording } from "../harness/program";
import { settingsOf } from "../harness/recorded";

const projectName = readProjectFile().name;

/** Stack files present in the repository (Pulumi.<stack>.yaml). */
function stackNames(): string[] {
    return fs
        .readdirSync(projectRoot)
        .map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Config keys that hold an image: the ones whose Pulumi.yaml description or default says so. */
function imageKeys(): string[] {
    return Object.entries(readProjectFile().config)
        .filter(([key]) => /Image$/.test(key))
        .map(([key]) => key);
}

interface ConfiguredImage {
    readonly file: string;
    readonly key: string;
    readonly reference: string;
}

/** Every image reference written in a config file: Pulumi.yaml defaults and stack overrides. */
function configuredImages(): ConfiguredImage[] {
    const images: ConfiguredImage[] = [];
    for (const [key, declaration] of Object.entries(readProjectFile().config)) {
        if (imageKeys().includes(key) && typeof declaration.default === "string") {
            images.push({ file: "Pulumi.yaml", key, reference: declaration.default });
        }
    }
    for (const stack of stackNames()) {
        for (const [fullKey, value] of Object.entries(readStackFile(stack))) {
            const key = fullKey.replace(`${projectName}:`, "");
            if (imageKeys().includes(key) && typeof value === "string") images.push({ file: `Pulumi.${stack}.yaml`, key, reference: value });
        }
    }
    return images;
}

/** Where an image reference may never appear: the program's code. */
function programSources(): string[] {
    const files: string[] = [path.join(projectRoot, "index.ts")];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (/\.(ts|js|json|ya?ml)$/.test(entry.name)) files.push(full);
        }
    };
    walk(path.join(projectRoot, "components"));
    return files;
}

const imageLiteralPatterns: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    {
        what: "registry/repository:tag or @digest",
        pattern: /\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?\/[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[a-f0-9]{64})/g,
    },
    {
        what: "a collector, Tempo or Grafana repository with a tag",
        pattern: /\b(?:grafana\/(?:tempo|grafana)|otel\/opentelemetry-collector[a-z0-9-]*|opentelemetry-collector-(?:k8s|contrib))(?::[A-Za-z0-9_.-]+|@sha256:)/g,
    },
    { what: "an image: literal", pattern: /\bimage\s*:\s*["'`]/g },
];

/** Image literals in a piece of source text, with the line they are on. */
export function findImageLiterals(text: string): { line: number; what: string; match: string }[] {
    const found: { line: number; what: string; match: string }[] = [];
    for (const { what, pattern } of imageLiteralPatterns) {
        for (const match of text.matchAll(pattern)) {
            found.push({ line: text.slice(0, match.index).split("\n").length, what, match: match[0] });
        }
    }
    return found;
}

interface RenovateConfig {
    readonly enabledManagers?: readonly string[];
    readonly customManagers: readonly {
        readonly customType: string;
        readonly managerFilePatterns: readonly string[];
        readonly matchStrings: readonly string[];
        readonly datasourceTemplate?: string;
    }[];
}

const renovate = JSON.parse(fs.readFileSync(path.join(projectRoot, "renovate.json"), "utf8")) as RenovateConfig;

/** Renovate's `/regex/` file patterns, evaluated with RE2 as Renovate does. */
function fileMatches(patterns: readonly string[], file: string): boolean {
    return patterns.some((p) => {
        const body = /^\/(.*)\/$/.exec(p)?.[1];
        assert.ok(body !== undefined, `managerFilePatterns entry ${p} is a /regex/`);
        return new RE2(body, "u").test(file);
    });
}

type RE2Match = NonNullable<ReturnType<RE2["exec"]>>;

/** Every match of a Renovate matchString over a file, with RE2 semantics. */
function allMatches(source: string, text: string): RE2Match[] {
    const re = new RE2(source, "gu");
    const matches: RE2Match[] = [];
    for (let m = re.exec(text); m !== null; m = re.exec(text)) matches.push(m);
    return matches;
}

function imageManager() {
    const manager = renovate.customManagers.find((m) => m.customType === "regex" && m.datasourceTemplate === "docker");
    assert.ok(manager, "renovate.json has a docker regex manager");
    return manager;
}

describe("container images are pinned and configured in one place", () => {
    it("declares exactly the collector (agent and gateway), Tempo and Grafana images as config keys", () => {
        assert.deepEqual(imageKeys().sort(), ["collectorGatewayImage", "collectorImage", "grafanaImage", "tempoImage"]);
    });

    it("pins every configured image to a release tag (never :latest or untagged), and prod to a digest", () => {
        const images = configuredImages();
        assert.ok(images.length >= imageKeys().length, "found the configured images");
        for (const image of images) {
            const parsed = parseImageReference(image.reference);
            assert.ok(typeof parsed !== "string", `${image.file} ${image.key}=${image.reference}: ${parsed as string}`);
            if (image.file === "Pulumi.prod.yaml") assert.ok(parsed.digest, `${image.key} in prod pins a digest`);
        }
        for (const stack of stackNames()) {
            const settings = parseSettings(stackConfig(stack), stack);
            for (const image of Object.values(settings.images)) {
                const parsed = parseImageReference(image.reference);
                assert.ok(typeof parsed !== "string");
                if (settings.isProduction) assert.ok(parsed.digest, `${stack} runs ${image.reference} by digest`);
            }
        }
    });

    it("rejects an unpinned image before any resource is created", () => {
        for (const bad of ["docker.io/grafana/tempo", "docker.io/grafana/tempo:latest", "docker.io/grafana/tempo:main-1234abc"]) {
            assert.equal(typeof parseImageReference(bad), "string", bad);
            assert.throws(() => parseSettings(stackConfig("dev", { "tracing-platform:tempoImage": bad }), "dev"), /tempoImage/);
        }
        const undigested = "docker.io/grafana/tempo:3.0.3";
        assert.throws(() => parseSettings(stackConfig("prod", { "tracing-platform:tempoImage": undigested }), "prod"), /tempoImage.*digest/s);
    });

    it("has no image reference in the program's code (components/, index.ts)", () => {
        const offenders = programSources().flatMap((file) =>
            findImageLiterals(fs.readFileSync(file, "utf8")).map((f) => `${path.relative(projectRoot, file)}:${f.line} ${f.what}: ${f.match}`),
        );
        assert.deepEqual(offenders, []);
    });

    it("would find an image hard-coded in code (the scan above can fail)", () => {
        const samples = [
            `containers: [{ name: "tempo", image: "docker.io/grafana/tempo:3.0.3" }]`,
            "const image = `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:0.165.0`;",
            `const grafana = "grafana/grafana:13.2.3";`,
            `const pinned = "quay.io/example/thing@sha256:${"a".repeat(64)}";`,
            `spec: { image: 'busybox' }`,
        ];
        for (const sample of samples) assert.ok(findImageLiterals(sample).length > 0, sample);
        const fine = [
            `containers: [{ name: "tempo", image: settings.images.tempo.reference }]`,
            `source: "aws.amazon.com/s3/pricing (Standard, first 50 TB/month)"`,
            `source: "Grafana Tempo docs, configuration/compression: zstd to ~15% of raw"`,
        ];
        for (const sample of fine) assert.deepEqual(findImageLiterals(sample), [], sample);
    });

    it("builds images only FROM a configured, pinned image: the Dockerfile names a build arg the program fills from config", async () => {
        const contexts = imageContexts();
        assert.ok(contexts.length >= 1, "the Grafana image is built");
        const recordings = await Promise.all(shippedStacks.map((stack) => stackRecording(stack)));
        for (const context of contexts) {
            const text = fs.readFileSync(path.join(projectRoot, context, "Dockerfile"), "utf8");
            assert.deepEqual(findImageLiterals(text), [], `${context}/Dockerfile names no image`);
            const dockerfile = readDockerfile(context);
            const stageNames: string[] = [];
            const baseArgs = new Set<string>();
            for (const stage of dockerfile.stages) {
                const arg = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(stage.from)?.[1];
                assert.ok(arg || stageNames.includes(stage.from), `${context}: FROM ${stage.from} is neither a build arg nor an earlier stage`);
                if (arg) {
                    assert.ok(arg in dockerfile.globalArgs, `${context}: ${arg} is declared before the first FROM`);
                    assert.equal(dockerfile.globalArgs[arg], undefined, `${context}: ${arg} has no default image`);
                    baseArgs.add(arg);
                }
                if (stage.name) stageNames.push(stage.name);
            }
            for (const recording of recordings) {
                const settings = settingsOf(recording);
                const configured = Object.values(settings.images).map((image) => image.reference);
                const builds = ofType(recording, "docker-build:index:Image").filter((b) => b.inputs.context.location === context);
                assert.equal(builds.length, 1, `${recording.stack} builds ${context} once`);
                for (const arg of baseArgs) {
                    const base = builds[0].inputs.buildArgs[arg];
                    assert.ok(configured.includes(base), `${recording.stack}: ${arg}=${base} is a configured image`);
                    const parsed = parseImageReference(base);
                    assert.ok(typeof parsed !== "string");
                    if (settings.isProduction) assert.ok(parsed.digest, `${recording.stack} builds FROM ${base} by digest`);
                }
            }
        }
    });

    describe("Renovate proposes their updates", () => {
        it("leaves npm and GitHub Actions to Dependabot and runs only the custom managers", () => {
            assert.deepEqual(renovate.enabledManagers, ["custom.regex"]);
        });

        it("looks at Pulumi.yaml and every stack file, and nothing else in the repository", () => {
            const manager = imageManager();
            for (const file of ["Pulumi.yaml", ...stackNames().map((s) => `Pulumi.${s}.yaml`), "Pulumi.test.yaml"]) {
                assert.ok(fileMatches(manager.managerFilePatterns, file), file);
            }
            for (const file of ["package.json", "index.ts", ".github/workflows/deploy.yml", "Pulumi.yaml.bak"]) {
                assert.ok(!fileMatches(manager.managerFilePatterns, file), file);
            }
        });

        it("extracts every configured image (name, tag and digest) and nothing else", () => {
            const manager = imageManager();
            const files = fs.readdirSync(projectRoot).filter((f) => fileMatches(manager.managerFilePatterns, f));
            const configured = configuredImages();
            for (const file of files) {
                const text = fs.readFileSync(path.join(projectRoot, file), "utf8");
                const extracted = manager.matchStrings.flatMap((source) =>
                    allMatches(source, text).map((m) => {
                        const g = m.groups ?? {};
                        return `${g.depName}:${g.currentValue}${g.currentDigest ? `@${g.currentDigest}` : ""}`;
                    }),
                );
                const expected = configured.filter((i) => i.file === file).map((i) => i.reference);
                assert.deepEqual([...extracted].sort(), [...expected].sort(), `${file}: Renovate sees exactly the configured images`);
                for (const reference of expected) {
                    const parsed = parseImageReference(reference);
                    assert.ok(typeof parsed !== "string");
                    const match = new RE2(manager.matchStrings[0], "u").exec(reference);
                    assert.equal(match?.groups?.depName, parsed.repository);
                    assert.equal(match?.groups?.currentValue, parsed.tag);
                    assert.equal(match?.groups?.currentDigest, parsed.digest);
                }
            }
            assert.ok(configured.every((i) => files.includes(i.file)), "every file that configures an image is scanned");
        });

        it("keeps the Pulumi CLI version CI installs under update too", () => {
            const manager = renovate.customManagers.find((m) => fileMatches(m.managerFilePatterns, ".pulumi-version"));
            assert.ok(manager, "a manager reads .pulumi-version");
            const text = fs.readFileSync(path.join(projectRoot, ".pulumi-version"), "utf8");
            const match = new RE2(manager.matchStrings[0], "mu").exec(text);
            assert.match(match?.groups?.currentValue ?? "", /^\d+\.\d+\.\d+$/);
        });
    });
});
