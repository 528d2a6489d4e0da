/** Collectors: node-local agents and tail-sampling gateways. */
export { CollectorAgent, type CollectorAgentArgs } from "./agent";
export { CollectorFleet, type CollectorFleetArgs } from "./fleet";
export { CollectorGateway, type CollectorGatewayArgs } from "./gateway";
