package clitest

// lanAlertSets are the changes behind testdata/golden/lan_alert_print.txt,
// which is what ipmitool 1.8.19 printed for a simulated BMC after them.
var LanAlertSets = []struct {
	Args []string
	Said string
}{
	{[]string{"1", "1", "ipaddr", "192.168.1.9"}, "Setting LAN Alert 1 IP Address to 192.168.1.9\n"},
	{[]string{"1", "1", "macaddr", "0a:0b:0c:0d:0e:0f"}, "Setting LAN Alert 1 MAC Address to 0a:0b:0c:0d:0e:0f\n"},
	{[]string{"1", "1", "gateway", "bak"}, "Setting LAN Alert 1 to use Backup Gateway\n"},
	{[]string{"1", "1", "ack", "yes"}, "Setting LAN Alert 1 to Acknowledged\n"},
	{[]string{"1", "1", "type", "oem2"}, "Setting LAN Alert 1 destination to OEM 2\n"},
	{[]string{"1", "1", "time", "0x20"}, "Setting LAN Alert 1 timeout/retry to 32 seconds\n"},
	{[]string{"1", "1", "retry", "7"}, "Setting LAN Alert 1 number of retries to 7\n"},
	{[]string{"1", "2", "ipaddr", "10.1.2.3"}, "Setting LAN Alert 2 IP Address to 10.1.2.3\n"},
	{[]string{"1", "2", "macaddr", "02:03:04:05:06:07"}, "Setting LAN Alert 2 MAC Address to 02:03:04:05:06:07\n"},
	{[]string{"1", "2", "gateway", "backup"}, "Setting LAN Alert 2 to use Backup Gateway\n"},
	{[]string{"1", "2", "ack", "on"}, "Setting LAN Alert 2 to Acknowledged\n"},
	{[]string{"1", "2", "type", "OEM1"}, "Setting LAN Alert 2 destination to OEM 1\n"},
	{[]string{"1", "2", "time", "30"}, "Setting LAN Alert 2 timeout/retry to 30 seconds\n"},
	{[]string{"1", "2", "retry", "1"}, "Setting LAN Alert 2 number of retries to 1\n"},
	{[]string{"1", "3", "type", "oem2"}, "Setting LAN Alert 3 destination to OEM 2\n"},
}
