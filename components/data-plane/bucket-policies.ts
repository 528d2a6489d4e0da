/**
 * Bucket policies of the trace, audit and access-log buckets. Each starts with the same TLS-only
 * statements; the rest says who may write and from where.
 */
import { policyDocument, s3BucketAndObjectArns, s3BucketArn, type PolicyDocument, type PolicyStatement } from "../platform/iam-policy";

/** Oldest TLS version a request to a platform bucket may use. */
export const minimumTlsVersion = 1.2;

/** Prefix under which S3 server access logs of a source bucket land in the access-log bucket. */
export function accessLogPrefix(sourceBucketName: string): string {
    return `s3/${sourceBucketName}/`;
}

/** Refuse plain HTTP and TLS older than 1.2, for every principal and action. */
export function tlsOnlyStatements(bucketName: string): PolicyStatement[] {
    const resources = s3BucketAndObjectArns(bucketName);
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": String(minimumTlsVersion) } },
        },
    ];
}

/**
 * Object data actions: reading, writing, deleting and listing versions of what the bucket holds.
 * Not s3:ListBucket: it also authorises HeadBucket (S3 API reference, HeadBucket: "you must have
 * permissions to perform the s3:ListBucket action"), which the AWS provider calls on every read of
 * the bucket, so denying it outside the endpoint would lock CI's `pulumi refresh` and every bucket
 * update out with 403. Listing reveals only object keys (Tempo block ids), never span data.
 */
export const objectDataActions = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectTagging",
    "s3:PutObject",
    "s3:PutObjectTagging",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:ListBucketVersions",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
    "s3:RestoreObject",
] as const;

export interface TraceBucketPolicyArgs {
    readonly bucketName: string;
    readonly accountId: string;
    /** The S3 gateway endpoint on the platform's route tables (created or reused); when set, object data is reachable only through it. */
    readonly s3VpcEndpointId?: string;
}

/**
 * Trace bucket: TLS only; no principal of another account, whatever a future statement allows;
 * and, once the network perimeter names the S3 gateway endpoint (the one it created, or the one
 * the VPC already had), object data only through it.
 *
 * The endpoint deny covers object data actions of non-service principals only. Bucket
 * configuration (policy, encryption, lifecycle, tags) stays manageable from outside the VPC, so
 * neither the deployment nor an administrator can be locked out of the bucket, and AWS services
 * acting with their own principal are not affected; trace data itself (what Tempo reads and
 * writes) never leaves through another path.
 */
export function traceBucketPolicy(args: TraceBucketPolicyArgs): PolicyDocument {
    const resources = s3BucketAndObjectArns(args.bucketName);
    const notAnAwsService = { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } };
    const statements: PolicyStatement[] = [
        ...tlsOnlyStatements(args.bucketName),
        {
            Sid: "DenyPrincipalsOfOtherAccounts",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { StringNotEquals: { "aws:PrincipalAccount": args.accountId }, ...notAnAwsService },
        },
    ];
    if (args.s3VpcEndpointId) {
        statements.push({
            Sid: "DenyObjectDataOutsidePlatformEndpoint",
            Effect: "Deny",
            Principal: "*",
            Action: objectDataActions,
            Resource: resources,
            Condition: { StringNotEquals: { "aws:SourceVpce": args.s3VpcEndpointId }, ...notAnAwsService },
        });
    }
    return policyDocument(statements);
}

/** Deny object writes by anyone but the named service principal (the only writer of a log bucket). */
function onlyServiceWrites(bucketName: string, servicePrincipal: string): PolicyStatement {
    return {
        Sid: "DenyObjectWritesByOthers",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:PutObject",
        Resource: `${s3BucketArn(bucketName)}/*`,
        Condition: { "ForAllValues:StringNotEquals": { "aws:PrincipalServiceNamesList": servicePrincipal } },
    };
}

export interface AuditBucketPolicyArgs {
    readonly bucketName: string;
    readonly accountId: string;
    /** ARN of the trail allowed to deliver here. */
    readonly trailArn: string;
}

/** Audit bucket: TLS only, written by this environment's trail and nothing else. */
export function auditBucketPolicy(args: AuditBucketPolicyArgs): PolicyDocument {
    const bucketArn = s3BucketArn(args.bucketName);
    const fromThisTrail = { "aws:SourceArn": args.trailArn, "aws:SourceAccount": args.accountId };
    return policyDocument([
        ...tlsOnlyStatements(args.bucketName),
        {
            Sid: "CloudTrailChecksBucketAcl",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucketArn,
            Condition: { StringEquals: fromThisTrail },
        },
        {
            Sid: "CloudTrailDeliversLogFiles",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${args.accountId}/*`,
            Condition: { StringEquals: { ...fromThisTrail, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        onlyServiceWrites(args.bucketName, "cloudtrail.amazonaws.com"),
    ]);
}

export interface AccessLogBucketPolicyArgs {
    readonly bucketName: string;
    readonly accountId: string;
    /** Buckets whose server access logs are delivered here. */
    readonly sourceBucketNames: readonly string[];
}

/** Access-log bucket: TLS only, written by S3 log delivery for the listed source buckets only. */
export function accessLogBucketPolicy(args: AccessLogBucketPolicyArgs): PolicyDocument {
    const bucketArn = s3BucketArn(args.bucketName);
    return policyDocument([
        ...tlsOnlyStatements(args.bucketName),
        {
            Sid: "S3DeliversServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: args.sourceBucketNames.map((source) => `${bucketArn}/${accessLogPrefix(source)}*`),
            Condition: {
                StringEquals: { "aws:SourceAccount": args.accountId },
                ArnLike: { "aws:SourceArn": args.sourceBucketNames.map(s3BucketArn) },
            },
        },
        onlyServiceWrites(args.bucketName, "logging.s3.amazonaws.com"),
    ]);
}
