package cli

import (
	"errors"
	"strconv"
	"strings"

	"github.com/ipmictl/ipmictl/ipmi"
)

// Words and numbers that several command groups print or parse the same
// way, as ipmitool does.

// ParseChannel parses a channel number (0-15).
func ParseChannel(s string) (uint8, error) {
	n, err := strconv.ParseUint(s, 0, 8)
	if err != nil || n > 15 {
		return 0, UsageErrorf("Given Channel number '%s' is either invalid or out of range.", s)
	}
	return uint8(n), nil
}

// AuthTypeNames lists IPMI 1.5 auth type bits as ipmitool does,
// each followed by a space.
func AuthTypeNames(bits uint8) string {
	var s strings.Builder
	for _, t := range []struct {
		bit  uint8
		name string
	}{{ipmi.AuthTypeBitNone, "NONE"}, {ipmi.AuthTypeBitMD2, "MD2"}, {ipmi.AuthTypeBitMD5, "MD5"},
		{ipmi.AuthTypeBitPassword, "PASSWORD"}, {ipmi.AuthTypeBitOEM, "OEM"}} {
		if bits&t.bit != 0 {
			s.WriteString(t.name + " ")
		}
	}
	return s.String()
}

// IsSpace is C's isspace in the C locale.
func IsSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
}

// ParseByte is ipmitool's str2uchar: strtoul base 0 (0x hex, leading
// 0 octal, else decimal; leading white space and a sign allowed), the
// whole token consumed, at most 255.
func ParseByte(s string) (uint8, bool) {
	s = strings.TrimLeftFunc(s, IsSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := 10
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && eventDigit(s[2], 16) >= 0:
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base = 8
	}
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		d := eventDigit(s[i], base)
		if d < 0 {
			return 0, false
		}
		v = v*base + d
		if v > 0xff {
			return 0, false
		}
	}
	if neg && v != 0 {
		return 0, false // strtoul wraps a negative number past 255
	}
	return uint8(v), true
}

// eventDigit is the value of c in base, or -1.
func eventDigit(c byte, base int) int {
	d := -1
	switch {
	case c >= '0' && c <= '9':
		d = int(c - '0')
	case c >= 'a' && c <= 'f':
		d = int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		d = int(c-'A') + 10
	}
	if d >= base {
		return -1
	}
	return d
}

// i2cCodeText is ipmitool's reason for a failed Master Write-Read.
func i2cCodeText(err error) string {
	var ce *ipmi.CompletionError
	if errors.As(err, &ce) {
		switch ce.Code {
		case ipmi.CodeI2CLostArbitration:
			return "Lost Arbitration"
		case ipmi.CodeI2CBusError:
			return "Bus Error"
		case ipmi.CodeI2CNAKOnWrite:
			return "NAK on Write"
		case ipmi.CodeI2CTruncatedRead:
			return "Truncated Read"
		}
	}
	return ErrText(err)
}

// I2CError keeps the completion code (exit 1) under ipmitool's text.
type I2CError struct{ Err error }

func (e *I2CError) Error() string {
	return "I2C Master Write-Read command failed: " + i2cCodeText(e.Err)
}

func (e *I2CError) Unwrap() error { return e.Err }

func YesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func IntsOf(b []byte) []int {
	out := make([]int, len(b))
	for i, c := range b {
		out[i] = int(c)
	}
	return out
}

// ErrText is ipmitool's reason text: the completion code's name, or
// the error itself when the BMC did not answer.
func ErrText(err error) string {
	var ce *ipmi.CompletionError
	if errors.As(err, &ce) {
		return ce.Code.String()
	}
	return err.Error()
}

func BoolWord(v bool, t, f string) string {
	if v {
		return t
	}
	return f
}
