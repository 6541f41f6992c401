package peers

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// polledSensor is one line of testdata/ipmisim/polled_sensors.tsv: a sensor
// whose reading ipmi_sim polls every 2 s from a file in the run dir. The
// file holds raw*div; the SDR converts raw to m * raw * 10^rexp.
type polledSensor struct {
	name    string // SDR ID string, e.g. "CPU1 Temp"
	file    string // relative to the run dir, e.g. "sensors/cpu1_temp"
	raw     int    // initial raw reading
	m, rexp int
	div     int
}

// fileValue converts an engineering value (degrees C, RPM, volts, watts) to
// the number to write into the polled file.
func (s polledSensor) fileValue(v float64) (int, error) {
	raw := math.Round(v / (float64(s.m) * math.Pow10(s.rexp)))
	if raw < 0 || raw > 255 {
		return 0, fmt.Errorf("peers: %s: %v is outside the raw range 0-255 (raw %v)", s.name, v, raw)
	}
	return int(raw) * s.div, nil
}

func readPolledSensors(lab string) ([]polledSensor, error) {
	f, err := os.Open(filepath.Join(lab, "polled_sensors.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []polledSensor
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("peers: polled_sensors.tsv: bad line %q", line)
		}
		var n [4]int
		for i := range n {
			v, err := strconv.Atoi(f[2+i])
			if err != nil {
				return nil, fmt.Errorf("peers: polled_sensors.tsv: %q: %v", line, err)
			}
			n[i] = v
		}
		if n[1] == 0 || n[3] == 0 {
			return nil, fmt.Errorf("peers: polled_sensors.tsv: %q: zero m or div", line)
		}
		out = append(out, polledSensor{name: f[0], file: f[1], raw: n[0], m: n[1], rexp: n[2], div: n[3]})
	}
	return out, s.Err()
}
