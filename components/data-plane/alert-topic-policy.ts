/**
 * Access policy of the alert topic (Amazon SNS), as a plain JSON-ready document. Same-account IAM
 * principals could otherwise publish on the strength of their own IAM policies alone, so the
 * policy does not only allow Grafana and the account's CloudWatch alarms: it denies publishing to
 * everyone else, and denies every request made without TLS.
 */
import { accountRootArn, anyAlarmArn, policyDocument, type PolicyConditions, type PolicyDocument } from "../platform/iam-policy";
import { grafanaAlertActions } from "./workload-policies";

export interface AlertTopicPolicyArgs {
    readonly accountId: string;
    readonly region: string;
    /** ARN of the topic the policy is attached to. */
    readonly topicArn: string;
    /** ARN of Grafana's role, the topic's only IAM publisher. */
    readonly publisherRoleArn: string;
}

/** The service principal CloudWatch alarm actions publish to SNS as. */
export const alarmPublisher = "cloudwatch.amazonaws.com";

/** Requests the CloudWatch principal makes for an alarm of this account and region (and no one else's), plus `alsoEquals`. */
export function ownAlarms(region: string, accountId: string, alsoEquals: Readonly<Record<string, string>> = {}): PolicyConditions {
    return { ArnLike: { "aws:SourceArn": anyAlarmArn(region, accountId) }, StringEquals: { "aws:SourceAccount": accountId, ...alsoEquals } };
}

/**
 * Grafana's role publishes (named through the account principal plus `aws:PrincipalArn`, so the
 * policy does not need the role to exist first), and so do the account's CloudWatch alarms in this
 * region (the certificate-expiry alarm); any other caller, of this account or not, is refused
 * `sns:Publish`; nothing reaches the topic over plain HTTP.
 */
export function alertTopicPolicy(args: AlertTopicPolicyArgs): PolicyDocument {
    // A service principal's request carries aws:PrincipalServiceName, not aws:PrincipalArn.
    const notGrafanaNorAlarms = {
        ArnNotEquals: { "aws:PrincipalArn": args.publisherRoleArn },
        StringNotEquals: { "aws:PrincipalServiceName": alarmPublisher },
    };
    return policyDocument([
        {
            Sid: "GrafanaPublishesAlerts",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(args.accountId) },
            Action: grafanaAlertActions,
            Resource: args.topicArn,
            Condition: { ArnEquals: { "aws:PrincipalArn": args.publisherRoleArn } },
        },
        {
            Sid: "AccountAlarmsPublishAlerts",
            Effect: "Allow",
            Principal: { Service: alarmPublisher },
            Action: "sns:Publish",
            Resource: args.topicArn,
            Condition: ownAlarms(args.region, args.accountId),
        },
        { Sid: "DenyOtherPublishers", Effect: "Deny", Principal: "*", Action: grafanaAlertActions, Resource: args.topicArn, Condition: notGrafanaNorAlarms },
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:*",
            Resource: args.topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ]);
}
