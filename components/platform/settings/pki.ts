/** Lifetimes of the private CA and the certificates it issues; each must fit inside the one above it. */
import type { Reader } from "./reader";
import type { Settings } from "./types";

export function readPki(r: Reader): Settings["pki"] {
    const caValidityHours = r.integer("caValidityHours", 8760, 87600, "hours");
    const certValidityHours = r.integer("certValidityHours", 168, 8760, "hours");
    const earlyRenewalHours = r.integer("certEarlyRenewalHours", 24, 4380, "hours");
    if (earlyRenewalHours >= certValidityHours) {
        r.problem("certEarlyRenewalHours", earlyRenewalHours, `fewer hours than certValidityHours (${certValidityHours})`);
    }
    if (certValidityHours >= caValidityHours) {
        r.problem("certValidityHours", certValidityHours, `fewer hours than caValidityHours (${caValidityHours})`);
    }
    return { caValidityHours, certValidityHours, earlyRenewalHours };
}
