/**
 * The capacity report's decision sections: durability priced both ways, the Kafka-compatible logs
 * that meet replicated durability, the trace backend against Grafana Cloud and X-Ray with its
 * targets, span metrics per system, and the fixed costs each environment chooses.
 */
import type { Settings } from "../platform/settings";
import { spanMetricsFlushSeconds } from "../platform/span-metrics";
import type { CostEstimate } from "./costs";
import { backendTargets, priceDurabilities, prodPlatformBudgetUsd } from "./durability";
import { kafkaLogOptions } from "./kafka-options";
import { amount, number, percent, plural, table, usd } from "./markdown";
import type { CapacityPlan } from "./plan";
import { mskBrokerHour, prices } from "./prices";
import { mskBrokerClasses } from "./kafka-log";
import { spanMetricsBySystem } from "./span-metric-series";
import { costAssumptions } from "./cost-assumptions";

export function durabilitySection(settings: Settings): string[] {
    const priced = priceDurabilities(settings);
    const [own, other] = priced;
    const delta = own.costs && other.costs ? own.costs.subtotals.traceBackend - other.costs.subtotals.traceBackend : undefined;
    const difference =
        delta === undefined
            ? `Only \`${own.costs ? own.durability : other.durability}\` carries this load.`
            : `\`${own.durability}\` ${delta >= 0 ? "costs" : "saves"} ${usd(Math.abs(delta))} a month for the trace backend against \`${other.durability}\` at this load.`;
    return [
        "Trace durability (`traceDurability`), both settings at this load:",
        "",
        ...table(
            ["Setting", "Tempo", "Trace backend USD/month", "Platform USD/month", "What a single failure costs"],
            ["left", "left", "right", "right", "left"],
            priced.map((p) => [
                `\`${p.durability}\`${p.durability === settings.tempo.durability ? " (this stack)" : ""}`,
                p.plan ? p.plan.tempo.mode : "—",
                p.costs ? usd(p.costs.subtotals.traceBackend) : `does not fit: ${p.problem}`,
                p.costs ? usd(p.costs.totalUsdPerMonth) : "—",
                p.guarantee,
            ]),
        ),
        "",
        difference,
    ];
}

export function kafkaSection(settings: Settings, plan: CapacityPlan): string[] {
    const options = kafkaLogOptions(settings, plan);
    const meeting = options.filter((o) => o.meetsReplicated && o.compatible);
    const cheapest = meeting[0];
    const deployed = options.find((o) => o.deployed);
    const log = plan.tempo.distributed?.log;
    const verdict = [
        cheapest ? `Cheapest log that meets \`replicated\` at this load: ${cheapest.label} (${usd(cheapest.usdPerMonth)}).` : "No priced log meets `replicated` at this load.",
        deployed && cheapest && deployed !== cheapest
            ? `The program deploys ${deployed.label} (${usd(deployed.usdPerMonth)}); ${cheapest.label} would save ${usd(deployed.usdPerMonth - cheapest.usdPerMonth)} a month once the program runs it.`
            : deployed
              ? `The program deploys it.`
              : "",
    ].filter((line) => line.length > 0);
    const msk = plan.tempo.distributed?.msk;
    const sources = [
        ...(msk ? [`${msk.instanceType}: ${mskBrokerClasses[msk.instanceType].source}; ${mskBrokerHour[msk.instanceType].source}`] : []),
        ...[...new Set(options.flatMap((o) => o.lines.flatMap((l) => l.prices)))]
            .filter((key): key is keyof typeof prices => key in prices)
            .map((key) => `${key}: ${prices[key].source}`),
    ];
    return [
        `Kafka-compatible log for \`replicated\` durability${log ? ` (${plural(log.partitions, "partition")}, ${number(log.averageBytesPerSecond / 1e6, 2)} MB/s written on average after snappy)` : ""}:`,
        "",
        ...table(
            ["Log", "Sizing", "Meets replicated", "Usable by Tempo", "USD/month", "Why"],
            ["left", "left", "left", "left", "right", "left"],
            options.map((o) => [o.label + (o.deployed ? " (deployed)" : ""), o.sizing, o.meetsReplicated ? "yes" : "no", o.compatible ? "yes" : "no", usd(o.usdPerMonth), o.note]),
        ),
        "",
        ...verdict,
        "",
        "Sources:",
        "",
        ...sources.map((source) => `- ${source}`),
    ];
}

export function comparisonSection(settings: Settings, costs: CostEstimate): string[] {
    const { load, selfHostedUsdPerMonth, xray, xrayTransactionSearch, hostedPerGb } = costs.comparison;
    const detail = (lines: CostEstimate["lines"]) => lines.map((l) => `${l.label} ${usd(l.usdPerMonth)}`).join("; ");
    const targets = backendTargets(settings.tempo.durability, costs.comparison);
    const platform = settings.isProduction
        ? [`- whole platform at most ${usd(prodPlatformBudgetUsd)} a month: ${usd(costs.totalUsdPerMonth)}, ${costs.totalUsdPerMonth <= prodPlatformBudgetUsd ? "met" : "missed"}`]
        : [];
    return [
        `Same stored load on another backend: ${number(load.storedTracesPerMonth)} traces and ${number(load.storedGbPerMonth, 2)} GB ` +
            `(uncompressed) a month, ${load.retentionDays} days retained; collectors, span metrics, VPN and audit unchanged.`,
        "",
        ...table(
            ["Trace backend", "USD per month", "Note"],
            ["left", "right", "left"],
            [
                [`This platform (Tempo on S3, \`${settings.tempo.durability}\`)`, usd(selfHostedUsdPerMonth), `subtotal "Trace backend" above`],
                ...[hostedPerGb, xray, xrayTransactionSearch].map((alt) => [alt.label, usd(alt.usdPerMonth), `${detail(alt.lines)}; ${alt.note}`]),
            ],
        ),
        "",
        `Targets for \`${settings.tempo.durability}\` at this load:`,
        "",
        ...targets.map((t) => `- trace backend ${t.label}: ${usd(t.actualUsd)} against ${usd(t.limitUsd)}, ${t.met ? "met" : "missed"}`),
        ...platform,
    ];
}

export function spanMetricsSection(settings: Settings, plan: CapacityPlan): string[] {
    const rows = spanMetricsBySystem(settings, plan.gateway.replicas);
    const series = rows.reduce((sum, r) => sum + r.series, 0);
    const samples = rows.reduce((sum, r) => sum + r.samplesPerMonth, 0);
    return [
        `Span metrics per system: RED metrics per operation and status plus service-graph edges, once per gateway (${plan.gateway.replicas}), ` +
            `one sample per series every ${spanMetricsFlushSeconds} s (a 5-minute alert window covers ${300 / spanMetricsFlushSeconds} flushes):`,
        "",
        ...table(
            ["System", "Series", "Samples per month", "Share"],
            ["left", "right", "right", "right"],
            [...rows.map((r) => [r.id, number(r.series), number(r.samplesPerMonth), percent(r.series / series)]), ["**All systems**", `**${number(series)}**`, `**${number(samples)}**`, "100.0%"]],
        ),
    ];
}

/** What one associated zone gives and takes. */
export function vpnAvailability(associations: number): string {
    if (associations === 1) return "VPN access only while its one zone is up; traces are collected and stored regardless";
    return `VPN access through the loss of any one of its ${associations} zones`;
}

export function fixedCostsSection(settings: Settings, plan: CapacityPlan): string[] {
    const hours = costAssumptions.hoursPerMonth.value;
    const vpn = settings.network.vpnSubnetAssociations;
    return [
        "Fixed costs this environment chooses, and the availability each gives:",
        "",
        ...table(
            ["Setting", "This stack", "USD per month", "Availability"],
            ["left", "left", "right", "left"],
            [
                ["`vpnSubnetAssociations`", String(vpn), usd(vpn * hours * prices.clientVpnAssociationHour.value), vpnAvailability(vpn)],
                [
                    "`gatewayMinReplicas`",
                    String(settings.collectors.gatewayMinReplicas),
                    "in Collection above",
                    `${plan.gateway.replicas} gateways planned; ingest and tail sampling continue with one of them lost`,
                ],
                ["`traceDurability`", `\`${settings.tempo.durability}\``, "in Trace backend above", `${plan.tempo.mode} Tempo; see the durability table`],
                ["`grafanaVolumeGb`", `${settings.grafana.volumeGb} GiB`, usd(settings.grafana.volumeGb * prices.ebsGp3GbMonth.value), "one Grafana pod on a zonal volume: dashboards are down while its zone is"],
            ],
        ),
        "",
        `Not priced: traffic between zones inside the cluster and to the MSK brokers (${usd(prices.ec2CrossZoneTransferGb.value)} per GB), the same for every option above; ` +
            `${amount(plan.load.ingestBytesPerSecond / 1e6)} MB/s reaches the gateways and ${amount(plan.load.storedBytesPerSecond / 1e6)} MB/s leaves them for Tempo.`,
    ];
}
