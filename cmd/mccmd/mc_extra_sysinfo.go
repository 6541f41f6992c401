package mccmd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// mcSysInfoParams are ipmitool's names for the system info parameters and
// how many 16-byte sets it reads or writes at most.
var mcSysInfoParams = []struct {
	name, desc string
	param      uint8
	maxSets    int
}{
	{"system_fw_version", "System firmware (e.g. BIOS) version", ipmi.SysInfoFirmwareVersion, 4},
	{"primary_os_name", "Primary operating system name", ipmi.SysInfoPrimaryOSName, 4},
	{"os_name", "Operating system name", ipmi.SysInfoOSName, 4},
	{"system_name", "System Name of server(vendor dependent)", ipmi.SysInfoSystemName, 4},
	{"delloem_os_version", "Running version of operating system", ipmi.SysInfoDellOSVersion, 4},
	{"delloem_url", "URL of BMC webserver", ipmi.SysInfoDellURL, 2},
}

func mcSysInfoParam(name string) (uint8, int, error) {
	var names []string
	for _, p := range mcSysInfoParams {
		if p.name == name {
			return p.param, p.maxSets, nil
		}
		names = append(names, p.name)
	}
	return 0, 0, cli.UsageErrorf("unknown system info parameter %q: use one of %s", name, strings.Join(names, ", "))
}

func mcSysInfoHelp() string {
	var b strings.Builder
	b.WriteString("Parameters:\n")
	for _, p := range mcSysInfoParams {
		fmt.Fprintf(&b, "  %-19s %s\n", p.name, p.desc)
	}
	return b.String()
}

func mcSysInfoNames() []string {
	var n []string
	for _, p := range mcSysInfoParams {
		n = append(n, p.name)
	}
	return n
}

// mcSysInfoError words a failure as ipmitool does.
func mcSysInfoError(verb, name string, err error) error {
	var ce *ipmi.CompletionError
	if errors.As(err, &ce) && ce.Code == 0x80 {
		return fmt.Errorf("%s %s parameter not supported: %w", verb, name, err)
	}
	return fmt.Errorf("%s command failed: %w", verb, err)
}

func newMCGetSysInfoCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*mcSysInfo](&cobra.Command{
		Use:       "getsysinfo PARAM",
		Short:     "Show a system info parameter (firmware version, OS name, system name)",
		Long:      "Show a system information parameter kept by the BMC (Get System Info Parameters).\n\n" + mcSysInfoHelp(),
		Args:      cobra.ExactArgs(1),
		ValidArgs: mcSysInfoNames(),
		RunE: func(cmd *cobra.Command, args []string) error {
			param, maxSets, err := mcSysInfoParam(args[0])
			if err != nil {
				return err
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			s, err := c.GetSystemInfoString(f.Context(), param, maxSets)
			if err != nil {
				return mcSysInfoError("getsysinfo", args[0], err)
			}
			return f.Render(newMCSysInfo(args[0], s))
		},
	})
}

func newMCSetSysInfoCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[cli.Done](&cobra.Command{
		Use:       "setsysinfo PARAM VALUE",
		Short:     "Set a system info parameter (OS name, system name ...)",
		Long:      "Store a system information string in the BMC (Set System Info Parameters), as ASCII.\n\n" + mcSysInfoHelp(),
		Args:      cobra.ExactArgs(2),
		ValidArgs: mcSysInfoNames(),
		RunE: func(cmd *cobra.Command, args []string) error {
			param, maxSets, err := mcSysInfoParam(args[0])
			if err != nil {
				return err
			}
			if _, err := ipmi.EncodeSystemInfoSets(param, ipmi.SysInfoASCII, []byte(args[1]), maxSets); err != nil {
				return cli.UsageErrorf("mc setsysinfo %s: %v", args[0], err)
			}
			c, err := f.Client()
			if err != nil {
				return err
			}
			if err := c.SetSystemInfoString(f.Context(), param, ipmi.SysInfoASCII, []byte(args[1]), maxSets); err != nil {
				return mcSysInfoError("setsysinfo", args[0], err)
			}
			return f.Render(cli.Done("set system info " + args[0]))
		},
	})
}

// mcSysInfo is the result of "mc getsysinfo".
type mcSysInfo struct {
	Param    string `json:"parameter"`
	Encoding string `json:"encoding"`
	Value    string `json:"value"`
	raw      []byte
}

var mcSysInfoEncodings = map[uint8]string{ipmi.SysInfoASCII: "ascii", ipmi.SysInfoUTF8: "utf-8", ipmi.SysInfoUTF16: "utf-16"}

func newMCSysInfo(name string, s *ipmi.SystemInfoString) *mcSysInfo {
	m := &mcSysInfo{Param: name, Encoding: mcSysInfoEncodings[s.Encoding], raw: s.Data}
	if m.Encoding == "" {
		m.Encoding = fmt.Sprintf("reserved (%d)", s.Encoding)
	}
	switch s.Encoding {
	case ipmi.SysInfoUTF16:
		u := make([]uint16, len(s.Data)/2)
		for i := range u {
			u[i] = uint16(s.Data[2*i]) | uint16(s.Data[2*i+1])<<8
		}
		m.Value = strings.TrimRight(string(utf16.Decode(u)), "\x00")
	case ipmi.SysInfoASCII:
		m.Value = latin1(mcSysInfoCString(s.Data))
	default:
		m.Value = strings.ToValidUTF8(string(mcSysInfoCString(s.Data)), "\uFFFD")
	}
	return m
}

// mcSysInfoCString stops at the first NUL, as ipmitool's printf does.
func mcSysInfoCString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// WriteText prints the string and a newline, as ipmitool does. ASCII and
// UTF-8 strings go out as the BMC's bytes (up to a NUL).
func (m *mcSysInfo) WriteText(w io.Writer) error {
	out := m.Value
	if m.Encoding != "utf-16" {
		out = string(mcSysInfoCString(m.raw))
	}
	_, err := io.WriteString(w, out+"\n")
	return err
}

func (m *mcSysInfo) Columns() []string { return []string{"parameter", "encoding", "value"} }
func (m *mcSysInfo) Rows() [][]string  { return [][]string{{m.Param, m.Encoding, m.Value}} }
