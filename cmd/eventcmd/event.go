package eventcmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ipmictl/ipmictl/cmd/cli"
	"github.com/ipmictl/ipmictl/cmd/sdrcmd"
	"github.com/ipmictl/ipmictl/cmd/selcmd"
	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/sdr"
	"github.com/spf13/cobra"
)

// eventUsage is ipmitool 1.8.19's `event help` text.
const eventUsage = `usage: event <num>
   Send generic test events
   1 : Temperature - Upper Critical - Going High
   2 : Voltage Threshold - Lower Critical - Going Low
   3 : Memory - Correctable ECC

usage: event file <filename>
   Read and generate events from file
   Use the 'sel save' command to generate from SEL

usage: event <sensorid> <state> [event_dir]
   sensorid  : Sensor ID string to use for event data
   state     : Sensor state, use 'list' to see possible states for sensor
   event_dir : assert, deassert [default=assert]
`

// NewCmd builds the `event` command group.
func NewCmd(f *cli.Factory) *cobra.Command {
	cmd := cli.Returns[*eventResult](&cobra.Command{
		Use:   "event <1|2|3> | file FILE | SENSOR [STATE|list] [assert|deassert]",
		Short: "Send a Platform Event Message: a test event, events from a file, or a sensor state",
		Long: "Send a Platform Event Message (the BMC logs it in the SEL and runs PEF on it), as ipmitool's event.\n\n" +
			eventUsage + "\nSensor states are threshold names (lnr lcr lnc unc ucr unr) for threshold sensors,\n" +
			"the state text `event SENSOR list` prints for discrete ones. Put -- before a sensor name that starts with '-'.",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 || args[0] == "help" || (args[0] == "file" && len(args) < 2) {
				return cmd.Help()
			}
			return eventRun(f, args)
		},
	})
	// A sensor named like a flag still needs --, but flags after the
	// sensor name are not taken for its state.
	cmd.Flags().SetInterspersed(false)
	return cmd
}

// eventSamples are ipmitool's three predefined test events.
var eventSamples = [...]struct {
	title string
	body  [7]byte // EvM rev, sensor type, number, dir|type, data 1-3
}{
	{"Temperature - Upper Critical - Going High", [7]byte{0x04, 0x01, 0x30, 0x01, 0x09, 0xff, 0xff}},
	{"Voltage Threshold - Lower Critical - Going Low", [7]byte{0x04, 0x02, 0x60, 0x01, 0x02, 0xff, 0xff}},
	{"Memory - Correctable ECC", [7]byte{0x04, 0x0c, 0x53, 0x6f, 0x00, 0xff, 0xff}},
}

// eventRun dispatches as ipmitool's ipmi_event_main does: "file", a
// one-character 1-3, else a sensor name.
func eventRun(f *cli.Factory, args []string) error {
	s := &eventSender{f: f, res: &eventResult{Events: []eventJSON{}}}
	var err error
	switch {
	case args[0] == "file":
		err = s.fromFile(args[1])
	case len(args[0]) == 1 && args[0][0] >= '1' && args[0][0] <= '3':
		n := int(args[0][0] - '0')
		ev := eventSamples[n-1]
		fmt.Fprintf(&s.res.text, "Sending SAMPLE event: %s\n", ev.title)
		err = s.send(ev.body, eventJSON{Sample: n})
	default:
		var state, dir string
		if len(args) > 1 {
			state = args[1]
		}
		if len(args) > 2 {
			dir = args[2]
		}
		err = s.fromSensor(args[0], state, dir)
	}
	if rerr := f.Render(s.res); rerr != nil && err == nil {
		err = rerr
	}
	return err
}

// eventResult is what `event` printed: ipmitool's text, and for -o json
// the events sent or the states listed.
type eventResult struct {
	text eventOutput

	Events    []eventJSON `json:"events"`
	Sensor    string      `json:"sensor,omitempty"`
	States    []string    `json:"states,omitempty"`
	Shortcuts [][2]string `json:"shortcuts,omitempty"`
}

func (r *eventResult) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, r.text.plain.String())
	return err
}

// WriteCSV is the -c form: the same, but for the event lines.
func (r *eventResult) WriteCSV(w io.Writer) error {
	_, err := io.WriteString(w, r.text.csv.String())
	return err
}

// eventOutput is the text printed so far in both of ipmitool's forms,
// plain and -c: only the lines of the events sent differ.
type eventOutput struct{ plain, csv strings.Builder }

func (o *eventOutput) Write(p []byte) (int, error) {
	o.plain.Write(p)
	return o.csv.Write(p)
}

func (o *eventOutput) WriteString(s string) (int, error) {
	o.plain.WriteString(s)
	return o.csv.WriteString(s)
}

// eventJSON is one event sent (or refused) in -o json.
type eventJSON struct {
	Sample         int    `json:"sample,omitempty"`
	Sensor         string `json:"sensor,omitempty"`
	State          string `json:"state,omitempty"`
	Line           int    `json:"line,omitempty"` // of the event file
	EvMRev         uint8  `json:"evm_rev"`
	SensorTypeCode uint8  `json:"sensor_type_code"`
	SensorType     string `json:"sensor_type"`
	SensorNumber   uint8  `json:"sensor_number"`
	EventTypeCode  uint8  `json:"event_type_code"`
	EventType      string `json:"event_type"`
	Direction      string `json:"direction"`
	Offset         uint8  `json:"offset"`
	Description    string `json:"description"`
	EventData      []int  `json:"event_data"`
	RequestData    []int  `json:"request_data"`
	Sent           bool   `json:"sent"`
}

// eventSender sends events and records them in the result. It asks the
// BMC once which channel the session is on: the system interface needs
// the generator ID in the request, other channels must not carry it.
type eventSender struct {
	f   *cli.Factory
	c   *ipmi.Client
	res *eventResult

	checked   bool
	sysIface  bool
	sdrLoaded bool
	sdr       *sdrcmd.Session
}

func (s *eventSender) client() (*ipmi.Client, error) {
	if s.c == nil {
		c, err := s.f.Client()
		if err != nil {
			return nil, err
		}
		s.c = c
	}
	return s.c, nil
}

// channel finds out, as ipmitool's ipmi_current_channel_info does, whether
// the session is on the system interface (Get Channel Info for channel
// 0Eh, "this channel").
func (s *eventSender) channel() error {
	if s.checked {
		return nil
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	info, err := c.GetChannelInfo(s.f.Context(), 0x0E)
	if err != nil {
		var ce *ipmi.CompletionError
		var fe *ipmi.FormatError
		if !errors.As(err, &ce) && !errors.As(err, &fe) {
			return err // no answer: a timeout or a lost session, not a channel question
		}
		if !ipmi.IsCompletion(err, ipmi.CodeInvalidDataField) {
			fmt.Fprintf(s.f.IO.ErrOut, "Get Channel Info command failed: %s\n", cli.ErrText(err))
		}
		return fmt.Errorf("Failed to send the platform event via an unknown channel")
	}
	s.checked = true
	s.sysIface = info.Medium == ipmi.MediumSystem || info.Channel == 0x0F
	return nil
}

// sensorRepo returns the SDRs for naming the event's sensor, loaded once
// and only as well as they load (ipmitool's lookup fails quietly too).
func (s *eventSender) sensorRepo() *sdrcmd.Session {
	if !s.sdrLoaded {
		s.sdrLoaded = true
		if sess, err := sdrcmd.Open(s.f); err == nil {
			s.sdr = sess
		}
	}
	return s.sdr
}

// send prints the event as ipmitool's ipmi_event_msg_print does and sends
// it. meta carries what the JSON form says about where it came from.
func (s *eventSender) send(body [7]byte, meta eventJSON) error {
	if err := s.channel(); err != nil {
		return err
	}
	rec := eventRecord(body)
	var sensor *sdr.Record
	if sess := s.sensorRepo(); sess != nil {
		sensor = selcmd.SensorMatch(sess.Repo, rec.Event)
	}
	s.res.text.plain.WriteString(eventText(rec, sensor, s.f.Opts.Verbose > 0, false))
	s.res.text.csv.WriteString(eventText(rec, sensor, s.f.Opts.Verbose > 0, true))
	req := ipmi.PlatformEventRequest(body, s.sysIface)
	j := eventJSONOf(rec, meta)
	j.RequestData = cli.IntsOf(req.Data)
	c, err := s.client()
	if err != nil {
		return err
	}
	_, err = c.Do(s.f.Context(), req)
	j.Sent = err == nil
	s.res.Events = append(s.res.Events, j)
	if err != nil {
		return fmt.Errorf("Platform Event Message command failed: %w", err)
	}
	return nil
}
