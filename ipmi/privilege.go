package ipmi

import (
	"fmt"
	"strings"
)

// Privilege is an IPMI session privilege level.
type Privilege uint8

// Privilege levels (IPMI v2.0 table 6-5 / 22-24).
const (
	PrivilegeNone     Privilege = 0x00 // "highest available" in Open Session
	PrivilegeCallback Privilege = 0x01
	PrivilegeUser     Privilege = 0x02
	PrivilegeOperator Privilege = 0x03
	PrivilegeAdmin    Privilege = 0x04
	PrivilegeOEM      Privilege = 0x05
	PrivilegeNoAccess Privilege = 0x0F
)

// String returns the name ipmitool prints.
func (p Privilege) String() string {
	switch p {
	case PrivilegeCallback:
		return "CALLBACK"
	case PrivilegeUser:
		return "USER"
	case PrivilegeOperator:
		return "OPERATOR"
	case PrivilegeAdmin:
		return "ADMINISTRATOR"
	case PrivilegeOEM:
		return "OEM"
	case PrivilegeNoAccess:
		return "NO ACCESS"
	}
	return fmt.Sprintf("Unknown (0x%02X)", uint8(p))
}

// ParsePrivilege accepts ipmitool's and FreeIPMI's names (ADMINISTRATOR,
// ADMIN, OPERATOR, USER, CALLBACK, OEM), any case, or a number 1-5.
func ParsePrivilege(s string) (Privilege, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "CALLBACK", "1":
		return PrivilegeCallback, nil
	case "USER", "2":
		return PrivilegeUser, nil
	case "OPERATOR", "3":
		return PrivilegeOperator, nil
	case "ADMINISTRATOR", "ADMIN", "4":
		return PrivilegeAdmin, nil
	case "OEM", "5":
		return PrivilegeOEM, nil
	case "NO_ACCESS", "NOACCESS", "15":
		return PrivilegeNoAccess, nil
	}
	return 0, fmt.Errorf("unknown privilege level %q: use CALLBACK, USER, OPERATOR, ADMINISTRATOR or OEM", s)
}
