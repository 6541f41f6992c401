package bmcsim

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/rmcp"
)

// lanBackend adapts a BMC to rmcp.Backend (and rmcp.SOLBackend).
type lanBackend struct{ b *BMC }

// Backend returns the BMC as the backend of an rmcp.Server.
func (b *BMC) Backend() rmcp.Backend { return lanBackend{b} }

func (l lanBackend) ServeIPMI(ctx context.Context, id uint32, req *ipmi.Request) *ipmi.Response {
	return l.b.Handle(ctx, SessionInfo{ID: id}, req)
}

func (l lanBackend) LookupUser(name []byte) (rmcp.ServerUser, bool) {
	c, ok := l.b.LookupUser(name)
	return rmcp.ServerUser{ID: c.UserID, Password: c.Password, PrivLimit: c.PrivLimit}, ok
}

func (l lanBackend) SuiteMaxPrivilege(id uint8) (ipmi.Privilege, bool) {
	return l.b.SuiteMaxPrivilege(id)
}

func (l lanBackend) AuthTypeEnabled(t uint8, p ipmi.Privilege) bool { return l.b.AuthTypeEnabled(t, p) }

func (l lanBackend) SessionSlotFree() bool { return l.b.sessionSlotFree() }

func (l lanBackend) OpenSession(s rmcp.ServerSession) error {
	_, err := l.b.OpenSession(SessionRequest{
		ID: s.ID, UserID: s.UserID, MaxPriv: s.MaxPriv, Priv: s.Priv, Remote: s.Remote, IPMI20: s.IPMI20,
	})
	return err
}

func (l lanBackend) CloseSession(id uint32)       { l.b.CloseSession(id) }
func (l lanBackend) SessionActive(id uint32) bool { return l.b.SessionActive(id) }
func (l lanBackend) TouchSession(id uint32) bool  { return l.b.TouchSession(id) }
func (l lanBackend) SystemGUID() [16]byte         { return l.b.SystemGUID() }

func (l lanBackend) PacketFate() rmcp.PacketFate {
	f := l.b.PacketFate()
	return rmcp.PacketFate{Drop: f.Drop, Delay: f.Delay, Duplicate: f.Duplicate, Reorder: f.Reorder, Corrupt: f.Corrupt}
}

func (l lanBackend) ActivateSOL(id uint32) (io.ReadWriter, ipmi.CompletionCode) {
	return l.b.ActivateSOL(id)
}
func (l lanBackend) DeactivateSOL(id uint32) bool { return l.b.DeactivateSOL(id) }

// Serve answers for b on the loopback UDP address addr ("127.0.0.1:0"
// picks a free port) until the returned server is closed.
func Serve(b *BMC, addr string, logf func(string, ...any)) (*rmcp.Server, error) {
	conn, err := rmcp.ListenLoopback(addr)
	if err != nil {
		return nil, err
	}
	srv, err := rmcp.NewServer(b.Backend(), conn, logf)
	if err != nil {
		conn.Close()
		return nil, err
	}
	go srv.Serve()
	return srv, nil
}

// Fleet is many BMCs served from one process, each with its own state
// and socket.
type Fleet struct {
	BMCs    []*BMC
	Servers []*rmcp.Server
}

// Addrs lists where each BMC answers, in order.
func (f *Fleet) Addrs() []netip.AddrPort {
	out := make([]netip.AddrPort, len(f.Servers))
	for i, s := range f.Servers {
		out[i] = s.Addr()
	}
	return out
}

// Close stops every server.
func (f *Fleet) Close() {
	for _, s := range f.Servers {
		s.Close()
	}
}

// ServeFleet serves one BMC per address, newBMC(i) building the i-th.
func ServeFleet(addrs []netip.AddrPort, newBMC func(i int) *BMC, logf func(string, ...any)) (*Fleet, error) {
	f := &Fleet{}
	for i, a := range addrs {
		b := newBMC(i)
		srv, err := Serve(b, a.String(), logf)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("bmcsim: BMC %d on %v: %w", i, a, err)
		}
		f.BMCs = append(f.BMCs, b)
		f.Servers = append(f.Servers, srv)
	}
	return f, nil
}

// PortRange returns count addresses on host at consecutive ports from
// first (first 0: count ephemeral ports, chosen when served).
func PortRange(host netip.Addr, first, count int) ([]netip.AddrPort, error) {
	if count < 1 || (first != 0 && (first < 1 || first+count-1 > 65535)) {
		return nil, fmt.Errorf("bmcsim: %d ports from %d do not fit in 1-65535", count, first)
	}
	out := make([]netip.AddrPort, count)
	for i := range out {
		p := 0
		if first != 0 {
			p = first + i
		}
		out[i] = netip.AddrPortFrom(host, uint16(p))
	}
	return out, nil
}

// AddrRange parses "127.0.1.1-127.0.4.232" (inclusive, IPv4, at most
// 65536 addresses) and returns each address with port.
func AddrRange(spec string, port int) ([]netip.AddrPort, error) {
	lo, hi, found := strings.Cut(spec, "-")
	first, err := netip.ParseAddr(lo)
	if err != nil {
		return nil, fmt.Errorf("bmcsim: address range %q: %v", spec, err)
	}
	last := first
	if found {
		if last, err = netip.ParseAddr(hi); err != nil {
			return nil, fmt.Errorf("bmcsim: address range %q: %v", spec, err)
		}
	}
	if !first.Is4() || !last.Is4() || last.Less(first) {
		return nil, fmt.Errorf("bmcsim: address range %q: want ascending IPv4 addresses", spec)
	}
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("bmcsim: port %d out of range", port)
	}
	var out []netip.AddrPort
	for a := first; ; a = a.Next() {
		if len(out) == 1<<16 {
			return nil, fmt.Errorf("bmcsim: address range %q holds more than 65536 addresses", spec)
		}
		out = append(out, netip.AddrPortFrom(a, uint16(port)))
		if a == last {
			return out, nil
		}
	}
}
