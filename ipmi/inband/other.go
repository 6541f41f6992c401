//go:build !linux

package inband

import (
	"context"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Transport is the Linux IPMI driver transport; elsewhere it cannot be
// opened.
type Transport struct{}

// Open returns ErrLinuxOnly: only Linux has the OpenIPMI driver.
func Open(Options) (*Transport, error) { return nil, ErrLinuxOnly }

// Path is empty: no device is ever open.
func (*Transport) Path() string { return "" }

// Send returns ErrLinuxOnly.
func (*Transport) Send(context.Context, *ipmi.Request) (*ipmi.Response, error) {
	return nil, ErrLinuxOnly
}

// Close does nothing.
func (*Transport) Close() error { return nil }

// OpenKCS returns ErrLinuxOnly: /dev/port is Linux's.
func OpenKCS(KCSOptions) (*KCS, error) { return nil, ErrLinuxOnly }
