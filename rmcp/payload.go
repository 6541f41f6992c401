package rmcp

import (
	"context"
	"errors"
	"fmt"
)

// payloadQueue is how many inbound payloads a subscriber may fall
// behind before further ones are dropped (and counted).
const payloadQueue = 64

// SendPayload sends one payload of another type (e.g. PayloadSOL) on
// the session, with the session's integrity and confidentiality. It does
// not wait or retransmit: payload protocols such as SOL do their own.
func (s *Session) SendPayload(ctx context.Context, payloadType uint8, data []byte) error {
	if s.v15 {
		return errors.New("rmcp: payloads other than IPMI need an IPMI v2.0 (lanplus) session")
	}
	if payloadType == PayloadIPMI || payloadType&^payloadTypeMask != 0 {
		return fmt.Errorf("rmcp: payload type 0x%02x cannot be sent with SendPayload", payloadType)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-s.done:
		return ErrClosed
	default:
	}
	return s.writePayload(payloadType, data)
}

// Payload returns the channel on which inbound payloads of payloadType
// arrive, decrypted and integrity-checked (each a fresh slice). The same
// channel is returned on every call; it is closed when the session is.
func (s *Session) Payload(payloadType uint8) <-chan []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.subs[payloadType]
	if !ok {
		ch = make(chan []byte, payloadQueue)
		if s.subsClosed {
			close(ch)
		}
		s.subs[payloadType] = ch
	}
	return ch
}

// deliverPayload hands a copy of payload to its subscriber, if any.
func (s *Session) deliverPayload(pt uint8, payload []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.subs[pt]
	if !ok || s.subsClosed {
		s.stats.dropOther.Add(1)
		return
	}
	select {
	case ch <- append([]byte(nil), payload...):
	default:
		s.stats.dropOther.Add(1)
	}
}

// closeSubscribers closes every payload channel (reader goroutine gone).
func (s *Session) closeSubscribers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subsClosed = true
	for _, ch := range s.subs {
		close(ch)
	}
}
