/**
 * What AWS decides for a request that passes a VPC endpoint, with the IAM simulator
 * (@cloud-copilot/iam-simulate): the caller's own IAM policy allows everything, and a resource of
 * another account has a resource policy admitting the caller, so the endpoint policy is the only
 * gate that can refuse.
 */
import { strict as assert } from "assert";
import { runSimulation } from "@cloud-copilot/iam-simulate";

export interface EndpointRequest {
    readonly principal: string;
    /** The caller's account (aws:PrincipalAccount). */
    readonly principalAccount: string;
    readonly action: string;
    readonly resource: string;
    /** The account that owns the resource. */
    readonly accountId: string;
}

/** The other account's resource policy, admitting the caller (cross-account access needs both sides). */
function admitting(request: EndpointRequest): unknown {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: request.principal }, Action: request.action, Resource: request.resource }] };
}

/** Allowed, ExplicitlyDenied or ImplicitlyDenied. */
export async function throughEndpoint(policy: unknown, request: EndpointRequest): Promise<string> {
    const response = await runSimulation(
        {
            request: {
                principal: request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.accountId },
                contextVariables: { "aws:PrincipalAccount": request.principalAccount },
            },
            identityPolicies: [{ name: "everything", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(request.accountId === request.principalAccount ? {} : { resourcePolicy: admitting(request) }),
            vpcEndpointPolicies: [{ name: "endpoint", policy }],
        },
        {},
    );
    assert.equal(response.resultType, "single", JSON.stringify(response));
    return response.resultType === "single" ? response.overallResult : "error";
}
