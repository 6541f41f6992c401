package ipmi

import (
	"errors"
	"fmt"
)

// CompletionCode is the first byte of every IPMI response.
type CompletionCode uint8

// Generic completion codes (IPMI v2.0 table 5-2).
const (
	CodeOK                      CompletionCode = 0x00
	CodeNodeBusy                CompletionCode = 0xC0
	CodeInvalidCommand          CompletionCode = 0xC1
	CodeInvalidForLUN           CompletionCode = 0xC2
	CodeTimeout                 CompletionCode = 0xC3
	CodeOutOfSpace              CompletionCode = 0xC4
	CodeReservationCancelled    CompletionCode = 0xC5
	CodeRequestTruncated        CompletionCode = 0xC6
	CodeRequestLengthInvalid    CompletionCode = 0xC7
	CodeRequestLengthExceeded   CompletionCode = 0xC8
	CodeParameterOutOfRange     CompletionCode = 0xC9
	CodeCannotReturnBytes       CompletionCode = 0xCA
	CodeNotPresent              CompletionCode = 0xCB
	CodeInvalidDataField        CompletionCode = 0xCC
	CodeIllegalForSensor        CompletionCode = 0xCD
	CodeCannotProvideResponse   CompletionCode = 0xCE
	CodeDuplicateRequest        CompletionCode = 0xCF
	CodeSDRInUpdateMode         CompletionCode = 0xD0
	CodeFirmwareUpdateMode      CompletionCode = 0xD1
	CodeInitInProgress          CompletionCode = 0xD2
	CodeDestinationUnavailable  CompletionCode = 0xD3
	CodeInsufficientPrivilege   CompletionCode = 0xD4
	CodeNotSupportedInState     CompletionCode = 0xD5
	CodeSubFunctionDisabled     CompletionCode = 0xD6
	CodeUnspecified             CompletionCode = 0xFF
	CodeParameterNotSupported   CompletionCode = 0x80 // Get/Set * Parameters
	CodeSetInProgressAlready    CompletionCode = 0x81 // Set * Parameters
	CodeWriteToReadOnlyParamter CompletionCode = 0x82 // Set * Parameters
)

// Names as ipmitool prints them (lib/helper.c completion_code_vals), so
// error text matches what scripts already grep for.
var completionNames = map[CompletionCode]string{
	0x00: "Command completed normally",
	0xC0: "Node busy",
	0xC1: "Invalid command",
	0xC2: "Invalid command on LUN",
	0xC3: "Timeout",
	0xC4: "Out of space",
	0xC5: "Reservation cancelled or invalid",
	0xC6: "Request data truncated",
	0xC7: "Request data length invalid",
	0xC8: "Request data field length limit exceeded",
	0xC9: "Parameter out of range",
	0xCA: "Cannot return number of requested data bytes",
	0xCB: "Requested sensor, data, or record not found",
	0xCC: "Invalid data field in request",
	0xCD: "Command illegal for specified sensor or record type",
	0xCE: "Command response could not be provided",
	0xCF: "Cannot execute duplicated request",
	0xD0: "SDR Repository in update mode",
	0xD1: "Device firmeware in update mode",
	0xD2: "BMC initialization in progress",
	0xD3: "Destination unavailable",
	0xD4: "Insufficient privilege level",
	0xD5: "Command not supported in present state",
	0xD6: "Cannot execute command, command disabled",
	0xFF: "Unspecified error",
}

// String returns ipmitool's name for the code, or "Unknown (0xNN)".
func (c CompletionCode) String() string {
	if s, ok := completionNames[c]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (0x%02X)", uint8(c))
}

// CompletionError is returned when the BMC answered with a non-zero
// completion code. Callers test for specific codes with errors.As or
// IsCompletion.
type CompletionError struct {
	NetFn NetFn
	Cmd   uint8
	Code  CompletionCode
}

func (e *CompletionError) Error() string {
	return fmt.Sprintf("%s (netfn=0x%02x cmd=0x%02x completion code 0x%02x)",
		e.Code, uint8(e.NetFn), e.Cmd, uint8(e.Code))
}

// IsCompletion reports whether err carries the completion code c.
func IsCompletion(err error, c CompletionCode) bool {
	var ce *CompletionError
	return errors.As(err, &ce) && ce.Code == c
}

// FormatError reports a response or record that could not be decoded.
// Offset is the byte offset of the problem within the decoded data.
type FormatError struct {
	What   string // what was being decoded, e.g. "Get Device ID response"
	Offset int
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("malformed %s at byte %d: %s", e.What, e.Offset, e.Msg)
}

// ShortError returns a FormatError for data shorter than need bytes.
func ShortError(what string, got, need int) error {
	return &FormatError{What: what, Offset: got, Msg: fmt.Sprintf("%d bytes, need at least %d", got, need)}
}
