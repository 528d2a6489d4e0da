import { strict as assert } from "assert";
import * as yaml from "yaml";
import {
    datasourceTypes,
    datasourceUids,
    grafanaDatasources,
    renderDatasources,
    tempoQueryHost,
    type DatasourceProvisioning,
} from "../../components/grafana/datasources";
import { grafanaPaths } from "../../components/grafana/ini";
import { spanMetricLabels, spanMetricNames, spanMetricsFlushSeconds } from "../../components/platform/span-metrics";
import { ports, serviceDnsNames } from "../../components/platform/names";
import { parsePromQL } from "./query-languages";

const endpoint = "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123abcd-1111-2222-3333-444455556666/";
const rendered = () => yaml.parse(renderDatasources(grafanaDatasources({ prometheusEndpoint: endpoint, region: "eu-west-1" }))) as DatasourceProvisioning;
const byUid = (uid: string) => rendered().datasources.find((d) => d.uid === uid)!;

/** What Grafana's provisioning does to a string: `$$` is a literal `$`, `$NAME` an environment variable. */
function grafanaInterpolate(value: string, env: Record<string, string> = {}): string {
    return value
        .split("$$")
        .map((part) => part.replace(/\$(\w+)|\$\{(\w+)\}/g, (_m, a, b) => env[a ?? b] ?? ""))
        .join("$");
}

describe("data source provisioning", () => {
    it("provisions exactly the two data sources under their stable uids, read-only, pruning strays", () => {
        const provisioning = rendered();
        assert.equal(provisioning.apiVersion, 1);
        assert.equal(provisioning.prune, true);
        assert.deepEqual(provisioning.datasources.map((d) => d.uid).sort(), Object.values(datasourceUids).sort());
        for (const ds of provisioning.datasources) {
            assert.equal(ds.editable, false, ds.name);
            assert.equal(ds.access, "proxy", ds.name);
            assert.ok(ds.url.startsWith("https://"), `${ds.name} is not HTTPS`);
        }
    });

    it("Tempo: mutual TLS with the platform CA, server name checked, certificates read from the mounted Secrets", () => {
        const tempo = byUid(datasourceUids.tempo);
        assert.equal(tempo.type, datasourceTypes.tempo);
        assert.equal(tempo.url, `https://${tempoQueryHost()}:${ports.tempoHttp}`);
        assert.ok(serviceDnsNames("tempoQuery").includes(tempo.jsonData.serverName as string));
        assert.equal(tempo.jsonData.tlsAuth, true);
        assert.equal(tempo.jsonData.tlsAuthWithCACert, true);
        assert.equal(tempo.jsonData.tlsSkipVerify, false);
        assert.deepEqual(tempo.secureJsonData, {
            tlsCACert: `$__file{${grafanaPaths.caBundle}/ca.crt}`,
            tlsClientCert: `$__file{${grafanaPaths.clientTls}/tls.crt}`,
            tlsClientKey: `$__file{${grafanaPaths.clientTls}/tls.key}`,
        });
    });

    it("Tempo: service map, node graph and traces-to-metrics point at the provisioned metrics data source", () => {
        const tempo = byUid(datasourceUids.tempo);
        const provisioned = new Set(rendered().datasources.map((d) => d.uid));
        const serviceMap = tempo.jsonData.serviceMap as { datasourceUid: string };
        const tracesToMetrics = tempo.jsonData.tracesToMetrics as { datasourceUid: string; tags: { key: string; value: string }[]; queries: { query: string }[] };
        assert.ok(provisioned.has(serviceMap.datasourceUid));
        assert.ok(provisioned.has(tracesToMetrics.datasourceUid));
        assert.deepEqual(tempo.jsonData.nodeGraph, { enabled: true });
        assert.deepEqual(tracesToMetrics.tags, [{ key: "service.name", value: spanMetricLabels.service }]);
        assert.ok(tracesToMetrics.queries.length >= 3);
        for (const { query } of tracesToMetrics.queries) {
            // After provisioning's interpolation the $__tags placeholder must survive for Grafana to fill per span.
            const interpolated = grafanaInterpolate(query);
            assert.ok(interpolated.includes("{$__tags"), `provisioning would expand $__tags away: ${query}`);
            const promql = parsePromQL(interpolated.replaceAll("$__tags", `${spanMetricLabels.service}="checkout"`));
            for (const metric of promql.metricNames) assert.ok(Object.values(spanMetricNames).includes(metric as never), metric);
        }
    });

    it("metrics workspace: SigV4 with the workload identity's default chain, no stored keys, no exemplar link (the workspace stores none)", () => {
        const metrics = byUid(datasourceUids.metrics);
        assert.equal(metrics.type, datasourceTypes.metrics);
        assert.equal(metrics.url, endpoint.replace(/\/$/, ""));
        assert.equal(metrics.jsonData.sigV4Auth, true);
        assert.equal(metrics.jsonData.sigV4AuthType, "default");
        assert.equal(metrics.jsonData.sigV4Region, "eu-west-1");
        assert.equal(metrics.jsonData.sigv4Service, "aps");
        assert.equal(metrics.secureJsonData, undefined, "no access keys are provisioned");
        // Amazon Managed Prometheus drops exemplars: a destination would promise links that never appear.
        assert.equal(metrics.jsonData.exemplarTraceIdDestinations, undefined);
        assert.equal(metrics.jsonData.timeInterval, `${spanMetricsFlushSeconds}s`, "no query step finer than the span metrics' flush");
        assert.equal(metrics.isDefault, true);
    });

    it("the only `$` left after Grafana's interpolation are the file expanders and Grafana's own macros", () => {
        const text = renderDatasources(grafanaDatasources({ prometheusEndpoint: endpoint, region: "eu-west-1" }));
        const interpolated = grafanaInterpolate(text.replaceAll(/\$__file\{[^}]+\}/g, "FILE"));
        const dollars = interpolated.match(/\$\w+/g) ?? [];
        assert.deepEqual([...new Set(dollars)], ["$__tags"]);
    });
});
