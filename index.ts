import * as aws from "@pulumi/aws";
import { planCapacity } from "./components/builders/capacity";
import { loadSettings } from "./components/config";
import { TempoKafka } from "./components/kafka";
import { awsResourceNames } from "./components/names";
import { PlatformNamespaces } from "./components/namespaces";
import { Providers } from "./components/providers";
import { Tempo } from "./components/tempo";

const settings = loadSettings();
const capacity = planCapacity(settings);
const awsNames = awsResourceNames(settings.environment, settings.aws.accountId, settings.aws.region);
const providers = new Providers("tracing", { settings });
const platformNamespaces = new PlatformNamespaces(
    "tracing",
    { environment: settings.environment },
    { providers: [providers.aws, providers.kubernetes] },
);

// TEMPORARY, replaced by KmsKeys on merge: the data-plane branch owns the trace key (Tempo's
// SSE-KMS key, MSK volumes and SCRAM secret) and the audit key (log groups), with their policies,
// and the trace bucket named awsNames.traceBucket. Until then one stand-in key plays both roles.
const temporaryTraceKey = new aws.kms.Key(
    "tracing-temporary-trace-key",
    {
        description: "TEMPORARY stand-in for the trace and audit keys; replaced by KmsKeys on merge",
        enableKeyRotation: true,
        deletionWindowInDays: settings.kms.deletionWindowDays,
    },
    { provider: providers.aws },
);

const tempoKafka =
    capacity.tempo.mode === "distributed" && capacity.tempo.distributed
        ? new TempoKafka(
              "tempo-kafka",
              {
                  settings,
                  plan: capacity.tempo.distributed,
                  storedBytesPerSecond: capacity.load.storedBytesPerSecond,
                  kmsKeyArn: temporaryTraceKey.arn,
                  logsKmsKeyArn: temporaryTraceKey.arn,
              },
              { providers: [providers.aws] },
          )
        : undefined;

const tempo = new Tempo(
    "tempo",
    {
        settings,
        plan: capacity.tempo,
        namespace: platformNamespaces.namespaces.tempo.metadata.name,
        traceBucketName: awsNames.traceBucket,
        traceKeyArn: temporaryTraceKey.arn,
        ...(tempoKafka ? { kafka: tempoKafka.connection } : {}),
    },
    { providers: [providers.kubernetes], dependsOn: tempoKafka ? [tempoKafka] : [] },
);

export const environment = settings.environment;
export const awsAccountId = settings.aws.accountId;
export const awsRegion = settings.aws.region;
export const namespaces = Object.values(platformNamespaces.namespaces).map((ns) => ns.metadata.name);
export const tempoMode = capacity.tempo.mode;
export const tempoIngestEndpoint = tempo.ingestEndpoint;
export const tempoQueryUrl = tempo.queryUrl;
export const kafkaBootstrapBrokers = tempoKafka?.cluster.bootstrapBrokersSaslScram;
