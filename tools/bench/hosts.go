package main

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// Host layout of the latency section: host i of n is 127.77.(1+i/250).(1+i%250),
// every one on the same UDP port, so each tool's output names every host
// apart (ipmipower drops the port from its output) and no root is needed.
// 127.77.0.0/16 keeps clear of the 127.0.0.1 sockets other tests use.

const hostsPerOctet = 250

// hostAddrs returns the n addresses of the layout, all on port.
func hostAddrs(n int, port uint16) []netip.AddrPort {
	out := make([]netip.AddrPort, n)
	for i := range out {
		out[i] = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 77, byte(1 + i/hostsPerOctet), byte(1 + i%hostsPerOctet)}), port)
	}
	return out
}

// deadCount is pct percent of n, rounded to the nearest host.
func deadCount(n int, pct float64) int {
	if n <= 0 || pct <= 0 {
		return 0
	}
	return min(n, int(math.Round(float64(n)*pct/100)))
}

// deadHosts marks dead hosts spread evenly through n: the middle of each
// of dead equal slices (1000 hosts, 20 dead: 25, 75, ..., 975).
func deadHosts(n, dead int) []bool {
	out := make([]bool, n)
	for k := 0; k < dead && k < n; k++ {
		out[(2*k+1)*n/(2*dead)] = true
	}
	return out
}

// hostList writes addrs as a pdsh/FreeIPMI host range that ipmictl -H and
// FreeIPMI -h both expand to the same hosts in the same order:
// "127.77.1.[1-250]:623,127.77.2.[1-3]:623". Runs of consecutive last
// octets sharing the first three and the port become one bracket.
func hostList(addrs []netip.AddrPort) string {
	var parts []string
	for i := 0; i < len(addrs); {
		a := addrs[i].Addr().As4()
		j := i + 1
		for ; j < len(addrs); j++ {
			b := addrs[j].Addr().As4()
			if !addrs[j].Addr().Is4() || b[0] != a[0] || b[1] != a[1] || b[2] != a[2] ||
				int(b[3]) != int(a[3])+(j-i) || addrs[j].Port() != addrs[i].Port() {
				break
			}
		}
		last := addrs[j-1].Addr().As4()
		if j-i == 1 {
			parts = append(parts, addrs[i].String())
		} else {
			parts = append(parts, fmt.Sprintf("%d.%d.%d.[%d-%d]:%d", a[0], a[1], a[2], a[3], last[3], addrs[i].Port()))
		}
		i = j
	}
	return strings.Join(parts, ",")
}

// hostLine matches one line of a multi-host tool's output: ipmictl and
// FreeIPMI prefix "HOST:PORT: ", ipmipower "HOST: ".
var hostLine = regexp.MustCompile(`^(\d+\.\d+\.\d+\.\d+)(?::\d+)?: (.*)$`)

// splitByHost files each prefixed output line under its host's address;
// lines without a host prefix are dropped.
func splitByHost(out []byte) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if sm := hostLine.FindStringSubmatch(strings.TrimRight(line, "\r")); sm != nil {
			m[sm[1]] = append(m[sm[1]], sm[2])
		}
	}
	return m
}

// silentHost is a dead BMC: a bound UDP socket that takes every datagram
// and never answers. A closed port would not do: the kernel answers it
// with ICMP port unreachable and clients give up at once. The datagrams
// are read only to count them.
type silentHost struct {
	conn *net.UDPConn
	n    atomic.Int64
	wg   sync.WaitGroup
}

func listenSilent(addr netip.AddrPort) (*silentHost, error) {
	c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(addr))
	if err != nil {
		return nil, err
	}
	s := &silentHost{conn: c}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		buf := make([]byte, 2048)
		for {
			if _, _, err := c.ReadFromUDPAddrPort(buf); err != nil {
				return
			}
			s.n.Add(1)
		}
	}()
	return s, nil
}

// received counts the datagrams that reached the socket so far.
func (s *silentHost) received() int64 { return s.n.Load() }

func (s *silentHost) Close() error {
	err := s.conn.Close()
	s.wg.Wait()
	return err
}
