package sdrcmd

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/sdr"
)

// sdrInfo is `sdr info`: the Get SDR Repository Info response.
type sdrInfo struct {
	*sdr.RepoInfo
}

func (i sdrInfo) WriteText(w io.Writer) error {
	var b strings.Builder
	yn := func(v bool) string {
		if v {
			return "yes"
		}
		return "no"
	}
	stamp := func(ok bool, t uint32) string {
		if !ok {
			return "NA"
		}
		return sdrTimestamp(t)
	}
	fmt.Fprintf(&b, "SDR Version                         : 0x%x\n", i.Version)
	fmt.Fprintf(&b, "Record Count                        : %d\n", i.Count)
	b.WriteString("Free Space                          : ")
	switch i.FreeSpace {
	case 0:
		b.WriteString("none (full)\n")
	case 0xffff:
		b.WriteString("unspecified\n")
	case 0xfffe:
		b.WriteString("> 64Kb - 2 bytes\n")
	default:
		fmt.Fprintf(&b, "%d bytes\n", i.FreeSpace)
	}
	// ipmitool shows each timestamp only when the matching operation is
	// supported (partial add for additions, delete for erases).
	fmt.Fprintf(&b, "Most recent Addition                : %s\n", stamp(i.PartialAddSupported(), i.AddStamp))
	fmt.Fprintf(&b, "Most recent Erase                   : %s\n", stamp(i.DeleteSupported(), i.EraseStamp))
	fmt.Fprintf(&b, "SDR overflow                        : %s\n", yn(i.Overflow()))
	modes := [...]string{"unspecified", "non-modal", "modal", "modal and non-modal"}
	fmt.Fprintf(&b, "SDR Repository Update Support       : %s\n", modes[i.UpdateMode()])
	fmt.Fprintf(&b, "Delete SDR supported                : %s\n", yn(i.DeleteSupported()))
	fmt.Fprintf(&b, "Partial Add SDR supported           : %s\n", yn(i.PartialAddSupported()))
	fmt.Fprintf(&b, "Reserve SDR repository supported    : %s\n", yn(i.ReserveSupported()))
	fmt.Fprintf(&b, "SDR Repository Alloc info supported : %s\n", yn(i.AllocInfoSupported()))
	_, err := io.WriteString(w, b.String())
	return err
}

// sdrTimestamp is ipmitool's ipmi_timestamp_numeric under the C locale:
// "%x %X %Z" in local time, or the time since init for stamps before
// 0x20000000 (which BMCs report before their clock is set).
func sdrTimestamp(stamp uint32) string {
	switch {
	case stamp == 0xffffffff:
		return "Unspecified"
	case stamp < 86400:
		return time.Unix(int64(stamp), 0).UTC().Format("S+ 15:04:05")
	case stamp < 0x20000000:
		t := time.Unix(int64(stamp), 0).UTC()
		return fmt.Sprintf("S+ %02d/%03d %s", t.Year()%100, t.YearDay(), t.Format("15:04:05"))
	}
	return time.Unix(int64(stamp), 0).Format("01/02/06 15:04:05 MST")
}

// MarshalJSON prints the repository info with the timestamps the BMC did
// not set (0 or FFFFFFFFh) as null.
func (i sdrInfo) MarshalJSON() ([]byte, error) {
	stamp := func(ts uint32) *uint32 {
		if ts == 0 || ts == 0xffffffff {
			return nil
		}
		return &ts
	}
	return cli.JSONMarshal(struct {
		Version    uint8   `json:"version"`
		Count      uint16  `json:"record_count"`
		FreeSpace  uint16  `json:"free_space"`
		AddStamp   *uint32 `json:"most_recent_addition"`
		EraseStamp *uint32 `json:"most_recent_erase"`
		OpSupport  uint8   `json:"operation_support"`
	}{i.Version, i.Count, i.FreeSpace, stamp(i.AddStamp), stamp(i.EraseStamp), i.OpSupport})
}

func (i sdrInfo) Columns() []string { return []string{"Field", "Value"} }

func (i sdrInfo) Rows() [][]string {
	yn := func(v bool) string { return fmt.Sprint(v) }
	return [][]string{
		{"SDR Version", fmt.Sprintf("0x%x", i.Version)},
		{"Record Count", fmt.Sprint(i.Count)},
		{"Free Space", fmt.Sprint(i.FreeSpace)},
		{"Most recent Addition", fmt.Sprint(i.AddStamp)},
		{"Most recent Erase", fmt.Sprint(i.EraseStamp)},
		{"SDR overflow", yn(i.Overflow())},
		{"Delete SDR supported", yn(i.DeleteSupported())},
		{"Partial Add SDR supported", yn(i.PartialAddSupported())},
		{"Reserve SDR repository supported", yn(i.ReserveSupported())},
		{"SDR Repository Alloc info supported", yn(i.AllocInfoSupported())},
	}
}
