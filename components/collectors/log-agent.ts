import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CollectorTierArgs, TrustBundleArgs } from "./base-args";
import { renderCollectorConfig } from "./config";
import { collectorDestinations } from "./destinations";
import { buildLogAgentConfig } from "./log-agent-config";
import { collectorAccountAndConfig, collectorPodSpec, nodeCollectorSpec, podLogReader, podTemplateAnnotations, selectorLabels } from "./pod";
import { standardLabels, tlsSecrets, workloads } from "../platform/names";
import type { Destination } from "../platform/destinations";

export interface CollectorLogAgentArgs extends CollectorTierArgs, TrustBundleArgs {}

const workload = workloads.logAgent;

/**
 * The node log shipper: a DaemonSet in a namespace of its own reading the platform's container
 * logs from each node's /var/log/pods (read-only hostPath, group root) and pushing them to the
 * gateways over mutual TLS. Pod Security Admission refuses any hostPath from baseline up, so its
 * namespace enforces privileged; it therefore holds this DaemonSet alone, with nothing a pod
 * created there by hand could borrow: its own client certificate, no AWS role, no API token.
 */
export class CollectorLogAgent extends pulumi.ComponentResource {
    /** The rendered collector config (YAML), as the ConfigMap holds it. */
    public readonly renderedConfig: string;
    /** Every host and port that config dials (the log agents' NetworkPolicy egress is derived from it). */
    public readonly destinations: Destination[];
    public readonly daemonSet: k8s.apps.v1.DaemonSet;

    constructor(name: string, args: CollectorLogAgentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:collectors:CollectorLogAgent", name, args, opts);
        const { settings, plan } = args;
        const namespace = workload.namespace;
        const labels = standardLabels(workload.name, settings.environment, "log-agent");
        const selector = selectorLabels(workload.name);
        const parent = { parent: this };

        const config = buildLogAgentConfig({ image: settings.images.collector });
        this.renderedConfig = renderCollectorConfig(config);
        this.destinations = collectorDestinations(config);

        // No RBAC and no token: the config calls no Kubernetes API (log-agent-config.ts).
        const objects = collectorAccountAndConfig(workload, labels, this.renderedConfig);
        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-service-account`, objects.serviceAccount, parent);
        const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, objects.configMap, parent);

        // The narrow host access the policy pack admits for this DaemonSet alone.
        const logReader = podLogReader();
        const podSpec = collectorPodSpec({
            workload: workload.name,
            image: settings.images.collector.reference,
            resources: plan.logAgent.resources,
            configMapName: configMap.metadata.name,
            clientTlsSecret: tlsSecrets.logAgentClient.name,
            serviceAccountName: workload.serviceAccount,
            automountServiceAccountToken: false,
            env: [],
            extraMounts: logReader.mounts,
            extraVolumes: logReader.volumes,
            supplementalGroups: logReader.supplementalGroups,
        });

        this.daemonSet = new k8s.apps.v1.DaemonSet(
            `${name}-daemonset`,
            {
                metadata: { name: workload.name, namespace, labels },
                spec: nodeCollectorSpec({ labels, selector, annotations: podTemplateAnnotations(this.renderedConfig, args.tlsHash), podSpec }),
            },
            { parent: this, dependsOn: [serviceAccount] },
        );
        this.registerOutputs({});
    }
}
