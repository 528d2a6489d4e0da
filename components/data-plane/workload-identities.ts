import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { eksClusterArn, logGroupArn } from "../platform/iam-policy";
import type { PolicyDocument } from "../platform/iam-policy";
import {
    gatewayPermissionPolicy,
    grafanaPermissionPolicy,
    podIdentityTrustPolicy,
    tempoPermissionPolicy,
} from "./workload-policies";
import { workloads, type AwsWorkloadKey } from "../platform/names";
import type { EnvironmentArgs } from "./base-args";

/** The workloads that get an AWS identity, in a fixed order. */
export const awsWorkloads: readonly AwsWorkloadKey[] = ["tempo", "gateway", "grafana"];

export interface WorkloadIdentitiesArgs extends EnvironmentArgs {
    /** Name of the environment's EKS cluster the associations are made in. */
    readonly clusterName: string;
    /** ARN of the trace key Tempo encrypts blocks with. */
    readonly traceKeyArn: pulumi.Input<string>;
    /** ARN of the span metrics workspace. */
    readonly metricsWorkspaceArn: pulumi.Input<string>;
    /** ARN of the alert topic Grafana publishes to. */
    readonly alertTopicArn: pulumi.Input<string>;
    /** ARN of the key the alert topic is encrypted with (the audit key). */
    readonly alertTopicKeyArn: pulumi.Input<string>;
}

/**
 * One IAM role per AWS-facing workload (Tempo, collector gateway, Grafana), bound with an EKS Pod
 * Identity association to that workload's service account and namespace (from names.ts). Each
 * role's trust admits only that service account on the environment's cluster; each role's inline
 * policy allows only what that workload does.
 */
export class WorkloadIdentities extends pulumi.ComponentResource {
    /** The roles, so other components (e.g. Tempo's Kafka access) can attach their own grants. */
    public readonly roles: Readonly<Record<AwsWorkloadKey, aws.iam.Role>>;
    public readonly roleArns: Readonly<Record<AwsWorkloadKey, pulumi.Output<string>>>;
    public readonly roleNames: Readonly<Record<AwsWorkloadKey, pulumi.Output<string>>>;
    /**
     * The Pod Identity associations: a workload must depend on its own, because EKS injects the
     * credentials at pod admission and a pod admitted before its association runs without them.
     */
    public readonly associations: Readonly<Record<AwsWorkloadKey, aws.eks.PodIdentityAssociation>>;

    constructor(name: string, args: WorkloadIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:WorkloadIdentities", name, args, opts);
        const clusterArn = eksClusterArn(args.region, args.accountId, args.clusterName);
        const roles = {} as Record<AwsWorkloadKey, aws.iam.Role>;
        const associations = {} as Record<AwsWorkloadKey, aws.eks.PodIdentityAssociation>;
        // Each policy depends only on the resource it grants, so the graph shows exactly who may touch what.
        const permissions: Record<AwsWorkloadKey, pulumi.Output<PolicyDocument>> = {
            tempo: pulumi
                .output(args.traceKeyArn)
                .apply((traceKeyArn) => tempoPermissionPolicy({ traceBucketName: args.names.traceBucket, traceKeyArn })),
            gateway: pulumi.output(args.metricsWorkspaceArn).apply((metricsWorkspaceArn) =>
                gatewayPermissionPolicy({ metricsWorkspaceArn, workloadLogGroupArn: logGroupArn(args.region, args.accountId, args.names.workloadLogGroup) }),
            ),
            grafana: pulumi
                .all([args.metricsWorkspaceArn, args.alertTopicArn, args.alertTopicKeyArn])
                .apply(([metricsWorkspaceArn, alertTopicArn, alertTopicKeyArn]) =>
                    grafanaPermissionPolicy({ region: args.region, metricsWorkspaceArn, alertTopicArn, alertTopicKeyArn }),
                ),
        };

        for (const key of awsWorkloads) {
            const { namespace, serviceAccount } = workloads[key];
            const role = new aws.iam.Role(
                `${name}-${key}`,
                {
                    name: args.names.workloadRoles[key],
                    description: `EKS Pod Identity role of ${namespace}/${serviceAccount} on ${args.clusterName}`,
                    assumeRolePolicy: JSON.stringify(
                        podIdentityTrustPolicy({ accountId: args.accountId, clusterArn, namespace, serviceAccount }),
                    ),
                    maxSessionDuration: 3600,
                    forceDetachPolicies: true,
                },
                { parent: this },
            );
            new aws.iam.RolePolicy(
                `${name}-${key}-permissions`,
                {
                    role: role.name,
                    policy: pulumi.jsonStringify(permissions[key]),
                },
                { parent: this },
            );
            associations[key] = new aws.eks.PodIdentityAssociation(
                `${name}-${key}-association`,
                {
                    clusterName: args.clusterName,
                    namespace,
                    serviceAccount,
                    roleArn: role.arn,
                    // The trust policy matches the session tags; disabling them would lock the pods out.
                    disableSessionTags: false,
                },
                { parent: this },
            );
            roles[key] = role;
        }

        this.roles = roles;
        this.associations = associations;
        this.roleArns = mapWorkloads((key) => roles[key].arn);
        this.roleNames = mapWorkloads((key) => roles[key].name);
        this.registerOutputs({ roleArns: this.roleArns, roleNames: this.roleNames });
    }
}

function mapWorkloads<T>(value: (key: AwsWorkloadKey) => T): Record<AwsWorkloadKey, T> {
    return Object.fromEntries(awsWorkloads.map((key) => [key, value(key)])) as Record<AwsWorkloadKey, T>;
}
