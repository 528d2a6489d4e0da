/** Where Grafana is reached, its storage, and who its alerts go to. */
import type { Reader } from "./reader";
import type { Settings } from "./types";

const dnsLabel = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
const dnsNamePattern = new RegExp(`^${dnsLabel}(\\.${dnsLabel})+$`);
const emailPattern = /^[^\s@]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

export function readGrafana(r: Reader): Settings["grafana"] {
    const hostname = r.string("grafanaHostname", "a DNS name such as grafana.tracing.dev.example.internal");
    if (hostname && !dnsNamePattern.test(hostname)) r.problem("grafanaHostname", hostname, "a lowercase DNS name");
    const volumeGb = r.integer("grafanaVolumeGb", 1, 1000, "GiB");
    const alertEmail = r.string("alertEmail", "a team mailbox for alert notifications");
    if (alertEmail && !emailPattern.test(alertEmail)) r.problem("alertEmail", alertEmail, "an e-mail address (a team mailbox)");
    return { hostname, volumeGb, alertEmail };
}
