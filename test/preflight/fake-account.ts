/**
 * A stand-in for a stack's AWS account and EKS cluster: the STS, EKS and EC2 clients answer from
 * a plain description through aws-sdk-client-mock, and a local HTTP server on 127.0.0.1 answers
 * the Kubernetes reads the preflight makes. `greenAccount` is a cluster ready for the first deploy;
 * tests change one thing and run the preflight against it.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import { mockClient } from "aws-sdk-client-mock";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { DescribeAddonCommand, DescribeClusterCommand, EKSClient, ListAccessEntriesCommand, type Addon, type Cluster } from "@aws-sdk/client-eks";
import { DescribeSubnetsCommand, DescribeVpcEndpointsCommand, EC2Client, type Subnet, type VpcEndpoint } from "@aws-sdk/client-ec2";
import type { KubeConfig } from "@kubernetes/client-node";
import { parseSettings, type Settings } from "../../components/platform/settings";
import { kubernetesClient } from "../../scripts/preflight/kubernetes";
import { runPreflight, type PreflightReport } from "../../scripts/preflight/run";
import { stackConfig } from "../harness/stack-config";

// CI runs Node 20; the SDK's notice about its future Node 22 floor would only clutter test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export const devSettings: Settings = parseSettings(stackConfig("dev"), "dev");

export interface FakeAccount {
    /** What GetCallerIdentity returns, or the error every STS call raises. */
    caller: { Account: string; Arn: string } | Error;
    cluster: Cluster;
    addons: Record<string, Addon>;
    accessEntries: string[];
    vpcEndpoints: VpcEndpoint[];
    subnets: Subnet[];
    /** Kubernetes API objects by request path; anything else is 404. */
    kubernetes: Record<string, unknown>;
    /** Resources a SelfSubjectAccessReview denies. */
    deniedResources: string[];
    /** The error every DescribeAddon raises (a denial, say). */
    addonError?: Error;
    /** HTTP status every Kubernetes request gets instead of its object (401, say). */
    kubernetesStatus?: number;
}

/** An error the way the AWS SDK raises it: the service's error code as the name. */
export function awsError(name: string, message: string): Error {
    return Object.assign(new Error(message), { name });
}

export const callerRoleArn = "arn:aws:sts::111111111111:assumed-role/platform-deployer/alice";

export function greenAccount(settings: Settings = devSettings): FakeAccount {
    const { region } = settings.aws;
    const zones = ["a", "b", "c"].map((z) => `${region}${z}`);
    return {
        caller: { Account: settings.aws.accountId, Arn: callerRoleArn },
        cluster: {
            name: settings.cluster.name,
            status: "ACTIVE",
            version: "1.31",
            endpoint: "https://ABCDEF.gr7.eu-central-1.eks.amazonaws.com",
            certificateAuthority: { data: "LS0tLS1CRUdJTi0tLS0t" },
            resourcesVpcConfig: { vpcId: settings.network.vpcId, endpointPublicAccess: false },
            kubernetesNetworkConfig: { serviceIpv4Cidr: settings.cluster.serviceCidr, ipFamily: "ipv4" },
            accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
        },
        addons: {
            "eks-pod-identity-agent": { addonName: "eks-pod-identity-agent", addonVersion: "v1.3.4-eksbuild.1", status: "ACTIVE" },
            "vpc-cni": { addonName: "vpc-cni", addonVersion: "v1.19.2-eksbuild.1", status: "ACTIVE", configurationValues: '{"enableNetworkPolicy":"true"}' },
            "aws-ebs-csi-driver": { addonName: "aws-ebs-csi-driver", addonVersion: "v1.38.1-eksbuild.2", status: "ACTIVE" },
        },
        // The deploy role has a path, which its session ARN does not show.
        accessEntries: [`arn:aws:iam::${settings.aws.accountId}:role/ci/other-role`, `arn:aws:iam::${settings.aws.accountId}:role/platform/platform-deployer`],
        vpcEndpoints: [
            // Neither collides: an S3 gateway endpoint on another route table, SNS without private DNS.
            { VpcEndpointId: "vpce-0aaa", VpcEndpointType: "Gateway", ServiceName: `com.amazonaws.${region}.s3`, State: "Available", RouteTableIds: ["rtb-0public000000001"] },
            { VpcEndpointId: "vpce-0bbb", VpcEndpointType: "Interface", ServiceName: `com.amazonaws.${region}.sns`, State: "Available", PrivateDnsEnabled: false },
            { VpcEndpointId: "vpce-0ccc", VpcEndpointType: "Interface", ServiceName: `com.amazonaws.${region}.aps-workspaces`, State: "Deleted", PrivateDnsEnabled: true },
        ],
        subnets: settings.network.privateSubnetIds.map((id, i) => ({ SubnetId: id, VpcId: settings.network.vpcId, AvailabilityZone: zones[i % zones.length] })),
        kubernetes: {
            "/version": { major: "1", minor: "31", gitVersion: "v1.31.4-eks-2d5f260" },
            "/apis/apps/v1/namespaces/kube-system/deployments/aws-load-balancer-controller": {
                metadata: { name: "aws-load-balancer-controller", namespace: "kube-system" },
                spec: { replicas: 2 },
                status: { replicas: 2, availableReplicas: 2 },
            },
            "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node": {
                metadata: { name: "aws-node", namespace: "kube-system" },
                spec: {
                    template: {
                        spec: {
                            containers: [
                                { name: "aws-node", image: "amazon-k8s-cni" },
                                { name: "aws-network-policy-agent", image: "aws-network-policy-agent", args: ["--enable-ipv6=false", "--enable-network-policy=true"] },
                            ],
                        },
                    },
                },
            },
            "/apis/storage.k8s.io/v1/csidrivers/ebs.csi.aws.com": { metadata: { name: "ebs.csi.aws.com" }, spec: {} },
        },
        deniedResources: [],
    };
}

function mockAws(account: FakeAccount, region: string) {
    const sts = new STSClient({ region });
    const eks = new EKSClient({ region });
    const ec2 = new EC2Client({ region });
    mockClient(sts).on(GetCallerIdentityCommand).callsFake(async () => {
        if (account.caller instanceof Error) throw account.caller;
        return account.caller;
    });
    const eksMock = mockClient(eks);
    eksMock.on(DescribeClusterCommand).callsFake(async (input) => {
        if (input.name !== account.cluster.name) throw awsError("ResourceNotFoundException", `No cluster found for name: ${input.name}.`);
        return { cluster: account.cluster };
    });
    eksMock.on(DescribeAddonCommand).callsFake(async (input) => {
        if (account.addonError) throw account.addonError;
        const addon = account.addons[input.addonName];
        if (!addon) throw awsError("ResourceNotFoundException", `No addon: ${input.addonName} found in cluster: ${input.clusterName}`);
        return { addon };
    });
    // Two pages, so the preflight has to follow nextToken.
    eksMock.on(ListAccessEntriesCommand).callsFake(async (input) => {
        const half = Math.ceil(account.accessEntries.length / 2);
        return input.nextToken ? { accessEntries: account.accessEntries.slice(half) } : { accessEntries: account.accessEntries.slice(0, half), nextToken: "page-2" };
    });
    const ec2Mock = mockClient(ec2);
    ec2Mock.on(DescribeVpcEndpointsCommand).callsFake(async (input) => {
        const vpcId = input.Filters?.find((f: { Name?: string }) => f.Name === "vpc-id")?.Values?.[0];
        return { VpcEndpoints: vpcId === devSettings.network.vpcId ? account.vpcEndpoints : [] };
    });
    ec2Mock.on(DescribeSubnetsCommand).callsFake(async (input) => {
        const missing = (input.SubnetIds ?? []).find((id: string) => !account.subnets.some((s) => s.SubnetId === id));
        if (missing) throw awsError("InvalidSubnetID.NotFound", `The subnet ID '${missing}' does not exist`);
        return { Subnets: account.subnets };
    });
    return { sts, eks, ec2 };
}

/** Serves the account's Kubernetes objects; resolves to the server and its base URL. */
export async function serveKubernetes(account: FakeAccount): Promise<{ server: http.Server; url: string }> {
    const server = http.createServer((request, response) => {
        const reply = (status: number, body: unknown) => {
            response.writeHead(status, { "content-type": "application/json" });
            response.end(JSON.stringify(body));
        };
        if (account.kubernetesStatus) return reply(account.kubernetesStatus, { kind: "Status", code: account.kubernetesStatus, message: "Unauthorized" });
        const path = (request.url ?? "").split("?")[0];
        if (request.method === "POST" && path === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
            let body = "";
            request.on("data", (chunk) => (body += chunk));
            request.on("end", () => {
                const review = JSON.parse(body) as { spec: { resourceAttributes: { resource: string } } };
                reply(201, { ...review, status: { allowed: !account.deniedResources.includes(review.spec.resourceAttributes.resource) } });
            });
            return;
        }
        const object = request.method === "GET" ? account.kubernetes[path] : undefined;
        if (object === undefined) return reply(404, { kind: "Status", code: 404, reason: "NotFound", message: `${path} not found` });
        reply(200, object);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A kubeconfig for a plain-HTTP test server, no credentials. */
export async function localKubeConfig(url: string): Promise<KubeConfig> {
    const kubeConfig = new (await kubernetesClient()).KubeConfig();
    kubeConfig.loadFromOptions({
        clusters: [{ name: "local", server: url, skipTLSVerify: true }],
        users: [{ name: "anonymous" }],
        contexts: [{ name: "local", cluster: "local", user: "anonymous" }],
        currentContext: "local",
    });
    return kubeConfig;
}

export interface Run extends PreflightReport {
    readonly lines: readonly string[];
    readonly failures: readonly string[];
}

export interface RunOptions {
    /** Replaces the local server's URL (with an unreachable one, say). */
    readonly kubernetesUrl?: string;
    readonly kubernetesTimeoutMs?: number;
    /** Leave the kubeconfig to the preflight (built from DescribeCluster) instead of injecting the local server's. */
    readonly ownKubeConfig?: boolean;
}

/** Runs the preflight against the fake account and its local Kubernetes API. */
export async function runAgainst(account: FakeAccount, options: RunOptions = {}): Promise<Run> {
    const { server, url } = await serveKubernetes(account);
    const lines: string[] = [];
    try {
        const report = await runPreflight({
            settings: devSettings,
            clients: mockAws(account, devSettings.aws.region),
            kubeConfig: options.ownKubeConfig ? undefined : () => localKubeConfig(options.kubernetesUrl ?? url),
            kubernetesTimeoutMs: options.kubernetesTimeoutMs ?? 1000,
            print: (line) => lines.push(line),
        });
        return { ...report, lines, failures: lines.filter((line) => line.startsWith("✘")) };
    } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }
}
