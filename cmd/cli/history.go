package cli

import (
	"strings"
)

// secretFlags take a password or key as their value.
var secretFlags = map[string]bool{"-P": true, "--password": true, "-k": true, "--kg-key": true, "-y": true, "--kg-hex": true}

// LineHasSecret reports lines that must not reach the history file: a
// password or K_g on the line, or a user password being set.
func LineHasSecret(line string) bool {
	words, err := ExecSplitLine(line)
	if err != nil {
		words = strings.Fields(line)
	}
	for i, w := range words {
		name, _, _ := strings.Cut(w, "=")
		if secretFlags[name] || (strings.HasPrefix(w, "-P") && len(w) > 2 && !strings.HasPrefix(w, "--")) {
			return true
		}
		// user set password ID [PASSWORD], user test ID 16|20 [PASSWORD]
		if w == "user" && i+1 < len(words) {
			rest := words[i+1:]
			if (len(rest) > 3 && rest[0] == "set" && rest[1] == "password") || (len(rest) > 3 && rest[0] == "test") {
				return true
			}
		}
	}
	return false
}
