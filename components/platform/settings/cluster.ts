/** The existing EKS cluster the workloads run on. */
import type { Reader } from "./reader";
import type { Settings } from "./types";

export function readCluster(r: Reader): Settings["cluster"] {
    const name = r.string("eksClusterName", "the name of the environment's EKS cluster");
    const nodeSecurityGroupId = r.string("eksNodeSecurityGroupId", "a security group id such as sg-0123456789abcdef0");
    if (nodeSecurityGroupId && !/^sg-[0-9a-f]{8,17}$/.test(nodeSecurityGroupId)) {
        r.problem("eksNodeSecurityGroupId", nodeSecurityGroupId, "a security group id such as sg-0123456789abcdef0");
    }
    const storageClass = r.string("storageClass", "a StorageClass name of the cluster");
    return { name, nodeSecurityGroupId, storageClass };
}
