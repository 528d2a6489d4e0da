/**
 * The EKS cluster the platform joins: it must exist in the stack's region, be ACTIVE, run a
 * Kubernetes release the platform supports and sit in the stack's VPC (the program's endpoints,
 * security groups and MSK brokers are created there and must reach the cluster's nodes).
 */
import { DescribeAddonCommand, DescribeClusterCommand, type Addon, type Cluster, type EKSClient } from "@aws-sdk/client-eks";
import { errorCode, errorSummary, stopFor, type Target } from "./aws-errors";
import { fail, pass, PreflightStop, type CheckResult } from "./result";

/**
 * Oldest Kubernetes release the platform supports. Its StatefulSets keep their volumes through
 * persistentVolumeClaimRetentionPolicy and its PodDisruptionBudgets use unhealthyPodEvictionPolicy,
 * both on by default only since 1.27 (older API servers drop the fields silently); releases before
 * 1.30 are past the end of EKS extended support (1.29's ended in March 2026), so EKS upgrades such
 * a cluster on its own schedule, in the middle of a deploy if it comes to that.
 */
export const minimumKubernetesVersion = { major: 1, minor: 30 } as const;

const versionReason =
    "the platform relies on StatefulSet volume retention and PodDisruptionBudget eviction policies, and older releases are past EKS extended support";

/** DescribeCluster; the run stops with one line if the cluster cannot be read (wrong name, region or account). */
export async function describeCluster(eks: EKSClient, clusterName: string, target: Target): Promise<Cluster> {
    try {
        const { cluster } = await eks.send(new DescribeClusterCommand({ name: clusterName }));
        if (cluster) return cluster;
    } catch (error) {
        const stop = stopFor(error, "eks", target);
        if (stop) throw stop;
        if (errorCode(error) !== "ResourceNotFoundException") {
            throw new PreflightStop(
                fail(`EKS cluster ${clusterName}`, `eks:DescribeCluster failed (${errorCode(error)}: ${errorSummary(error)})`, `allow eks:DescribeCluster on the cluster to the identity running the preflight`),
            );
        }
    }
    throw new PreflightStop(
        fail(
            `EKS cluster ${clusterName}`,
            `not found in ${target.region} of account ${target.accountId}`,
            `check aws:region and tracing-platform:eksClusterName in Pulumi.${target.stack}.yaml; the platform joins an existing cluster, so create it first`,
        ),
    );
}

export function checkClusterStatus(cluster: Cluster): CheckResult {
    const check = `EKS cluster ${cluster.name}`;
    if (cluster.status === "ACTIVE") return pass(check, "ACTIVE");
    if (cluster.status === "CREATING" || cluster.status === "UPDATING" || cluster.status === "PENDING") {
        return fail(check, `status ${cluster.status}`, `wait until it is ACTIVE (aws eks wait cluster-active --name ${cluster.name}) and run the preflight again`);
    }
    return fail(check, `status ${cluster.status ?? "unknown"}`, "repair or recreate the cluster; the platform needs an ACTIVE cluster");
}

export function parseMinorVersion(version: string | undefined): { major: number; minor: number } | undefined {
    const match = /^v?(\d+)\.(\d+)/.exec(version ?? "");
    return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export function checkKubernetesVersion(cluster: Cluster): CheckResult {
    const check = "Kubernetes version";
    const floor = `${minimumKubernetesVersion.major}.${minimumKubernetesVersion.minor}`;
    const version = parseMinorVersion(cluster.version);
    if (!version) return fail(check, `EKS reports '${cluster.version ?? ""}'`, `run Kubernetes ${floor} or later`);
    const supported =
        version.major > minimumKubernetesVersion.major ||
        (version.major === minimumKubernetesVersion.major && version.minor >= minimumKubernetesVersion.minor);
    if (supported) return pass(check, `${cluster.version} (${floor} or later)`);
    return fail(
        check,
        `${cluster.version}, older than ${floor} (${versionReason})`,
        `upgrade the cluster one minor release at a time (aws eks update-cluster-version --name ${cluster.name} --kubernetes-version <next>) to ${floor} or later`,
    );
}

export function checkClusterVpc(cluster: Cluster, vpcId: string, stack: string): CheckResult {
    const check = "cluster VPC";
    const actual = cluster.resourcesVpcConfig?.vpcId;
    if (actual === vpcId) return pass(check, `cluster ${cluster.name} is in ${vpcId}`);
    return fail(
        check,
        `cluster ${cluster.name} is in ${actual ?? "no VPC"}, the stack says ${vpcId}`,
        `set tracing-platform:vpcId, vpcCidr, privateSubnetIds and privateRouteTableIds in Pulumi.${stack}.yaml to the cluster's VPC, or eksClusterName to a cluster in ${vpcId}`,
    );
}

/**
 * The agents' NetworkPolicy admits the Kubernetes API at the first host of kubernetesServiceCidr
 * (the `kubernetes` Service's ClusterIP); a wrong value leaves the agents unable to reach the API.
 */
export function checkServiceCidr(cluster: Cluster, serviceCidr: string, stack: string): CheckResult {
    const check = "cluster service CIDR";
    const actual = cluster.kubernetesNetworkConfig?.serviceIpv4Cidr;
    if (actual === serviceCidr) return pass(check, `cluster ${cluster.name} assigns ClusterIPs from ${serviceCidr}`);
    return fail(
        check,
        `cluster ${cluster.name} assigns ClusterIPs from ${actual ?? "an unknown range"}, the stack says ${serviceCidr}`,
        `set tracing-platform:kubernetesServiceCidr in Pulumi.${stack}.yaml to ${actual ?? "the cluster's kubernetesNetworkConfig.serviceIpv4Cidr"}`,
    );
}

/** An add-on as DescribeAddon returns it, or undefined when it is not installed. */
export async function describeAddon(eks: EKSClient, clusterName: string, addonName: string): Promise<Addon | undefined> {
    try {
        const { addon } = await eks.send(new DescribeAddonCommand({ clusterName, addonName }));
        return addon;
    } catch (error) {
        if (errorCode(error) === "ResourceNotFoundException") return undefined;
        throw error;
    }
}

/** "add-on NAME VERSION" */
export function addonLabel(addon: Addon): string {
    return [`add-on ${addon.addonName ?? ""}`, addon.addonVersion].filter(Boolean).join(" ");
}

/** "status DEGRADED (InsufficientNumberOfReplicas: ...)" for an add-on that is not ACTIVE. */
export function describeAddonHealth(addon: Addon): string {
    const issues = (addon.health?.issues ?? []).map((issue) => `${issue.code}: ${issue.message}`).join("; ");
    return `status ${addon.status ?? "unknown"}${issues ? ` (${issues})` : ""}`;
}
