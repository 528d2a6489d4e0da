/**
 * The Kubernetes provider's kubeconfig. What it must be for a real EKS cluster: the API server URL
 * and CA from DescribeCluster, and a token from `aws eks get-token` through the exec credential
 * plugin API client.authentication.k8s.io/v1beta1 (EKS user guide, "Connect kubectl to an EKS
 * cluster by creating a kubeconfig file"; Kubernetes docs, "client-go credential plugins").
 * Before this, the provider took only a context name that the deploy workflow never created.
 */
import { strict as assert } from "assert";
import * as yaml from "yaml";
import { eksKubeconfig } from "../../components/platform/kubeconfig";
import { oneOfType, shippedStacks, stackRecording } from "../harness/program";
import { settingsOf } from "../harness/recorded";

describe("Kubernetes provider: kubeconfig from the stack's EKS cluster", () => {
    for (const stack of shippedStacks) {
        it(`${stack}: exec authentication with aws eks get-token against the cluster DescribeCluster returns, nothing static`, async () => {
            const recording = await stackRecording(stack);
            const settings = settingsOf(recording);
            const provider = oneOfType(recording, "pulumi:providers:kubernetes");
            assert.equal(provider.inputs.context, undefined, "no dependence on the deploying machine's contexts");
            const kubeconfig = yaml.parse(provider.inputs.kubeconfig);
            const clusterArn = `arn:aws:eks:${settings.aws.region}:${settings.aws.accountId}:cluster/${settings.cluster.name}`;
            assert.equal(kubeconfig["current-context"], clusterArn);
            const [cluster] = kubeconfig.clusters;
            assert.match(cluster.cluster.server, /^https:\/\/[0-9A-F]+\.gr7\.[a-z0-9-]+\.eks\.amazonaws\.com$/);
            assert.ok(Buffer.from(cluster.cluster["certificate-authority-data"], "base64").toString().includes("BEGIN CERTIFICATE"));
            const [user] = kubeconfig.users;
            assert.deepEqual(Object.keys(user.user), ["exec"], "no token, password or client key in the state");
            assert.equal(user.user.exec.apiVersion, "client.authentication.k8s.io/v1beta1");
            assert.equal(user.user.exec.command, "aws");
            assert.deepEqual(user.user.exec.args, ["eks", "get-token", "--cluster-name", settings.cluster.name, "--region", settings.aws.region, "--output", "json"]);
        });
    }

    it("refuses a cluster without an HTTPS endpoint or CA rather than writing a kubeconfig that cannot connect", () => {
        const cluster = { name: "apps-dev", arn: "arn:aws:eks:eu-central-1:111111111111:cluster/apps-dev", endpoint: "https://x.eks.amazonaws.com", certificateAuthorityData: "TU9DSw==", region: "eu-central-1" };
        assert.doesNotThrow(() => eksKubeconfig(cluster));
        assert.throws(() => eksKubeconfig({ ...cluster, endpoint: "" }), /no HTTPS API endpoint/);
        assert.throws(() => eksKubeconfig({ ...cluster, certificateAuthorityData: "" }), /no certificate authority/);
    });
});
