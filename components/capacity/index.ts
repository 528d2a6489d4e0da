/** Capacity: the plan every workload is sized from, and its monthly cost. */
export { planCapacity, type CapacityPlan } from "./plan";
export { capacityPlanOutput } from "./report";
