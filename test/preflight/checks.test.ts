/**
 * `npm run preflight` against a fake account and cluster: a cluster ready for the first deploy
 * passes every check, and each prerequisite broken on its own fails exactly its own line, with
 * what was found and the fix, and a non-zero exit.
 */
import { strict as assert } from "assert";
import { standardLabels, storageClassName } from "../../components/platform/names";
import { awsError, devSettings, greenAccount, runAgainst, type FakeAccount } from "./fake-account";

const { region, accountId } = devSettings.aws;
const [firstRouteTable, secondRouteTable] = devSettings.network.privateRouteTableIds;
const lbcPath = "/apis/apps/v1/namespaces/kube-system/deployments/aws-load-balancer-controller";
const awsNodePath = "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node";
const csiDriverPath = "/apis/storage.k8s.io/v1/csidrivers/ebs.csi.aws.com";
const storageClass = storageClassName(devSettings.environment);
const storageClassPath = `/apis/storage.k8s.io/v1/storageclasses/${storageClass}`;

/** Sets the aws-network-policy-agent container's args in the fake aws-node DaemonSet. */
function policyAgentArgs(account: FakeAccount, args: string[]): void {
    const daemonSet = account.kubernetes[awsNodePath] as { spec: { template: { spec: { containers: { name: string; args?: string[] }[] } } } };
    daemonSet.spec.template.spec.containers[1].args = args;
}

describe("preflight: a cluster ready for the first deploy", () => {
    it("passes every check and exits 0", async () => {
        const run = await runAgainst(greenAccount());
        assert.equal(run.exitCode, 0, run.lines.join("\n"));
        assert.deepEqual(run.failures, []);
        assert.ok(run.lines.every((line) => line.startsWith("✔ ")), run.lines.join("\n"));
        const checks = run.results.map((r) => r.check);
        for (const expected of [
            "AWS account",
            "EKS cluster apps-dev",
            "Kubernetes version",
            "cluster VPC",
            "EKS access entry",
            "Kubernetes API",
            "EKS Pod Identity agent",
            "VPC CNI network policy",
            "AWS Load Balancer Controller",
            "EBS CSI driver",
            `StorageClass ${storageClass}`,
            "S3 gateway endpoint",
            "SNS interface endpoint",
            "Managed Prometheus (aps-workspaces) interface endpoint",
            "private subnets",
        ]) {
            assert.ok(checks.includes(expected), `no ${expected} line in\n${run.lines.join("\n")}`);
        }
    });

    it("matches the caller's assumed-role session to the path-ful role ARN of its access entry, across pages", async () => {
        const run = await runAgainst(greenAccount());
        assert.ok(run.lines.includes(`✔ EKS access entry: arn:aws:iam::${accountId}:role/platform/platform-deployer on cluster apps-dev`), run.lines.join("\n"));
    });

    it("accepts network policy set in YAML configuration values, or by a self-managed aws-node", async () => {
        const yamlConfig = greenAccount();
        yamlConfig.addons["vpc-cni"].configurationValues = 'env:\n  WARM_IP_TARGET: "5"\nenableNetworkPolicy: "true"\n';
        assert.equal((await runAgainst(yamlConfig)).exitCode, 0);

        const selfManaged = greenAccount();
        delete selfManaged.addons["vpc-cni"];
        const run = await runAgainst(selfManaged);
        assert.equal(run.exitCode, 0, run.lines.join("\n"));
        assert.ok(run.lines.some((l) => l.startsWith("✔ VPC CNI network policy: aws-node runs aws-network-policy-agent with --enable-network-policy=true")));
    });

    it("accepts an EBS CSI driver installed outside EKS add-ons", async () => {
        const account = greenAccount();
        delete account.addons["aws-ebs-csi-driver"];
        const run = await runAgainst(account);
        assert.equal(run.exitCode, 0, run.lines.join("\n"));
        assert.ok(run.lines.includes("✔ EBS CSI driver: CSIDriver ebs.csi.aws.com (installed outside EKS add-ons)"), run.lines.join("\n"));
    });

    it("accepts EKS Auto Mode's built-in Pod Identity agent and network policy controller, but not its EBS driver alone", async () => {
        const account = greenAccount();
        account.cluster.computeConfig = { enabled: true };
        account.addons = {};
        delete account.kubernetes[awsNodePath];
        delete account.kubernetes[csiDriverPath];
        account.kubernetes["/apis/storage.k8s.io/v1/csidrivers/ebs.csi.eks.amazonaws.com"] = { metadata: { name: "ebs.csi.eks.amazonaws.com" }, spec: {} };
        account.kubernetes["/api/v1/namespaces/kube-system/configmaps/amazon-vpc-cni"] = { metadata: { name: "amazon-vpc-cni" }, data: { "enable-network-policy-controller": "true" } };
        const autoModeDriver =
            "✘ EBS CSI driver: only EKS Auto Mode's CSIDriver ebs.csi.eks.amazonaws.com, which does not provision the platform's StorageClass (provisioner ebs.csi.aws.com)";
        const run = await runAgainst(account);
        assert.ok(run.lines.includes("✔ EKS Pod Identity agent: built into EKS Auto Mode"));
        // Auto Mode's driver serves only classes naming ebs.csi.eks.amazonaws.com (EKS user guide, "Create a storage class").
        assert.deepEqual(run.failures.map((line) => line.split(". Fix: ")[0]), [autoModeDriver]);
        assert.match(run.failures[0], /Fix: aws eks create-addon --cluster-name apps-dev --addon-name aws-ebs-csi-driver/);

        account.kubernetes[csiDriverPath] = { metadata: { name: "ebs.csi.aws.com" }, spec: {} };
        const withDriver = await runAgainst(account);
        assert.equal(withDriver.exitCode, 0, withDriver.lines.join("\n"));

        delete account.kubernetes["/api/v1/namespaces/kube-system/configmaps/amazon-vpc-cni"];
        const off = await runAgainst(account);
        assert.deepEqual(off.failures.map((line) => line.split(". Fix: ")[0]), ['✘ VPC CNI network policy: EKS Auto Mode without enable-network-policy-controller: "true" in kube-system/amazon-vpc-cni']);
    });

    it("finds the platform's StorageClass absent before the first deploy, and this stack's after it", async () => {
        const fresh = await runAgainst(greenAccount());
        assert.ok(fresh.lines.includes(`✔ StorageClass ${storageClass}: absent; pulumi up creates it (gp3, encrypted with the stack's trace key)`), fresh.lines.join("\n"));
        const deployed = greenAccount();
        deployed.kubernetes[storageClassPath] = { metadata: { name: storageClass, labels: standardLabels("storage", "dev", "encrypted-volumes") }, provisioner: "ebs.csi.aws.com" };
        const run = await runAgainst(deployed);
        assert.equal(run.exitCode, 0, run.lines.join("\n"));
        assert.ok(run.lines.includes(`✔ StorageClass ${storageClass}: created by this stack (provisioner ebs.csi.aws.com)`));
    });

    it("trusts aws-auth on a cluster that has no access entries (CONFIG_MAP mode) and lets the API decide", async () => {
        const account = greenAccount();
        account.cluster.accessConfig = { authenticationMode: "CONFIG_MAP" };
        account.accessEntries = [];
        assert.equal((await runAgainst(account)).exitCode, 0);
    });
});

interface BrokenCase {
    readonly title: string;
    readonly breakIt: (account: FakeAccount) => void;
    /** The start of the one failing line. */
    readonly line: string;
    /** Words its fix must contain. */
    readonly fix: string;
    /** Failing lines, when one cause fails several checks alike (the first is `line`). */
    readonly failures?: number;
}

const brokenCases: BrokenCase[] = [
    {
        title: "the cluster is still being created",
        breakIt: (a) => (a.cluster.status = "CREATING"),
        line: "✘ EKS cluster apps-dev: status CREATING",
        fix: "aws eks wait cluster-active --name apps-dev",
    },
    {
        title: "Kubernetes is older than 1.30",
        breakIt: (a) => (a.cluster.version = "1.29"),
        line: "✘ Kubernetes version: 1.29, older than 1.30 (the platform relies on",
        fix: "aws eks update-cluster-version --name apps-dev",
    },
    {
        title: "the cluster is in another VPC",
        breakIt: (a) => (a.cluster.resourcesVpcConfig = { vpcId: "vpc-0999999999999999a" }),
        line: `✘ cluster VPC: cluster apps-dev is in vpc-0999999999999999a, the stack says ${devSettings.network.vpcId}`,
        fix: "tracing-platform:vpcId",
    },
    {
        title: "the stack names another service CIDR than the cluster assigns",
        breakIt: (a) => (a.cluster.kubernetesNetworkConfig = { serviceIpv4Cidr: "10.96.0.0/12", ipFamily: "ipv4" }),
        line: `✘ cluster service CIDR: cluster apps-dev assigns ClusterIPs from 10.96.0.0/12, the stack says ${devSettings.cluster.serviceCidr}`,
        fix: "set tracing-platform:kubernetesServiceCidr in Pulumi.dev.yaml to 10.96.0.0/12",
    },
    {
        title: "the caller has no access entry",
        breakIt: (a) => (a.accessEntries = [`arn:aws:iam::${accountId}:role/ci/other-role`]),
        line: "✘ EKS access entry: none of the 1 access entries on cluster apps-dev is role platform-deployer",
        fix: `aws eks create-access-entry --cluster-name apps-dev --principal-arn arn:aws:iam::${accountId}:role/<path/>platform-deployer`,
    },
    {
        title: "the caller may not create cluster-wide RBAC",
        breakIt: (a) => (a.deniedResources = ["clusterroles", "clusterrolebindings"]),
        line: "✘ Kubernetes API: http://127.0.0.1:",
        fix: "AmazonEKSClusterAdminPolicy",
    },
    {
        title: "the Pod Identity agent add-on is missing",
        breakIt: (a) => delete a.addons["eks-pod-identity-agent"],
        line: "✘ EKS Pod Identity agent: add-on eks-pod-identity-agent is not installed",
        fix: "aws eks create-addon --cluster-name apps-dev --addon-name eks-pod-identity-agent",
    },
    {
        title: "the Pod Identity agent add-on is degraded",
        breakIt: (a) => {
            a.addons["eks-pod-identity-agent"].status = "DEGRADED";
            a.addons["eks-pod-identity-agent"].health = { issues: [{ code: "InsufficientNumberOfReplicas", message: "The add-on is unhealthy because it doesn't have the desired number of replicas." }] };
        },
        line: "✘ EKS Pod Identity agent: add-on eks-pod-identity-agent status DEGRADED (InsufficientNumberOfReplicas:",
        fix: "aws eks describe-addon --cluster-name apps-dev --addon-name eks-pod-identity-agent",
    },
    {
        title: "VPC CNI network policy is off",
        breakIt: (a) => {
            a.addons["vpc-cni"].configurationValues = '{"env":{"WARM_IP_TARGET":"5"}}';
            policyAgentArgs(a, ["--enable-network-policy=false"]);
        },
        line: '✘ VPC CNI network policy: the vpc-cni add-on configuration does not set enableNetworkPolicy: "true"; aws-node\'s aws-network-policy-agent runs without --enable-network-policy=true',
        fix: `--addon-name vpc-cni --configuration-values '{"enableNetworkPolicy":"true"}'`,
    },
    {
        title: "a self-managed VPC CNI runs without network policy",
        breakIt: (a) => {
            delete a.addons["vpc-cni"];
            policyAgentArgs(a, []);
        },
        line: "✘ VPC CNI network policy: no vpc-cni add-on; aws-node's aws-network-policy-agent runs without --enable-network-policy=true",
        fix: "or run a self-managed aws-node's aws-network-policy-agent with --enable-network-policy=true",
    },
    {
        title: "the AWS Load Balancer Controller is not installed",
        breakIt: (a) => delete a.kubernetes[lbcPath],
        line: "✘ AWS Load Balancer Controller: no Deployment kube-system/aws-load-balancer-controller",
        fix: "loadBalancerClass service.k8s.aws/nlb",
    },
    {
        title: "the AWS Load Balancer Controller has no available replica",
        breakIt: (a) => (a.kubernetes[lbcPath] = { metadata: { name: "aws-load-balancer-controller" }, spec: { replicas: 2 }, status: { replicas: 2 } }),
        line: "✘ AWS Load Balancer Controller: Deployment kube-system/aws-load-balancer-controller has 0 of 2 replicas available",
        fix: "kubectl -n kube-system describe deployment aws-load-balancer-controller",
    },
    {
        title: "there is no EBS CSI driver",
        breakIt: (a) => {
            delete a.addons["aws-ebs-csi-driver"];
            delete a.kubernetes[csiDriverPath];
        },
        line: "✘ EBS CSI driver: no aws-ebs-csi-driver add-on and no CSIDriver ebs.csi.aws.com",
        fix: "aws eks create-addon --cluster-name apps-dev --addon-name aws-ebs-csi-driver",
    },
    {
        title: "someone else's StorageClass has the platform's class name",
        breakIt: (a) => (a.kubernetes[storageClassPath] = { metadata: { name: storageClass }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" } }),
        line: `✘ StorageClass ${storageClass}: exists with provisioner ebs.csi.aws.com and is not this stack's`,
        fix: `kubectl delete storageclass ${storageClass}`,
    },
    {
        title: "another environment's StorageClass has this one's name",
        breakIt: (a) => (a.kubernetes[storageClassPath] = { metadata: { name: storageClass, labels: standardLabels("storage", "prod") }, provisioner: "ebs.csi.aws.com" }),
        line: `✘ StorageClass ${storageClass}: exists with provisioner ebs.csi.aws.com and is not this stack's (no labels app.kubernetes.io/part-of=tracing-platform, environment=dev)`,
        fix: "the program creates its own class of that name",
    },
    {
        title: "an S3 gateway endpoint already serves the stack's route tables",
        breakIt: (a) =>
            a.vpcEndpoints.push({ VpcEndpointId: "vpce-0s3", VpcEndpointType: "Gateway", ServiceName: `com.amazonaws.${region}.s3`, State: "Available", RouteTableIds: [firstRouteTable, secondRouteTable, "rtb-0public000000001"] }),
        line: `✘ S3 gateway endpoint: vpce-0s3 already serves ${firstRouteTable}, ${secondRouteTable}`,
        fix: "reuse it: set tracing-platform:existingS3EndpointId to vpce-0s3 in Pulumi.dev.yaml",
    },
    {
        title: "an SNS interface endpoint already has private DNS",
        breakIt: (a) => a.vpcEndpoints.push({ VpcEndpointId: "vpce-0sns", VpcEndpointType: "Interface", ServiceName: `com.amazonaws.${region}.sns`, State: "Available", PrivateDnsEnabled: true }),
        line: `✘ SNS interface endpoint: vpce-0sns already has private DNS for sns.${region}.amazonaws.com`,
        fix: "reuse it: set tracing-platform:existingSnsEndpointId to vpce-0sns in Pulumi.dev.yaml",
    },
    {
        title: "a Managed Prometheus interface endpoint already has private DNS",
        breakIt: (a) =>
            a.vpcEndpoints.push({ VpcEndpointId: "vpce-0aps", VpcEndpointType: "Interface", ServiceName: `com.amazonaws.${region}.aps-workspaces`, State: "Pending", PrivateDnsEnabled: true }),
        line: `✘ Managed Prometheus (aps-workspaces) interface endpoint: vpce-0aps already has private DNS for aps-workspaces.${region}.amazonaws.com`,
        fix: "reuse it: set tracing-platform:existingApsEndpointId to vpce-0aps in Pulumi.dev.yaml",
    },
    {
        title: "the private subnets share an Availability Zone",
        breakIt: (a) => a.subnets.forEach((s) => (s.AvailabilityZone = `${region}a`)),
        line: `✘ private subnets: ${devSettings.network.privateSubnetIds.join(" and ")} are both in ${region}a`,
        fix: "one private subnet per Availability Zone",
    },
    {
        title: "a private subnet does not exist",
        breakIt: (a) => a.subnets.pop(),
        line: `✘ private subnets: The subnet ID '${devSettings.network.privateSubnetIds[2]}' does not exist in ${region}`,
        fix: "tracing-platform:privateSubnetIds in Pulumi.dev.yaml",
    },
    {
        title: "the caller may not read add-ons",
        breakIt: (a) => (a.addonError = awsError("AccessDeniedException", "User is not authorized to perform: eks:DescribeAddon")),
        line: "✘ EKS Pod Identity agent: eks:DescribeAddon was denied",
        fix: "allow eks:DescribeAddon",
        failures: 3,
    },
];

describe("preflight: each prerequisite broken on its own fails its own line", () => {
    for (const broken of brokenCases) {
        it(`${broken.title}`, async () => {
            const account = greenAccount();
            broken.breakIt(account);
            const run = await runAgainst(account);
            assert.equal(run.exitCode, 1, run.lines.join("\n"));
            assert.equal(run.failures.length, broken.failures ?? 1, run.lines.join("\n"));
            const [line] = run.failures;
            assert.ok(line.startsWith(broken.line), `expected a line starting\n  ${broken.line}\ngot\n  ${line}`);
            const fix = line.split(". Fix: ")[1];
            assert.ok(fix?.includes(broken.fix), `the fix of\n  ${line}\nshould mention\n  ${broken.fix}`);
            assert.equal(run.lines.filter((l) => !l.startsWith("✔ ") && !l.startsWith("✘ ")).length, 0, "nothing else is skipped");
        });
    }
});
