import { PolicyPack } from "@pulumi/policy";
import { defaultEnforcementLevel, packName, policies } from "./rules";

new PolicyPack(packName, { policies, enforcementLevel: defaultEnforcementLevel });
