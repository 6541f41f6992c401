package cli

import (
	"strings"
)

// Mask stands for a secret in a command line shown back to the user.
const Mask = "****"

// LineHasSecret reports lines that must not reach the history file: a
// password or K_g on the line (-P, -k, -y in any spelling), or a password
// given as a command argument (lan set N password, user set password,
// user test, lan set N snmp).
func LineHasSecret(line string) bool {
	_, secrets := MaskSecrets(line)
	return len(secrets) > 0
}

// MaskSecrets returns line with every secret replaced by Mask (the words
// rejoined, quoted where a shell would need it), and the secrets found.
// A line without secrets comes back trimmed, as written.
func MaskSecrets(line string) (masked string, secrets []string) {
	words, err := ExecSplitLine(line)
	if err != nil {
		words = strings.Fields(line)
	}
	spans := lineSecrets(words)
	if len(spans) == 0 {
		return strings.TrimSpace(line), nil
	}
	out := append([]string(nil), words...)
	for _, s := range spans {
		secrets = append(secrets, words[s.Word][s.Start:])
		out[s.Word] = words[s.Word][:s.Start] + Mask
	}
	for i, w := range out {
		out[i] = shellQuote(w)
	}
	// The same text elsewhere on the line (an argument that repeats it)
	// is masked too.
	return HideSecrets(strings.Join(out, " "), secrets), secrets
}

// HideSecrets replaces each secret (of at least 3 bytes: shorter ones
// would mask unrelated digits and words) in an error text by Mask.
func HideSecrets(text string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= 3 {
			text = strings.ReplaceAll(text, s, Mask)
		}
	}
	return text
}

// passwordArgs are the commands that take a password as a positional
// argument: the command words, and the index (among the positional
// words) of the password; a "" command word matches any word.
var passwordArgs = []struct {
	path []string
	at   int
}{
	{[]string{"lan", "set", "", "password"}, 4},  // lan set N password PASS
	{[]string{"lan", "set", "", "snmp"}, 4},      // lan set N snmp COMMUNITY
	{[]string{"user", "set", "password", ""}, 4}, // user set password ID PASS [16|20]
	{[]string{"user", "test", "", ""}, 4},        // user test ID 16|20 PASS
}

// lineSecrets finds the secrets in a split command line: the values of
// -P, -k and -y, and password arguments.
func lineSecrets(words []string) []secretSpan {
	spans, pos := walkArgs(words, globalFlagSet())
	for _, pa := range passwordArgs {
		if len(pos) <= pa.at {
			continue
		}
		match := true
		for i, w := range pa.path {
			if w != "" && words[pos[i]] != w {
				match = false
				break
			}
		}
		if match {
			spans = append(spans, secretSpan{pos[pa.at], 0, pa.path[0] + " " + pa.path[1]})
		}
	}
	return spans
}

// shellQuote quotes w for display when a shell would split or expand it.
func shellQuote(w string) string {
	if w != "" && !strings.ContainsAny(w, " \t\r\n'\"\\#$`;&|<>()") {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}
