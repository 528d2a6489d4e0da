import * as assert from "assert";
import * as yaml from "yaml";
import { planCapacity } from "../../components/capacity/plan";
import { mskSecretNamePrefix } from "../../components/platform/names";
import { tempoTopic } from "../../components/tempo/msk-config";
import { awsResourceNames, namespaces, ports } from "../../components/platform/names";
import { parseSettings } from "../../components/platform/settings";
import { kubernetesObject, ofType, oneOfType, stackRecording, type RecordedResource, type StackRecording } from "../harness/program";
import { stackConfig } from "../harness/stack-config";

const prodSettings = () => parseSettings(stackConfig("prod"), "prod");

/** The URNs a resource's input property was computed from. */
function sources(resource: RecordedResource, property: string): string[] {
    return [...(resource.propertyDependencies[property] ?? [])];
}

/** The SCRAM credentials' Secret (Grafana's break-glass admin has one too). */
const scramSecretResource = "tempo-kafka-scram";

function keyUrn(recording: StackRecording): string {
    return oneOfType(recording, "aws:kms/key:Key", "tracing-trace").urn;
}

describe("MSK for distributed Tempo (program)", () => {
    it("exists only in the distributed stack", async () => {
        const [dev, prod] = await Promise.all([stackRecording("dev"), stackRecording("prod")]);
        for (const type of ["aws:msk/cluster:Cluster", "aws:msk/configuration:Configuration", "aws:msk/topic:Topic"]) {
            assert.strictEqual(ofType(dev, type).length, 0, `dev has no ${type}`);
            assert.strictEqual(ofType(prod, type).length, 1, `prod has one ${type}`);
        }
        // Grafana's break-glass secret exists on both stacks; the SCRAM secret only with MSK.
        const scramSecrets = (recording: StackRecording) => ofType(recording, "aws:secretsmanager/secret:Secret").filter((s) => s.name === scramSecretResource);
        assert.strictEqual(scramSecrets(dev).length, 0, "dev has no SCRAM secret");
        assert.strictEqual(scramSecrets(prod).length, 1, "prod has one SCRAM secret");
    });

    it("encrypts at rest with the environment key and in transit between clients, brokers and replicas", async () => {
        const prod = await stackRecording("prod");
        const cluster = oneOfType(prod, "aws:msk/cluster:Cluster");
        const encryption = cluster.inputs.encryptionInfo;
        assert.match(encryption.encryptionAtRestKmsKeyArn, /^arn:aws:kms:/);
        assert.ok(sources(cluster, "encryptionInfo").includes(keyUrn(prod)), "the at-rest key is the program's KMS key");
        assert.deepStrictEqual(encryption.encryptionInTransit, { clientBroker: "TLS", inCluster: true });
    });

    it("authenticates clients with SASL/SCRAM only", async () => {
        const prod = await stackRecording("prod");
        const auth = oneOfType(prod, "aws:msk/cluster:Cluster").inputs.clientAuthentication;
        assert.strictEqual(auth.unauthenticated, false);
        assert.strictEqual(auth.sasl.scram, true);
        assert.notStrictEqual(auth.sasl.iam, true);
        assert.strictEqual(auth.tls, undefined);
    });

    it("keeps brokers in the private subnets behind a group that admits only the EKS nodes on 9096", async () => {
        const prod = await stackRecording("prod");
        const settings = prodSettings();
        const cluster = oneOfType(prod, "aws:msk/cluster:Cluster");
        const brokers = cluster.inputs.brokerNodeGroupInfo;
        assert.deepStrictEqual(brokers.clientSubnets, settings.network.privateSubnetIds);
        assert.strictEqual(brokers.connectivityInfo.publicAccess.type, "DISABLED");
        // The brokers are the capacity plan's: the cheapest class, count and volume for twice the peak.
        const { msk } = planCapacity(settings).tempo.distributed!;
        assert.strictEqual(brokers.instanceType, msk.instanceType);
        assert.strictEqual(brokers.storageInfo.ebsStorageInfo.volumeSize, msk.volumeGb);
        assert.strictEqual(cluster.inputs.numberOfBrokerNodes, msk.brokerCount);
        assert.ok(msk.networkUtilisation <= 1, "the planned brokers carry twice the peak");
        const group = oneOfType(prod, "aws:ec2/securityGroup:SecurityGroup", "tempo-kafka-brokers");
        assert.ok(sources(cluster, "brokerNodeGroupInfo").includes(group.urn));
        assert.strictEqual(group.inputs.vpcId, settings.network.vpcId);
        assert.strictEqual(group.inputs.ingress, undefined, "no inline rules");
        assert.strictEqual(group.inputs.egress, undefined, "no egress: brokers answer, they do not dial out");
        const rules = ofType(prod, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => sources(r, "securityGroupId").includes(group.urn));
        assert.strictEqual(rules.length, 1);
        const [rule] = rules;
        assert.strictEqual(rule.inputs.referencedSecurityGroupId, settings.cluster.nodeSecurityGroupId);
        assert.strictEqual(rule.inputs.cidrIpv4, undefined);
        assert.strictEqual(rule.inputs.cidrIpv6, undefined);
        assert.strictEqual(rule.inputs.ipProtocol, "tcp");
        assert.strictEqual(rule.inputs.fromPort, ports.kafkaTlsSasl);
        assert.strictEqual(rule.inputs.toPort, ports.kafkaTlsSasl);
        assert.ok(rule.inputs.description.length > 20);
        const egress = ofType(prod, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => sources(r, "securityGroupId").includes(group.urn));
        assert.strictEqual(egress.length, 0, "the broker group has no egress rules");
    });

    it("keeps the SCRAM password in a KMS-encrypted AmazonMSK_ secret associated with the cluster", async () => {
        const prod = await stackRecording("prod");
        const settings = prodSettings();
        const secret = oneOfType(prod, "aws:secretsmanager/secret:Secret", scramSecretResource);
        assert.ok(secret.inputs.name.startsWith(mskSecretNamePrefix));
        assert.strictEqual(secret.inputs.name, `AmazonMSK_${awsResourceNames("prod", settings.aws.accountId, settings.aws.region).kafkaCluster}`);
        assert.ok(sources(secret, "kmsKeyId").includes(keyUrn(prod)), "a customer-managed key, not aws/secretsmanager");
        const version = oneOfType(prod, "aws:secretsmanager/secretVersion:SecretVersion", `${scramSecretResource}-value`);
        assert.ok(version.secretPaths.includes("secretString"), "the secret value is a Pulumi secret");
        const value = JSON.parse(version.inputs.secretString);
        const password = oneOfType(prod, "random:index/randomPassword:RandomPassword", "tempo-kafka-scram-password");
        assert.deepStrictEqual(value, { username: "tempo", password: `mock-password-${password.name}` });
        assert.strictEqual(password.inputs.special, false, "Tempo expands it into YAML");
        assert.ok(password.inputs.length >= 32);
        const association = oneOfType(prod, "aws:msk/singleScramSecretAssociation:SingleScramSecretAssociation");
        assert.ok(sources(association, "secretArn").includes(secret.urn));
        assert.ok(sources(association, "clusterArn").includes(oneOfType(prod, "aws:msk/cluster:Cluster").urn));
        assert.ok(association.dependencies.includes(version.urn), "associated only once the secret has a value");
    });

    it("logs brokers to a log group encrypted with the logs key, kept logRetentionDays", async () => {
        const prod = await stackRecording("prod");
        const settings = prodSettings();
        const cluster = oneOfType(prod, "aws:msk/cluster:Cluster");
        const group = oneOfType(prod, "aws:cloudwatch/logGroup:LogGroup", "tempo-kafka-broker-logs-group");
        assert.deepStrictEqual(cluster.inputs.loggingInfo.brokerLogs.cloudwatchLogs, { enabled: true, logGroup: group.inputs.name });
        assert.ok(sources(group, "kmsKeyId").includes(oneOfType(prod, "aws:kms/key:Key", "tracing-audit").urn), "the audit key encrypts log groups");
        assert.strictEqual(group.inputs.retentionInDays, settings.retention.logDays);
        assert.strictEqual(group.inputs.deletionProtectionEnabled, true);
        assert.strictEqual(cluster.inputs.enhancedMonitoring, "PER_BROKER");
    });

    it("creates the trace topic with the planned partitions and the broker configuration Grafana recommends", async () => {
        const prod = await stackRecording("prod");
        const plan = planCapacity(prodSettings()).tempo.distributed!;
        const topic = oneOfType(prod, "aws:msk/topic:Topic");
        assert.strictEqual(topic.inputs.name, tempoTopic.name);
        assert.strictEqual(topic.inputs.partitionCount, plan.kafkaPartitions);
        assert.strictEqual(topic.inputs.replicationFactor, 3);
        assert.deepStrictEqual(JSON.parse(topic.inputs.configs)["min.insync.replicas"], "2");
        const configuration = oneOfType(prod, "aws:msk/configuration:Configuration");
        const properties = Object.fromEntries(configuration.inputs.serverProperties.split("\n").map((l: string) => l.split("=")));
        assert.strictEqual(properties["auto.create.topics.enable"], "false");
        assert.strictEqual(properties["default.replication.factor"], "3");
        assert.strictEqual(properties["min.insync.replicas"], "2");
        assert.ok(sources(oneOfType(prod, "aws:msk/cluster:Cluster"), "configurationInfo").includes(configuration.urn));
        assert.deepStrictEqual(configuration.inputs.kafkaVersions, [prodSettings().tempo.msk.kafkaVersion]);
    });

    it("protects the stateful MSK resources in prod", async () => {
        const prod = await stackRecording("prod");
        for (const type of ["aws:msk/cluster:Cluster", "aws:msk/topic:Topic"]) {
            assert.strictEqual(oneOfType(prod, type).protect, true, `${type} is protected`);
        }
        assert.strictEqual(oneOfType(prod, "aws:secretsmanager/secret:Secret", scramSecretResource).protect, true, "the SCRAM secret is protected");
        const group = oneOfType(prod, "aws:cloudwatch/logGroup:LogGroup", "tempo-kafka-broker-logs-group");
        assert.ok(group.protect && group.retainOnDelete, "the broker log group is protected and retained");
    });

    it("wires Tempo to the cluster's SASL/SCRAM brokers and the topic", async () => {
        const prod = await stackRecording("prod");
        const cluster = oneOfType(prod, "aws:msk/cluster:Cluster");
        const config = yaml.parse(kubernetesObject(prod, "core/v1", "ConfigMap", "tempo-config", namespaces.tempo).inputs.data["tempo.yaml"]);
        const kafka = config.ingest.kafka;
        assert.strictEqual(kafka.address, `b-1.${cluster.name}.kafka.${prodSettings().aws.region}.amazonaws.com:${ports.kafkaTlsSasl}`);
        assert.strictEqual(kafka.topic, tempoTopic.name);
        assert.strictEqual(kafka.tls_enabled, true);
        assert.strictEqual(kafka.sasl_mechanism, "SCRAM-SHA-512");
        const tempo = oneOfType(prod, "tracing:tempo:Tempo");
        assert.ok(tempo.dependencies.includes(oneOfType(prod, "aws:msk/topic:Topic").urn), "Tempo waits for its topic");
        const credentials = kubernetesObject(prod, "core/v1", "Secret", "tempo-kafka-credentials", namespaces.tempo);
        const association = oneOfType(prod, "aws:msk/singleScramSecretAssociation:SingleScramSecretAssociation");
        assert.ok(credentials.dependencies.includes(association.urn), "Tempo's credentials exist only once MSK knows the user");
    });
});
