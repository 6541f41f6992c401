package cmd

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"
)

// eventFileLine is one line of an event file, parsed as ipmitool's
// ipmi_event_fromfile does: seven bytes separated by spaces, anything
// after # a comment. Blank lines have neither Body nor Errors.
type eventFileLine struct {
	Body   [7]byte
	Valid  bool     // seven bytes were read
	Errors []string // ipmitool's messages for a bad line
	// BadToken is set when a token was not a byte; ipmitool then exits
	// non-zero unless a later event is sent.
	BadToken bool
}

// eventParseFileLine parses one line. It never fails: a bad line comes
// back with its messages and without Valid.
func eventParseFileLine(line string) eventFileLine {
	var l eventFileLine
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	line = strings.TrimFunc(line, eventIsSpace)
	if line == "" {
		return l
	}
	count := 0
	// Tokens are split on spaces only (strtok(" ")): a tab inside a line
	// makes the token around it invalid, as in ipmitool.
	for _, tok := range strings.Split(line, " ") {
		if tok == "" {
			continue
		}
		if count == len(l.Body) {
			break
		}
		v, ok := eventParseByte(tok)
		if !ok {
			l.Errors = append(l.Errors, fmt.Sprintf("Invalid token in file: [%s]", tok))
			l.BadToken = true
			break
		}
		l.Body[count] = v
		count++
	}
	if count < len(l.Body) {
		l.Errors = append(l.Errors, fmt.Sprintf("Invalid Event: %x", l.Body[:]))
		return l
	}
	l.Valid = true
	return l
}

// eventIsSpace is C's isspace in the C locale.
func eventIsSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// eventParseByte is ipmitool's str2uchar: strtoul base 0 (0x hex, leading
// 0 octal, else decimal; leading white space and a sign allowed), the
// whole token consumed, at most 255.
func eventParseByte(s string) (uint8, bool) {
	s = strings.TrimLeftFunc(s, eventIsSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := 10
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && eventDigit(s[2], 16) >= 0:
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base = 8
	}
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		d := eventDigit(s[i], base)
		if d < 0 {
			return 0, false
		}
		v = v*base + d
		if v > 0xff {
			return 0, false
		}
	}
	if neg && v != 0 {
		return 0, false // strtoul wraps a negative number past 255
	}
	return uint8(v), true
}

// eventDigit is the value of c in base, or -1.
func eventDigit(c byte, base int) int {
	d := -1
	switch {
	case c >= '0' && c <= '9':
		d = int(c - '0')
	case c >= 'a' && c <= 'f':
		d = int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		d = int(c-'A') + 10
	}
	if d >= base {
		return -1
	}
	return d
}

// fromFile sends every event in file, one a line (the format `sel save`
// writes). Bad lines are reported and skipped; the first event the BMC
// refuses stops the run.
func (s *eventSender) fromFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return fmt.Errorf("File %s does not exist", path)
		}
		return err
	}
	badToken := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), len(data)+1)
	for n := 1; sc.Scan(); n++ {
		l := eventParseFileLine(sc.Text())
		for _, msg := range l.Errors {
			fmt.Fprintln(s.f.IO.ErrOut, msg)
		}
		if l.BadToken {
			badToken = true
		}
		if !l.Valid {
			continue
		}
		if err := s.send(l.Body, eventJSON{Line: n}); err != nil {
			return err
		}
		badToken = false
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if badToken {
		return &SilentError{Code: ExitBMC}
	}
	return nil
}
