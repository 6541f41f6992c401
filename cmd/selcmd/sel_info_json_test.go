package selcmd

import (
	"encoding/json"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/ipmi"
)

// TestSelInfoJSONUnsetTimestamps: a timestamp the BMC reports as unset
// (FFFFFFFFh or 0, "Not Available" in the text) is null in JSON, never
// 4294967295 or 0; a set one is its number.
func TestSelInfoJSONUnsetTimestamps(t *testing.T) {
	for _, c := range []struct {
		add, erase  []byte
		wAdd, wEras any
	}{
		{[]byte{0x10, 0x20, 0x30, 0x40}, []byte{0xff, 0xff, 0xff, 0xff}, float64(0x40302010), nil},
		{[]byte{0, 0, 0, 0}, []byte{0x01, 0, 0, 0x60}, nil, float64(0x60000001)},
	} {
		data := append([]byte{0x51, 6, 0, 0xa0, 0x3f}, c.add...)
		data = append(append(data, c.erase...), 0x0a) // delete and reserve, no allocation info
		b := clitest.NewFakeBMC().On(ipmi.NetFnStorage, 0x40, ipmi.CodeOK, data...)
		out, errOut, code := clitest.Run(t, b, "-o", "json", "sel", "info")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got struct {
			Info map[string]any `json:"info"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		add, okA := got.Info["last_add_timestamp"]
		erase, okE := got.Info["last_erase_timestamp"]
		if !okA || !okE || add != c.wAdd || erase != c.wEras || got.Info["entries"] != 6.0 {
			t.Errorf("info %v: last add %v, last erase %v; want %v, %v", got.Info, add, erase, c.wAdd, c.wEras)
		}
	}
}
