/** Gateway scaling and persistent queue, and whether agents drop client addresses (PII). */
import type { Reader } from "./reader";
import type { Settings } from "./types";

export function readCollectors(r: Reader, isProduction: boolean): Settings["collectors"] {
    const gatewayMinReplicas = r.integer("gatewayMinReplicas", 1, 100);
    const gatewayMaxReplicas = r.integer("gatewayMaxReplicas", 1, 200);
    if (isProduction && gatewayMinReplicas < 2) r.problem("gatewayMinReplicas", gatewayMinReplicas, "at least 2 in prod");
    if (gatewayMaxReplicas < gatewayMinReplicas) {
        r.problem("gatewayMaxReplicas", gatewayMaxReplicas, `at least gatewayMinReplicas (${gatewayMinReplicas})`);
    }
    const gatewayQueueVolumeGb = r.integer("gatewayQueueVolumeGb", 1, 1000, "GiB");
    const dropClientAddress = r.boolean("piiDropClientAddress");
    return { gatewayMinReplicas, gatewayMaxReplicas, gatewayQueueVolumeGb, dropClientAddress };
}
