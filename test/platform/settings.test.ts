import { strict as assert } from "assert";
import { parseSettings, ConfigValidationError, type ConfigProblem, parseImageReference } from "../../components/platform/settings";
import { previewedStacks } from "../harness/program";
import { stackConfig } from "../harness/stack-config";

const p = (key: string) => `tracing-platform:${key}`;

function problems(stack: string, overrides: Record<string, unknown>): ConfigProblem[] {
    try {
        parseSettings(stackConfig(stack, overrides), stack);
    } catch (e) {
        if (e instanceof ConfigValidationError) return [...e.problems];
        throw e;
    }
    return [];
}

/** One bad-config case: the overrides, the key that must be named, and words the "allowed" text must contain. */
interface BadCase {
    readonly name: string;
    readonly stack?: string;
    readonly overrides: Record<string, unknown>;
    readonly key: string;
    readonly allowed: string;
}

const systemsYaml = (mutate: (systems: any[]) => void): string => {
    const yaml = require("yaml") as typeof import("yaml");
    const systems = yaml.parse(stackConfig("dev")[p("systems")]);
    mutate(systems);
    return yaml.stringify(systems);
};

const badCases: BadCase[] = [
    { name: "unknown environment name", overrides: { [p("environment")]: "staging" }, key: p("environment"), allowed: "one of dev, test, prod" },
    { name: "environment that is not the stack", overrides: { [p("environment")]: "prod" }, key: p("environment"), allowed: "the stack name 'dev'" },
    { name: "account id not 12 digits", overrides: { [p("devAccountId")]: "12345" }, key: p("devAccountId"), allowed: "a 12-digit AWS account id" },
    { name: "same account for dev and prod", overrides: { [p("prodAccountId")]: "111111111111" }, key: p("prodAccountId"), allowed: "an account other than dev's" },
    { name: "provider allowed for another account", overrides: { "aws:allowedAccountIds": ["333333333333"] }, key: "aws:allowedAccountIds", allowed: 'exactly ["111111111111"]' },
    { name: "malformed region", overrides: { "aws:region": "europe" }, key: "aws:region", allowed: "an AWS region" },
    { name: "malformed VPC CIDR", overrides: { [p("vpcCidr")]: "10.20.0.0/33" }, key: p("vpcCidr"), allowed: "prefix length above 32" },
    { name: "CIDR with host bits set", overrides: { [p("vpcCidr")]: "10.20.1.0/16" }, key: p("vpcCidr"), allowed: "host bits set" },
    { name: "VPN range overlapping the VPC", overrides: { [p("vpnClientCidr")]: "10.20.8.0/22" }, key: p("vpnClientCidr"), allowed: "does not overlap vpcCidr" },
    { name: "VPN range too small for Client VPN", overrides: { [p("vpnClientCidr")]: "172.20.0.0/24" }, key: p("vpnClientCidr"), allowed: "/12 to /22" },
    { name: "allow-list open to the internet (IPv4)", overrides: { [p("appOtlpCidrs")]: ["0.0.0.0/0"] }, key: p("appOtlpCidrs"), allowed: "never contains 0.0.0.0/0 or ::/0" },
    { name: "allow-list open to the internet (IPv6)", overrides: { [p("appOtlpCidrs")]: ["::/0"] }, key: p("appOtlpCidrs"), allowed: "never contains 0.0.0.0/0 or ::/0" },
    // The S3 prefix list replaced the hand-copied ranges; a stack still setting them hears what replaced them.
    { name: "the retired s3Cidrs key", overrides: { [p("s3Cidrs")]: ["52.218.0.0/17"] }, key: p("s3Cidrs"), allowed: "retired, replaced by nothing: remove the key. Tempo's S3 egress now follows the region's S3 managed prefix list" },
    // EKS API reference, KubernetesNetworkConfigRequest.serviceIpv4Cidr: /12 to /24, inside 10.0.0.0/8,
    // 172.16.0.0/12 or 192.168.0.0/16, not overlapping the VPC.
    { name: "service CIDR missing", overrides: { [p("kubernetesServiceCidr")]: undefined }, key: p("kubernetesServiceCidr"), allowed: "DescribeCluster kubernetesNetworkConfig.serviceIpv4Cidr" },
    { name: "malformed service CIDR", overrides: { [p("kubernetesServiceCidr")]: "172.20.0.1/16" }, key: p("kubernetesServiceCidr"), allowed: "host bits set" },
    { name: "service CIDR outside the private blocks", overrides: { [p("kubernetesServiceCidr")]: "100.64.0.0/16" }, key: p("kubernetesServiceCidr"), allowed: "inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16" },
    { name: "service CIDR larger than a /12", overrides: { [p("kubernetesServiceCidr")]: "10.0.0.0/8" }, key: p("kubernetesServiceCidr"), allowed: "from /12 to /24" },
    { name: "service CIDR smaller than a /24", overrides: { [p("kubernetesServiceCidr")]: "172.20.0.0/25" }, key: p("kubernetesServiceCidr"), allowed: "from /12 to /24" },
    { name: "service CIDR inside the VPC", overrides: { [p("kubernetesServiceCidr")]: "10.20.128.0/20" }, key: p("kubernetesServiceCidr"), allowed: "does not overlap vpcCidr 10.20.0.0/16" },
    { name: "overlapping allow-list entries", overrides: { [p("appOtlpCidrs")]: ["10.20.64.0/18", "10.20.96.0/19"] }, key: p("appOtlpCidrs"), allowed: "non-overlapping" },
    { name: "allow-list broader than a /8", overrides: { [p("appOtlpCidrs")]: ["0.0.0.0/1"] }, key: p("appOtlpCidrs"), allowed: "/8 or longer" },
    { name: "malformed allow-list entry", overrides: { [p("appOtlpCidrs")]: ["10.20.64.0"] }, key: p("appOtlpCidrs"), allowed: "a.b.c.d/n form" },
    { name: "trace retention out of range", overrides: { [p("traceRetentionDays")]: 0 }, key: p("traceRetentionDays"), allowed: "from 1 to 400 days" },
    { name: "audit retention below the prod minimum", stack: "prod", overrides: { [p("auditRetentionDays")]: 180 }, key: p("auditRetentionDays"), allowed: "at least 365 days in prod" },
    { name: "log retention not a CloudWatch value", overrides: { [p("logRetentionDays")]: 100 }, key: p("logRetentionDays"), allowed: "a CloudWatch retention value" },
    { name: "short KMS deletion window in prod", stack: "prod", overrides: { [p("kmsDeletionWindowDays")]: 7 }, key: p("kmsDeletionWindowDays"), allowed: "30 days in prod" },
    { name: "image with :latest", overrides: { [p("collectorImage")]: "otel/opentelemetry-collector-k8s:latest" }, key: p("collectorImage"), allowed: "not the floating tag :latest" },
    { name: "image without a tag", overrides: { [p("grafanaImage")]: "docker.io/grafana/grafana" }, key: p("grafanaImage"), allowed: "not no tag" },
    { name: "prod image without a digest", stack: "prod", overrides: { [p("tempoImage")]: "docker.io/grafana/tempo:3.0.3" }, key: p("tempoImage"), allowed: "production pins the digest too" },
    { name: "Tempo 2.x image", overrides: { [p("tempoImage")]: "docker.io/grafana/tempo:2.10.8" }, key: p("tempoImage"), allowed: "a 3.x release at or above 3.0.0" },
    { name: "collector older than the component names", overrides: { [p("collectorImage")]: "otel/opentelemetry-collector-k8s:0.140.0" }, key: p("collectorImage"), allowed: "at or above 0.154.0" },
    {
        name: "distributed Tempo older than its Kafka TLS/SCRAM client",
        stack: "prod",
        overrides: { [p("tempoImage")]: "docker.io/grafana/tempo:3.0.3@sha256:" + "0".repeat(64) },
        key: p("tempoImage"),
        allowed: "Tempo 3.1.0 or later in distributed mode",
    },
    { name: "gateway replicas below 1", overrides: { [p("gatewayMinReplicas")]: 0 }, key: p("gatewayMinReplicas"), allowed: "an integer from 1 to 100" },
    { name: "retired Tempo replica count in prod", stack: "prod", overrides: { [p("tempoReplicas")]: 2 }, key: p("tempoReplicas"), allowed: "retired, replaced by traceDurability and the capacity plan" },
    { name: "retired Tempo replica count in dev", overrides: { [p("tempoReplicas")]: 1 }, key: p("tempoReplicas"), allowed: "retired, replaced by traceDurability" },
    { name: "durability that is no setting", stack: "prod", overrides: { [p("traceDurability")]: "eventual" }, key: p("traceDurability"), allowed: "one of replicated, single-node" },
    { name: "durability left empty", overrides: { [p("traceDurability")]: undefined }, key: p("traceDurability"), allowed: "one of replicated, single-node" },
    { name: "monolithic Tempo in prod", stack: "prod", overrides: { [p("tempoMode")]: "monolithic" }, key: p("tempoMode"), allowed: "distributed with traceDurability replicated" },
    { name: "distributed Tempo with single-node durability", overrides: { [p("tempoMode")]: "distributed" }, key: p("tempoMode"), allowed: "monolithic with traceDurability single-node" },
    { name: "unknown Tempo mode", overrides: { [p("tempoMode")]: "scalable-single-binary" }, key: p("tempoMode"), allowed: "one of monolithic, distributed" },
    { name: "more VPN associations than private subnets", overrides: { [p("vpnSubnetAssociations")]: 4 }, key: p("vpnSubnetAssociations"), allowed: "at most the number of privateSubnetIds (3)" },
    { name: "no VPN association", overrides: { [p("vpnSubnetAssociations")]: 0 }, key: p("vpnSubnetAssociations"), allowed: "an integer from 1 to 16" },
    { name: "MSK broker type that is not one", stack: "prod", overrides: { [p("mskInstanceType")]: "m7g.large" }, key: p("mskInstanceType"), allowed: "an MSK broker type such as kafka.t3.small" },
    { name: "MSK brokers not a multiple of the subnets", stack: "prod", overrides: { [p("mskBrokerCount")]: 4 }, key: p("mskBrokerCount"), allowed: "a multiple of the number of privateSubnetIds (3)" },
    { name: "VPN session timeout AWS does not offer", overrides: { [p("vpnSessionTimeoutHours")]: 9 }, key: p("vpnSessionTimeoutHours"), allowed: "one of 8, 10, 12, 24 hours" },
    { name: "single private subnet", overrides: { [p("privateSubnetIds")]: ["subnet-0d1e2f3a4b5c60001"] }, key: p("privateSubnetIds"), allowed: "at least 2 subnet ids" },
    { name: "malformed subnet id", overrides: { [p("privateSubnetIds")]: ["subnet-1", "subnet-0d1e2f3a4b5c60002"] }, key: p("privateSubnetIds"), allowed: "subnet-0123456789abcdef0" },
    { name: "S3 endpoint to reuse given as a VPC id", overrides: { [p("existingS3EndpointId")]: "vpc-0a1b2c3d4e5f60718" }, key: p("existingS3EndpointId"), allowed: "a VPC endpoint id such as vpce-" },
    { name: "SNS endpoint id in upper case", overrides: { [p("existingSnsEndpointId")]: "vpce-0B4E5F6A7B8C9D0E1" }, key: p("existingSnsEndpointId"), allowed: "a VPC endpoint id such as vpce-" },
    { name: "Managed Prometheus endpoint id too short", overrides: { [p("existingApsEndpointId")]: "vpce-1234" }, key: p("existingApsEndpointId"), allowed: "a VPC endpoint id such as vpce-" },
    {
        name: "one endpoint id given for two services",
        overrides: { [p("existingS3EndpointId")]: "vpce-05a3c1d2e3f4a5b60", [p("existingApsEndpointId")]: "vpce-05a3c1d2e3f4a5b60" },
        key: p("existingApsEndpointId"),
        allowed: "is already existingS3EndpointId",
    },
    { name: "sampling percentage above 100", overrides: { [p("systemOverrides")]: "crm-api: { headSamplingPercent: 150 }" }, key: p("systemOverrides"), allowed: "a percentage from 0 to 100" },
    { name: "negative tail sampling in the catalogue", overrides: { [p("systems")]: systemsYaml((s) => (s[0].tailSamplingPercent = -1)) }, key: p("systems"), allowed: "a percentage from 0 to 100" },
    {
        name: "service name in two systems",
        overrides: { [p("systems")]: systemsYaml((s) => s[1].serviceNames.push(s[0].serviceNames[0])) },
        key: p("systems"),
        allowed: "each service.name in exactly one system (already in online-store-api)",
    },
    { name: "override for a system not in the catalogue", overrides: { [p("systemOverrides")]: "billing: { spansPerSecond: 10 }" }, key: p("systemOverrides"), allowed: "ids of catalogue systems" },
    { name: "unknown field in a system", overrides: { [p("systemOverrides")]: "crm-api: { spanPerSecond: 10 }" }, key: p("systemOverrides"), allowed: "only the fields" },
    { name: "queue system without queues", overrides: { [p("systems")]: systemsYaml((s) => delete s[9].queues) }, key: p("systems"), allowed: "queue systems list the queues they consume" },
    {
        name: "queue system without a wait objective",
        overrides: { [p("systems")]: systemsYaml((s) => delete s[9].queueWaitSloMs) },
        key: p("systems"),
        allowed: "queue systems set a wait-time objective",
    },
    {
        name: "database with service names of its own (it runs no SDK)",
        overrides: { [p("systems")]: systemsYaml((s) => (s[7].serviceNames = ["orders-postgresql"])) },
        key: p("systems"),
        allowed: "serviceNames only on systems of kind http-api or worker or integration or queue",
    },
    {
        name: "database without the db.system.name its callers write",
        overrides: { [p("systems")]: systemsYaml((s) => delete s[7].dbSystems) },
        key: p("systems"),
        allowed: "databases and caches name the db.system.name their callers write",
    },
    {
        name: "one db.system.name in two systems",
        overrides: { [p("systems")]: systemsYaml((s) => s[8].dbSystems.push("postgresql")) },
        key: p("systems"),
        allowed: "each db.system.name in exactly one system (already in databases)",
    },
    {
        name: "cache without a hit-ratio objective",
        overrides: { [p("systems")]: systemsYaml((s) => delete s[8].cacheHitRatioSloPercent) },
        key: p("systems"),
        allowed: "caches set a hit-ratio objective",
    },
    {
        name: "denied-access objective on a queue",
        overrides: { [p("systemOverrides")]: "rabbitmq: { deniedPer1000Slo: 5 }" },
        key: p("systems"),
        allowed: "deniedPer1000Slo only on systems of kind http-api",
    },
    { name: "catalogue that is not YAML", overrides: { [p("systems")]: "- id: [unclosed" }, key: p("systems"), allowed: "a YAML list of systems" },
    { name: "misspelt config key", overrides: { [p("traceRetentionDay")]: 7 }, key: p("traceRetentionDay"), allowed: "a key declared in Pulumi.yaml" },
    {
        name: "storageClass, retired: the program creates the encrypted StorageClass itself",
        stack: "prod",
        overrides: { [p("storageClass")]: "gp3-encrypted" },
        key: p("storageClass"),
        allowed: "creates its own KMS-encrypted StorageClass, tracing-<environment>-gp3-encrypted",
    },
    { name: "missing required key", overrides: { [p("vpcId")]: undefined }, key: p("vpcId"), allowed: "a VPC id" },
    { name: "namespace label selector malformed", overrides: { [p("appNamespaceLabel")]: "tracing enabled" }, key: p("appNamespaceLabel"), allowed: "one Kubernetes label key=value" },
    { name: "alert address that is not an e-mail", overrides: { [p("alertEmail")]: "oncall" }, key: p("alertEmail"), allowed: "an e-mail address" },
    { name: "certificate renewal window longer than validity", overrides: { [p("certEarlyRenewalHours")]: 4380 }, key: p("certEarlyRenewalHours"), allowed: "fewer hours than certValidityHours" },
    // The renewal schedule (components/pki/rotation.ts): a weekly deploy must land inside every window,
    // the VPN server certificate renews a day early, and each platform CA's turn holds two overlaps.
    { name: "renewal window shorter than two weekly deploys", overrides: { [p("certEarlyRenewalHours")]: 168 }, key: p("certEarlyRenewalHours"), allowed: "an integer from 336 to 4380 hours" },
    {
        name: "no room for the VPN server certificate's extra day",
        overrides: { [p("certValidityHours")]: 1000, [p("certEarlyRenewalHours")]: 980 },
        key: p("certEarlyRenewalHours"),
        allowed: "minus 24, the VPN server certificate's extra day",
    },
    {
        name: "CA turns too short for the rotation overlaps",
        overrides: { [p("caValidityHours")]: 10000, [p("certValidityHours")]: 4380, [p("certEarlyRenewalHours")]: 1500 },
        key: p("caValidityHours"),
        allowed: "more than certValidityHours + 4 x certEarlyRenewalHours (10380)",
    },
];

describe("settings: shipped stacks", () => {
    for (const stack of previewedStacks) {
        it(`${stack} parses into frozen settings`, () => {
            const settings = parseSettings(stackConfig(stack), stack);
            assert.equal(settings.environment, stack);
            assert.equal(settings.systems.length, 10);
            assert.ok(Object.isFrozen(settings) && Object.isFrozen(settings.systems[0]) && Object.isFrozen(settings.network.appOtlpCidrs));
            assert.throws(() => ((settings as any).environment = "x"));
        });
    }

    it("applies per-stack system overrides on top of the Pulumi.yaml catalogue", () => {
        const dev = parseSettings(stackConfig("dev"), "dev");
        const prod = parseSettings(stackConfig("prod"), "prod");
        const devStore = dev.systems.find((s) => s.id === "online-store-api")!;
        const prodStore = prod.systems.find((s) => s.id === "online-store-api")!;
        assert.equal(devStore.spansPerSecond, 120);
        assert.equal(prodStore.spansPerSecond, 1200);
        assert.equal(devStore.latencySloP95Ms, prodStore.latencySloP95Ms);
    });

    it("prod is stricter than dev", () => {
        const dev = parseSettings(stackConfig("dev"), "dev");
        const prod = parseSettings(stackConfig("prod"), "prod");
        assert.notEqual(dev.aws.accountId, prod.aws.accountId);
        assert.notEqual(dev.aws.region, prod.aws.region);
        assert.ok(prod.retention.traceDays > dev.retention.traceDays);
        assert.ok(prod.retention.auditDays > dev.retention.auditDays);
        assert.equal(prod.tempo.durability, "replicated");
        assert.equal(prod.tempo.mode, "distributed");
        assert.equal(dev.tempo.durability, "single-node");
        assert.equal(dev.tempo.mode, "monolithic");
        assert.ok(prod.network.vpnSubnetAssociations > dev.network.vpnSubnetAssociations, "prod keeps VPN access through a zone outage");
        assert.ok(prod.protectStatefulResources && !dev.protectStatefulResources);
        for (const image of Object.values(prod.images)) assert.match(image.digest ?? "", /^sha256:[0-9a-f]{64}$/);
    });

    it("a test stack is one config file away", () => {
        const testStack = {
            "tracing-platform:environment": "test",
            "aws:allowedAccountIds": ["222222222222"],
        };
        const settings = parseSettings(stackConfig("dev", testStack), "test");
        assert.equal(settings.environment, "test");
        assert.equal(settings.aws.accountId, "222222222222");
        assert.equal(settings.tags.environment, "test");
    });
});

describe("settings: bad configuration is rejected with key, value and what is allowed", () => {
    it(`has a corpus of at least 20 cases (${badCases.length})`, () => assert.ok(badCases.length >= 20));

    for (const c of badCases) {
        it(c.name, () => {
            const found = problems(c.stack ?? "dev", c.overrides);
            const match = found.find((f) => f.key === c.key && f.allowed.includes(c.allowed));
            assert.ok(match, `expected a problem for ${c.key} allowing "${c.allowed}", got:\n${found.map((f) => `${f.key}: ${f.value}; ${f.allowed}`).join("\n")}`);
        });
    }

    it("reports every problem together in one error, each on its own line", () => {
        const overrides = {
            [p("traceRetentionDays")]: 0,
            [p("appOtlpCidrs")]: ["0.0.0.0/0"],
            [p("tempoImage")]: "grafana/tempo:latest",
            [p("devAccountId")]: "abc",
        };
        let error: unknown;
        try {
            parseSettings(stackConfig("dev", overrides), "dev");
        } catch (e) {
            error = e;
        }
        assert.ok(error instanceof ConfigValidationError);
        const keys = error.problems.map((x) => x.key);
        for (const key of ["traceRetentionDays", "appOtlpCidrs", "tempoImage", "devAccountId"]) assert.ok(keys.includes(p(key)), key);
        assert.match(error.message, /^Invalid configuration for stack 'dev' \(\d+ problems\):/);
        assert.match(error.message, /\n {2}- tracing-platform:traceRetentionDays: 0; allowed: an integer from 1 to 400 days/);
        assert.match(error.message, /\n {2}- tracing-platform:tempoImage: 'grafana\/tempo:latest'; allowed: .*:latest/);
    });

    it("reports the open allow-list once, not as a second overlap problem", () => {
        const found = problems("dev", { [p("appOtlpCidrs")]: ["0.0.0.0/0"] }).filter((f) => f.key === p("appOtlpCidrs"));
        assert.equal(found.length, 1);
    });
});

describe("settings: image references", () => {
    it("splits a pinned reference with registry port, tag and digest", () => {
        const ref = parseImageReference("registry.local:5000/otel/collector-k8s:0.165.0@sha256:" + "a".repeat(64));
        assert.ok(typeof ref !== "string");
        assert.equal(ref.repository, "registry.local:5000/otel/collector-k8s");
        assert.equal(ref.tag, "0.165.0");
        assert.deepEqual(ref.version, { major: 0, minor: 165, patch: 0 });
        assert.equal(ref.digest, "sha256:" + "a".repeat(64));
    });

    it("rejects digests that are not sha256 hex and tags that are not versions", () => {
        assert.equal(typeof parseImageReference("grafana/tempo:3.0.3@sha256:xyz"), "string");
        assert.equal(parseImageReference("grafana/tempo:main"), "tag 'main' is not a release version (x.y.z)");
    });
});
