/**
 * Runs every preflight check against a stack's account and cluster, read-only, and reports one
 * line per check as it goes. Order follows what a deploy needs first: who is calling, the cluster,
 * access to it, what must already run inside it, then the network the program builds into.
 */
import type { Cluster, EKSClient } from "@aws-sdk/client-eks";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { STSClient } from "@aws-sdk/client-sts";
import type { KubeConfig } from "@kubernetes/client-node";
import { storageClassName } from "../../components/platform/names";
import type { Settings } from "../../components/platform/settings";
import { checkEbsCsiDriver, checkNetworkPolicy, checkPodIdentityAgent } from "./addons";
import { guarded, type Target } from "./aws-errors";
import { checkClusterStatus, checkClusterVpc, checkKubernetesVersion, checkServiceCidr, describeCluster } from "./cluster";
import { checkAccessEntry, checkCaller } from "./identity";
import { checkKubernetesApi, checkLoadBalancerController, checkStorageClass, type ApiCheck } from "./in-cluster";
import { ClusterApi, kubeConfigForCluster, type ClusterEndpoint } from "./kubernetes";
import { checkPrivateSubnets, checkVpcEndpoints } from "./network";
import { formatResult, PreflightStop, skip, type CheckResult } from "./result";

export interface AwsClients {
    readonly sts: STSClient;
    readonly eks: EKSClient;
    readonly ec2: EC2Client;
}

export interface PreflightOptions {
    readonly settings: Settings;
    readonly clients: AwsClients;
    /** The kubeconfig for the cluster; by default built from DescribeCluster with `aws eks get-token`. */
    readonly kubeConfig?: (cluster: ClusterEndpoint) => KubeConfig | Promise<KubeConfig>;
    /** How long one Kubernetes request may take before the API counts as unreachable. */
    readonly kubernetesTimeoutMs?: number;
    /** Receives each line as soon as its check has run. */
    readonly print: (line: string) => void;
}

export interface PreflightReport {
    readonly results: readonly CheckResult[];
    /** 0 when every check passed, 1 otherwise. */
    readonly exitCode: number;
}

/** The Kubernetes API check, unless a cluster that is still being created has no endpoint to check yet. */
async function checkApi(options: PreflightOptions, endpoint: ClusterEndpoint, cluster: Cluster): Promise<ApiCheck> {
    if (!options.kubeConfig && !endpoint.endpoint) {
        const reason = `cluster ${endpoint.name} has no API endpoint yet`;
        return { result: skip("Kubernetes API", reason), access: { unavailable: reason } };
    }
    const api = new ClusterApi(await (options.kubeConfig ?? kubeConfigForCluster)(endpoint), options.kubernetesTimeoutMs);
    return checkKubernetesApi(api, cluster);
}

async function runChecks(options: PreflightOptions, report: (result: CheckResult) => void): Promise<void> {
    const { settings, clients } = options;
    const target: Target = { stack: settings.stack, region: settings.aws.region, accountId: settings.aws.accountId };
    const clusterName = settings.cluster.name;

    const { result: callerResult, caller } = await checkCaller(clients.sts, target);
    report(callerResult);

    const cluster: Cluster = await describeCluster(clients.eks, clusterName, target);
    report(checkClusterStatus(cluster));
    report(checkKubernetesVersion(cluster));
    report(checkClusterVpc(cluster, settings.network.vpcId, settings.stack));
    report(checkServiceCidr(cluster, settings.cluster.serviceCidr, settings.stack));

    report(
        await guarded("EKS access entry", "eks:ListAccessEntries", target, () =>
            checkAccessEntry(clients.eks, clusterName, cluster.accessConfig?.authenticationMode, caller),
        ),
    );
    const endpoint: ClusterEndpoint = {
        name: clusterName,
        arn: cluster.arn ?? `arn:aws:eks:${settings.aws.region}:${settings.aws.accountId}:cluster/${clusterName}`,
        region: settings.aws.region,
        endpoint: cluster.endpoint,
        certificateAuthority: cluster.certificateAuthority?.data,
    };
    const { result: apiResult, access } = await checkApi(options, endpoint, cluster);
    report(apiResult);

    report(await checkPodIdentityAgent(clients.eks, cluster, target));
    report(await checkNetworkPolicy(clients.eks, cluster, target, access));
    report(await checkLoadBalancerController(access));
    report(await checkEbsCsiDriver(clients.eks, cluster, target, access));
    report(await checkStorageClass(access, storageClassName(settings.environment), settings.environment));

    for (const result of await checkVpcEndpoints(clients.ec2, settings, target)) report(result);
    report(await checkPrivateSubnets(clients.ec2, settings, target));
}

/** Runs the checks; a stop (no credentials, wrong account, no cluster) ends the run with its one line. */
export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
    const results: CheckResult[] = [];
    const report = (result: CheckResult): void => {
        results.push(result);
        options.print(formatResult(result));
    };
    try {
        await runChecks(options, report);
    } catch (error) {
        if (!(error instanceof PreflightStop)) throw error;
        report(error.result);
    }
    return { results, exitCode: results.some((r) => r.outcome !== "pass") ? 1 : 0 };
}
