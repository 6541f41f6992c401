// Package inband reaches the local BMC without a network: through the Linux
// IPMI driver's character device (/dev/ipmi0, the ipmitool "open"
// interface), or by driving the KCS system interface directly through
// /dev/port when no driver is loaded (FreeIPMI's "kcs" driver).
//
// Both are ipmi.Transports. On other operating systems Open and OpenKCS
// return ErrLinuxOnly.
package inband

import (
	"errors"
	"time"
)

// ErrLinuxOnly is returned by Open and OpenKCS on other operating systems.
var ErrLinuxOnly = errors.New("in-band access (-I open) is Linux-only")

// Defaults for Options and KCSOptions.
const (
	// DefaultTimeout bounds one try. The kernel answers every request
	// itself (with completion code 0xc3 when the BMC is silent), so this
	// only fires when the driver or BMC is wedged.
	DefaultTimeout = 10 * time.Second
	// DefaultRetries is how many times a timed-out request is sent again.
	DefaultRetries = 2
)

// Options configure Open.
type Options struct {
	Device  int           // N: /dev/ipmiN, /dev/ipmi/N or /dev/ipmidev/N
	Path    string        // a device path to use instead of Device
	Timeout time.Duration // per try; 0 means DefaultTimeout
	Retries int           // resends after a timeout; negative means none
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// ipmiMaxMsgLength is the largest message body the Linux driver passes
// (IPMI_MAX_MSG_LENGTH); the KCS transport uses the same bound.
const ipmiMaxMsgLength = 272
