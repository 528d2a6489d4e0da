/** Which environment the stack is, the AWS account and region it may deploy to, and the tags it carries. */
import { projectName } from "./keys";
import type { Reader } from "./reader";
import { environmentNames, type EnvironmentName, type Settings } from "./types";

const accountIdPattern = /^\d{12}$/;
const regionPattern = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** The environment the stack deploys; one stack per environment, so it must equal the stack name. */
export function readEnvironment(r: Reader, stack: string): EnvironmentName {
    const environment = r.oneOf("environment", environmentNames);
    if (r.rawValue("environment") !== undefined && environment !== stack) {
        r.problem("environment", r.rawValue("environment"), `the stack name '${stack}' (one stack per environment)`);
    }
    return environment;
}

/** Every environment's account (distinct ones), the region, and a provider allowed only this environment's account. */
export function readAws(r: Reader, environment: EnvironmentName): Settings["aws"] {
    const accountIds = {} as Record<EnvironmentName, string>;
    for (const env of environmentNames) {
        const key = `${env}AccountId`;
        const id = r.string(key, "a 12-digit AWS account id");
        if (id && !accountIdPattern.test(id)) r.problem(key, id, "a 12-digit AWS account id");
        accountIds[env] = id;
    }
    for (const [i, a] of environmentNames.entries()) {
        for (const b of environmentNames.slice(i + 1)) {
            if (accountIds[a] && accountIds[a] === accountIds[b]) {
                r.problem(`${b}AccountId`, accountIds[b], `an account other than ${a}'s (environments never share accounts)`);
            }
        }
    }
    const accountId = accountIds[environment];
    const region = r.string("aws:region", "an AWS region such as eu-central-1");
    if (region && !regionPattern.test(region)) r.problem("aws:region", region, "an AWS region such as eu-central-1");
    const allowedAccountIds = r.stringArray("aws:allowedAccountIds", `exactly [${accountId}]`);
    if (r.rawValue("aws:allowedAccountIds") !== undefined && (allowedAccountIds.length !== 1 || allowedAccountIds[0] !== accountId)) {
        r.problem("aws:allowedAccountIds", allowedAccountIds, `exactly ["${accountId}"], the ${environment} account`);
    }
    return { region, accountId, accountIds };
}

export function readTags(r: Reader, environment: EnvironmentName): Settings["tags"] {
    const owner = r.string("owner", "the owning team's name");
    const costCenter = r.string("costCenter", "a cost-center code");
    const dataClassification = r.oneOf("dataClassification", ["internal", "confidential"] as const);
    return {
        environment,
        system: projectName,
        owner,
        "cost-center": costCenter,
        "data-classification": dataClassification,
    };
}
