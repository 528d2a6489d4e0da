/**
 * The AWS services the program uses, each from its own module of @pulumi/aws, read as `aws.<service>`
 * exactly as from the package root. The root re-exports every AWS service (2,700 declaration
 * files): importing it makes the type checker parse all of them on every `npm test`. A component
 * that needs another service adds it here.
 */
export * as acm from "@pulumi/aws/acm";
export * as amp from "@pulumi/aws/amp";
export * as cloudtrail from "@pulumi/aws/cloudtrail";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ec2 from "@pulumi/aws/ec2";
export * as ec2clientvpn from "@pulumi/aws/ec2clientvpn";
export * as ecr from "@pulumi/aws/ecr";
export * as eks from "@pulumi/aws/eks";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as msk from "@pulumi/aws/msk";
export * as s3 from "@pulumi/aws/s3";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as sns from "@pulumi/aws/sns";
export * as vpc from "@pulumi/aws/vpc";
export { Provider } from "@pulumi/aws/provider";
export type { Region } from "@pulumi/aws/types/enums";
