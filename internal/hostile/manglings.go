package hostile

import (
	"encoding/binary"
	"math/rand"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Manglings is the table of hostile BMC behaviours every CLI command is
// run against. Each keeps the session valid and lies in the payload.
var Manglings = map[string]Mangle{
	// Short responses: the data cut in half, or nothing at all.
	"truncated": func(_ *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		r.Data = r.Data[:len(r.Data)/2]
		return r
	},
	"empty": func(_ *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		r.Data = nil
		return r
	},
	// Oversized: a kilobyte of 0xFF after the real data.
	"oversized": func(_ *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		r.Data = append(r.Data, make255(1024)...)
		return r
	},
	// All ones: every count, length and offset at its maximum, every
	// length pointing past the end.
	"all-ones": func(_ *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		r.Data = make255(len(r.Data))
		return r
	},
	// All zeros: zero counts, zero-length records, zero IDs.
	"all-zeros": func(_ *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		r.Data = make([]byte, len(r.Data))
		return r
	},
	// Random bit flips in a third of the answers.
	"bit-flips": func(_ *ipmi.Request, r *ipmi.Response, rng *rand.Rand) *ipmi.Response {
		if len(r.Data) > 0 && rng.Intn(3) == 0 {
			for range 1 + rng.Intn(4) {
				r.Data[rng.Intn(len(r.Data))] ^= 1 << rng.Intn(8)
			}
		}
		return r
	},
	// Random garbage of random length (up to 300 bytes).
	"garbage": func(_ *ipmi.Request, r *ipmi.Response, rng *rand.Rand) *ipmi.Response {
		r.Data = make([]byte, rng.Intn(301))
		rng.Read(r.Data)
		return r
	},
	// Wrong completion codes, with or without data.
	"completion-codes": func(_ *ipmi.Request, r *ipmi.Response, rng *rand.Rand) *ipmi.Response {
		codes := []ipmi.CompletionCode{0xC0, 0xC1, 0xC5, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xD4, 0xD5, 0xFF, 0x80, 0x81}
		r.Code = codes[rng.Intn(len(codes))]
		if rng.Intn(2) == 0 {
			r.Data = nil
		}
		return r
	},
	// Record walks that never end: each record's next ID is itself
	// (SDR, SEL, SDR reservation-free reads alike).
	"self-looping-next-id": func(q *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		if isRecordRead(q) && len(r.Data) >= 2 && len(q.Data) >= 4 {
			copy(r.Data[0:2], q.Data[2:4])
		}
		return r
	},
	// A two-record cycle: next ID of every record points at the first one.
	"cycling-next-id": func(q *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		if isRecordRead(q) && len(r.Data) >= 2 && len(q.Data) >= 4 && binary.LittleEndian.Uint16(q.Data[2:4]) != 0 {
			binary.LittleEndian.PutUint16(r.Data[0:2], 0)
		}
		return r
	},
	// Huge counts where a count is: repository and SEL info claim 65535
	// entries, FRU areas claim 64 KiB, sessions and users claim 255.
	"huge-counts": func(q *ipmi.Request, r *ipmi.Response, _ *rand.Rand) *ipmi.Response {
		d := r.Data
		switch {
		case q.NetFn == ipmi.NetFnStorage && (q.Cmd == 0x20 || q.Cmd == 0x40) && len(d) >= 5: // SDR / SEL info
			d[1], d[2], d[3], d[4] = 0xFF, 0xFF, 0xFF, 0xFF
		case q.NetFn == ipmi.NetFnStorage && q.Cmd == 0x10 && len(d) >= 2: // FRU inventory area info
			d[0], d[1] = 0xFF, 0xFF
		case q.NetFn == ipmi.NetFnStorage && q.Cmd == 0x11 && len(d) >= 1: // Read FRU data: count past the data
			d[0] = 0xFF
		case q.NetFn == ipmi.NetFnApp && q.Cmd == 0x3D && len(d) >= 3: // Get Session Info
			d[1], d[2] = 0xFF, 0xFF
		case q.NetFn == ipmi.NetFnApp && q.Cmd == 0x44 && len(d) >= 3: // Get User Access
			d[0], d[1], d[2] = 0xFF, 0xFF, 0xFF
		case q.NetFn == ipmi.NetFnSensorEvent && q.Cmd == 0x10 && len(d) >= 2: // PEF capabilities: table sizes
			d[len(d)-1] = 0xFF
		}
		return r
	},
}

// isRecordRead is Get SDR, Get Device SDR or Get SEL Entry: the answer
// starts with the next record ID; the request carries the record ID at 2.
func isRecordRead(q *ipmi.Request) bool {
	return (q.NetFn == ipmi.NetFnStorage && (q.Cmd == 0x23 || q.Cmd == 0x43)) ||
		(q.NetFn == ipmi.NetFnSensorEvent && q.Cmd == 0x21)
}

func make255(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 0xFF
	}
	return b
}
