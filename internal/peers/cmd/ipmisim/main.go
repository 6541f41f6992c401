// Command ipmisim runs the test lab's ipmi_sim BMC in the foreground until
// Ctrl-C, for trying things by hand. See testdata/ipmisim/README.md.
//
//	go run ./internal/peers/cmd/ipmisim [-kg KEY] [-run DIR] [PORT]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/ipmictl/ipmictl/internal/peers"
)

func main() {
	kg := flag.String("kg", "", "BMC key K_g (bmc_key); default: none")
	run := flag.String("run", "", "run directory (wiped first); default: $TMPDIR/ipmisim-PORT")
	solPort := flag.Int("solport", 0, "TCP port of the fake console; default PORT+1")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: %s [-kg KEY] [-run DIR] [-solport N] [PORT]\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	port := 0
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	if flag.NArg() == 1 {
		p, err := strconv.Atoi(flag.Arg(0))
		if err != nil || p < 1 || p > 65534 {
			flag.Usage()
			os.Exit(2)
		}
		port = p
		if *solPort == 0 {
			*solPort = p + 1
		}
	}
	dir := *run
	if dir == "" {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("ipmisim-%d", port))
		if port == 0 {
			dir = filepath.Join(os.TempDir(), fmt.Sprintf("ipmisim-pid%d", os.Getpid()))
		}
	}
	var opts []peers.Option
	if *kg != "" {
		opts = append(opts, peers.WithKg(*kg))
	}
	lab, err := peers.StartLab(dir, port, *solPort, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	kgFlag := ""
	if *kg != "" {
		kgFlag = " -k " + *kg
	}
	fmt.Printf("ipmi_sim pid %d on udp %s, SOL console tcp 127.0.0.1:%d\nrun dir %s\n"+
		"try: ipmitool -I lanplus -C 3 -H 127.0.0.1 -p %d -U admin -P password%s sdr list\n"+
		"Ctrl-C stops it.\n", lab.PID, lab.Addr, lab.SOLPort, lab.RunDir, lab.Port, kgFlag)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case <-sig:
		lab.Stop()
	case <-lab.Done():
		fmt.Fprintln(os.Stderr, lab.Err())
		lab.Stop()
		os.Exit(1)
	}
}
