/** Collectors: node-local agents, node log shippers and tail-sampling gateways. */
export { CollectorAgent, type CollectorAgentArgs } from "./agent";
export { CollectorFleet, type CollectorFleetArgs } from "./fleet";
export { CollectorGateway, type CollectorGatewayArgs } from "./gateway";
export { CollectorLogAgent, type CollectorLogAgentArgs } from "./log-agent";
