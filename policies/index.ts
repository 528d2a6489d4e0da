import { PolicyPack } from "@pulumi/policy";
import { defaultEnforcementLevel, packName, policies } from "./rules/index";

new PolicyPack(packName, { policies, enforcementLevel: defaultEnforcementLevel });
