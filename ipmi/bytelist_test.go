package ipmi

import (
	"encoding/json"
	"testing"
)

func TestByteListIsAnArrayOfNumbers(t *testing.T) {
	v := struct {
		A ByteList `json:"a"`
		B ByteList `json:"b"`
		C ByteList `json:"c,omitempty"`
	}{A: ByteList{0, 3, 17, 255}, B: ByteList{}}
	got, err := json.Marshal(v)
	if err != nil || string(got) != `{"a":[0,3,17,255],"b":[]}` {
		t.Errorf("got %s, %v", got, err)
	}
}
