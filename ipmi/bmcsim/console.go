package bmcsim

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// maxConsoleBacklog bounds the output waiting for a SOL client; older
// output is dropped first, as a UART FIFO would overrun.
const maxConsoleBacklog = 256 << 10

// Console is the host's serial console behind SOL: a small fake shell with
// a getty-style login banner that echoes what it is sent.
type Console struct {
	mu      sync.Mutex
	host    string
	out     bytes.Buffer
	line    []byte
	state   int // consoleLogin, consolePassword, consoleShell
	user    string
	started bool
}

const (
	consoleLogin = iota
	consolePassword
	consoleShell
)

// NewConsole returns a console whose banner names host.
func NewConsole(host string) *Console { return &Console{host: host} }

// Start prints the login banner if the console has not done so yet (the
// host "booting"); SOL activation calls it.
func (c *Console) Start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started {
		c.started = true
		c.banner()
	}
}

func (c *Console) banner() {
	fmt.Fprintf(&c.out, "\r\nDebian GNU/Linux 12 %s ttyS0\r\n\r\n%s login: ", c.host, c.host)
	c.state = consoleLogin
}

func (c *Console) prompt() { fmt.Fprintf(&c.out, "%s@%s:~$ ", c.user, c.host) }

// Write feeds keystrokes from the remote console to the host.
func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started {
		c.started = true
		c.banner()
	}
	for _, ch := range p {
		switch ch {
		case '\r', '\n':
			if ch == '\n' && len(c.line) == 0 && c.lastWasCR() {
				continue
			}
			c.out.WriteString("\r\n")
			line := string(c.line)
			c.line = c.line[:0]
			c.enter(line)
		case 0x7F, 0x08:
			if len(c.line) > 0 {
				c.line = c.line[:len(c.line)-1]
				if c.state != consolePassword {
					c.out.WriteString("\b \b")
				}
			}
		case 0x03: // ^C
			c.line = c.line[:0]
			c.out.WriteString("^C\r\n")
			if c.state == consoleShell {
				c.prompt()
			} else {
				c.banner()
			}
		default:
			if len(c.line) < 256 {
				c.line = append(c.line, ch)
				if c.state != consolePassword {
					c.out.WriteByte(ch)
				}
			}
		}
	}
	c.trim()
	return len(p), nil
}

func (c *Console) lastWasCR() bool {
	b := c.out.Bytes()
	return len(b) >= 2 && b[len(b)-2] == '\r' && b[len(b)-1] == '\n'
}

func (c *Console) trim() {
	if n := c.out.Len(); n > maxConsoleBacklog {
		c.out.Next(n - maxConsoleBacklog)
	}
}

func (c *Console) enter(line string) {
	switch c.state {
	case consoleLogin:
		if strings.TrimSpace(line) == "" {
			fmt.Fprintf(&c.out, "%s login: ", c.host)
			return
		}
		c.user = strings.TrimSpace(line)
		c.out.WriteString("Password: ")
		c.state = consolePassword
	case consolePassword:
		c.out.WriteString("\r\nLinux " + c.host + " 6.1.0-sim #1 SMP x86_64\r\n\r\n")
		c.state = consoleShell
		c.prompt()
	case consoleShell:
		c.run(strings.Fields(line))
		if c.state == consoleShell {
			c.prompt()
		}
	}
}

func (c *Console) run(args []string) {
	if len(args) == 0 {
		return
	}
	switch args[0] {
	case "help":
		c.out.WriteString("commands: echo hostname uname whoami uptime seq help exit\r\n")
	case "echo":
		c.out.WriteString(strings.Join(args[1:], " ") + "\r\n")
	case "hostname":
		c.out.WriteString(c.host + "\r\n")
	case "uname":
		if len(args) > 1 && args[1] == "-a" {
			c.out.WriteString("Linux " + c.host + " 6.1.0-sim #1 SMP x86_64 GNU/Linux\r\n")
		} else {
			c.out.WriteString("Linux\r\n")
		}
	case "whoami":
		c.out.WriteString(c.user + "\r\n")
	case "uptime":
		c.out.WriteString(" 10:00:00 up 42 days,  3:14,  1 user,  load average: 0.08, 0.03, 0.01\r\n")
	case "seq":
		n := 0
		if len(args) > 1 {
			n, _ = strconv.Atoi(args[1])
		}
		for i := 1; i <= min(n, 20000); i++ {
			fmt.Fprintf(&c.out, "%d\r\n", i)
		}
	case "exit", "logout":
		c.out.WriteString("logout\r\n")
		c.banner()
	default:
		fmt.Fprintf(&c.out, "-sh: %s: command not found\r\n", args[0])
	}
}

// Read takes up to len(p) bytes of pending host output; it never blocks
// and returns 0 when nothing is pending.
func (c *Console) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, _ := c.out.Read(p)
	return n, nil
}

// Pending returns how many output bytes wait to be read.
func (c *Console) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Len()
}

// Console returns the BMC's host console (the SOL payload's other end).
func (b *BMC) Console() *Console { return b.sol }
