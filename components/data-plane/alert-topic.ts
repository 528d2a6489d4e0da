import * as aws from "../platform/aws";
import * as pulumi from "@pulumi/pulumi";
import { alertTopicPolicy } from "./alert-topic-policy";
import { iamRoleArn, snsTopicArn } from "../platform/iam-policy";
import { retainedChild, type EnvironmentArgs, type RetainableArgs } from "./base-args";

export interface AlertTopicArgs extends EnvironmentArgs, RetainableArgs {
    /** Environment name, shown as the sender of the notification e-mails. */
    readonly environment: string;
    /** Key encrypting the messages (the audit key, whose policy admits Grafana's role through SNS for this topic). */
    readonly keyArn: pulumi.Input<string>;
    /** Team mailbox subscribed to the topic (settings.grafana.alertEmail). */
    readonly email: string;
}

/**
 * Delivery of Grafana's alert notifications and the security alarms: an SNS topic encrypted with the
 * audit key, publishable only by Grafana's role and this account's CloudWatch alarms, only over TLS, with the team mailbox subscribed by e-mail. Grafana
 * reaches SNS through the perimeter's interface endpoint and signs with its Pod Identity
 * credentials, so no SMTP server, internet egress or stored credential is needed.
 *
 * SNS sends the mailbox a confirmation e-mail when the subscription is created; nothing is
 * delivered until someone follows its link once. The subscription is not protected: changing
 * `alertEmail` replaces it (and asks the new mailbox to confirm).
 */
export class AlertTopic extends pulumi.ComponentResource {
    public readonly topic: aws.sns.Topic;
    public readonly subscription: aws.sns.TopicSubscription;
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracing:aws:AlertTopic", name, args, opts);
        const topicArn = snsTopicArn(args.region, args.accountId, args.names.alertTopic);
        // Grafana's role is named, not referenced: the policy admits it by ARN before the role exists.
        const publisherRoleArn = iamRoleArn(args.accountId, args.names.workloadRoles.grafana);
        this.topic = new aws.sns.Topic(
            `${name}-topic`,
            {
                name: args.names.alertTopic,
                // E-mail subscribers see it as the sender's name.
                displayName: `Tracing alerts (${args.environment})`,
                kmsMasterKeyId: args.keyArn,
                policy: JSON.stringify(alertTopicPolicy({ accountId: args.accountId, region: args.region, topicArn, publisherRoleArn })),
            },
            retainedChild(this, args.retain),
        );
        this.subscription = new aws.sns.TopicSubscription(
            `${name}-email`,
            { topic: this.topic.arn, protocol: "email", endpoint: args.email },
            { parent: this },
        );

        this.topicArn = this.topic.arn;
        this.registerOutputs({ topicArn: this.topicArn, subscriptionArn: this.subscription.arn });
    }
}
