package bmcsim_test

import (
	"context"
	"fmt"

	"github.com/ipmictl/ipmictl/ipmi"
	"github.com/ipmictl/ipmictl/ipmi/bmcsim"
)

// A test drives code that takes an ipmi.Transport with an in-process BMC.
func Example() {
	b := bmcsim.New(bmcsim.WithSeed(1))
	b.Freeze(true)
	b.SetReading("CPU1 Temp", 71)

	c := ipmi.NewClient(b.Transport("operator", ipmi.PrivilegeOperator))
	defer c.Close()
	ctx := context.Background()
	reading, err := c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnSensorEvent, Cmd: 0x2D, Data: []byte{0x01}})
	fmt.Println(reading[0], err)
	// Setting a user name needs ADMINISTRATOR: the BMC refuses it.
	_, err = c.Do(ctx, &ipmi.Request{NetFn: ipmi.NetFnApp, Cmd: 0x45, Data: make([]byte, 17)})
	fmt.Println(ipmi.IsCompletion(err, ipmi.CodeInsufficientPrivilege))
	// Output:
	// 71 <nil>
	// true
}

// Serve puts a BMC on a loopback UDP port for LAN clients (ipmitool,
// FreeIPMI, rmcp.Dial).
func ExampleServe() {
	b := bmcsim.New()
	srv, err := bmcsim.Serve(b, "127.0.0.1:0", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	fmt.Println(srv.Addr().Addr())
	// ipmitool -I lanplus -C 17 -H 127.0.0.1 -p <port> -U admin -P password sdr list
	// Output: 127.0.0.1
}
