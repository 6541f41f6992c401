// Package rmcp is the LAN transport: RMCP framing, ASF presence ping,
// IPMI v1.5 sessions and IPMI v2.0 RMCP+ sessions (RAKP handshake, session
// keys, integrity and AES confidentiality), and payload channels so that
// Serial-over-LAN rides the same session as IPMI requests.
//
// A *Session (from Dial) is an ipmi.Transport: safe for many goroutines,
// up to four requests in flight, one reader goroutine matching responses
// by IPMI sequence number, netFn and command.
//
// Login policy. Left to choose (CipherSuite -1), Dial takes only suites
// with integrity and encryption (17, 3, 8, 12, in that order): it
// proposes 17 at once, then 3, and reads the BMC's suite list only when
// both are refused; a BMC offering nothing acceptable gets a *SuiteError
// naming its suites. Integrity-only suites must be named; suites without
// integrity must be named and allowed (AllowInsecure). A remembered suite
// (SuiteHint, or a SuiteMemory such as NewSuiteFile) is proposed first
// but never one Dial would not choose itself. IPMI 1.5 chooses MD5, then
// MD2; PASSWORD only when named, NONE only when named and allowed. The
// auth type is fixed by the Activate Session answer, which must carry the
// one asked for, and every later answer must carry it too: others are
// dropped and counted in Stats. A RAKP 2 or RAKP 4 whose auth code fails
// is asked for again (rakpRechecks) before the password or K_g is called
// wrong.
//
// For the server side (server*.go, the simulated BMC's RAKP responder):
// every wire format here encodes and decodes in both directions. Reuse
//
//   - appendRMCPHeader, parseRMCPHeader                   (rmcp.go)
//   - asfMessage.append, parseASF, appendPong, parsePong  (asf.go)
//   - lanMsg.append, parseLANMsg: the IPMI message with both checksums,
//     request or response layout (lanmsg.go)
//   - session15Header.append, parseSession15, authCode15 (session15.go; md2.go)
//   - session20Header.append, parseSession20, integrityPadLen (session20.go)
//   - halfConn: one direction of a session (v1.5 or RMCP+). seal20/seal15
//     build an outbound packet (sequence number, confidentiality, integrity);
//     open20/open15 check integrity with hmac.Equal first, then the session
//     ID and the sequence window, then decrypt (halfconn.go). A BMC uses
//     one halfConn per direction with the same keys, its out.id being the
//     console's session ID and its in.id its own.
//   - authAlgs, integrityAlgs, confAlgs, cipherSuites, suitePreference:
//     the algorithm tables keyed by IPMI numbers (algorithms.go)
//   - rakpParams: rakp2AuthCode, rakp3AuthCode, sik, rakp4ICV; deriveK for
//     K1/K2 (keys.go)
//   - openSessionRequest/openSessionResponse, rakp1..rakp4: append and
//     parse for each (rakpmsg.go); rakpStatusError maps status codes.
package rmcp
