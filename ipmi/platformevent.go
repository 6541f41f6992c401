package ipmi

import "context"

// CmdPlatformEvent is Platform Event Message (Sensor/Event netfn).
const CmdPlatformEvent = 0x02

// SystemSoftwareGenerator is the generator ID ipmitool puts in front of an
// event sent through the system interface: software ID 20h ("system
// management software"), bit 0 set for a software generator.
const SystemSoftwareGenerator = 0x41

// PlatformEventRequest builds a Platform Event Message from the seven
// event bytes (EvM revision, sensor type, sensor number, event direction
// and type, event data 1-3). Through the system interface the message
// carries the generator ID first (IPMI v2.0 figure 29-2); on any other
// channel the BMC fills it in from the requester's address.
func PlatformEventRequest(event [7]byte, systemInterface bool) *Request {
	data := make([]byte, 0, 8)
	if systemInterface {
		data = append(data, SystemSoftwareGenerator)
	}
	return &Request{NetFn: NetFnSensorEvent, Cmd: CmdPlatformEvent, Data: append(data, event[:]...)}
}

// PlatformEvent sends a Platform Event Message; the BMC logs it in its SEL
// (and runs it through PEF) as if a sensor had generated it.
func (c *Client) PlatformEvent(ctx context.Context, event [7]byte, systemInterface bool) error {
	_, err := c.Do(ctx, PlatformEventRequest(event, systemInterface))
	return err
}
