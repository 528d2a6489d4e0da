/**
 * Resource type tokens of @pulumi/aws v7 the rules match, with the deprecated `*V2` S3 aliases
 * treated as the same class (S3 rules must still see a stack that uses them).
 */
export const awsTypes = {
    bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    bucketEncryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    bucketPublicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    bucketOwnershipControls: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    bucketAcl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    bucketPolicy: ["aws:s3/bucketPolicy:BucketPolicy"],
    bucketVersioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    bucketLogging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    bucketObjectLock: [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    ],
    bucketLifecycle: [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    ],
    kmsKey: ["aws:kms/key:Key"],
    kmsKeyPolicy: ["aws:kms/keyPolicy:KeyPolicy"],
    trail: ["aws:cloudtrail/trail:Trail"],
    logGroup: ["aws:cloudwatch/logGroup:LogGroup"],
    vpnEndpoint: ["aws:ec2clientvpn/endpoint:Endpoint"],
    vpcEndpoint: ["aws:ec2/vpcEndpoint:VpcEndpoint"],
    snsTopic: ["aws:sns/topic:Topic"],
    metricsWorkspace: ["aws:amp/workspace:Workspace"],
    vpnAuthorizationRule: ["aws:ec2clientvpn/authorizationRule:AuthorizationRule"],
    securityGroup: ["aws:ec2/securityGroup:SecurityGroup"],
    ingressRule: ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
    egressRule: ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"],
    securityGroupRule: ["aws:ec2/securityGroupRule:SecurityGroupRule"],
    iamRole: ["aws:iam/role:Role"],
    iamPolicy: ["aws:iam/policy:Policy"],
    iamRolePolicy: ["aws:iam/rolePolicy:RolePolicy"],
    iamGroupPolicy: ["aws:iam/groupPolicy:GroupPolicy"],
    iamUserPolicy: ["aws:iam/userPolicy:UserPolicy"],
    iamPolicyAttachments: [
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
    ],
    iamUserResources: [
        "aws:iam/user:User",
        "aws:iam/accessKey:AccessKey",
        "aws:iam/userPolicy:UserPolicy",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/userLoginProfile:UserLoginProfile",
    ],
    awsProvider: ["pulumi:providers:aws"],
    kubernetesProvider: ["pulumi:providers:kubernetes"],
} as const;

/** Deprecated S3 tokens pulumi-aws v7 still ships (restored for compatibility, to be removed). */
export const deprecatedS3Types: readonly string[] = [
    "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketAccelerateConfigurationV2:BucketAccelerateConfigurationV2",
    "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketLoggingV2:BucketLoggingV2",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:s3/bucketRequestPaymentConfigurationV2:BucketRequestPaymentConfigurationV2",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
];

/** True for resources of the AWS provider package (not the provider resource itself). */
export function isAwsResource(type: string): boolean {
    return type.startsWith("aws:");
}
