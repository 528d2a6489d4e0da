/**
 * Types of the AWS resources the rules read, each from its own module of @pulumi/aws, read as
 * `aws.<service>.<Type>Args` as from the package root, whose 2,700 declaration files the type
 * checker would otherwise parse on every run; and the input shapes several rule files read.
 */
import type { Unwrap } from "@pulumi/pulumi";
import type * as ec2clientvpn from "@pulumi/aws/ec2clientvpn";

export type * as cloudtrail from "@pulumi/aws/cloudtrail";
export type * as cloudwatch from "@pulumi/aws/cloudwatch";
export type * as ec2 from "@pulumi/aws/ec2";
export type * as ec2clientvpn from "@pulumi/aws/ec2clientvpn";
export type * as iam from "@pulumi/aws/iam";
export type * as kms from "@pulumi/aws/kms";
export type * as s3 from "@pulumi/aws/s3";
export type * as vpc from "@pulumi/aws/vpc";

/** A Client VPN endpoint's inputs (the identity and VPN rules both read them). */
export type ClientVpnEndpointInputs = Unwrap<ec2clientvpn.EndpointArgs>;
/** A Client VPN authorization rule's inputs. */
export type ClientVpnAuthorizationRuleInputs = Unwrap<ec2clientvpn.AuthorizationRuleArgs>;
