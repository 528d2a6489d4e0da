/** Shared inputs for the collector tests: a stack's settings, plan and every rendered collector config. */
import * as yaml from "yaml";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { planCapacity, type CapacityPlan } from "../../components/capacity/plan";
import { buildAgentConfig } from "../../components/collectors/agent-config";
import { renderCollectorConfig } from "../../components/collectors/config";
import type { CollectorConfig } from "../../components/collectors/config-types";
import { buildGatewayConfig, gatewayConfigInput, type GatewayConfigInput } from "../../components/collectors/gateway-config";
import { buildLogAgentConfig } from "../../components/collectors/log-agent-config";
import { stackConfig } from "../harness/stack-config";

export function stackSettings(stack: string, overrides: Record<string, unknown> = {}): Settings {
    return parseSettings(stackConfig(stack, overrides), stack);
}

export function gatewayInput(settings: Settings, plan: CapacityPlan = planCapacity(settings)): GatewayConfigInput {
    return gatewayConfigInput(settings, plan, settings.aws.region);
}

export interface FleetConfigs {
    readonly settings: Settings;
    readonly plan: CapacityPlan;
    /** Parsed back from the rendered YAML, i.e. what the collector reads. */
    readonly agent: CollectorConfig;
    readonly logAgent: CollectorConfig;
    readonly gateway: CollectorConfig;
    readonly agentYaml: string;
    readonly logAgentYaml: string;
    readonly gatewayYaml: string;
}

export function fleetConfigs(stack: string, overrides: Record<string, unknown> = {}): FleetConfigs {
    const settings = stackSettings(stack, overrides);
    const plan = planCapacity(settings);
    const agentYaml = renderCollectorConfig(
        buildAgentConfig({ image: settings.images.collector, dropClientAddress: settings.collectors.dropClientAddress }),
    );
    const logAgentYaml = renderCollectorConfig(buildLogAgentConfig({ image: settings.images.collector }));
    const gatewayYaml = renderCollectorConfig(buildGatewayConfig(gatewayInput(settings, plan)));
    return {
        settings,
        plan,
        agent: yaml.parse(agentYaml),
        logAgent: yaml.parse(logAgentYaml),
        gateway: yaml.parse(gatewayYaml),
        agentYaml,
        logAgentYaml,
        gatewayYaml,
    };
}

/** Every (path, value) in a parsed document, for whole-config assertions. */
export function* walk(value: unknown, path = ""): Generator<[string, unknown]> {
    yield [path, value];
    if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) yield* walk(v, `${path}[${i}]`);
    } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) yield* walk(v, path ? `${path}.${k}` : k);
    }
}
