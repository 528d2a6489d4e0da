/**
 * Each concern's reader on its own: given only its keys, it returns its slice of the settings and
 * reports its own problems (with placeholders so reading goes on), never another concern's.
 */
import { strict as assert } from "assert";
import { readAws, readEnvironment } from "../../components/platform/settings/aws";
import { readImages } from "../../components/platform/settings/images";
import { readExistingEndpointIds } from "../../components/platform/settings/network";
import { readAllowList, readResourceIds, Reader, ConfigValidationError } from "../../components/platform/settings/reader";
import { readKms, readRetention } from "../../components/platform/settings/retention";
import { readCollectors } from "../../components/platform/settings/collectors";
import { readPki } from "../../components/platform/settings/pki";
import { readSystems } from "../../components/platform/settings/systems";
import { readMsk, readTempo } from "../../components/platform/settings/tempo";
import type { ConfigProblem, ImageRef } from "../../components/platform/settings/types";

/** Runs one reader over a raw config whose project keys are given without the namespace. */
function read<T>(config: Record<string, string | number | readonly string[]>, reader: (r: Reader) => T): { value: T; problems: ConfigProblem[] } {
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        raw[key.includes(":") ? key : `tracing-platform:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    const r = new Reader(raw);
    const value = reader(r);
    return { value, problems: r.problems };
}

const keysOf = (problems: readonly ConfigProblem[]) => problems.map((p) => p.key.replace("tracing-platform:", ""));

describe("settings readers: the problem-collecting reader", () => {
    it("returns placeholders for missing and out-of-range values and records each with its allowed range", () => {
        const { value, problems } = read({ replicas: 0 }, (r) => [r.string("owner"), r.integer("replicas", 1, 5, "pods"), r.boolean("flag")]);
        assert.deepEqual(value, ["", 1, false]);
        assert.deepEqual(problems, [
            { key: "tracing-platform:owner", value: "'missing'", allowed: "a non-empty string" },
            { key: "tracing-platform:replicas", value: "0", allowed: "an integer from 1 to 5 pods" },
            { key: "tracing-platform:flag", value: "'missing'", allowed: "true or false" },
        ]);
    });

    it("flags undeclared keys of the project's namespace only, and finish throws only when something was found", () => {
        const r = new Reader({ "tracing-platform:vpcId": "vpc-1", "aws:region": "eu-west-1", "tracing-platform:vpcID": "x" });
        r.reportUndeclaredKeys();
        assert.deepEqual(keysOf(r.problems), ["vpcID"]);
        assert.throws(() => r.finish("dev"), (e: unknown) => e instanceof ConfigValidationError && e.problems.length === 1);
        assert.doesNotThrow(() => new Reader({}).finish("dev"));
    });

    it("names what replaced a retired key instead of calling it unknown", () => {
        const r = new Reader({ "tracing-platform:kubeContext": "arn:aws:eks:eu-west-1:333333333333:cluster/apps-prod" });
        r.reportUndeclaredKeys();
        assert.equal(r.problems.length, 1);
        assert.equal(r.problems[0].key, "tracing-platform:kubeContext");
        assert.match(r.problems[0].allowed, /retired, replaced by .*kubeconfig from eksClusterName \(aws eks get-token\)/);
    });

    it("names the StorageClass the program creates when a stack still sets storageClass", () => {
        const r = new Reader({ "tracing-platform:storageClass": "gp3-encrypted", "tracing-platform:vpcId": "vpc-1" });
        r.reportUndeclaredKeys();
        assert.deepEqual(keysOf(r.problems), ["storageClass"]);
        assert.equal(r.problems[0].value, "'gp3-encrypted'");
        assert.match(r.problems[0].allowed, /retired.*replaced by nothing: the program creates its own KMS-encrypted StorageClass, tracing-<environment>-gp3-encrypted.*delete the key/);
        assert.doesNotMatch(r.problems[0].allowed, /check its spelling/);
    });

    it("reads an allow-list entry open to the internet as one problem and keeps checking the rest", () => {
        const { value, problems } = read({ appOtlpCidrs: ["0.0.0.0/0", "10.1.0.0/16", "10.1.2.0/24"] }, (r) => readAllowList(r, "appOtlpCidrs", 1));
        assert.deepEqual(value, ["0.0.0.0/0", "10.1.0.0/16", "10.1.2.0/24"]);
        assert.deepEqual(problems.map((p) => p.value), ["'0.0.0.0/0'", "'10.1.2.0/24'"]);
        assert.match(problems[1].allowed, /overlaps 10\.1\.0\.0\/16/);
    });

    it("wants resource ids distinct", () => {
        const ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"];
        const { problems } = read({ privateSubnetIds: ids }, (r) => readResourceIds(r, "privateSubnetIds", "subnet", 2));
        assert.deepEqual(problems.map((p) => p.allowed), ["distinct subnet ids"]);
    });
});

describe("settings readers: per concern", () => {
    it("aws: an account shared between environments and a provider allowed elsewhere are both reported", () => {
        const config = { environment: "dev", devAccountId: "111111111111", testAccountId: "111111111111", prodAccountId: "333333333333", "aws:region": "eu-west-1", "aws:allowedAccountIds": ["333333333333"] };
        const { value, problems } = read(config, (r) => readAws(r, readEnvironment(r, "dev")));
        assert.equal(value.accountId, "111111111111");
        assert.deepEqual(keysOf(problems), ["testAccountId", "aws:allowedAccountIds"]);
    });

    it("network: an endpoint to reuse is named per service, empty creates it, and one id cannot serve two services", () => {
        const s3 = "vpce-05a3c1d2e3f4a5b60";
        assert.deepEqual(read({ existingS3EndpointId: s3, existingSnsEndpointId: "" }, readExistingEndpointIds), { value: { s3 }, problems: [] });
        assert.deepEqual(read({}, readExistingEndpointIds).value, {});
        const { value, problems } = read({ existingS3EndpointId: s3, existingSnsEndpointId: s3 }, readExistingEndpointIds);
        assert.deepEqual(value, { s3 }, "the first key keeps the id");
        assert.deepEqual(keysOf(problems), ["existingSnsEndpointId"]);
    });

    it("pki: each lifetime must fit inside the one above it", () => {
        const { problems } = read({ caValidityHours: 8760, certValidityHours: 8760, certEarlyRenewalHours: 4380 }, readPki);
        assert.deepEqual(keysOf(problems), ["certValidityHours"]);
    });

    it("retention and kms: prod asks for more than dev accepts", () => {
        const config = { traceRetentionDays: 7, auditRetentionDays: 180, logRetentionDays: 90, kmsDeletionWindowDays: 7 };
        for (const isProduction of [false, true]) {
            const { problems } = read(config, (r) => [readRetention(r, isProduction), readKms(r, isProduction)]);
            assert.deepEqual(keysOf(problems), isProduction ? ["auditRetentionDays", "logRetentionDays", "kmsDeletionWindowDays"] : []);
        }
    });

    it("images: agents and gateways must run the same collector release", () => {
        const config = {
            collectorImage: "otel/opentelemetry-collector-k8s:0.160.0",
            collectorGatewayImage: "otel/opentelemetry-collector-contrib:0.161.0",
            tempoImage: "grafana/tempo:3.1.0",
            grafanaImage: "grafana/grafana:13.2.3",
        };
        const { value, problems } = read(config, (r) => readImages(r, false));
        assert.equal(value.tempo.tag, "3.1.0");
        assert.deepEqual(keysOf(problems), ["collectorGatewayImage"]);
        assert.match(problems[0].allowed, /same collector release as collectorImage \(0\.160\.0\)/);
    });

    it("tempo: distributed mode needs a Tempo image with a Kafka TLS client", () => {
        const image = { reference: "grafana/tempo:3.0.3", repository: "grafana/tempo", tag: "3.0.3", version: { major: 3, minor: 0, patch: 3 } } satisfies ImageRef;
        const msk = { mskInstanceType: "kafka.m7g.large", mskBrokerCount: 3, mskVolumeGb: 100, kafkaVersion: "3.9.x" };
        const { value, problems } = read({ ...msk, traceDurability: "replicated", tempoVolumeGb: 50 }, (r) =>
            readTempo(r, { image, privateSubnetIds: ["a", "b", "c"] }),
        );
        assert.equal(value.msk.brokerCount, 3);
        assert.equal(value.mode, "distributed");
        assert.deepEqual(keysOf(problems), ["tempoImage"]);
    });

    it("tempo: the durability decides the mode; a tempoMode that contradicts it is refused, an unset one derived", () => {
        const image = { reference: "grafana/tempo:3.1.0", repository: "grafana/tempo", tag: "3.1.0", version: { major: 3, minor: 1, patch: 0 } } satisfies ImageRef;
        const tempo = (config: Record<string, unknown>) => read({ kafkaVersion: "3.9.x", ...config }, (r) => readTempo(r, { image, privateSubnetIds: ["a", "b", "c"] }));
        assert.equal(tempo({ traceDurability: "single-node" }).value.mode, "monolithic");
        assert.equal(tempo({ traceDurability: "replicated" }).value.mode, "distributed");
        assert.deepEqual(tempo({ traceDurability: "replicated", tempoMode: "distributed" }).problems, []);
        const contradiction = tempo({ traceDurability: "single-node", tempoMode: "distributed" });
        assert.deepEqual(keysOf(contradiction.problems), ["tempoMode"]);
        assert.match(contradiction.problems[0].allowed, /monolithic with traceDurability single-node/);
        const unknown = tempo({ traceDurability: "eventual" });
        assert.deepEqual(unknown.problems.map((x) => [x.key, x.value, x.allowed]), [["tracing-platform:traceDurability", "'eventual'", "one of replicated, single-node"]]);
        const unset = tempo({});
        assert.deepEqual(keysOf(unset.problems), ["traceDurability"]);
    });

    it("tempo: sizes a stack leaves unset stay unset for the capacity plan to choose", () => {
        const image = { reference: "grafana/tempo:3.1.0", repository: "grafana/tempo", tag: "3.1.0", version: { major: 3, minor: 1, patch: 0 } } satisfies ImageRef;
        const { value, problems } = read({ traceDurability: "replicated", kafkaVersion: "3.9.x" }, (r) => readTempo(r, { image, privateSubnetIds: ["a", "b", "c"] }));
        assert.deepEqual(problems, []);
        assert.deepEqual(value.msk, { kafkaVersion: "3.9.x" });
        assert.equal(value.volumeGb, undefined);
    });

    it("msk: Tempo's limits on brokers and Kafka version apply only in distributed mode", () => {
        const config = { mskInstanceType: "kafka.m7g.large", mskBrokerCount: 2, mskVolumeGb: 100, kafkaVersion: "3.5.x" };
        assert.deepEqual(read(config, (r) => readMsk(r, "monolithic", 3)).problems, []);
        assert.deepEqual(keysOf(read(config, (r) => readMsk(r, "distributed", 3)).problems), ["mskBrokerCount", "mskBrokerCount", "kafkaVersion"]);
    });

    it("systems: overrides change catalogue systems by id and cannot add one", () => {
        const catalogue = "- { id: shop, displayName: Shop, kind: http-api, serviceNames: [shop], spansPerSecond: 10, headSamplingPercent: 100, tailSamplingPercent: 10, latencySloP95Ms: 300, errorsPer1000Slo: 5 }";
        const good = read({ systems: catalogue, systemOverrides: "shop: { spansPerSecond: 99 }" }, readSystems);
        assert.deepEqual(good.problems, []);
        assert.equal(good.value[0].spansPerSecond, 99);
        const unknown = read({ systems: catalogue, systemOverrides: "cart: { spansPerSecond: 99 }" }, readSystems);
        assert.deepEqual(unknown.problems.map((p) => [p.value, p.allowed]), [["'cart'", "ids of catalogue systems (shop)"]]);
    });
});

describe("settings readers: collectors", () => {
    const base = { gatewayMinReplicas: "2", gatewayMaxReplicas: "4", gatewayQueueVolumeGb: "20", piiDropClientAddress: "true" };

    it("takes external sender names that can be certificate subjects and resource names, each once", () => {
        const good = read({ ...base, externalSenders: ["mes-api", "payments-2"] }, (r) => readCollectors(r, true));
        assert.deepEqual(good.problems, []);
        assert.deepEqual(good.value.externalSenders, ["mes-api", "payments-2"]);
        const bad = read({ ...base, externalSenders: ["MES_API", "mes-api", "mes-api", "x"] }, (r) => readCollectors(r, true));
        assert.deepEqual(
            bad.problems.map((p) => [p.key, p.value, p.allowed]),
            [
                ["tracing-platform:externalSenders", "'MES_API'", "lowercase DNS labels of 2 to 32 characters (a-z, 0-9, -)"],
                ["tracing-platform:externalSenders", "'mes-api'", "each sender name once"],
                ["tracing-platform:externalSenders", "'x'", "lowercase DNS labels of 2 to 32 characters (a-z, 0-9, -)"],
            ],
        );
    });
});
