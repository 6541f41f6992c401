package rawcmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/spf13/cobra"
)

// NewCmd builds the `raw` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	var lun uint8
	cmd := cli.Returns[rawResult](&cobra.Command{
		Use:   "raw NETFN CMD [DATA...]",
		Short: "Send a raw IPMI request and print the response bytes",
		Long: `Send a raw IPMI request. NETFN, CMD and DATA are bytes written as 0x06, 6 or
06h. The response data is printed in hex, 16 bytes a line, as ipmitool does;
a non-zero completion code is an error (exit status 1).`,
		Example: "  ipmictl -H bmc1 -U admin -E raw 0x06 0x01      # Get Device ID",
		Args:    cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			bytes := make([]byte, len(args))
			for i, a := range args {
				b, err := rawParseByte(a)
				if err != nil {
					return err
				}
				bytes[i] = b
			}
			if bytes[0] > 0x3f {
				return cli.UsageErrorf("netfn 0x%02x is out of range (0x00-0x3f)", bytes[0])
			}
			req := &ipmi.Request{NetFn: ipmi.NetFn(bytes[0]), Cmd: bytes[1], LUN: lun & 3, Data: bytes[2:]}
			c, err := f.Client()
			if err != nil {
				return err
			}
			rsp, err := c.Raw(f.Context(), req)
			if err != nil {
				return fmt.Errorf("Unable to send RAW command (channel=0x0 netfn=0x%x lun=0x%x cmd=0x%x): %w",
					bytes[0], lun, bytes[1], err)
			}
			if rsp.Code != ipmi.CodeOK {
				return fmt.Errorf("Unable to send RAW command (channel=0x0 netfn=0x%x lun=0x%x cmd=0x%x rsp=0x%x): %w",
					bytes[0], lun, bytes[1], uint8(rsp.Code),
					&rawCompletion{ipmi.CompletionError{NetFn: req.NetFn, Cmd: req.Cmd, Code: rsp.Code}})
			}
			return f.Render(rawResult(rsp.Data))
		},
	})
	cmd.Flags().Uint8Var(&lun, "lun", 0, "target LUN (0-3)")
	return cmd
}

// rawCompletion prints only the completion code's name, as ipmitool does
// after "rsp=0x..", while still exiting 1 as any completion error does.
type rawCompletion struct{ ipmi.CompletionError }

func (r *rawCompletion) Error() string { return r.Code.String() }
func (r *rawCompletion) Unwrap() error { return &r.CompletionError }
func rawParseByte(s string) (uint8, error) {
	t := strings.TrimSpace(s)
	base := 0
	if strings.HasSuffix(strings.ToLower(t), "h") {
		t, base = t[:len(t)-1], 16
	}
	n, err := strconv.ParseUint(t, base, 8)
	if err != nil {
		return 0, cli.UsageErrorf("invalid byte %q: use 0x00-0xff, 0-255 or 00h-ffh", s)
	}
	return uint8(n), nil
}

// rawResult is the response data of "raw".
type rawResult []byte

func (r rawResult) WriteText(w io.Writer) error {
	var b strings.Builder
	for i, v := range r {
		if i != 0 && i%16 == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, " %02x", v)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (r rawResult) MarshalJSON() ([]byte, error) {
	data := make([]int, len(r))
	for i, v := range r {
		data[i] = int(v)
	}
	return cli.JSONMarshal(map[string]any{"completion_code": 0, "data": data})
}

func (r rawResult) Columns() []string { return []string{"data"} }
func (r rawResult) Rows() [][]string  { return [][]string{{fmt.Sprintf("%x", []byte(r))}} }
