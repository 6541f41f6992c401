package peers

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
)

// Ports are drawn from below the kernel's ephemeral range (32768+), so they
// do not collide with client sockets of concurrently running tests.
const (
	portLow  = 20000
	portHigh = 32000
)

// freeUDPPort returns a port on which nothing listens on 127.0.0.1 (UDP).
// ipmi_sim binds with SO_REUSEADDR and would start "fine" on a busy port, so
// a bind test is the only safe check.
func freeUDPPort() (int, error) {
	for range 200 {
		p := portLow + rand.IntN(portHigh-portLow)
		c, err := net.ListenPacket("udp4", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		c.Close()
		if udpListeners(p) == 0 {
			return p, nil
		}
	}
	return 0, fmt.Errorf("peers: no free UDP port in %d-%d", portLow, portHigh)
}

// udpListeners counts UDP sockets bound to local port p (any address), from
// /proc/net/udp, which sees SO_REUSEADDR sharers that a bind test would not.
func udpListeners(p int) int {
	n := 0
	for _, file := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		want := fmt.Sprintf(":%04X", p)
		for s.Scan() {
			fields := strings.Fields(s.Text())
			if len(fields) > 1 && strings.HasSuffix(fields[1], want) {
				n++
			}
		}
		f.Close()
	}
	return n
}

// listenFreeTCP listens on a random free TCP port on 127.0.0.1.
func listenFreeTCP() (net.Listener, int, error) {
	for range 200 {
		p := portLow + rand.IntN(portHigh-portLow)
		ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			return ln, p, nil
		}
	}
	return nil, 0, fmt.Errorf("peers: no free TCP port in %d-%d", portLow, portHigh)
}

// udpPort checks that a fixed port is free, or picks one when port is 0.
func udpPort(port int) (int, error) {
	if port == 0 {
		return freeUDPPort()
	}
	c, err := net.ListenPacket("udp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return 0, fmt.Errorf("peers: UDP port %d is busy: %w", port, err)
	}
	c.Close()
	if n := udpListeners(port); n != 0 {
		return 0, fmt.Errorf("peers: UDP port %d is busy (%d sockets)", port, n)
	}
	return port, nil
}

// listenTCP listens on a fixed port, or a free one when port is 0.
func listenTCP(port int) (net.Listener, int, error) {
	if port == 0 {
		return listenFreeTCP()
	}
	ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, 0, fmt.Errorf("peers: TCP port %d is busy: %w", port, err)
	}
	return ln, port, nil
}
