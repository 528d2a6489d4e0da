/**
 * How the node-local collectors reach the gateways: a load_balancing exporter whose OTLP/gRPC
 * client presents the sender's client certificate (the gateways' receiver demands one of the
 * platform CA), routed by trace id or by resource so related data meets in one gateway.
 *
 * Two ways to find the gateway pods, by what the sender may hold:
 *  - `k8s` (the trace agents, which call the API anyway): the headless Service's EndpointSlices,
 *    dialled by pod hostname (`return_hostnames`), so the ring follows the StatefulSet's stable
 *    names and TLS verifies each pod's own SAN (pki/plan.ts, gatewayPodDnsNames);
 *  - `dns` (the log agents, which get no API token): the headless Service's name, which answers
 *    with the ready gateway pods' addresses. The exporter dials addresses, so TLS verifies the
 *    Service's name instead (`server_name_override`), a SAN of the gateways' certificate; a
 *    restarted gateway's new address moves its share of the ring, which for logs routed by
 *    resource only means a container's stream may change writer.
 */
import { ports, serviceDnsNames, services } from "../platform/names";
import { mutualClientTls } from "./config";
import type { LoadBalancingExporterConfig, LoadBalancingResolver } from "./config-types";

export type GatewayDiscovery = "k8s" | "dns";

/** The headless Service's fully qualified name: what the dns resolver looks up and TLS verifies. */
const headlessName = serviceDnsNames("gatewayHeadless").at(-1)!;

function resolver(discovery: GatewayDiscovery): LoadBalancingResolver {
    const gateway = services.gatewayHeadless;
    if (discovery === "dns") return { dns: { hostname: headlessName, port: String(ports.otlpGrpc), interval: "5s", timeout: "1s" } };
    // EndpointSlices of the headless Service (RBAC in the agent component), so scaling is seen at once.
    return { k8s: { service: `${gateway.name}.${gateway.namespace}`, ports: [ports.otlpGrpc], timeout: "1s", return_hostnames: true } };
}

/** Exporter-level queue and retry: a failed batch is re-routed to a live gateway, not retried against a departed one. */
export function loadBalancingToGateways(routingKey: LoadBalancingExporterConfig["routing_key"], discovery: GatewayDiscovery): LoadBalancingExporterConfig {
    return {
        routing_key: routingKey,
        protocol: {
            otlp: {
                tls: mutualClientTls(discovery === "dns" ? headlessName : undefined),
                compression: "gzip",
                timeout: "10s",
                sending_queue: { enabled: false },
                retry_on_failure: { enabled: false },
            },
        },
        resolver: resolver(discovery),
        timeout: "10s",
        sending_queue: { enabled: true, queue_size: 1000, num_consumers: 10 },
        retry_on_failure: { enabled: true, initial_interval: "1s", max_interval: "30s", max_elapsed_time: "300s" },
    };
}
