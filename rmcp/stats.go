package rmcp

import "sync/atomic"

// Stats counts a session's traffic since Dial.
type Stats struct {
	Requests         uint64 // IPMI requests sent by Send (first tries)
	Retransmits      uint64 // extra tries after a timeout
	Received         uint64 // inbound packets accepted
	DroppedIntegrity uint64 // failed the integrity / auth code check
	DroppedSequence  uint64 // outside the sequence window, or replayed
	DroppedOther     uint64 // wrong session ID, malformed, unmatched, or no subscriber room
}

type stats struct {
	requests, retransmits, received        atomic.Uint64
	dropIntegrity, dropSequence, dropOther atomic.Uint64
}

func (s *stats) snapshot() Stats {
	return Stats{
		Requests: s.requests.Load(), Retransmits: s.retransmits.Load(), Received: s.received.Load(),
		DroppedIntegrity: s.dropIntegrity.Load(), DroppedSequence: s.dropSequence.Load(), DroppedOther: s.dropOther.Load(),
	}
}

// countDrop files a packet the session refused under the right counter.
func (s *stats) countDrop(err error) {
	switch err {
	case errDropIntegrity:
		s.dropIntegrity.Add(1)
	case errDropSequence:
		s.dropSequence.Add(1)
	default:
		s.dropOther.Add(1)
	}
}
