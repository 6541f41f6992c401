package eventcmd

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
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
	line = strings.TrimFunc(line, cli.IsSpace)
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
		v, ok := cli.ParseByte(tok)
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
		return &cli.SilentError{Code: cli.ExitBMC}
	}
	return nil
}
