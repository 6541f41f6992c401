package solcmd

import (
	"io"
	"time"
)

// solLogWriter appends console output to a log, each line prefixed with
// the UTC time its first character arrived. CR LF becomes LF.
type solLogWriter struct {
	w         io.Writer
	now       func() time.Time
	lineStart bool
	cr        bool // a CR is pending: dropped if LF follows
}

func newSolLogWriter(w io.Writer) *solLogWriter {
	return &solLogWriter{w: w, now: time.Now, lineStart: true}
}

func (l *solLogWriter) Write(p []byte) (int, error) {
	var out []byte
	for _, ch := range p {
		if l.cr {
			l.cr = false
			if ch != '\n' {
				out = l.put(out, '\r')
			}
		}
		if ch == '\r' {
			l.cr = true
			continue
		}
		out = l.put(out, ch)
	}
	if _, err := l.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (l *solLogWriter) put(out []byte, ch byte) []byte {
	if l.lineStart {
		out = l.now().UTC().AppendFormat(out, "2006-01-02T15:04:05.000Z ")
	}
	l.lineStart = ch == '\n'
	return append(out, ch)
}

// Close ends an unfinished line so the next session starts on its own.
func (l *solLogWriter) Close() error {
	var out []byte
	if l.cr {
		out = l.put(out, '\r')
		l.cr = false
	}
	if !l.lineStart {
		out = append(out, '\n')
		l.lineStart = true
	}
	_, err := l.w.Write(out)
	return err
}
