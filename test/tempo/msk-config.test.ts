import * as assert from "assert";
import {
    brokerVolumeMaxFill,
    requiredBrokerVolumeGb,
    mskServerProperties,
    retainedGbPerBroker,
    scramSecretName,
    scramSecretString,
    tempoTopic,
    tempoTopicConfigs,
} from "../../components/tempo/msk-config";
import { planCapacity } from "../../components/capacity/plan";
import { ConfigValidationError, parseSettings } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";

/** Parses Java-properties `key=value` lines the way the broker does (no duplicates tolerated here). */
function parseProperties(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of text.split("\n")) {
        if (line.trim() === "" || line.startsWith("#")) continue;
        const at = line.indexOf("=");
        assert.ok(at > 0, `not a property line: ${line}`);
        const key = line.slice(0, at).trim();
        assert.ok(!(key in out), `duplicate property ${key}`);
        out[key] = line.slice(at + 1).trim();
    }
    return out;
}

describe("msk-config builder", () => {
    it("broker properties forbid auto-created topics and unclean elections, with RF 3 / min ISR 2", () => {
        const properties = parseProperties(mskServerProperties());
        assert.strictEqual(properties["auto.create.topics.enable"], "false");
        assert.strictEqual(properties["default.replication.factor"], "3");
        assert.strictEqual(properties["min.insync.replicas"], "2");
        assert.strictEqual(properties["unclean.leader.election.enable"], "false");
        assert.ok(Number(properties["message.max.bytes"]) >= 16_000_000);
    });

    it("the trace topic deletes (never compacts) after about a day and takes Tempo's 16 MB batches", () => {
        const configs = tempoTopicConfigs();
        assert.strictEqual(configs["cleanup.policy"], "delete");
        assert.ok(Number(configs["retention.ms"]) >= 40 * 60_000, "never below 40 min (live-store replay)");
        assert.strictEqual(Number(configs["retention.ms"]), 24 * 3_600_000);
        assert.ok(Number(configs["max.message.bytes"]) >= 16_000_000);
        assert.strictEqual(configs["min.insync.replicas"], "2");
        assert.ok(tempoTopic.minInsyncReplicas < tempoTopic.replicationFactor, "one replica may be down");
        for (const value of Object.values(configs)) assert.strictEqual(typeof value, "string");
    });

    it("names the SCRAM secret with the prefix MSK requires and stores username and password as JSON", () => {
        assert.strictEqual(scramSecretName("tracing-tempo-prod"), "AmazonMSK_tracing-tempo-prod");
        assert.deepStrictEqual(JSON.parse(scramSecretString("tempo", "p4ss")), { username: "tempo", password: "p4ss" });
    });

    it("estimates retained bytes per broker from the stored load, retention and replication", () => {
        // 1 MB/s for 24 h, three copies over three brokers = 86.4 GB each.
        assert.strictEqual(retainedGbPerBroker(1_000_000, 3), 86.4);
        assert.strictEqual(retainedGbPerBroker(1_000_000, 6), 43.2);
    });

    it("plans prod's brokers from the load and rejects a configured volume too small for it, naming the key", () => {
        const prod = parseSettings(stackConfig("prod"), "prod");
        const { log, msk } = planCapacity(prod).tempo.distributed!;
        const needed = Math.ceil(retainedGbPerBroker(log.averageBytesPerSecond, msk.brokerCount) / brokerVolumeMaxFill);
        assert.strictEqual(msk.volumeGb, needed, "unset, the volume is what the retention needs");
        assert.strictEqual(requiredBrokerVolumeGb(log.averageBytesPerSecond, msk.brokerCount), needed);
        const small = parseSettings(stackConfig("prod", { "tracing-platform:mskVolumeGb": needed - 1 }), "prod");
        assert.throws(
            () => planCapacity(small),
            (e: unknown) => e instanceof ConfigValidationError && /tracing-platform:mskVolumeGb: \d+; allowed: at least (\d+) GiB/.test(e.message) && e.message.includes(`at least ${needed} GiB`),
        );
        const enough = parseSettings(stackConfig("prod", { "tracing-platform:mskVolumeGb": needed }), "prod");
        assert.strictEqual(planCapacity(enough).tempo.distributed!.msk.volumeGb, needed);
        const larger = parseSettings(stackConfig("prod", { "tracing-platform:mskVolumeGb": needed * 4 }), "prod");
        assert.strictEqual(planCapacity(larger).tempo.distributed!.msk.volumeGb, needed * 4, "a larger configured volume is kept");
    });
});

describe("settings: MSK in distributed mode", () => {
    function problemsFor(overrides: Record<string, unknown>): string[] {
        try {
            parseSettings(stackConfig("prod", overrides), "prod");
            return [];
        } catch (e) {
            if (!(e instanceof ConfigValidationError)) throw e;
            return e.problems.map((p) => `${p.key}: ${p.value}; ${p.allowed}`);
        }
    }

    it("rejects fewer than three brokers (replication factor 3)", () => {
        const problems = problemsFor({ "tracing-platform:mskBrokerCount": 2, "tracing-platform:privateSubnetIds": ["subnet-0a", "subnet-0b"] });
        assert.ok(problems.some((p) => p.startsWith("tracing-platform:mskBrokerCount: 2") && p.includes("at least 3")), problems.join("\n"));
    });

    it("rejects Kafka versions older than 3.6 (MSK topic API)", () => {
        const problems = problemsFor({ "tracing-platform:kafkaVersion": "3.5.1" });
        assert.ok(problems.some((p) => p.startsWith("tracing-platform:kafkaVersion: '3.5.1'") && p.includes("3.6.x or later")), problems.join("\n"));
        assert.deepStrictEqual(problemsFor({ "tracing-platform:kafkaVersion": "3.6.0" }), []);
        assert.deepStrictEqual(problemsFor({ "tracing-platform:kafkaVersion": "3.9.x" }), []);
    });

    it("does not apply the MSK rules to monolithic stacks", () => {
        const dev = parseSettings(stackConfig("dev", { "tracing-platform:kafkaVersion": "2.8.1", "tracing-platform:mskBrokerCount": 2 }), "dev");
        assert.strictEqual(dev.tempo.mode, "monolithic");
    });
});
