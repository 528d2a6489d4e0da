import { strict as assert } from "assert";
import { ConfigValidationError, parseSettings, type Settings } from "../../components/platform/settings";
import { capacityAssumptions, planCapacity } from "../../components/capacity/plan";
import { planCosts } from "../../components/capacity/costs";
import { cheaperXray } from "../../components/capacity/cost-comparison";
import { backendTargets, durabilityGuarantees, priceDurabilities, prodPlatformBudgetUsd, withDurability } from "../../components/capacity/durability";
import { kafkaLogOptions } from "../../components/capacity/kafka-options";
import { renderCapacityTable } from "../../components/capacity/report";
import { vpnAvailability } from "../../components/capacity/report-sections";
import { hoursPerMonth } from "../../components/capacity/cost-assumptions";
import { prices } from "../../components/capacity/prices";
import { stackConfig } from "../harness/stack-config";
import { shippedStacks } from "../harness/program";

function settingsOf(stack: string, overrides: Record<string, unknown> = {}): Settings {
    return parseSettings(stackConfig(stack, overrides), stack);
}

function refusal(settings: Settings): ConfigValidationError {
    try {
        planCapacity(settings);
    } catch (e) {
        if (e instanceof ConfigValidationError) return e;
        throw e;
    }
    assert.fail("the plan was accepted");
}

describe("trace durability in the capacity model", () => {
    for (const stack of shippedStacks) {
        it(`${stack}: prices both settings at the stack's load, its own first, each with the Tempo that delivers it`, () => {
            const settings = settingsOf(stack);
            const [own, other] = priceDurabilities(settings);
            assert.equal(own.durability, settings.tempo.durability);
            assert.notEqual(other.durability, own.durability);
            for (const priced of [own, other]) {
                assert.ok(priced.plan && priced.costs, `${priced.durability} fits the seed load`);
                assert.equal(priced.plan.tempo.durability, priced.durability);
                assert.equal(priced.plan.tempo.mode, priced.durability === "replicated" ? "distributed" : "monolithic");
                assert.equal(!!priced.plan.tempo.distributed, priced.durability === "replicated");
                assert.equal(priced.guarantee, durabilityGuarantees[priced.durability]);
            }
            const replicated = [own, other].find((p) => p.durability === "replicated")!;
            const single = [own, other].find((p) => p.durability === "single-node")!;
            assert.ok(replicated.costs!.subtotals.traceBackend > single.costs!.subtotals.traceBackend, "the replicated log costs more than a monolith");
            // Only the trace backend differs: collectors, span metrics and access are the same at the same load.
            for (const group of ["collection", "metrics", "accessAudit"] as const) {
                assert.ok(Math.abs(replicated.costs!.subtotals[group] - single.costs!.subtotals[group]) < 1e-9, group);
            }
            const table = renderCapacityTable(settings, planCapacity(settings), planCosts(settings, planCapacity(settings)));
            const delta = Math.abs(own.costs!.subtotals.traceBackend - other.costs!.subtotals.traceBackend);
            assert.match(table, new RegExp(`\`${own.durability}\` (costs|saves) \\$${delta.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} a month`));
        });
    }

    it("says what each setting loses: nothing on a single failure, or the last max_trace_live of acknowledged spans", () => {
        assert.match(durabilityGuarantees.replicated, /no acknowledged span is lost on any single pod, node or zone failure/);
        assert.match(durabilityGuarantees.replicated, /2 of 3 brokers in three zones/);
        assert.match(durabilityGuarantees["single-node"], new RegExp(`at most the last ${capacityAssumptions.maxTraceLiveSeconds.value} s \\(max_trace_live\\) of acknowledged spans`));
        for (const stack of shippedStacks) {
            const settings = settingsOf(stack);
            const table = renderCapacityTable(settings, planCapacity(settings), planCosts(settings, planCapacity(settings)));
            assert.ok(table.includes(`Durability \`${settings.tempo.durability}\`: ${durabilityGuarantees[settings.tempo.durability]}.`));
        }
    });

    it("withDurability flips the mode with the setting and nothing else", () => {
        const prod = settingsOf("prod");
        const single = withDurability(prod, "single-node");
        assert.equal(single.tempo.mode, "monolithic");
        assert.deepEqual({ ...single, tempo: prod.tempo }, prod);
        assert.equal(withDurability(single, "replicated").tempo.mode, "distributed");
    });

    it("refuses single-node for a load one monolith cannot carry, naming traceDurability", () => {
        const heavy = { ...settingsOf("dev"), systems: settingsOf("dev").systems.map((s) => ({ ...s, spansPerSecond: s.spansPerSecond * 1000 })) };
        const error = refusal(heavy);
        assert.ok(error.problems.some((p) => p.key === "tracing-platform:traceDurability" && /replicated at this load/.test(p.allowed) && /25 MB\/s/.test(p.allowed)));
        assert.ok(planCapacity(withDurability(heavy, "replicated")).tempo.distributed, "replicated carries it");
    });

    it("holds the trace backend to half of Grafana Cloud and a fifth of the cheaper X-Ray path (replicated), a fifth of Grafana Cloud (single-node)", () => {
        const prod = settingsOf("prod");
        const { comparison } = planCosts(prod, planCapacity(prod));
        const replicated = backendTargets("replicated", comparison);
        assert.deepEqual(replicated.map((t) => t.limitUsd), [comparison.hostedPerGb.usdPerMonth / 2, cheaperXray(comparison).usdPerMonth / 5]);
        const single = backendTargets("single-node", comparison);
        assert.deepEqual(single.map((t) => t.limitUsd), [comparison.hostedPerGb.usdPerMonth / 5]);
        for (const t of [...replicated, ...single]) assert.equal(t.met, t.actualUsd <= t.limitUsd + 1e-9);
        assert.equal(cheaperXray({ ...comparison, xray: { ...comparison.xray, usdPerMonth: 1 } }).label, comparison.xray.label);
    });

    it("prices X-Ray both ways: per trace recorded, and per GB of spans through Transaction Search", () => {
        const prod = settingsOf("prod");
        const { comparison } = planCosts(prod, planCapacity(prod));
        const spans = comparison.xrayTransactionSearch.lines.find((l) => l.id === "xray-search-spans")!;
        assert.ok(Math.abs(spans.quantity - comparison.load.storedGbPerMonth) < 1e-9, "the same GB Grafana Cloud is billed on");
        assert.ok(Math.abs(spans.usdPerMonth - spans.quantity * 0.35) < 1e-6, "first 10 TB at $0.35/GB");
        assert.ok(comparison.xrayTransactionSearch.usdPerMonth < comparison.xray.usdPerMonth, "at this load the OTLP path is the cheaper one");
    });

    it("meets the seed-load targets the issue sets for prod: platform under $700, replicated under half of Grafana Cloud, single-node under a fifth", () => {
        const prod = settingsOf("prod");
        const [replicated, single] = priceDurabilities(prod);
        assert.ok(replicated.costs!.totalUsdPerMonth < prodPlatformBudgetUsd, `prod total ${replicated.costs!.totalUsdPerMonth}`);
        const hosted = replicated.costs!.comparison.hostedPerGb.usdPerMonth;
        assert.ok(replicated.costs!.subtotals.traceBackend <= hosted / 2, "replicated backend at most half of Grafana Cloud Traces");
        assert.ok(single.costs!.subtotals.traceBackend <= hosted / 5, "single-node backend at most a fifth of Grafana Cloud Traces");
    });

    it("lists every log that meets replicated with its price, the deployed MSK brokers being the plan's", () => {
        const prod = settingsOf("prod");
        const plan = planCapacity(prod);
        const options = kafkaLogOptions(prod, plan);
        assert.deepEqual(options.map((o) => o.id).sort(), ["in-cluster", "msk-provisioned", "msk-serverless"]);
        for (let i = 1; i < options.length; i++) assert.ok(options[i - 1].usdPerMonth <= options[i].usdPerMonth, "cheapest first");
        const deployed = options.filter((o) => o.deployed);
        assert.deepEqual(deployed.map((o) => o.id), ["msk-provisioned"]);
        assert.match(deployed[0].sizing, new RegExp(`^${plan.tempo.distributed!.msk.brokerCount} x ${plan.tempo.distributed!.msk.instanceType.replaceAll(".", "\\.")}`));
        assert.ok(options.every((o) => o.meetsReplicated));
        assert.equal(options.find((o) => o.id === "msk-serverless")!.compatible, false, "8 MiB messages cannot take Tempo's 16 MB batches");
        const inCluster = options.find((o) => o.id === "in-cluster")!;
        const replication = inCluster.lines.find((l) => l.id === "kafka-in-cluster-replication")!;
        assert.ok(replication.usdPerMonth > 0 && replication.prices.includes("ec2CrossZoneTransferGb"), "in-cluster pays for replication between zones");
        // A monolith stack is shown what replicated would take too.
        assert.equal(kafkaLogOptions(settingsOf("dev"), planCapacity(settingsOf("dev"))).length, 3);
    });

    it("bills the VPN associations the stack chooses and says what availability they give", () => {
        for (const stack of shippedStacks) {
            const settings = settingsOf(stack);
            const line = planCosts(settings, planCapacity(settings)).lines.find((l) => l.id === "vpn-associations")!;
            assert.equal(line.quantity, settings.network.vpnSubnetAssociations * hoursPerMonth);
            assert.ok(Math.abs(line.usdPerMonth - line.quantity * prices.clientVpnAssociationHour.value) < 1e-9);
        }
        const three = settingsOf("prod", { "tracing-platform:vpnSubnetAssociations": 3 });
        const one = settingsOf("prod", { "tracing-platform:vpnSubnetAssociations": 1 });
        const usd = (s: Settings) => planCosts(s, planCapacity(s)).totalUsdPerMonth;
        assert.ok(Math.abs(usd(three) - usd(one) - 2 * hoursPerMonth * prices.clientVpnAssociationHour.value) < 1e-6);
        assert.match(vpnAvailability(1), /only while its one zone is up/);
        assert.match(vpnAvailability(2), /through the loss of any one of its 2 zones/);
    });
});
