import { strict as assert } from "assert";
import {
    assertImageSupportsConfig,
    componentSupport,
    componentType,
    distributionOf,
    type ComponentKind,
} from "../../components/collectors/components";
import { buildAgentConfig } from "../../components/collectors/agent-config";
import { buildGatewayConfig } from "../../components/collectors/gateway-config";
import { ConfigValidationError, minimumImageVersions, parseImageReference, parseSettings, type ImageRef } from "../../components/platform/settings";
import { fleetConfigs, gatewayInput, stackSettings } from "./fixtures";
import { stackConfig } from "../harness/stack-config";

const kinds: ComponentKind[] = ["receivers", "processors", "exporters", "connectors", "extensions"];

function image(reference: string): ImageRef {
    const parsed = parseImageReference(reference);
    if (typeof parsed === "string") throw new Error(parsed);
    return parsed;
}

const k8sImage = (version: string) => image(`ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:${version}`);
const contribImage = (version: string) => image(`ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:${version}`);

describe("collector component names and the image version", () => {
    const dev = fleetConfigs("dev");
    const prod = fleetConfigs("prod");

    it("uses the lower_snake_case names, never the deprecated aliases", () => {
        const ids = (config: typeof dev.agent) => kinds.flatMap((k) => Object.keys(config[k] ?? {}).map(componentType));
        const used = new Set([...ids(dev.agent), ...ids(dev.gateway)]);
        for (const name of ["otlp_grpc", "k8s_attributes", "load_balancing", "span_metrics", "resource_detection", "prometheus_remote_write"]) {
            assert.ok(used.has(name), `${name} not used`);
        }
        for (const alias of ["otlphttp", "k8sattributes", "loadbalancing", "spanmetrics", "resourcedetection", "prometheusremotewrite", "tailsampling", "filestorage", "healthcheck"]) {
            assert.ok(!used.has(alias), `deprecated ${alias} used`);
        }
        assert.ok(!Object.keys(dev.gateway.exporters).some((id) => componentType(id) === "otlp"), "the otlp exporter alias is used");
    });

    it("has a sourced support entry for every component type the configs use", () => {
        for (const config of [dev.agent, dev.gateway, prod.agent, prod.gateway]) {
            for (const kind of kinds) {
                for (const id of Object.keys(config[kind] ?? {})) {
                    const support = componentSupport[kind][componentType(id)];
                    assert.ok(support, `${kind}.${id}`);
                    assert.ok(support.source.length > 10, `${kind}.${id} has no source`);
                }
            }
        }
    });

    it("the settings floor for collector images covers every name the configs use", () => {
        let newest = 0;
        for (const config of [dev.agent, dev.logAgent, dev.gateway]) {
            for (const kind of kinds) for (const id of Object.keys(config[kind] ?? {})) newest = Math.max(newest, componentSupport[kind][componentType(id)].since.minor);
        }
        assert.equal(minimumImageVersions.collector.major, 0);
        assert.ok(minimumImageVersions.collector.minor >= newest, `settings accept 0.${minimumImageVersions.collector.minor}, a name needs 0.${newest}`);
    });

    it("both shipped stacks pass: dev on 0.165.0, prod on 0.161.0 pinned by digest", () => {
        assert.equal(dev.settings.images.collector.tag, "0.165.0");
        assert.equal(prod.settings.images.collector.tag, "0.161.0");
        assert.ok(prod.settings.images.collector.digest && prod.settings.images.collectorGateway.digest);
        assert.equal(distributionOf(dev.settings.images.collector), "k8s");
        assert.equal(distributionOf(dev.settings.images.collectorGateway), "contrib");
        assert.equal(distributionOf(prod.settings.images.collectorGateway), "contrib");
    });

    it("an image older than a name it must understand is refused, naming the config key and the component", () => {
        assert.throws(
            () => buildAgentConfig({ image: k8sImage("0.150.0"), dropClientAddress: true }),
            (e: Error) =>
                /^collectorImage: /.test(e.message) &&
                /processors\.resource_detection: the name 'resource_detection' exists from 0\.153\.0, the image is 0\.150\.0/.test(e.message) &&
                /exporters\.load_balancing:/.test(e.message) &&
                !/k8s_attributes/.test(e.message),
        );
        assert.throws(() => buildAgentConfig({ image: k8sImage("0.145.0"), dropClientAddress: true }), /processors\.k8s_attributes: .* exists from 0\.146\.0/);
        const settings = stackSettings("dev");
        assert.throws(
            () => buildGatewayConfig({ ...gatewayInput(settings), image: contribImage("0.153.0") }),
            /collectorGatewayImage: .*\n.*exporters\.prometheus_remote_write: the name 'prometheus_remote_write' exists from 0\.154\.0/,
        );
        assert.doesNotThrow(() => buildGatewayConfig({ ...gatewayInput(settings), image: contribImage("0.154.0") }));
    });

    it("a distribution without a component is refused: the gateways cannot run on otelcol-k8s", () => {
        const settings = stackSettings("dev");
        assert.throws(
            () => buildGatewayConfig({ ...gatewayInput(settings), image: k8sImage("0.165.0") }),
            (e: Error) => /exporters\.prometheus_remote_write: not in opentelemetry-collector-k8s/.test(e.message) && /extensions\.sigv4auth: not in/.test(e.message),
        );
        assert.throws(() => buildAgentConfig({ image: image("registry.example.com/custom-otelcol:0.165.0"), dropClientAddress: true }), /collectorImage: .*not a known collector distribution/);
        // A registry mirror keeps the repository's last segment and is recognised.
        assert.equal(distributionOf(image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/ghcr/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s:0.165.0")), "k8s");
    });

    it("a component without a support entry is refused rather than assumed to exist", () => {
        assert.throws(
            () => assertImageSupportsConfig({ exporters: { "kafka/out": {} } }, contribImage("0.165.0"), "collectorGatewayImage"),
            /exporters\.kafka\/out: no support entry for 'kafka'/,
        );
    });
});

describe("collectorGatewayImage configuration", () => {
    const p = (key: string) => `tracing-platform:${key}`;
    function problemsFor(stack: string, overrides: Record<string, unknown>) {
        try {
            parseSettings(stackConfig(stack, overrides), stack);
        } catch (e) {
            if (e instanceof ConfigValidationError) return e.problems;
            throw e;
        }
        return [];
    }

    const cases: { name: string; stack: string; value: string; allowed: RegExp }[] = [
        {
            name: "a different release than the agents",
            stack: "dev",
            value: "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.164.0",
            allowed: /the same collector release as collectorImage \(0\.165\.0\)/,
        },
        {
            name: "no digest in prod",
            stack: "prod",
            value: "docker.io/otel/opentelemetry-collector-contrib:0.161.0",
            allowed: /production pins the digest too/,
        },
        { name: "a floating tag", stack: "dev", value: "docker.io/otel/opentelemetry-collector-contrib:latest", allowed: /floating tag :latest/ },
    ];
    for (const c of cases) {
        it(`rejects ${c.name}, naming the key`, () => {
            const problems = problemsFor(c.stack, { [p("collectorGatewayImage")]: c.value });
            const problem = problems.find((x) => x.key === p("collectorGatewayImage"));
            assert.ok(problem, JSON.stringify(problems));
            assert.match(problem.allowed, c.allowed);
        });
    }

    it("is declared with a description and a default in Pulumi.yaml (the shipped stacks parse)", () => {
        assert.deepEqual(problemsFor("dev", {}), []);
        assert.deepEqual(problemsFor("prod", {}), []);
    });
});
