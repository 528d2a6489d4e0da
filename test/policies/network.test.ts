import { describeRule, named } from "./helpers";

describe("policies: security groups", () => {
    const ingress = (rs: any[]) => named(rs, "tracing-grafana-lb-from-vpn");
    const group = (rs: any[]) => rs.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "tracing-vpn");

    describeRule("security-group-ingress-not-public", [
        {
            title: "a standalone rule from 0.0.0.0/0",
            change: (rs) => (ingress(rs).inputs.cidrIpv4 = "0.0.0.0/0"),
            expect: ["security group ingress rule 'tracing-grafana-lb-from-vpn' admits tcp/443 from 0.0.0.0/0; allow only the VPN, VPC or application networks."],
        },
        {
            title: "an inline rule from ::/0 on all ports",
            change: (rs) => (group(rs).inputs.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"], description: "everything" }]),
            expect: ["security group 'tracing-vpn' ingress[0] admits all traffic from ::/0; allow only the VPN, VPC or application networks."],
        },
        {
            title: "a legacy SecurityGroupRule from 0.0.0.0/0",
            change: (rs) =>
                rs.push({
                    ...structuredClone(ingress(rs)),
                    urn: `${ingress(rs).urn}-legacy`,
                    type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                    name: "legacy",
                    inputs: { type: "ingress", securityGroupId: "sg", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], description: "ssh" },
                }),
            expect: ["security group rule 'legacy' admits tcp/22 from 0.0.0.0/0; allow only the VPN, VPC or application networks."],
        },
    ]);

    describeRule("security-group-ingress-allow-listed", [
        {
            title: "a public range off the allow-list",
            change: (rs) => (ingress(rs).inputs.cidrIpv4 = "198.51.100.0/24"),
            expect: [
                "security group ingress rule 'tracing-grafana-lb-from-vpn' admits tcp/443 from 198.51.100.0/24, outside the allow-list 10.40.0.0/16, 172.24.0.0/20, 10.40.64.0/18, 10.41.0.0/20.",
            ],
        },
        {
            title: "all traffic from an allow-listed CIDR",
            change: (rs) => Object.assign(ingress(rs).inputs, { ipProtocol: "-1", fromPort: undefined, toPort: undefined }),
            expect: ["security group ingress rule 'tracing-grafana-lb-from-vpn' admits all traffic from CIDR ranges; name the protocol and ports."],
        },
        {
            title: "compliant: another security group as the source",
            change: (rs) => {
                delete ingress(rs).inputs.cidrIpv4;
                ingress(rs).inputs.referencedSecurityGroupId = "sg-0123456789abcdef0";
            },
            expect: [],
        },
    ]);

    describeRule("security-group-egress-restricted", [
        {
            title: "all traffic to the internet",
            change: (rs) => Object.assign(named(rs, "tracing-vpn-to-vpc-https").inputs, { cidrIpv4: "0.0.0.0/0", ipProtocol: "-1" }),
            expect: ["security group egress rule 'tracing-vpn-to-vpc-https' lets all traffic out to 0.0.0.0/0; restrict the destination or the ports."],
        },
        {
            title: "every TCP port to the internet",
            change: (rs) => Object.assign(named(rs, "tracing-vpn-to-vpc-https").inputs, { cidrIpv4: "0.0.0.0/0", fromPort: 0, toPort: 65535 }),
            expect: ["security group egress rule 'tracing-vpn-to-vpc-https' lets tcp/0-65535 out to 0.0.0.0/0; restrict the destination or the ports."],
        },
        { title: "compliant: HTTPS to the internet", change: (rs) => (named(rs, "tracing-vpn-to-vpc-https").inputs.cidrIpv4 = "0.0.0.0/0"), expect: [] },
    ]);

    describeRule("security-group-rules-described", [
        {
            title: "the provider's default group description and an undescribed rule",
            change: (rs) => {
                group(rs).inputs.description = "Managed by Pulumi";
                delete ingress(rs).inputs.description;
            },
            expect: ["security group 'tracing-vpn' has no description of its purpose.", "security group ingress rule 'tracing-grafana-lb-from-vpn' has no description."],
        },
        {
            title: "an undescribed inline rule",
            change: (rs) => (named(rs, "tracing-grafana-lb").inputs.egress = [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.40.0.0/16"] }]),
            expect: ["security group 'tracing-grafana-lb' egress[0] has no description."],
        },
    ]);

    describeRule("security-group-rules-not-mixed", [
        {
            title: "inline rules on a group that also has standalone rules",
            change: (rs) => (named(rs, "tracing-grafana-lb").inputs.egress = [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.40.0.0/16"], description: "x" }]),
            expect: ["security group 'tracing-grafana-lb' has inline rules and standalone rules (tracing-grafana-lb-from-vpn); manage it one way only."],
        },
        {
            title: "compliant: inline rules only",
            change: (rs) => {
                rs.splice(rs.indexOf(ingress(rs)), 1);
                named(rs, "tracing-grafana-lb").inputs.ingress = [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["172.24.0.0/20"], description: "VPN" }];
            },
            expect: [],
        },
    ]);
});
