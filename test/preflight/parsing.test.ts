/**
 * The preflight's small interpretations, each against the shapes AWS and Kubernetes really return:
 * caller ARNs to access-entry principals, add-on configuration values, version strings, and the
 * kubeconfig it builds from DescribeCluster.
 */
import { strict as assert } from "assert";
import { entryMatches, principalOf } from "../../scripts/preflight/identity";
import { enablesNetworkPolicy } from "../../scripts/preflight/addons";
import { checkKubernetesVersion, parseMinorVersion } from "../../scripts/preflight/cluster";
import { kubeConfigForCluster } from "../../scripts/preflight/kubernetes";
import { checkInterfaceEndpoint, checkS3GatewayEndpoint } from "../../scripts/preflight/network";
import { parseSettings } from "../../components/platform/settings";
import { stackConfig } from "../harness/stack-config";

describe("preflight: caller ARNs and access entries", () => {
    it("an assumed-role session is its role, matched by account and name whatever the role's path", () => {
        const session = principalOf("arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123abcd/alice@example.com");
        assert.deepEqual(session, { kind: "role", partition: "aws", account: "111111111111", name: "AWSReservedSSO_Admin_0123abcd" });
        assert.ok(entryMatches(session, "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Admin_0123abcd"));
        assert.ok(entryMatches(session, "arn:aws:iam::111111111111:role/AWSReservedSSO_Admin_0123abcd"));
        assert.ok(!entryMatches(session, "arn:aws:iam::222222222222:role/AWSReservedSSO_Admin_0123abcd"), "another account");
        assert.ok(!entryMatches(session, "arn:aws:iam::111111111111:role/AWSReservedSSO_Admin_0123abcd-old"), "a longer name");
        assert.ok(!entryMatches(session, "arn:aws:iam::111111111111:user/AWSReservedSSO_Admin_0123abcd"), "a user of the same name");
    });

    it("keeps the partition (GovCloud, China)", () => {
        const gov = principalOf("arn:aws-us-gov:sts::111111111111:assumed-role/deployer/ci");
        assert.ok(entryMatches(gov, "arn:aws-us-gov:iam::111111111111:role/deployer"));
        assert.ok(!entryMatches(gov, "arn:aws:iam::111111111111:role/deployer"));
        assert.ok(entryMatches(principalOf("arn:aws-cn:sts::111111111111:assumed-role/deployer/ci"), "arn:aws-cn:iam::111111111111:role/ops/deployer"));
    });

    it("an IAM user matches its own ARN; root and federated users cannot hold an access entry", () => {
        const user = principalOf("arn:aws:iam::111111111111:user/ops/carol");
        assert.deepEqual(user, { kind: "user", arn: "arn:aws:iam::111111111111:user/ops/carol" });
        assert.ok(entryMatches(user, "arn:aws:iam::111111111111:user/ops/carol"));
        assert.ok(!entryMatches(user, "arn:aws:iam::111111111111:user/carol"));
        for (const arn of ["arn:aws:iam::111111111111:root", "arn:aws:sts::111111111111:federated-user/dave", "not an arn"]) {
            assert.equal(principalOf(arn).kind, "unsupported", arn);
        }
    });
});

describe("preflight: vpc-cni configuration values", () => {
    it("reads enableNetworkPolicy from JSON or YAML, as the string EKS documents or a boolean", () => {
        for (const values of ['{"enableNetworkPolicy":"true"}', 'enableNetworkPolicy: "true"', "enableNetworkPolicy: true", '{"env":{"ENABLE_PREFIX_DELEGATION":"true"},"enableNetworkPolicy":"true"}']) {
            assert.ok(enablesNetworkPolicy(values), values);
        }
    });

    it("is off when unset, false, or not parseable", () => {
        for (const values of [undefined, "", "{}", '{"enableNetworkPolicy":"false"}', '{"env":{"enableNetworkPolicy":"true"}}', "{not: [yaml", "null"]) {
            assert.ok(!enablesNetworkPolicy(values), String(values));
        }
    });
});

describe("preflight: Kubernetes versions", () => {
    it("parses EKS versions and server gitVersions", () => {
        assert.deepEqual(parseMinorVersion("1.31"), { major: 1, minor: 31 });
        assert.deepEqual(parseMinorVersion("v1.30.8-eks-2d5f260"), { major: 1, minor: 30 });
        assert.equal(parseMinorVersion("latest"), undefined);
    });

    it("accepts 1.30 and later, compared as numbers (1.100 is newer than 1.30)", () => {
        for (const version of ["1.30", "1.33", "1.100", "2.0"]) assert.equal(checkKubernetesVersion({ name: "c", version }).outcome, "pass", version);
        for (const version of ["1.29", "1.3", "0.99", undefined]) assert.equal(checkKubernetesVersion({ name: "c", version }).outcome, "fail", String(version));
    });
});

describe("preflight: the kubeconfig built from DescribeCluster", () => {
    it("targets the cluster endpoint with its CA and authenticates with aws eks get-token for that cluster and region", async () => {
        const kubeConfig = await kubeConfigForCluster({ name: "apps-dev", arn: "arn:aws:eks:eu-central-1:111111111111:cluster/apps-dev", region: "eu-central-1", endpoint: "https://ABC.gr7.eu-central-1.eks.amazonaws.com", certificateAuthority: "LS0tLS1C" });
        const cluster = kubeConfig.getCurrentCluster();
        assert.equal(cluster?.server, "https://ABC.gr7.eu-central-1.eks.amazonaws.com");
        assert.equal(cluster?.caData, "LS0tLS1C");
        assert.notEqual(cluster?.skipTLSVerify, true, "the server certificate is verified against the cluster CA");
        const exec = kubeConfig.getCurrentUser()?.exec as { command: string; args: string[]; apiVersion: string };
        assert.equal(exec.command, "aws");
        assert.deepEqual(exec.args, ["eks", "get-token", "--cluster-name", "apps-dev", "--region", "eu-central-1", "--output", "json"]);
        assert.equal(exec.apiVersion, "client.authentication.k8s.io/v1beta1");
    });
});

describe("preflight: VPC endpoints the stack reuses (existing*EndpointId)", () => {
    const region = "eu-central-1";
    const reusing = parseSettings(
        stackConfig("dev", { "tracing-platform:existingS3EndpointId": "vpce-0aaaaaaaaaaaaaaa1", "tracing-platform:existingSnsEndpointId": "vpce-0aaaaaaaaaaaaaaa2" }),
        "dev",
    );
    const routeTables = [...reusing.network.privateRouteTableIds];
    const s3 = { VpcEndpointId: "vpce-0aaaaaaaaaaaaaaa1", VpcEndpointType: "Gateway" as const, ServiceName: `com.amazonaws.${region}.s3`, RouteTableIds: routeTables };
    const sns = { VpcEndpointId: "vpce-0aaaaaaaaaaaaaaa2", VpcEndpointType: "Interface" as const, ServiceName: `com.amazonaws.${region}.sns`, PrivateDnsEnabled: true };

    it("passes an endpoint that is reused as configured, where creating one would collide", () => {
        assert.equal(checkS3GatewayEndpoint([s3], reusing).outcome, "pass");
        assert.equal(checkInterfaceEndpoint([sns], reusing, "sns").outcome, "pass");
    });

    it("fails a reused id that is missing, of another service, or does not serve every private route table", () => {
        const missing = checkS3GatewayEndpoint([], reusing);
        assert.equal(missing.outcome, "fail");
        assert.match(missing.found, /tracing-platform:existingS3EndpointId names vpce-0aaaaaaaaaaaaaaa1 is not a live endpoint/);
        const partial = checkS3GatewayEndpoint([{ ...s3, RouteTableIds: routeTables.slice(1) }], reusing);
        assert.match(partial.found, new RegExp(`does not serve ${routeTables[0]}`));
        assert.equal(checkInterfaceEndpoint([{ ...sns, PrivateDnsEnabled: false }], reusing, "sns").outcome, "fail");
        assert.equal(checkInterfaceEndpoint([{ ...sns, ServiceName: `com.amazonaws.${region}.sqs` }], reusing, "sns").outcome, "fail");
    });
});
