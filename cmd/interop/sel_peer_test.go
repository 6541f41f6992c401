package interop

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ipmictl/ipmictl/cmd/clitest"
	"github.com/ipmictl/ipmictl/internal/peers"
)

// On the same ipmi_sim, `ipmictl fru print`, `sel list`, `sel elist` and
// `sel info` print exactly what ipmitool 1.8.19 prints.
func TestFruSelMatchIpmitoolOnIPMISim(t *testing.T) {
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	t.Setenv("LC_ALL", "C")
	for _, args := range [][]string{
		{"fru", "print"}, {"fru", "print", "1"}, {"-v", "fru", "print", "2"},
		{"sel", "list"}, {"sel", "elist"}, {"sel", "info"},
		{"-c", "sel", "list"}, {"-c", "sel", "elist"}, {"sel", "list", "last", "3"},
	} {
		want, _, err := peers.Ipmitool(t, sim, args...)
		if err != nil {
			t.Fatalf("ipmitool %v: %v", args, err)
		}
		got, errOut, err := clitest.RunIpmictlBin(t, bin, sim, args...)
		if err != nil {
			t.Fatalf("ipmictl %v: %v\n%s", args, err, errOut)
		}
		if got != want {
			t.Errorf("ipmictl %v differs from ipmitool\n got:\n%s\nwant:\n%s", args, got, want)
		}
	}
}

// `fru write` of an image taken with `fru read` writes, reads back and
// compares; `fru edit` re-packs and ipmitool reads the result.
func TestFruWriteEditOnIPMISim(t *testing.T) {
	sim := peers.StartIPMISim(t)
	bin := peers.BuildIpmictl(t)
	t.Setenv("LC_ALL", "C")
	file := filepath.Join(t.TempDir(), "fru1.bin")
	if _, errOut, err := clitest.RunIpmictlBin(t, bin, sim, "fru", "read", "1", file); err != nil {
		t.Fatalf("fru read: %v %s", err, errOut)
	}
	orig, err := os.ReadFile(file)
	if err != nil || len(orig) == 0 {
		t.Fatalf("read file: %v", err)
	}
	name := "A Much Longer Product Name Than Before"
	if out, errOut, err := clitest.RunIpmictlBin(t, bin, sim, "fru", "edit", "1", "field", "p", "1", name); err != nil {
		t.Fatalf("fru edit: %v %s %s", err, out, errOut)
	}
	out, _, err := peers.Ipmitool(t, sim, "fru", "print", "1")
	if err != nil || !strings.Contains(out, " Product Name          : "+name+"\n") {
		t.Fatalf("ipmitool after edit: %v\n%s", err, out)
	}
	out, errOut, err := clitest.RunIpmictlBin(t, bin, sim, "fru", "write", "1", file)
	if err != nil || !strings.Contains(out, "verified") {
		t.Fatalf("fru write: %v\n%s%s", err, out, errOut)
	}
	back := filepath.Join(t.TempDir(), "back.bin")
	if _, _, err := peers.Ipmitool(t, sim, "fru", "read", "1", back); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(back); !bytes.Equal(b, orig) {
		t.Error("ipmitool reads back something else than was written")
	}
}
