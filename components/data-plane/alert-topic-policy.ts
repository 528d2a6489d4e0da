/**
 * Access policy of the alert topic (Amazon SNS), as a plain JSON-ready document. Same-account IAM
 * principals could otherwise publish on the strength of their own IAM policies alone, so the
 * policy does not only allow Grafana: it denies publishing to every other principal (CloudWatch
 * alarms of this account aside), and denies every request made without TLS.
 */
import { accountRootArn, policyDocument, type PolicyDocument } from "../platform/iam-policy";
import { alarmSourceArns, cloudWatchService } from "./alarm-publishing";
import { grafanaAlertActions } from "./workload-policies";

export interface AlertTopicPolicyArgs {
    readonly accountId: string;
    readonly region: string;
    /** ARN of the topic the policy is attached to. */
    readonly topicArn: string;
    /** ARN of Grafana's role, the topic's only publisher. */
    readonly publisherRoleArn: string;
}

/**
 * Grafana's role publishes (named through the account principal plus `aws:PrincipalArn`, so the
 * policy does not need the role to exist first), and so do CloudWatch alarms of this account and
 * region (the security alarms); any other caller, of this account or not, is refused
 * `sns:Publish`; nothing reaches the topic over plain HTTP.
 */
export function alertTopicPolicy(args: AlertTopicPolicyArgs): PolicyDocument {
    // A service principal has no aws:PrincipalArn, so CloudWatch is exempted by its service name.
    const notGrafana = {
        ArnNotEquals: { "aws:PrincipalArn": args.publisherRoleArn },
        StringNotEquals: { "aws:PrincipalServiceName": cloudWatchService },
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
            Sid: "CloudWatchAlarmsPublishAlerts",
            Effect: "Allow",
            Principal: { Service: cloudWatchService },
            Action: "sns:Publish",
            Resource: args.topicArn,
            Condition: alarmSourceArns(args.region, args.accountId),
        },
        { Sid: "DenyOtherPublishers", Effect: "Deny", Principal: "*", Action: grafanaAlertActions, Resource: args.topicArn, Condition: notGrafana },
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
