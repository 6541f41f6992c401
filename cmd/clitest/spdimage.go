package clitest

import (
	"os"
	"path/filepath"
	"testing"
)

func SpdImage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "fru", "testdata", "spd", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
