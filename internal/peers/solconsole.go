package peers

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// solConsole is the fake host serial console that ipmi_sim's SOL connects to
// (ipmi_sim is the TCP client). It behaves like a getty plus a tiny shell and
// paces its output like a UART: without pacing, ipmi_sim silently truncates
// bursts larger than its SOL buffer.
type solConsole struct {
	ln    net.Listener
	baud  int
	logMu sync.Mutex
	log   *os.File
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]bool
}

const (
	solHost   = "simhost"
	solPrompt = "root@simhost:~# "
)

func startSOLConsole(ln net.Listener, baud int, logPath string) (*solConsole, error) {
	f, err := os.Create(logPath)
	if err != nil {
		ln.Close()
		return nil, err
	}
	c := &solConsole{ln: ln, baud: baud, log: f, conns: map[net.Conn]bool{}}
	c.wg.Add(1)
	go c.accept()
	return c, nil
}

func (c *solConsole) accept() {
	defer c.wg.Done()
	for {
		conn, err := c.ln.Accept()
		if err != nil {
			return
		}
		c.mu.Lock()
		c.conns[conn] = true
		c.mu.Unlock()
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.serve(conn)
			c.mu.Lock()
			delete(c.conns, conn)
			c.mu.Unlock()
			conn.Close()
		}()
	}
}

func (c *solConsole) Close() {
	c.ln.Close()
	c.mu.Lock()
	for conn := range c.conns {
		conn.Close()
	}
	c.mu.Unlock()
	c.wg.Wait()
	c.log.Close()
}

// pacedWriter writes at most baud/10 bytes per second, in 10 ms slices, and
// keeps a transcript of everything sent.
type pacedWriter struct {
	w    io.Writer
	baud int
	c    *solConsole
}

func (p *pacedWriter) Write(b []byte) (int, error) {
	p.c.logMu.Lock()
	p.c.log.Write(b)
	p.c.logMu.Unlock()
	chunk := max(p.baud/10/100, 1)
	n := 0
	for n < len(b) {
		end := min(n+chunk, len(b))
		w, err := p.w.Write(b[n:end])
		n += w
		if err != nil {
			return n, err
		}
		if end < len(b) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	return n, nil
}

func (p *pacedWriter) print(format string, a ...any) error {
	_, err := fmt.Fprintf(p, format, a...)
	return err
}

// readLine reads one terminal line, echoing input like a tty in cooked mode.
func (c *solConsole) readLine(r *bufio.Reader, out *pacedWriter, echo bool) (string, error) {
	var line []byte
	for {
		b, err := r.ReadByte()
		if err != nil {
			return "", err
		}
		switch b {
		case '\r', '\n':
			if b == '\r' {
				// swallow a following \n of a CRLF pair
				if r.Buffered() > 0 {
					if nb, _ := r.Peek(1); len(nb) == 1 && nb[0] == '\n' {
						r.ReadByte()
					}
				}
			}
			if err := out.print("\r\n"); err != nil {
				return "", err
			}
			return string(line), nil
		case 0x7f, 0x08:
			if len(line) > 0 {
				line = line[:len(line)-1]
				if echo {
					out.print("\b \b")
				}
			}
		case 0x03: // ^C
			out.print("^C\r\n")
			return "", nil
		default:
			if b < 0x20 {
				continue
			}
			line = append(line, b)
			if echo {
				if _, err := out.Write([]byte{b}); err != nil {
					return "", err
				}
			}
		}
	}
}

func (c *solConsole) serve(conn net.Conn) {
	r := bufio.NewReader(conn)
	out := &pacedWriter{w: conn, baud: c.baud, c: c}
	for {
		if out.print("\r\nDebian GNU/Linux 12 %s ttyS0\r\n\r\n%s login: ", solHost, solHost) != nil {
			return
		}
		user, err := c.readLine(r, out, true)
		if err != nil {
			return
		}
		if user == "" {
			continue
		}
		if out.print("Password: ") != nil {
			return
		}
		if _, err := c.readLine(r, out, false); err != nil {
			return
		}
		if out.print("Linux %s 6.1.0-sim #1 SMP x86_64\r\n\r\nLast login: never\r\n", solHost) != nil {
			return
		}
		if !c.shell(r, out) {
			return
		}
	}
}

// shell runs commands until logout (true) or a connection error (false).
func (c *solConsole) shell(r *bufio.Reader, out *pacedWriter) bool {
	for {
		if out.print(solPrompt) != nil {
			return false
		}
		line, err := c.readLine(r, out, true)
		if err != nil {
			return false
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		var werr error
		switch f[0] {
		case "exit", "logout":
			return out.print("logout\r\n") == nil
		case "echo":
			werr = out.print("%s\r\n", strings.Join(f[1:], " "))
		case "hostname":
			werr = out.print("%s\r\n", solHost)
		case "whoami":
			werr = out.print("root\r\n")
		case "uname":
			werr = out.print("Linux %s 6.1.0-sim #1 SMP x86_64 GNU/Linux\r\n", solHost)
		case "date":
			werr = out.print("%s\r\n", time.Now().UTC().Format("Mon Jan _2 15:04:05 UTC 2006"))
		case "seq":
			n := 0
			if len(f) > 1 {
				n, _ = strconv.Atoi(f[1])
			}
			n = min(max(n, 0), 1000000)
			var b strings.Builder
			for i := 1; i <= n; i++ {
				b.WriteString(strconv.Itoa(i))
				b.WriteString("\r\n")
				if b.Len() > 4096 || i == n {
					if _, werr = out.Write([]byte(b.String())); werr != nil {
						break
					}
					b.Reset()
				}
			}
		case "help":
			werr = out.print("commands: echo hostname whoami uname date seq N help exit\r\n")
		default:
			werr = out.print("-sh: %s: command not found\r\n", f[0])
		}
		if werr != nil {
			return false
		}
	}
}

// Transcript returns everything the console has sent so far.
func (c *solConsole) transcript() string {
	c.logMu.Lock()
	defer c.logMu.Unlock()
	b, _ := os.ReadFile(c.log.Name())
	return string(b)
}
