package exporter

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ipmictl/ipmictl/internal/pen"
	"github.com/ipmictl/ipmictl/ipmi"
)

// collectBMC is the "bmc" collector: ipmi_bmc_info with the labels
// FreeIPMI's bmc-info gives ipmi_exporter. A BMC without the system info
// parameters gets "N/A" and "" for them; only a failed session fails the
// collector.
func collectBMC(ctx context.Context, s *scrape) ([]prometheus.Metric, error) {
	id, err := s.client.GetDeviceID(ctx)
	if err != nil {
		return nil, err
	}
	sysfw := "N/A" // ipmi_exporter's value when the BMC has none
	if v, err := systemFirmwareVersion(ctx, s.client); err == nil {
		sysfw = v
	} else if !isBMCAnswer(err) {
		return nil, err
	}
	url := ""
	if v, err := bmcURL(ctx, s.client); err == nil {
		url = v
	} else if !isBMCAnswer(err) {
		return nil, err
	}
	return []prometheus.Metric{prometheus.MustNewConstMetric(bmcInfoDesc, prometheus.GaugeValue, 1,
		firmwareRevision(id), manufacturerLabel(id.ManufacturerID), sysfw, url)}, nil
}

// sysInfoBMCURL is the BMC URL system info parameter (IPMI v2.0 table
// 22-16a), what bmc-info prints as "BMC URL".
const sysInfoBMCURL = 6

// bmcURL reads the BMC URL parameter as a label value: up to the first
// NUL, any invalid UTF-8 replaced (a label must be valid UTF-8).
func bmcURL(ctx context.Context, c *ipmi.Client) (string, error) {
	v, err := c.GetSystemInfoString(ctx, sysInfoBMCURL, ipmi.SysInfoMaxSet)
	if err != nil {
		return "", err
	}
	return labelText(v.Data), nil
}

// labelText makes BMC bytes a valid label value.
func labelText(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// firmwareRevision is bmc-info's "Firmware Revision": major, then the
// BCD minor byte in upper-case hex.
func firmwareRevision(id *ipmi.DeviceID) string {
	return fmt.Sprintf("%d.%02X", id.FirmwareMajor, id.FirmwareMinor)
}

// manufacturerLabel is bmc-info's "Manufacturer ID": "Name (number)" for
// a known enterprise number, else the number.
func manufacturerLabel(mfr uint32) string {
	if name := pen.Name(mfr); name != "" {
		return fmt.Sprintf("%s (%d)", name, mfr)
	}
	return strconv.FormatUint(uint64(mfr), 10)
}

// maxFirmwareSets bounds the Get System Info Parameters sets read.
const maxFirmwareSets = 4

// systemFirmwareVersion reads system info parameter 1 and keeps what
// ipmi_exporter keeps of it: the leading digits and dots.
func systemFirmwareVersion(ctx context.Context, c *ipmi.Client) (string, error) {
	v, err := c.GetSystemInfoString(ctx, 1, maxFirmwareSets)
	if err != nil {
		return "", err
	}
	return versionPrefix(string(v.Data)), nil
}

// versionPrefix keeps the leading run of digits and dots.
func versionPrefix(s string) string {
	for i, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return s[:i]
		}
	}
	return s
}
