package cli

import (
	"context"
	"strings"
	"testing"
)

func TestInbandMissingDeviceIsConnectionError(t *testing.T) {
	_, err := openInband(context.Background(), &GlobalOptions{Interface: "open", Device: 97})
	if err == nil {
		t.Fatal("opened /dev/ipmi97")
	}
	if got := exitCode(err); got != ExitConnection {
		t.Errorf("exit code %d, want %d", got, ExitConnection)
	}
	if !strings.Contains(err.Error(), "/dev/ipmi97") {
		t.Errorf("error %q does not name the device", err)
	}
}
