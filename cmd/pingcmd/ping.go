package pingcmd

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/rmcp"
	"github.com/spf13/cobra"
)

// NewCmd builds the `ping` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	return cli.Returns[*pingResult](&cobra.Command{
		Use:   "ping",
		Short: "Check that a BMC answers RMCP presence pings (no login needed)",
		Long: `Send an ASF presence ping to the BMC given with -H and report whether it
answers and whether it supports IPMI. No credentials are needed or sent.
Exit status 3 when the BMC does not answer.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := cli.LANTarget(f.Opts.Host, f.Opts.Port)
			if err != nil {
				return err
			}
			timeout := cli.LANTimeout(f.Opts, false)
			pong, err := rmcp.Ping(f.Context(), addr, timeout, f.Opts.Retries)
			if err != nil {
				if errors.Is(err, f.Context().Err()) && f.Context().Err() != nil {
					return err
				}
				return &cli.ConnectionError{Err: err}
			}
			return f.Render(&pingResult{Addr: addr, IPMI: pong.IPMI, ASFVersion: pong.ASFVersion,
				RMCPSecurity: pong.SecurityRMCP, IANA: pong.IANA, RTT: pong.RTT})
		},
	})
}

type pingResult struct {
	Addr         string        `json:"address"`
	IPMI         bool          `json:"ipmi_supported"`
	ASFVersion   uint8         `json:"asf_version"`
	RMCPSecurity bool          `json:"rmcp_security_extensions"`
	IANA         uint32        `json:"iana"`
	RTT          time.Duration `json:"-"`
}

func (p *pingResult) MarshalJSON() ([]byte, error) {
	type plain pingResult
	return cli.JSONMarshal(struct {
		*plain
		RTTms float64 `json:"rtt_ms"`
	}{(*plain)(p), float64(p.RTT.Microseconds()) / 1000})
}

func (p *pingResult) WriteText(w io.Writer) error {
	ipmi := "IPMI not supported"
	if p.IPMI {
		ipmi = "IPMI supported"
	}
	_, err := fmt.Fprintf(w, "%s: %s, pong in %.1f ms\n", p.Addr, ipmi, float64(p.RTT.Microseconds())/1000)
	return err
}

// Columns and Rows give pingResult a table form, one row per field.
func (p *pingResult) Columns() []string { return cli.FieldColumns }
func (p *pingResult) Rows() [][]string  { return cli.FieldRows(p) }

// WriteCSV prints the text: ipmitool -c prints this result unchanged.
func (p *pingResult) WriteCSV(w io.Writer) error { return p.WriteText(w) }
