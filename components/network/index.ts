/** Network: security groups and VPC endpoints, the Client VPN, internal load balancers and NetworkPolicies. */
export { ClientVpn, type ClientVpnArgs } from "./client-vpn";
export { InternalEndpoints, type InternalEndpointsArgs } from "./internal-endpoints";
export { NetworkPerimeter, type NetworkPerimeterArgs } from "./perimeter";
export { PlatformNetworkPolicies, type PlatformNetworkPoliciesArgs } from "./pod-policies";
