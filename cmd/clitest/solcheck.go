package clitest

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// solCheckLines checks that "1\r\n" ... "n\r\n" appear complete and in order.
func SolCheckLines(t *testing.T, where, text string, n int) {
	t.Helper()
	var want strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&want, "%d\r\n", i)
	}
	if !strings.Contains(text, "\n"+want.String()) {
		got := regexp.MustCompile(`\r\n(\d+)\r\n`).FindAllStringSubmatch(text, -1)
		t.Fatalf("%s: lines 1..%d not complete and in order (%d numeric lines seen)", where, n, len(got))
	}
}
