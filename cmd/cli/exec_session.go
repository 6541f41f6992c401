package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// ExecKeepaliveIdle is how long a shared session may sit idle before a
// keepalive: BMCs drop idle sessions (ipmi_sim after 30 s, the spec's
// default is 60 s).
var ExecKeepaliveIdle = 20 * time.Second

// execSession runs command lines, one at a time, on the session of the
// parent factory: each line gets its own command tree and child factory
// whose client is the parent's, so the session is opened once (lazily, by
// the first line that needs it) and closed once, by the parent's run.
type execSession struct {
	parent *Factory
	opts   GlobalOptions // the parent's resolved options, each line's starting point
	given  []string      // global flags given on the parent's command line

	Interactive bool // shell: errors do not repeat the line back

	mu    sync.Mutex // one line or one keepalive at a time
	last  time.Time  // end of the last BMC exchange
	Worst int

	done chan struct{}
	wg   sync.WaitGroup
}

func NewExecSession(parent *Factory, cmd *cobra.Command) *execSession {
	s := &execSession{parent: parent, opts: *parent.Opts, last: time.Now(), done: make(chan struct{})}
	cmd.InheritedFlags().VisitAll(func(fl *pflag.Flag) {
		if fl.Changed {
			s.given = append(s.given, fl.Name)
		}
	})
	s.wg.Add(1)
	go s.keepalive()
	return s
}

// stop ends the keepalive; the session itself stays for the parent to close.
func (s *execSession) Stop() {
	close(s.done)
	s.wg.Wait()
}

func (s *execSession) Note(code int) {
	if code > s.Worst {
		s.Worst = code
	}
}

// execConnectionFlags are the global flags that pick a BMC or a login: a
// line that sets one gets a session of its own instead of the shared one.
var execConnectionFlags = []string{
	"interface", "host", "port", "username", "password", "env-password", "password-file",
	"ask-password", "privilege", "cipher-suite", "authtype", "kg-key", "kg-hex", "kg-env",
	"kg-ask", "timeout", "retries", "target", "target-channel", "transit", "transit-channel",
	"device", "insecure", "config",
}

// runLine runs one script line (number n) and reports its exit status,
// and whether the script should end here (exit, quit, Ctrl-C).
func (s *execSession) RunLine(ctx context.Context, n int, text string) (code int, stop bool) {
	// Never echo a secret: the line is shown with them masked, and an
	// error text that quotes one has it masked too.
	shown, secrets := MaskSecrets(text)
	where := fmt.Sprintf("line %d: %s: ", n, shown)
	if s.Interactive {
		where = ""
	}
	words, err := ExecSplitLine(text)
	if err != nil {
		if !s.Interactive {
			where = fmt.Sprintf("line %d: ", n)
		}
		fmt.Fprintf(s.parent.IO.ErrOut, "ipmictl: %s%v\n", where, err)
		s.Note(ExitUsage)
		return ExitUsage, false
	}
	if len(words) == 0 {
		return 0, false
	}
	if len(words) == 1 && (words[0] == "exit" || words[0] == "quit") {
		return 0, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.last = time.Now() }()
	shared, err := s.execute(ctx, words)
	if shared && execSessionLost(err) {
		// The BMC dropped the session (or the network did): the next
		// line logs in again rather than timing out too.
		defer func() {
			fmt.Fprintln(s.parent.IO.ErrOut, "ipmictl: the BMC session was lost; the next command opens a new one")
			s.parent.Close()
		}()
	}
	code = exitCode(err)
	if isUnknownCommand(err) {
		code = ExitUsage
	}
	var se *SilentError
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(s.parent.IO.ErrOut, "ipmictl: %sinterrupted\n", where)
		stop = true
	case errors.As(err, &se):
		if code != 0 && !s.Interactive {
			fmt.Fprintf(s.parent.IO.ErrOut, "ipmictl: %sexit status %d\n", where, code)
		}
	default:
		fmt.Fprintf(s.parent.IO.ErrOut, "ipmictl: %s%s\n", where, HideSecrets(err.Error(), secrets))
	}
	s.Note(code)
	return code, stop
}

// execute builds a fresh command tree for words on a child factory that
// borrows the parent's client, runs it, and closes only a session the line
// opened for itself.
func (s *execSession) execute(ctx context.Context, words []string) (usedShared bool, err error) {
	p := s.parent
	child := NewFactory()
	child.Groups = p.Groups
	child.IO = p.IO
	child.Ctx = ctx
	child.single = true
	child.args = words
	root := NewRootCmd(child)
	// Defining the flags reset child.Opts to the defaults; start the line
	// from the parent's resolved options instead, then let it override.
	*child.Opts = s.opts
	root.SetArgs(words)
	root.SetIn(p.IO.In)
	root.SetOut(p.IO.Out)
	root.SetErr(p.IO.ErrOut)
	if sub, _, err := root.Find(words); err == nil && sub.Annotations[ExecAnnotation] != "" {
		return false, UsageErrorf("%s cannot run inside exec or shell", sub.Name())
	}
	// After the line's flags are parsed and before the configuration is
	// loaded: note whether the line names another BMC or login, then
	// mark the parent's flags as given, so that environment variables and
	// profiles do not override them on this line.
	lineConnects := false
	loadConfig := root.PersistentPreRunE
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		lineConnects = execSetsConnection(root)
		for _, name := range s.given {
			if fl := root.PersistentFlags().Lookup(name); fl != nil {
				fl.Changed = true
			}
		}
		return loadConfig(cmd, args)
	}
	var shared ipmi.Transport
	child.Open = func(ctx context.Context, cf *Factory) (ipmi.Transport, error) {
		if lineConnects {
			return p.Open(ctx, cf)
		}
		// Open with the line's context, so Ctrl-C in the shell stops a
		// hanging login; the session outlives it (Dial uses it only for
		// the handshake).
		p.Mu.Lock()
		saved := p.Ctx
		p.Ctx = ctx
		p.Mu.Unlock()
		c, err := p.Client()
		p.Mu.Lock()
		p.Ctx = saved
		p.Mu.Unlock()
		if err != nil {
			return nil, err
		}
		shared = c.Transport()
		return shared, nil
	}
	err = root.Execute()
	child.Mu.Lock()
	own := child.client != nil && child.client.Transport() != shared
	child.Mu.Unlock()
	if own {
		if cerr := child.Close(); cerr != nil && err == nil && child.Opts.Verbose > 0 {
			fmt.Fprintf(p.IO.ErrOut, "ipmictl: closing session: %v\n", cerr)
		}
	}
	return shared != nil, err
}

// execSessionLost reports errors after which the session is not worth
// keeping: no answer at all, or a session the transport closed.
func execSessionLost(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var te interface{ Timeout() bool }
	return (errors.As(err, &te) && te.Timeout()) || errors.Is(err, rmcp.ErrClosed)
}

// ExecAnnotation marks commands that run other command lines (exec,
// shell): they do not nest.
const ExecAnnotation = "ipmictl/runs-lines"

func execSetsConnection(root *cobra.Command) bool {
	fs := root.PersistentFlags()
	for _, name := range execConnectionFlags {
		if fl := fs.Lookup(name); fl != nil && fl.Changed {
			return true
		}
	}
	return false
}

// keepalive sends Get Device ID on a session idle for execKeepaliveIdle,
// so the BMC does not drop it between commands. If the BMC dropped it
// anyway, it is closed and the next command opens a new one.
func (s *execSession) keepalive() {
	defer s.wg.Done()
	tick := time.NewTicker(ExecKeepaliveIdle / 4)
	defer tick.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-tick.C:
			s.ping()
		}
	}
}

func (s *execSession) ping() {
	if !s.mu.TryLock() {
		return // a command is running: the session is not idle
	}
	defer s.mu.Unlock()
	if time.Since(s.last) < ExecKeepaliveIdle {
		return
	}
	p := s.parent
	p.Mu.Lock()
	c := p.client
	p.Mu.Unlock()
	if c == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err := c.GetDeviceID(ctx)
	s.last = time.Now()
	if err == nil {
		return
	}
	fmt.Fprintf(p.IO.ErrOut, "ipmictl: the BMC session was lost (%v); the next command opens a new one\n", err)
	p.Close()
}

// ExecSplitLine splits a script line into words as a POSIX shell would:
// blanks separate words, 'single quotes' are literal, "double quotes" allow
// \" and \\, a backslash outside quotes escapes the next character, and an
// unquoted # at the start of a word begins a comment.
func ExecSplitLine(line string) ([]string, error) {
	var (
		words []string
		cur   bytes.Buffer
		in    bool // inside a word
	)
	flush := func() {
		if in {
			words = append(words, cur.String())
			cur.Reset()
			in = false
		}
	}
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n':
			flush()
		case ch == '#' && !in:
			flush()
			return words, nil
		case ch == '\\':
			if i+1 >= len(line) {
				return nil, errors.New("trailing backslash")
			}
			i++
			cur.WriteByte(line[i])
			in = true
		case ch == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			in = true
		case ch == '"':
			in = true
			closed := false
			for i++; i < len(line); i++ {
				c := line[i]
				if c == '"' {
					closed = true
					break
				}
				if c == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\' || line[i+1] == '$' || line[i+1] == '`') {
					i++
					c = line[i]
				}
				cur.WriteByte(c)
			}
			if !closed {
				return nil, errors.New(`unterminated " quote`)
			}
		default:
			cur.WriteByte(ch)
			in = true
		}
	}
	flush()
	return words, nil
}
