/** The existing EKS cluster the workloads run on. */
import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from "../cidr";
import { readCidr, type Reader } from "./reader";
import type { Settings } from "./types";

/** The private blocks EKS accepts a service CIDR from (EKS API reference, KubernetesNetworkConfigRequest.serviceIpv4Cidr). */
const privateBlocks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((text) => parseCidr(text) as Cidr);

const serviceCidrRule =
    "the cluster's service CIDR (DescribeCluster kubernetesNetworkConfig.serviceIpv4Cidr; EKS assigns 10.100.0.0/16 or 172.20.0.0/16 " +
    "when none was given): a block from /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";

/**
 * The service CIDR is fixed when the cluster is created; EKS's rules for it are checked here so a
 * typo is caught before the agents' egress to the API's ClusterIP (its first host) is built on it.
 */
function readServiceCidr(r: Reader, vpcCidrText: string): string {
    const text = r.string("kubernetesServiceCidr", serviceCidrRule);
    if (!text) return text;
    const cidr = readCidr(r, "kubernetesServiceCidr", text, serviceCidrRule);
    if (!cidr) return text;
    if (cidr.prefixLength < 12 || cidr.prefixLength > 24 || !privateBlocks.some((block) => cidrContains(block, cidr))) {
        r.problem("kubernetesServiceCidr", text, serviceCidrRule);
    }
    const vpc = parseCidr(vpcCidrText);
    if (typeof vpc !== "string" && cidrsOverlap(vpc, cidr)) {
        r.problem("kubernetesServiceCidr", text, `a block that does not overlap vpcCidr ${vpcCidrText} (EKS refuses a service CIDR inside the VPC)`);
    }
    return text;
}

export function readCluster(r: Reader, network: Pick<Settings["network"], "vpcCidr">): Settings["cluster"] {
    const name = r.string("eksClusterName", "the name of the environment's EKS cluster");
    const nodeSecurityGroupId = r.string("eksNodeSecurityGroupId", "a security group id such as sg-0123456789abcdef0");
    if (nodeSecurityGroupId && !/^sg-[0-9a-f]{8,17}$/.test(nodeSecurityGroupId)) {
        r.problem("eksNodeSecurityGroupId", nodeSecurityGroupId, "a security group id such as sg-0123456789abcdef0");
    }
    const serviceCidr = readServiceCidr(r, network.vpcCidr);
    return { name, nodeSecurityGroupId, serviceCidr };
}
