// Package hostile is the test harness for a hostile world: packet
// tamperers for internal/udpproxy (flipped payload or integrity bits,
// replayed packets, packets of another session) and an ipmi.Transport
// wrapper that mangles a BMC's replies by a table (lengths past the end,
// huge counts, zero-length records, looping next-IDs, wrong completion
// codes, short and oversized responses).
//
// The tests that drive the CLI through it live in package cmd
// (cmd/hostile_*_test.go, they need the unexported in-process runner);
// the tests that drive the built binary (SIGINT hygiene, secrets) live
// here.
package hostile
