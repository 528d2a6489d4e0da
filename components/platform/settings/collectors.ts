/** Gateway scaling and persistent queue, whether agents drop client addresses (PII), and who sends from outside. */
import type { Reader } from "./reader";
import type { Settings } from "./types";

export function readCollectors(r: Reader, isProduction: boolean): Settings["collectors"] {
    const gatewayMinReplicas = r.integer("gatewayMinReplicas", 1, 100);
    const gatewayMaxReplicas = r.integer("gatewayMaxReplicas", 1, 200);
    if (isProduction && gatewayMinReplicas < 2) r.problem("gatewayMinReplicas", gatewayMinReplicas, "at least 2 in prod");
    if (gatewayMaxReplicas < gatewayMinReplicas) {
        r.problem("gatewayMaxReplicas", gatewayMaxReplicas, `at least gatewayMinReplicas (${gatewayMinReplicas})`);
    }
    const gatewayQueueVolumeGb = r.optionalInteger("gatewayQueueVolumeGb", 1, 1000, "GiB");
    const dropClientAddress = r.boolean("piiDropClientAddress");
    return {
        gatewayMinReplicas,
        gatewayMaxReplicas,
        ...(gatewayQueueVolumeGb === undefined ? {} : { gatewayQueueVolumeGb }),
        dropClientAddress,
        externalSenders: readExternalSenders(r),
    };
}

/** Each name becomes part of a certificate subject and a resource name: a short DNS label, once. */
const senderNamePattern = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

function readExternalSenders(r: Reader): string[] {
    const senders = r.stringArray("externalSenders", "sender names");
    const seen = new Set<string>();
    for (const sender of senders) {
        if (!senderNamePattern.test(sender)) r.problem("externalSenders", sender, "lowercase DNS labels of 2 to 32 characters (a-z, 0-9, -)");
        else if (seen.has(sender)) r.problem("externalSenders", sender, "each sender name once");
        seen.add(sender);
    }
    return senders;
}
