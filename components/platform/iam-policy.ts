/**
 * Typed IAM policy documents and the ARNs the platform's policies name. Every key, bucket, trust
 * and permission policy is built from these types as plain data, then serialised with
 * JSON.stringify, so a policy is checked by the compiler here and parsed (never string-matched)
 * by the tests.
 */

/** Condition operator -> condition key -> value(s), as in the IAM policy grammar. */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;

export type PolicyPrincipal = "*" | Readonly<{ AWS?: string | readonly string[]; Service?: string | readonly string[] }>;

export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    /** Absent in identity policies (the principal is whoever holds the policy). */
    readonly Principal?: PolicyPrincipal;
    readonly Action: string | readonly string[];
    /** Absent in trust policies (the resource is the role itself). */
    readonly Resource?: string | readonly string[];
    readonly Condition?: PolicyConditions;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
    const sids = statements.map((s) => s.Sid);
    const duplicate = sids.find((sid, i) => sids.indexOf(sid) !== i);
    if (duplicate) throw new Error(`policy statement Sid '${duplicate}' is used twice`);
    return { Version: "2012-10-17", Statement: statements };
}

/** The account principal: in a key or resource policy it delegates to the account's IAM policies. */
export function accountRootArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:root`;
}

export function iamRoleArn(accountId: string, roleName: string): string {
    return `arn:aws:iam::${accountId}:role/${roleName}`;
}

export function s3BucketArn(bucketName: string): string {
    return `arn:aws:s3:::${bucketName}`;
}

/** The bucket and every object in it, the two resources a bucket-wide statement names. */
export function s3BucketAndObjectArns(bucketName: string): [string, string] {
    const arn = s3BucketArn(bucketName);
    return [arn, `${arn}/*`];
}

export function cloudTrailArn(region: string, accountId: string, trailName: string): string {
    return `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

export function eksClusterArn(region: string, accountId: string, clusterName: string): string {
    return `arn:aws:eks:${region}:${accountId}:cluster/${clusterName}`;
}

export function logGroupArn(region: string, accountId: string, logGroupName: string): string {
    return `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
}

export function snsTopicArn(region: string, accountId: string, topicName: string): string {
    return `arn:aws:sns:${region}:${accountId}:${topicName}`;
}

export function ecrRepositoryArn(region: string, accountId: string, repositoryName: string): string {
    return `arn:aws:ecr:${region}:${accountId}:repository/${repositoryName}`;
}

/** Every log group of the account in the region: the scope CloudWatch Logs may use a key for. */
export function anyLogGroupArn(region: string, accountId: string): string {
    return logGroupArn(region, accountId, "*");
}

/** Regional endpoint name of a service, as KMS sees it in `kms:ViaService` (and as the CloudWatch Logs principal). */
export type KmsCallingService = "s3" | "aps" | "logs" | "cloudtrail" | "kafka" | "secretsmanager" | "sns" | "ecr"
    // EBS: the CSI driver's CreateVolume/AttachVolume reach KMS through EC2.
    | "ec2";

export function viaService(service: KmsCallingService, region: string): string {
    return `${service}.${region}.amazonaws.com`;
}
