package exportercmd

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/exporter"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/inband"
	"github.com/spf13/cobra"
)

// ExporterOptions are the flags of `ipmictl exporter`.
type ExporterOptions struct {
	Listen    string
	Config    string
	NoLocal   bool
	WebConfig string
}

// NewCmd builds the `exporter` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &ExporterOptions{}
	c := cli.Interactive(&cobra.Command{
		Use:   "exporter",
		Short: "Serve BMC metrics to Prometheus (ipmi_exporter compatible)",
		Long: `Serve BMC sensor, chassis, SEL (usage and named events), DCMI power, watchdog
and Supermicro LAN mode metrics to Prometheus with the names and labels of
prometheus-community/ipmi_exporter:

  /ipmi?target=HOST[:PORT]&module=NAME   a remote BMC over RMCP+ (module from --config)
  /metrics                               the local BMC in-band, and the exporter's own metrics
  /-/reload                              POST: read --config again (SIGHUP does the same)

One session per target stays open across scrapes (closed after
session_idle_timeout, or on SIGTERM); its SDR repository is kept in memory.
A scrape ends by Prometheus's scrape timeout: a BMC that does not answer
gives ipmi_up 0 in time. See docs/exporter.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return exporterRun(f, o) },
	})
	fl := c.Flags()
	fl.StringVar(&o.Listen, "listen", "127.0.0.1:9290", "address to serve HTTP on (loopback by default; the metrics reveal hardware details)")
	fl.StringVar(&o.Config, "config", "", "exporter config file (modules with credentials; ipmi_exporter's format is accepted)")
	fl.BoolVar(&o.NoLocal, "no-local", false, "do not read the local BMC on /metrics")
	fl.StringVar(&o.WebConfig, "web.config.file", "", "TLS and basic auth config (prometheus/exporter-toolkit's web config format)")
	return c
}

func exporterRun(f *cli.Factory, o *ExporterOptions) error {
	logger := log.New(f.IO.ErrOut, "ipmictl exporter: ", log.LstdFlags)
	cfg := &exporter.Config{}
	var err error
	if o.Config != "" {
		cfg, err = exporter.LoadConfig(o.Config)
	} else {
		cfg, err = exporter.ParseConfig(nil)
	}
	if err != nil {
		return cli.UsageErrorf("%v", err)
	}
	if err := exporter.ValidateWebConfig(o.WebConfig); err != nil {
		return cli.UsageErrorf("%v", err)
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return err
	}
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
		logger.Printf("warning: listening on %s, reachable from other hosts", ta)
	}
	device := f.Opts.Device
	x := exporter.New(cfg, o.Config, exporter.Options{
		Logf: logger.Printf,
		DialLocal: func(ctx context.Context, m *exporter.Module) (ipmi.Transport, error) {
			return inband.Open(inband.Options{Device: device})
		},
	})
	defer x.Close()

	srv := &http.Server{Handler: x.Handler(exporter.HandlerOptions{NoLocal: o.NoLocal}), ReadHeaderTimeout: 10 * time.Second}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	ctx := f.Context()
	go func() {
		for {
			select {
			case <-hup:
				if err := x.Reload(); err != nil {
					logger.Printf("config reload failed: %v", err)
				} else {
					logger.Printf("config reloaded")
				}
			case <-ctx.Done():
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				srv.Shutdown(sctx)
				cancel()
				return
			}
		}
	}()
	logger.Printf("listening on http://%s", ln.Addr())
	err = exporter.Serve(ln, srv, o.WebConfig, logger.Printf)
	if errors.Is(err, http.ErrServerClosed) {
		logger.Printf("shutting down: closing BMC sessions")
		return nil
	}
	return err
}
