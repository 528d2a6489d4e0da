/**
 * Cluster add-ons the platform depends on without creating them: the Pod Identity agent (its
 * workloads' AWS credentials), VPC CNI network policy enforcement (its NetworkPolicies) and the EBS
 * CSI driver (its volumes). Each is read from the EKS add-on first and, for self-managed
 * installations, from the cluster itself.
 */
import type { Cluster, EKSClient } from "@aws-sdk/client-eks";
import type { V1DaemonSet } from "@kubernetes/client-node";
import * as yaml from "yaml";
import { ebsCsiProvisioner } from "../../components/platform/names";
import { guarded, type Target } from "./aws-errors";
import { addonLabel, describeAddon, describeAddonHealth } from "./cluster";
import { inCluster, type KubernetesAccess } from "./kubernetes";
import { fail, pass, type CheckResult } from "./result";

function isAutoMode(cluster: Cluster): boolean {
    return cluster.computeConfig?.enabled === true;
}

function unhealthyAddonFix(clusterName: string, addonName: string): string {
    return `aws eks describe-addon --cluster-name ${clusterName} --addon-name ${addonName} lists its health issues; fix them (often its IAM role) until the add-on is ACTIVE`;
}

export function checkPodIdentityAgent(eks: EKSClient, cluster: Cluster, target: Target): Promise<CheckResult> {
    const check = "EKS Pod Identity agent";
    const addonName = "eks-pod-identity-agent";
    return guarded(check, "eks:DescribeAddon", target, async () => {
        if (isAutoMode(cluster)) return pass(check, "built into EKS Auto Mode");
        const addon = await describeAddon(eks, cluster.name!, addonName);
        if (!addon) {
            return fail(
                check,
                `add-on ${addonName} is not installed`,
                `aws eks create-addon --cluster-name ${cluster.name} --addon-name ${addonName}: Tempo, Grafana and the gateways get their AWS credentials from Pod Identity associations, which need the agent`,
            );
        }
        if (addon.status !== "ACTIVE") return fail(check, `add-on ${addonName} ${describeAddonHealth(addon)}`, unhealthyAddonFix(cluster.name!, addonName));
        return pass(check, `${addonLabel(addon)} ACTIVE`);
    });
}

/** Whether vpc-cni add-on configuration values (JSON or YAML) turn network policy enforcement on. */
export function enablesNetworkPolicy(configurationValues: string | undefined): boolean {
    if (!configurationValues) return false;
    try {
        const values = yaml.parse(configurationValues) as { enableNetworkPolicy?: unknown } | null;
        return values?.enableNetworkPolicy === "true" || values?.enableNetworkPolicy === true;
    } catch {
        return false;
    }
}

/** What the aws-node DaemonSet says about network policy enforcement. */
export function daemonSetNetworkPolicy(daemonSet: V1DaemonSet): { enabled: boolean; found: string } {
    const containers = daemonSet.spec?.template.spec?.containers ?? [];
    if (containers.some((c) => (c.args ?? []).includes("--enable-network-policy=true"))) {
        return { enabled: true, found: "aws-node runs aws-network-policy-agent with --enable-network-policy=true" };
    }
    const agent = containers.some((c) => c.name === "aws-network-policy-agent");
    return {
        enabled: false,
        found: agent ? "aws-node's aws-network-policy-agent runs without --enable-network-policy=true" : "aws-node has no aws-network-policy-agent container (VPC CNI before 1.14)",
    };
}

const unenforced = "without it the platform's NetworkPolicies are accepted but not enforced";

/** Auto Mode runs the CNI itself; a ConfigMap switches its network policy controller on. */
function checkAutoModeNetworkPolicy(check: string, access: KubernetesAccess): Promise<CheckResult> {
    const setting = `enable-network-policy-controller: "true"`;
    return inCluster(check, access, async (api) => {
        const configMap = await api.configMap("kube-system", "amazon-vpc-cni");
        if (configMap?.data?.["enable-network-policy-controller"] === "true") {
            return pass(check, `EKS Auto Mode; kube-system/amazon-vpc-cni sets ${setting} (not checked: networkPolicy in the node pools' NodeClass)`);
        }
        return fail(check, `EKS Auto Mode without ${setting} in kube-system/amazon-vpc-cni`, `set ${setting} in that ConfigMap and networkPolicy in the node pools' NodeClass; ${unenforced}`);
    });
}

export function checkNetworkPolicy(eks: EKSClient, cluster: Cluster, target: Target, access: KubernetesAccess): Promise<CheckResult> {
    const check = "VPC CNI network policy";
    if (isAutoMode(cluster)) return checkAutoModeNetworkPolicy(check, access);
    return guarded(check, "eks:DescribeAddon", target, async () => {
        const addon = await describeAddon(eks, cluster.name!, "vpc-cni");
        const values = `--configuration-values '{"enableNetworkPolicy":"true"}'`;
        const fix = addon
            ? `aws eks update-addon --cluster-name ${cluster.name} --addon-name vpc-cni ${values} (merged with any values it already has); ${unenforced}`
            : `aws eks create-addon --cluster-name ${cluster.name} --addon-name vpc-cni ${values}, or run a self-managed aws-node's aws-network-policy-agent with --enable-network-policy=true; ${unenforced}`;
        if (addon && enablesNetworkPolicy(addon.configurationValues)) {
            return pass(check, `vpc-cni add-on configuration sets enableNetworkPolicy: "true"`);
        }
        const addonFinding = addon ? `the vpc-cni add-on configuration does not set enableNetworkPolicy: "true"` : "no vpc-cni add-on";
        // A managed add-on's configuration is what EKS applies; aws-node is only a second opinion.
        if (addon && "unavailable" in access) return fail(check, addonFinding, fix);
        return inCluster(check, access, async (api) => {
            const daemonSet = await api.daemonSet("kube-system", "aws-node");
            if (!daemonSet) return fail(check, `${addonFinding} and no aws-node DaemonSet in kube-system`, fix);
            const { enabled, found } = daemonSetNetworkPolicy(daemonSet);
            return enabled ? pass(check, found) : fail(check, `${addonFinding}; ${found}`, fix);
        });
    });
}

/**
 * EKS Auto Mode's built-in EBS driver provisions only StorageClasses that name it (EKS user guide,
 * "Create a storage class"), not the platform's class of the EBS CSI driver.
 */
const autoModeEbsDriver = "ebs.csi.eks.amazonaws.com";

export function checkEbsCsiDriver(eks: EKSClient, cluster: Cluster, target: Target, access: KubernetesAccess): Promise<CheckResult> {
    const check = "EBS CSI driver";
    const addonName = "aws-ebs-csi-driver";
    return guarded(check, "eks:DescribeAddon", target, async () => {
        const addon = await describeAddon(eks, cluster.name!, addonName);
        if (addon?.status === "ACTIVE") return pass(check, `${addonLabel(addon)} ACTIVE`);
        if (addon) return fail(check, `add-on ${addonName} ${describeAddonHealth(addon)}`, unhealthyAddonFix(cluster.name!, addonName));
        return inCluster(check, access, async (api) => {
            if (await api.csiDriver(ebsCsiProvisioner)) return pass(check, `CSIDriver ${ebsCsiProvisioner} (installed outside EKS add-ons)`);
            const autoModeOnly = await api.csiDriver(autoModeEbsDriver);
            return fail(
                check,
                autoModeOnly
                    ? `only EKS Auto Mode's CSIDriver ${autoModeEbsDriver}, which does not provision the platform's StorageClass (provisioner ${ebsCsiProvisioner})`
                    : `no ${addonName} add-on and no CSIDriver ${ebsCsiProvisioner}`,
                `aws eks create-addon --cluster-name ${cluster.name} --addon-name ${addonName} with an IAM role for its controller that may use the trace key (docs/storage.md): the gateways' queues, Tempo and Grafana keep their data on EBS volumes`,
            );
        });
    });
}
