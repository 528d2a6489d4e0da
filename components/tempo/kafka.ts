import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptedLogGroup } from "../data-plane";
import * as random from "@pulumi/random";
import type { TempoDistributedPlan } from "../capacity/plan";
import {
    mskServerProperties,
    scramSecretName,
    scramSecretString,
    scramUsername,
    tempoTopic,
    tempoTopicConfigs,
} from "./msk-config";
import { ec2Description } from "../platform/aws-constraints";
import { awsResourceNames, ports } from "../platform/names";
import type { Settings } from "../platform/settings";
import type { TempoKafkaConnection } from "./backend";

export interface TempoKafkaArgs {
    /** Validated settings of this stack (network, MSK sizing, retention, protection). */
    readonly settings: Settings;
    /** Tempo's distributed plan: the topic's partition count and the brokers (class, count, volume) that carry it. */
    readonly plan: TempoDistributedPlan;
    /** ARN of the environment's trace key: encrypts broker volumes and the SCRAM secret. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** ARN of the audit key: encrypts the broker log group. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
}

/**
 * Amazon MSK as distributed Tempo's write-ahead log: brokers in the private subnets, reachable only
 * from the cluster's nodes on the SASL/SCRAM TLS port (and the Open Monitoring exporters the
 * collector gateway scrapes), TLS between clients and brokers and between
 * brokers, volumes encrypted with the environment key, one SCRAM user whose password lives in a
 * KMS-encrypted Secrets Manager secret, broker logs in a KMS-encrypted log group, and the trace topic
 * pre-created with the planned partitions.
 */
export class TempoKafka extends pulumi.ComponentResource {
    public readonly cluster: aws.msk.Cluster;
    public readonly topic: aws.msk.Topic;
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly scramSecret: aws.secretsmanager.Secret;
    public readonly brokerLogGroup: EncryptedLogGroup;
    /** What Tempo needs to produce and consume: brokers, topic, SCRAM username and (secret) password. */
    public readonly connection: TempoKafkaConnection;

    constructor(name: string, args: TempoKafkaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:kafka:TempoKafka", name, args, opts);
        const { settings, plan } = args;
        if (settings.tempo.mode !== "distributed") throw new Error("MSK exists only for replicated durability (tracing-platform:traceDurability)");

        const msk = { ...plan.msk, kafkaVersion: settings.tempo.msk.kafkaVersion };
        const clusterName = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region).kafkaCluster;
        const child = { parent: this };
        const stateful = { parent: this, protect: settings.protectStatefulResources };

        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-brokers`,
            {
                name: `${clusterName}-brokers`,
                description: ec2Description(`MSK brokers of ${clusterName}: Kafka SASL/SCRAM over TLS from the EKS nodes only`),
                vpcId: settings.network.vpcId,
                tags: { Name: `${clusterName}-brokers` },
            },
            child,
        );
        // Open Monitoring: the first gateway (a pod on the nodes) scrapes each broker's exporters.
        for (const [exporter, port] of [["jmx", ports.mskJmxExporter], ["node", ports.mskNodeExporter]] as const) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-${exporter}-exporter-from-nodes`,
                {
                    securityGroupId: this.securityGroup.id,
                    description: ec2Description(`MSK Open Monitoring ${exporter} exporter from EKS worker nodes (scraped by the collector gateway)`),
                    referencedSecurityGroupId: settings.cluster.nodeSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                },
                child,
            );
        }
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-nodes`,
            {
                securityGroupId: this.securityGroup.id,
                description: ec2Description("Kafka SASL/SCRAM over TLS from EKS worker nodes (Tempo distributors, live-stores, block-builders)"),
                referencedSecurityGroupId: settings.cluster.nodeSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: ports.kafkaTlsSasl,
                toPort: ports.kafkaTlsSasl,
            },
            child,
        );

        this.brokerLogGroup = new EncryptedLogGroup(
            `${name}-broker-logs`,
            {
                logGroupName: `/aws/msk/${clusterName}`,
                keyArn: args.logsKmsKeyArn,
                retentionDays: settings.retention.logDays,
                retain: settings.protectStatefulResources,
            },
            child,
        );

        const configuration = new aws.msk.Configuration(
            `${name}-configuration`,
            {
                name: clusterName,
                description: "Broker settings for Tempo's trace topic: no auto-created topics, RF 3, min ISR 2, 24 h retention",
                kafkaVersions: [msk.kafkaVersion],
                serverProperties: mskServerProperties(),
            },
            child,
        );

        this.cluster = new aws.msk.Cluster(
            `${name}-cluster`,
            {
                clusterName,
                kafkaVersion: msk.kafkaVersion,
                numberOfBrokerNodes: msk.brokerCount,
                brokerNodeGroupInfo: {
                    instanceType: msk.instanceType,
                    clientSubnets: [...settings.network.privateSubnetIds],
                    securityGroups: [this.securityGroup.id],
                    storageInfo: { ebsStorageInfo: { volumeSize: msk.volumeGb } },
                    connectivityInfo: { publicAccess: { type: "DISABLED" } },
                },
                encryptionInfo: {
                    encryptionAtRestKmsKeyArn: args.kmsKeyArn,
                    encryptionInTransit: { clientBroker: "TLS", inCluster: true },
                },
                clientAuthentication: {
                    sasl: { scram: true, iam: false },
                    unauthenticated: false,
                },
                configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
                // Per-broker disk, network and under-replication metrics where an outage costs most.
                enhancedMonitoring: settings.isProduction ? "PER_BROKER" : "DEFAULT",
                // The same into the metrics workspace, beside Tempo's: the gateways scrape these exporters.
                openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
                loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: this.brokerLogGroup.logGroupName } } },
            },
            stateful,
        );

        // Alphanumeric only: Tempo expands the password into YAML, where `:`, `#` or quotes would
        // change the document's meaning.
        const password = new random.RandomPassword(`${name}-scram-password`, { length: 40, special: false }, child);
        this.scramSecret = new aws.secretsmanager.Secret(
            `${name}-scram`,
            {
                name: scramSecretName(clusterName),
                description: `SASL/SCRAM credentials of Tempo on MSK cluster ${clusterName}`,
                // MSK refuses secrets encrypted with the AWS-managed aws/secretsmanager key.
                kmsKeyId: args.kmsKeyArn,
                recoveryWindowInDays: settings.kms.deletionWindowDays,
            },
            stateful,
        );
        const secretVersion = new aws.secretsmanager.SecretVersion(
            `${name}-scram-value`,
            {
                secretId: this.scramSecret.id,
                secretString: pulumi.secret(password.result.apply((value) => scramSecretString(scramUsername, value))),
            },
            child,
        );
        const association = new aws.msk.SingleScramSecretAssociation(
            `${name}-scram-association`,
            { clusterArn: this.cluster.arn, secretArn: this.scramSecret.arn },
            { parent: this, dependsOn: [secretVersion] },
        );

        this.topic = new aws.msk.Topic(
            `${name}-topic`,
            {
                clusterArn: this.cluster.arn,
                name: tempoTopic.name,
                partitionCount: plan.kafkaPartitions,
                replicationFactor: tempoTopic.replicationFactor,
                configs: JSON.stringify(tempoTopicConfigs()),
            },
            stateful,
        );

        this.connection = {
            bootstrapBrokers: this.cluster.bootstrapBrokersSaslScram,
            topic: this.topic.name,
            // Resolves once MSK knows the user, so Tempo's credentials Secret waits for the association.
            username: association.id.apply(() => scramUsername),
            password: password.result,
        };
        this.registerOutputs({
            clusterArn: this.cluster.arn,
            bootstrapBrokers: this.cluster.bootstrapBrokersSaslScram,
            topic: this.topic.name,
            scramSecretArn: this.scramSecret.arn,
        });
    }
}
