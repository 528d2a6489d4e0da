/**
 * Mock provider behaviour: what the cloud would hand back for each resource (ids, ARNs, PEMs,
 * generated passwords), deterministic so recordings are stable. Inputs pass through as state.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { s3PrefixList } from "./s3-prefix-lists";

export interface MockIdentity {
    readonly accountId: string;
    readonly region: string;
}

function awsService(type: string): string {
    return type.split(":")[1]?.split("/")[0] ?? "aws";
}

/** The account's private ECR registry host. */
function ecrRegistry({ accountId, region }: MockIdentity): string {
    return `${accountId}.dkr.ecr.${region}.amazonaws.com`;
}

function fakePem(kind: string, name: string): string {
    const body = Buffer.from(`${kind}:${name}`).toString("base64");
    return `-----BEGIN ${kind}-----\n${body}\n-----END ${kind}-----\n`;
}

/** Outputs a provider computes, keyed by resource type. */
function computedOutputs(args: pulumi.runtime.MockResourceArgs, id: string, identity: MockIdentity): Record<string, unknown> {
    const { type, name, inputs } = args;
    const { accountId, region } = identity;
    if (type.startsWith("aws:")) {
        const service = awsService(type);
        const common: Record<string, unknown> = {
            arn: `arn:aws:${service}:${region}:${accountId}:${type.split(":")[2].toLowerCase()}/${id}`,
            tagsAll: inputs.tags ?? {},
        };
        switch (type) {
            case "aws:s3/bucket:Bucket": {
                const bucket = inputs.bucket ?? `${name}-mock`;
                return { bucket, id: bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
            }
            case "aws:kms/key:Key":
                return { ...common, keyId: id, arn: `arn:aws:kms:${region}:${accountId}:key/${id}` };
            case "aws:kms/alias:Alias":
                return { ...common, arn: `arn:aws:kms:${region}:${accountId}:${inputs.name ?? name}` };
            case "aws:iam/role:Role":
                return { ...common, name: inputs.name ?? name, arn: `arn:aws:iam::${accountId}:role/${inputs.name ?? name}` };
            case "aws:iam/samlProvider:SamlProvider":
                return { ...common, arn: `arn:aws:iam::${accountId}:saml-provider/${inputs.name ?? name}` };
            case "aws:iam/policy:Policy":
                return { ...common, arn: `arn:aws:iam::${accountId}:policy/${inputs.name ?? name}` };
            case "aws:cloudwatch/logGroup:LogGroup":
                return { ...common, name: inputs.name ?? name, arn: `arn:aws:logs:${region}:${accountId}:log-group:${inputs.name ?? name}` };
            case "aws:amp/workspace:Workspace":
                return {
                    ...common,
                    arn: `arn:aws:aps:${region}:${accountId}:workspace/ws-${id}`,
                    prometheusEndpoint: `https://aps-workspaces.${region}.amazonaws.com/workspaces/ws-${id}/`,
                };
            case "aws:msk/cluster:Cluster":
                return {
                    ...common,
                    arn: `arn:aws:kafka:${region}:${accountId}:cluster/${name}/${id}`,
                    bootstrapBrokersSaslScram: `b-1.${name}.kafka.${region}.amazonaws.com:9096,b-2.${name}.kafka.${region}.amazonaws.com:9096`,
                    bootstrapBrokersSaslIam: `b-1.${name}.kafka.${region}.amazonaws.com:9098,b-2.${name}.kafka.${region}.amazonaws.com:9098`,
                    bootstrapBrokersTls: `b-1.${name}.kafka.${region}.amazonaws.com:9094,b-2.${name}.kafka.${region}.amazonaws.com:9094`,
                };
            case "aws:sns/topic:Topic":
                return { ...common, arn: `arn:aws:sns:${region}:${accountId}:${inputs.name ?? name}` };
            case "aws:secretsmanager/secret:Secret":
                return { ...common, arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${inputs.name ?? name}-AbCdEf` };
            case "aws:ec2clientvpn/endpoint:Endpoint":
                return { ...common, dnsName: `*.${id}.prod.clientvpn.${region}.amazonaws.com` };
            case "aws:acm/certificate:Certificate":
                return { ...common, arn: `arn:aws:acm:${region}:${accountId}:certificate/${id}` };
            case "aws:ecr/repository:Repository": {
                const repository = inputs.name ?? name;
                return {
                    ...common,
                    arn: `arn:aws:ecr:${region}:${accountId}:repository/${repository}`,
                    registryId: accountId,
                    repositoryUrl: `${ecrRegistry(identity)}/${repository}`,
                };
            }
            default:
                return common;
        }
    }
    switch (type) {
        case "tls:index/privateKey:PrivateKey":
            return {
                privateKeyPem: fakePem("PRIVATE KEY", name),
                privateKeyOpenssh: fakePem("OPENSSH PRIVATE KEY", name),
                publicKeyPem: fakePem("PUBLIC KEY", name),
            };
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            return { certPem: fakePem("CERTIFICATE", name), validityStartTime: "2026-11-25T00:00:00Z", validityEndTime: "2027-11-25T00:00:00Z" };
        case "tls:index/certRequest:CertRequest":
            return { certRequestPem: fakePem("CERTIFICATE REQUEST", name) };
        case "random:index/randomPassword:RandomPassword":
            return { result: `mock-password-${name}`, bcryptHash: `$2a$10$mock${name}` };
        case "random:index/randomBytes:RandomBytes":
            return { base64: Buffer.from(`mock-bytes-${name}`).toString("base64"), hex: Buffer.from(`mock-bytes-${name}`).toString("hex") };
        case "random:index/randomId:RandomId":
            return { hex: "a1b2c3d4", b64Url: "obLD1A", dec: "2712847316" };
        case "docker-build:index:Image": {
            // A registry digest depends on what was built: derive it from the build's inputs.
            const built = JSON.stringify([inputs.context, inputs.buildArgs, inputs.platforms, inputs.tags]);
            const digest = `sha256:${crypto.createHash("sha256").update(built).digest("hex")}`;
            const [tag] = (inputs.tags ?? []) as string[];
            return { digest, ref: tag ? `${tag}@${digest}` : "", contextHash: crypto.createHash("sha256").update(`${name}-context`).digest("hex") };
        }
        default:
            return {};
    }
}

/** An AWS-managed prefix list as EC2 describes it; only the stack region's S3 list is known. */
function managedPrefixList(inputs: Record<string, any>, identity: MockIdentity): Record<string, unknown> {
    const list = s3PrefixList(identity.region);
    if (inputs.name !== list.name && inputs.id !== list.id) {
        throw new Error(`getManagedPrefixList asked for ${inputs.name ?? inputs.id}; the mocks answer only ${list.name} in ${identity.region}`);
    }
    return {
        id: list.id,
        name: list.name,
        arn: `arn:aws:ec2:${identity.region}:aws:prefix-list/${list.id}`,
        addressFamily: "IPv4",
        ownerId: "AWS",
        maxEntries: list.cidrs.length,
        version: 1,
        entries: list.cidrs.map((cidr) => ({ cidr, description: "" })),
        tags: {},
    };
}

export function createMocks(identity: MockIdentity): pulumi.runtime.Mocks {
    return {
        newResource(args) {
            const id = `${args.name}-id`;
            return { id, state: { ...args.inputs, ...computedOutputs(args, id, identity) } };
        },
        call(args) {
            switch (args.token) {
                case "aws:index/getCallerIdentity:getCallerIdentity":
                    return { accountId: identity.accountId, arn: `arn:aws:iam::${identity.accountId}:user/mock`, userId: "mock" };
                case "aws:index/getRegion:getRegion":
                    return { name: identity.region, region: identity.region };
                case "aws:eks/getCluster:getCluster":
                    return {
                        name: args.inputs.name,
                        arn: `arn:aws:eks:${identity.region}:${identity.accountId}:cluster/${args.inputs.name}`,
                        endpoint: `https://${"0123456789ABCDEF0123456789ABCDEF"}.gr7.${identity.region}.eks.amazonaws.com`,
                        certificateAuthorities: [{ data: Buffer.from("-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n").toString("base64") }],
                        status: "ACTIVE",
                        version: "1.33",
                    };
                case "aws:index/getPartition:getPartition":
                    return { partition: "aws", dnsSuffix: "amazonaws.com" };
                case "aws:ecr/getAuthorizationToken:getAuthorizationToken": {
                    // ECR hands out a 12-hour docker login for the registry: user AWS and a token as password.
                    const password = "mock-ecr-login-token";
                    return {
                        id: identity.region,
                        registryId: args.inputs.registryId ?? identity.accountId,
                        userName: "AWS",
                        password,
                        authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
                        proxyEndpoint: `https://${ecrRegistry(identity)}`,
                        expiresAt: "2026-11-25T12:00:00Z",
                    };
                }
                case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
                    return managedPrefixList(args.inputs, identity);
                default:
                    throw new Error(`the program invoked ${args.token}, which the test mocks do not answer; derive the value from settings instead`);
            }
        },
    };
}
