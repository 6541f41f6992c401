package pefcmd

import (
	"encoding/json"
	"testing"
)

func TestPefJSONVersionAndActionLists(t *testing.T) {
	b, err := json.Marshal(&pefInfoResult{Version: "0x51", FilterCount: 16, Actions: "Alert,Power-off"})
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		Version string   `json:"version"`
		Actions []string `json:"actions"`
		Count   int      `json:"event_filter_count"`
	}
	if err := json.Unmarshal(b, &info); err != nil || info.Version != "1.5" || len(info.Actions) != 2 || info.Count != 16 {
		t.Errorf("pef info JSON %s", b)
	}
	none := "None"
	b, _ = json.Marshal(&pefStatusResult{Actions: &none})
	if string(b) != `{"enabled_actions":[]}` {
		t.Errorf("pef status JSON %s", b)
	}
}
