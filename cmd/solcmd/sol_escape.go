package solcmd

import "fmt"

// solEscapeAction is what a chunk of keyboard input asks for.
type solEscapeAction int

const (
	solSendData solEscapeAction = iota
	solQuit
	solBreak
	solSuspend
	solHelp
)

// solEscaper finds ipmitool's escape sequences (ESC is '~' by default) in
// keyboard input; they count only at the start of a line.
type solEscaper struct {
	esc       byte
	lineStart bool
	pending   bool
}

func newSolEscaper(esc byte) *solEscaper { return &solEscaper{esc: esc, lineStart: true} }

// solEscapeStep is one piece of processed input: data to send, or an action.
type solEscapeStep struct {
	action solEscapeAction
	data   []byte
}

// feed splits input into data to send and escape actions, in order.
func (e *solEscaper) feed(in []byte) []solEscapeStep {
	var steps []solEscapeStep
	var data []byte
	emit := func(a solEscapeAction) {
		if len(data) > 0 {
			steps = append(steps, solEscapeStep{action: solSendData, data: data})
			data = nil
		}
		steps = append(steps, solEscapeStep{action: a})
	}
	for _, ch := range in {
		if e.pending {
			e.pending = false
			switch ch {
			case '.':
				emit(solQuit)
				return steps // nothing after ~. is sent
			case 'B':
				emit(solBreak)
				continue
			case 'Z' - 64:
				emit(solSuspend)
				continue
			case '?':
				emit(solHelp)
				continue
			default:
				if ch != e.esc {
					data = append(data, e.esc)
				}
				data = append(data, ch)
			}
		} else if e.lineStart && ch == e.esc {
			e.pending = true
			continue
		} else {
			data = append(data, ch)
		}
		e.lineStart = ch == '\r' || ch == '\n'
	}
	if len(data) > 0 {
		steps = append(steps, solEscapeStep{action: solSendData, data: data})
	}
	return steps
}

// solEscapeHelp is the ~? text, with raw-mode line ends.
func solEscapeHelp(esc byte) string {
	e := string(esc)
	return fmt.Sprintf("%s?\r\n"+
		"Supported escape sequences:\r\n"+
		"\t%s.  - terminate connection\r\n"+
		"\t%s^Z - suspend ipmictl\r\n"+
		"\t%sB  - send break\r\n"+
		"\t%s?  - this message\r\n"+
		"\t%s%s  - send the escape character by typing it twice\r\n"+
		"\t(Note that escapes are only recognized immediately after newline.)\r\n",
		e, e, e, e, e, e, e)
}
