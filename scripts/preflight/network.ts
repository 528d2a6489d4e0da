/**
 * The existing network the program builds into. It creates an S3 gateway endpoint on the private
 * route tables and SNS and Managed Prometheus interface endpoints with private DNS, and AWS refuses
 * each of those when the VPC already has one (a route table routes S3 through one gateway endpoint;
 * a service's private DNS name belongs to one endpoint per VPC). Its Client VPN and MSK brokers
 * need the private subnets spread over Availability Zones.
 */
import { DescribeSubnetsCommand, paginateDescribeVpcEndpoints, type EC2Client, type Subnet, type VpcEndpoint } from "@aws-sdk/client-ec2";
import type { Settings } from "../../components/platform/settings";
import type { EndpointService } from "../../components/platform/settings/types";
import { errorCode, errorSummary, guarded, type Target } from "./aws-errors";
import { fail, pass, type CheckResult } from "./result";

/** Endpoint states that still hold the route or the DNS name (the API answers in lower case, the SDK's enum capitalises). */
const liveStates = new Set(["pendingacceptance", "pending", "available", "partial", "deleting"]);

function isLive(endpoint: VpcEndpoint): boolean {
    return liveStates.has(String(endpoint.State ?? "").toLowerCase());
}

export async function listVpcEndpoints(ec2: EC2Client, vpcId: string): Promise<VpcEndpoint[]> {
    const endpoints: VpcEndpoint[] = [];
    for await (const page of paginateDescribeVpcEndpoints({ client: ec2 }, { Filters: [{ Name: "vpc-id", Values: [vpcId] }] })) {
        endpoints.push(...(page.VpcEndpoints ?? []));
    }
    return endpoints.filter(isLive);
}

/** The settings key that names an endpoint to reuse, and the id it holds (empty: the program creates one). */
function reuseSetting(settings: Settings, service: EndpointService): { key: string; id: string | undefined } {
    const keys: Record<EndpointService, string> = {
        s3: "existingS3EndpointId",
        sns: "existingSnsEndpointId",
        aps: "existingApsEndpointId",
        logs: "existingLogsEndpointId",
    };
    return { key: `tracing-platform:${keys[service]}`, id: settings.network.existingEndpointIds[service] };
}

/** A reused endpoint must exist in the VPC, be of the expected kind, and (S3) serve every private route table. */
function checkReused(check: string, endpoints: readonly VpcEndpoint[], settings: Settings, service: EndpointService, serviceName: string, problem: (e: VpcEndpoint) => string | undefined): CheckResult {
    const { key, id } = reuseSetting(settings, service);
    const endpoint = endpoints.find((e) => e.VpcEndpointId === id);
    const why = !endpoint ? `${id} is not a live endpoint in ${settings.network.vpcId}` : endpoint.ServiceName !== serviceName ? `${id} serves ${endpoint.ServiceName}, not ${serviceName}` : problem(endpoint);
    if (why) return fail(check, `${key} names ${why}`, `set ${key} in Pulumi.${settings.stack}.yaml to the endpoint of ${serviceName} in ${settings.network.vpcId}, or empty to create one`);
    return pass(check, `${id} is reused (${key}); the program creates none`);
}

export function checkS3GatewayEndpoint(endpoints: readonly VpcEndpoint[], settings: Settings): CheckResult {
    const check = "S3 gateway endpoint";
    const service = `com.amazonaws.${settings.aws.region}.s3`;
    const routeTables = settings.network.privateRouteTableIds;
    if (reuseSetting(settings, "s3").id) {
        return checkReused(check, endpoints, settings, "s3", service, (e) => {
            const missing = routeTables.filter((id) => !(e.RouteTableIds ?? []).includes(id));
            if (e.VpcEndpointType !== "Gateway") return `${e.VpcEndpointId}, a ${e.VpcEndpointType} endpoint, not the gateway endpoint`;
            return missing.length > 0 ? `${e.VpcEndpointId}, which does not serve ${missing.join(", ")}` : undefined;
        });
    }
    const gateways = endpoints.filter((e) => e.ServiceName === service && e.VpcEndpointType === "Gateway");
    const clashes = gateways
        .map((e) => ({ id: e.VpcEndpointId ?? "", shared: (e.RouteTableIds ?? []).filter((id) => routeTables.includes(id)) }))
        .filter((e) => e.shared.length > 0);
    if (clashes.length > 0) {
        const found = clashes.map((c) => `${c.id} already serves ${c.shared.join(", ")}`).join("; ");
        return fail(
            check,
            `${found}; AWS allows one S3 gateway endpoint per route table`,
            `reuse it: set ${reuseSetting(settings, "s3").key} to ${clashes[0].id} in Pulumi.${settings.stack}.yaml (docs/vpc-endpoints.md)`,
        );
    }
    const elsewhere = gateways.length > 0 ? ` (${gateways.map((e) => e.VpcEndpointId).join(", ")} ${gateways.length === 1 ? "serves" : "serve"} other route tables)` : "";
    return pass(check, `none on the stack's route tables${elsewhere}; the program creates it`);
}

/** The interface endpoints the program needs, by service name suffix. */
const interfaceServices = {
    sns: { label: "SNS", setting: "sns" },
    "aps-workspaces": { label: "Managed Prometheus (aps-workspaces)", setting: "aps" },
    logs: { label: "CloudWatch Logs", setting: "logs" },
} as const satisfies Record<string, { label: string; setting: EndpointService }>;

export function checkInterfaceEndpoint(endpoints: readonly VpcEndpoint[], settings: Settings, serviceSuffix: keyof typeof interfaceServices): CheckResult {
    const { label, setting } = interfaceServices[serviceSuffix];
    const check = `${label} interface endpoint`;
    const service = `com.amazonaws.${settings.aws.region}.${serviceSuffix}`;
    if (reuseSetting(settings, setting).id) {
        return checkReused(check, endpoints, settings, setting, service, (e) =>
            e.VpcEndpointType !== "Interface" || e.PrivateDnsEnabled !== true ? `${e.VpcEndpointId}, which is not an interface endpoint with private DNS` : undefined,
        );
    }
    const clash = endpoints.find((e) => e.ServiceName === service && e.VpcEndpointType === "Interface" && e.PrivateDnsEnabled === true);
    if (clash) {
        return fail(
            check,
            `${clash.VpcEndpointId} already has private DNS for ${serviceSuffix}.${settings.aws.region}.amazonaws.com in ${settings.network.vpcId}; a second private-DNS endpoint for the service would conflict`,
            `reuse it: set ${reuseSetting(settings, setting).key} to ${clash.VpcEndpointId} in Pulumi.${settings.stack}.yaml (docs/vpc-endpoints.md)`,
        );
    }
    return pass(check, `none with private DNS in ${settings.network.vpcId}; the program creates it`);
}

/**
 * One private subnet per Availability Zone, at least two zones: Client VPN associates one subnet per
 * zone and MSK places one broker group per subnet, each in its own zone.
 */
export function checkPrivateSubnets(ec2: EC2Client, settings: Settings, target: Target): Promise<CheckResult> {
    const check = "private subnets";
    const { privateSubnetIds, vpcId } = settings.network;
    const configured = `tracing-platform:privateSubnetIds in Pulumi.${settings.stack}.yaml`;
    return guarded(check, "ec2:DescribeSubnets", target, async () => {
        let subnets: Subnet[];
        try {
            subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...privateSubnetIds] }))).Subnets ?? [];
        } catch (error) {
            if (errorCode(error) !== "InvalidSubnetID.NotFound") throw error;
            return fail(check, `${errorSummary(error)} in ${settings.aws.region}`, `correct ${configured}`);
        }
        const foreign = subnets.filter((s) => s.VpcId !== vpcId);
        if (foreign.length > 0) {
            return fail(check, foreign.map((s) => `${s.SubnetId} is in ${s.VpcId}`).join(", ") + `, not ${vpcId}`, `list only private subnets of ${vpcId} in ${configured}`);
        }
        const byZone = new Map<string, string[]>();
        for (const subnet of subnets) byZone.set(subnet.AvailabilityZone ?? "?", [...(byZone.get(subnet.AvailabilityZone ?? "?") ?? []), subnet.SubnetId ?? ""]);
        const crowded = [...byZone].filter(([, ids]) => ids.length > 1);
        if (crowded.length > 0) {
            const found = crowded.map(([zone, ids]) => `${ids.join(" and ")} are both in ${zone}`).join("; ");
            return fail(check, found, `list one private subnet per Availability Zone in ${configured} (Client VPN associates one subnet per zone)`);
        }
        if (byZone.size < 2) {
            return fail(check, `only ${[...byZone.keys()].join(", ")}`, `list private subnets in at least two Availability Zones in ${configured} (Client VPN and MSK need two)`);
        }
        return pass(check, `${subnets.length} in ${[...byZone.keys()].sort().join(", ")}`);
    });
}

/** The three endpoint checks over one DescribeVpcEndpoints listing. */
export async function checkVpcEndpoints(ec2: EC2Client, settings: Settings, target: Target): Promise<CheckResult[]> {
    let endpoints: VpcEndpoint[] = [];
    const listing = await guarded("VPC endpoints", "ec2:DescribeVpcEndpoints", target, async () => {
        endpoints = await listVpcEndpoints(ec2, settings.network.vpcId);
        return pass("VPC endpoints", `${endpoints.length} in ${settings.network.vpcId}`);
    });
    if (listing.outcome === "fail") return [listing];
    return [
        checkS3GatewayEndpoint(endpoints, settings),
        checkInterfaceEndpoint(endpoints, settings, "sns"),
        checkInterfaceEndpoint(endpoints, settings, "aps-workspaces"),
        checkInterfaceEndpoint(endpoints, settings, "logs"),
    ];
}
