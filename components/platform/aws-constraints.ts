/**
 * Input constraints AWS enforces at the API but Pulumi's mocks do not. Each helper returns its
 * argument unchanged when AWS would accept it and throws, naming the rule, when AWS would refuse it,
 * so a bad value fails the program before anything is created rather than halfway through `up`.
 */

/**
 * Security group and security group rule descriptions: EC2 accepts only a-z, A-Z, 0-9, spaces and
 * ._-:/()#,@[]+=&;{}!$* and at most 255 characters (EC2 API reference: CreateSecurityGroup
 * GroupDescription, IpRange.Description, UserIdGroupPair.Description,
 * AuthorizeSecurityGroupIngress / SecurityGroupRuleRequest.Description).
 */
export const ec2DescriptionPattern = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

export function ec2Description(text: string): string {
    if (!ec2DescriptionPattern.test(text)) {
        const refused = [...new Set([...text].filter((c) => !/[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/.test(c)))];
        throw new Error(
            `EC2 refuses the description "${text}": ${text.length > 255 ? `${text.length} characters (at most 255)` : `characters ${refused.map((c) => JSON.stringify(c)).join(" ")} are not allowed`}; allowed are a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*`,
        );
    }
    return text;
}
