// Package peers starts and drives the independent IPMI peers that tests
// interoperate with: OpenIPMI's ipmi_sim (a BMC on a private loopback port),
// goipmi-server (a Go BMC with cipher suite 17, inside a private network
// namespace), and the ipmitool and FreeIPMI clients.
//
// A test that needs a peer calls Require first; it skips loudly when a tool
// is missing, and fails instead when IPMICTL_REQUIRE_PEERS=1 (CI).
package peers
