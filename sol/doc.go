// Package sol is Serial-over-LAN (IPMI v2.0 chapters 15 and 26): the
// payload activation commands (Activate/Deactivate Payload, Get Payload
// Activation Status, user payload access), the SOL configuration
// parameters, the SOL packet format, and Console, a reliable byte stream
// over the SOL payload of an RMCP+ session.
//
// Console speaks the SOL packet protocol: one packet in flight each way,
// 4-bit sequence numbers 1-15 (0 marks an ACK-only packet), ACK/NACK with
// an accepted character count (the rest is sent again under a new sequence
// number), retransmission on timeout with a retry limit, break and the
// CTS/DCD/RI modem controls. It is event driven (channels and timers, no
// polling) and keeps a quiet console alive with a periodic Get Payload
// Activation Status.
//
// The package does not import rmcp: a session is used through the small
// PayloadConn interface, which rmcp.Session implements.
package sol
