package channelcmd

import (
	"context"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// cipherListBMC serves a cipher suite record list in 16-byte chunks.
type cipherListBMC struct{ recs []byte }

func (b *cipherListBMC) Send(_ context.Context, r *ipmi.Request) (*ipmi.Response, error) {
	if r.NetFn != ipmi.NetFnApp || r.Cmd != ipmi.CmdGetChannelCipherSuites {
		return &ipmi.Response{Code: ipmi.CodeInvalidCommand}, nil
	}
	i := int(r.Data[2]&0x3F) * 16
	if i > len(b.recs) {
		return &ipmi.Response{Code: ipmi.CodeParameterOutOfRange}, nil
	}
	return &ipmi.Response{Data: append([]byte{1}, b.recs[i:min(i+16, len(b.recs))]...)}, nil
}

func (b *cipherListBMC) Close() error { return nil }

// ipmitool 1.8.19 prints at most 12 suites; ipmictl prints the same text
// and says on stderr how many it left out; JSON has them all.
func TestChannelGetciphersTwelveAndNote(t *testing.T) {
	b := &cipherListBMC{}
	for id := byte(0); id < 18; id++ {
		b.recs = append(b.recs, 0xC0, id, 0x01, 0x41, 0x81)
	}
	b.recs = append(b.recs, 0xC1, 0x80, 0xA2, 0x02, 0x00, 0x03, 0x44, 0x81)
	out, errOut, code := clitest.Run(t, b, "channel", "getciphers", "ipmi", "1")
	if code != 0 || strings.Count(out, "\n") != 13 || !strings.Contains(out, "11   N/A     hmac_sha1       hmac_sha1_96    aes_cbc_128    \n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(errOut, "7 more cipher suite(s) not shown") {
		t.Errorf("stderr %q", errOut)
	}
	out, _, _ = clitest.Run(t, b, "-o", "json", "channel", "getciphers", "ipmi", "1")
	if strings.Count(out, `"id":`) != 19 || !strings.Contains(out, `"iana": 674`) || !strings.Contains(out, `"integrity_alg": "sha256_128"`) {
		t.Errorf("json:\n%s", out)
	}
}
