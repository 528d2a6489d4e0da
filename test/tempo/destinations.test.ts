/** What Tempo dials in each mode, read from tempo.yaml as rendered (and parsed back). */
import { strict as assert } from "assert";
import * as yaml from "yaml";
import { describeDestination } from "../../components/platform/destinations";
import { parseSettings } from "../../components/platform/settings";
import { renderTempoConfig, type TempoConfig } from "../../components/tempo/config";
import { tempoDestinations } from "../../components/tempo/destinations";
import { stackConfig } from "../harness/stack-config";

const brokers = "b-1.tempo.abc.c2.kafka.eu-west-1.amazonaws.com:9096,b-2.tempo.abc.c2.kafka.eu-west-1.amazonaws.com:9096";

function rendered(stack: "dev" | "prod"): TempoConfig {
    const settings = parseSettings(stackConfig(stack), stack);
    const distributed = settings.tempo.mode === "distributed";
    return yaml.parse(
        renderTempoConfig({
            mode: settings.tempo.mode,
            environment: settings.environment,
            region: settings.aws.region,
            traceBucketName: `traces-${stack}`,
            traceKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/0f0e0d0c-1111-2222-3333-444455556666",
            retentionDays: settings.retention.traceDays,
            ...(distributed ? { kafka: { bootstrapBrokers: brokers, topic: "tempo-traces" } } : {}),
        }),
    );
}

const listed = (config: TempoConfig) => tempoDestinations(config).map(describeDestination).sort();

describe("Tempo destinations, read from tempo.yaml", () => {
    it("monolithic: S3 with Pod Identity credentials, its own components over loopback, ring members' gRPC; no Kafka, no gossip peers", () => {
        assert.deepEqual(listed(rendered("dev")), [
            "127.0.0.1:9095/TCP",
            "169.254.170.23:80/TCP",
            "s3.eu-central-1.amazonaws.com:443/TCP",
            "tempo-memberlist.tracing-tempo.svc.cluster.local:9095/TCP",
        ]);
    });

    it("distributed: S3, the Kafka seed broker on 9096, the query-frontends and the backend scheduler, memberlist gossip over TCP, ring members", () => {
        assert.deepEqual(listed(rendered("prod")), [
            "169.254.170.23:80/TCP",
            "b-1.tempo.abc.c2.kafka.eu-west-1.amazonaws.com:9096/TCP",
            "s3.eu-west-1.amazonaws.com:443/TCP",
            "tempo-backend-scheduler.tracing-tempo.svc.cluster.local:9095/TCP",
            "tempo-memberlist.tracing-tempo.svc.cluster.local:7946/TCP",
            "tempo-memberlist.tracing-tempo.svc.cluster.local:9095/TCP",
            "tempo-query-frontend-discovery.tracing-tempo.svc.cluster.local:9095/TCP",
        ]);
    });

    it("fetches no Pod Identity credentials when S3 keys are in the file", () => {
        const config = rendered("dev");
        const keyed = { ...config, storage: { trace: { ...config.storage.trace, s3: { ...config.storage.trace.s3, access_key: "AKIA", secret_key: "x" } } } } as TempoConfig;
        assert.ok(!listed(keyed).includes("169.254.170.23:80/TCP"));
    });
});
