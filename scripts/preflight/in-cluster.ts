/**
 * What `pulumi up` needs from inside the cluster: an API server the deploying machine can reach
 * with rights to create namespaces and cluster-wide RBAC, the AWS Load Balancer Controller (the
 * platform's NLB Services), and no stranger's object in the place of the StorageClass it creates.
 */
import type { Cluster } from "@aws-sdk/client-eks";
import { partOf } from "../../components/platform/names";
import { inCluster, KubernetesError, type ClusterApi, type KubernetesAccess, type Permission } from "./kubernetes";
import { fail, pass, type CheckResult } from "./result";

/** Cluster-scoped objects the program creates (namespaces, the agents' ClusterRole and binding). */
export const requiredPermissions: readonly Permission[] = [
    { verb: "create", group: "", resource: "namespaces" },
    { verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterroles" },
    { verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" },
];

function reachFix(cluster: Cluster): string {
    const vpcConfig = cluster.resourcesVpcConfig;
    if (vpcConfig?.endpointPublicAccess === false) {
        return "the cluster endpoint is private: run the preflight and pulumi up from inside the VPC (a runner in the VPC, a bastion or a VPN into it)";
    }
    const cidrs = vpcConfig?.publicAccessCidrs ?? [];
    if (cidrs.length > 0 && !cidrs.includes("0.0.0.0/0")) {
        return `the public endpoint admits only ${cidrs.join(", ")}: run from one of those networks or from inside the VPC`;
    }
    return "check this machine's network path (VPN, proxy, firewall) to the cluster endpoint";
}

export interface ApiCheck {
    readonly result: CheckResult;
    readonly access: KubernetesAccess;
}

/**
 * Gets a token, reaches /version and asks the API server (SelfSubjectAccessReview) whether the
 * caller may create what the program creates. An unreachable API is reported here once; the
 * in-cluster checks after it say they were not checked.
 */
export async function checkKubernetesApi(api: ClusterApi, cluster: Cluster): Promise<ApiCheck> {
    const check = "Kubernetes API";
    const server = api.server;
    try {
        await api.authenticate();
    } catch (error) {
        if (!(error instanceof KubernetesError)) throw error;
        return {
            result: fail(check, `no token for ${server} (${error.message})`, `install the AWS CLI v2 and check that aws eks get-token --cluster-name ${cluster.name} works with the same credentials`),
            access: { unavailable: "no Kubernetes credentials" },
        };
    }
    try {
        const version = await api.version();
        const denied: string[] = [];
        for (const permission of requiredPermissions) {
            if (!(await api.allowed(permission))) denied.push(`${permission.verb} ${permission.resource}`);
        }
        if (denied.length > 0) {
            return {
                result: fail(
                    check,
                    `${server} answers (${version}), but the caller may not ${denied.join(", ")}`,
                    `aws eks associate-access-policy --cluster-name ${cluster.name} --principal-arn <the caller's role ARN> --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
                ),
                access: { api },
            };
        }
        return { result: pass(check, `${server} answers (${version}); the caller may create namespaces, ClusterRoles and ClusterRoleBindings`), access: { api } };
    } catch (error) {
        if (!(error instanceof KubernetesError)) throw error;
        if (error.unreachable) {
            return { result: fail(check, `${server} is unreachable (${error.message})`, reachFix(cluster)), access: { unavailable: "the Kubernetes API is unreachable" } };
        }
        if (error.status === 401) {
            return {
                result: fail(check, `${server} rejects the caller's token (${error.message})`, `give the caller an EKS access entry on the cluster, and check that aws eks get-token --cluster-name ${cluster.name} runs with the same credentials`),
                access: { unavailable: "the Kubernetes API rejects the caller" },
            };
        }
        return {
            result: fail(check, `${server} answered ${error.message}`, "rerun; if it persists, try kubectl version against the same cluster"),
            access: { unavailable: "the Kubernetes API failed" },
        };
    }
}

export function checkLoadBalancerController(access: KubernetesAccess): Promise<CheckResult> {
    const check = "AWS Load Balancer Controller";
    const [namespace, name] = ["kube-system", "aws-load-balancer-controller"];
    return inCluster(check, access, async (api) => {
        const deployment = await api.deployment(namespace, name);
        if (!deployment) {
            return fail(
                check,
                `no Deployment ${namespace}/${name}`,
                `install it into ${namespace} (Helm chart eks/aws-load-balancer-controller, release name ${name}, with an IAM role for its service account): the platform's Grafana and OTLP gateway Services are NLBs of loadBalancerClass service.k8s.aws/nlb, which only it provisions`,
            );
        }
        const available = deployment.status?.availableReplicas ?? 0;
        const desired = deployment.spec?.replicas ?? 1;
        if (available < 1) {
            return fail(
                check,
                `Deployment ${namespace}/${name} has 0 of ${desired} replicas available`,
                `kubectl -n ${namespace} describe deployment ${name} and read its pods' logs; a missing IAM role or webhook certificate is the usual cause`,
            );
        }
        return pass(check, `Deployment ${namespace}/${name}, ${available} of ${desired} replicas available`);
    });
}

/**
 * The platform's StorageClass is the program's own (components/data-plane/storage-class.ts): absent
 * before the first deploy, labelled as this stack's after it. A class of that name that someone
 * else made stands in the way of the one the program creates.
 */
export function checkStorageClass(access: KubernetesAccess, name: string, environment: string): Promise<CheckResult> {
    const check = `StorageClass ${name}`;
    return inCluster(check, access, async (api) => {
        const existing = await api.storageClass(name);
        if (!existing) return pass(check, "absent; pulumi up creates it (gp3, encrypted with the stack's trace key)");
        const labels = existing.metadata?.labels ?? {};
        if (labels["app.kubernetes.io/part-of"] === partOf && labels.environment === environment) {
            return pass(check, `created by this stack (provisioner ${existing.provisioner})`);
        }
        return fail(
            check,
            `exists with provisioner ${existing.provisioner} and is not this stack's (no labels app.kubernetes.io/part-of=${partOf}, environment=${environment})`,
            `kubectl delete storageclass ${name} once nothing provisions from it (volumes it made keep their data); the program creates its own class of that name`,
        );
    });
}
