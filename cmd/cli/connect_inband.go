package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/inband"
)

// openInband opens the local BMC through the kernel driver (-I open, and
// the default without -H). -d N picks /dev/ipmiN; -N and -R bound waits.
func openInband(ctx context.Context, o *GlobalOptions) (ipmi.Transport, error) {
	t, err := inband.Open(inband.Options{
		Device:  o.Device,
		Timeout: time.Duration(o.Timeout) * time.Second,
		Retries: o.Retries,
	})
	if err != nil {
		if o.Interface == "" && o.Host == "" && o.Device == 0 && errors.Is(err, fs.ErrNotExist) {
			// The user asked for nothing in particular: say both ways.
			err = fmt.Errorf("no -H given and no local BMC: %w", err)
		}
		return nil, &ConnectionError{Err: err}
	}
	return t, nil
}

// openKCS drives the local BMC's KCS interface directly (-I kcs), for
// machines without the IPMI driver; it needs root.
func openKCS(ctx context.Context, o *GlobalOptions) (ipmi.Transport, error) {
	k, err := inband.OpenKCS(inband.KCSOptions{
		Timeout: time.Duration(o.Timeout) * time.Second,
		Retries: o.Retries,
	})
	if err != nil {
		return nil, &ConnectionError{Err: err}
	}
	return k, nil
}
