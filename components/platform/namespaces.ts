import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { namespaces, partOf, podSecurityEnforcement, type PlatformNamespace } from "./names";

export interface PlatformNamespacesArgs {
    /** Environment name, written as a label on every namespace. */
    readonly environment: string;
}

/**
 * The namespaces the platform owns, each enforcing the restricted Pod Security Standard so that no
 * workload in them can run privileged, as root or with extra capabilities; the node log shipper's
 * namespace, which holds nothing else, audits and warns at restricted but enforces privileged, for
 * its read-only pod log mount (names.ts, podSecurityEnforcement).
 */
export class PlatformNamespaces extends pulumi.ComponentResource {
    public readonly namespaces: Readonly<Record<PlatformNamespace, k8s.core.v1.Namespace>>;

    constructor(name: string, args: PlatformNamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:kubernetes:PlatformNamespaces", name, args, opts);
        const created = {} as Record<PlatformNamespace, k8s.core.v1.Namespace>;
        for (const [key, namespace] of Object.entries(namespaces) as [PlatformNamespace, string][]) {
            created[key] = new k8s.core.v1.Namespace(
                `${name}-${key}`,
                {
                    metadata: {
                        name: namespace,
                        labels: {
                            "app.kubernetes.io/part-of": partOf,
                            "app.kubernetes.io/managed-by": "pulumi",
                            environment: args.environment,
                            "pod-security.kubernetes.io/enforce": podSecurityEnforcement[key],
                            "pod-security.kubernetes.io/enforce-version": "latest",
                            "pod-security.kubernetes.io/audit": "restricted",
                            "pod-security.kubernetes.io/warn": "restricted",
                        },
                    },
                },
                { parent: this },
            );
        }
        this.namespaces = created;
        this.registerOutputs({});
    }
}
