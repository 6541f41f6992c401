// Package rmcp is the LAN transport: RMCP framing, ASF presence ping,
// IPMI v1.5 sessions and IPMI v2.0 RMCP+ sessions (RAKP handshake, session
// keys, integrity and AES confidentiality), and payload channels so that
// Serial-over-LAN rides the same session as IPMI requests.
//
// A *Session (from Dial) is an ipmi.Transport.
//
// For the server side (server*.go, the simulated BMC's RAKP responder):
// every wire format here encodes and decodes in both directions; reuse
//
//   - appendRMCPHeader / parseRMCPHeader               (rmcp.go)
//   - appendASFPong-side: asfMessage.append / parseASF  (asf.go)
//   - lanMsg.append / parseLANMsg: the IPMI message with both checksums,
//     request or response layout (lanmsg.go)
//   - session15Header.append / parseSession15, authCode15 (session15.go, md2.go)
//   - halfConn: one direction of an RMCP+ or v1.5 session; seal builds an
//     outbound packet (seq, confidentiality, integrity), open checks
//     integrity with hmac.Equal first, then session ID, sequence window,
//     and decrypts (halfconn.go, session20.go)
//   - authAlgs / integrityAlgs / confAlgs / cipherSuites tables keyed by IPMI
//     numbers (algorithms.go)
//   - rakpKeys: rakp2AuthCode, rakp3AuthCode, sik, k1/k2, rakp4ICV (keys.go)
//   - openSessionRequest/Response, rakp1..rakp4 append/parse (rakpmsg.go)
package rmcp
