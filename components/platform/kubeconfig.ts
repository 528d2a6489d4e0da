/**
 * The kubeconfig the Kubernetes provider uses: built from the EKS cluster the stack names, never
 * from the deploying machine's current context, with exec authentication so no token is stored.
 * Its shape follows what `aws eks update-kubeconfig` writes (cluster and context named by the
 * cluster ARN; client.authentication.k8s.io/v1beta1 exec of `aws eks get-token`), so CI needs only
 * AWS credentials for the environment's account and the AWS CLI, which GitHub's runners carry.
 */

export interface EksClusterEndpoint {
    /** Cluster name, as `aws eks get-token --cluster-name` takes it. */
    readonly name: string;
    /** Cluster ARN (names the kubeconfig cluster and context, and fixes the account). */
    readonly arn: string;
    /** The API server URL from DescribeCluster. */
    readonly endpoint: string;
    /** Base64 PEM of the cluster CA from DescribeCluster (certificateAuthority.data). */
    readonly certificateAuthorityData: string;
    /** Region the token is signed for. */
    readonly region: string;
}

/** Exec credential API version that `aws eks get-token` prints (AWS CLI v2). */
export const execApiVersion = "client.authentication.k8s.io/v1beta1";

export function eksKubeconfig(cluster: EksClusterEndpoint): string {
    if (!/^https:\/\//.test(cluster.endpoint)) throw new Error(`EKS cluster ${cluster.name} has no HTTPS API endpoint (got '${cluster.endpoint}')`);
    if (!cluster.certificateAuthorityData) throw new Error(`EKS cluster ${cluster.name} returned no certificate authority`);
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: cluster.arn, cluster: { server: cluster.endpoint, "certificate-authority-data": cluster.certificateAuthorityData } }],
        users: [
            {
                name: cluster.arn,
                user: {
                    exec: {
                        apiVersion: execApiVersion,
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", cluster.name, "--region", cluster.region, "--output", "json"],
                        interactiveMode: "Never",
                    },
                },
            },
        ],
        contexts: [{ name: cluster.arn, context: { cluster: cluster.arn, user: cluster.arn } }],
        "current-context": cluster.arn,
    });
}
