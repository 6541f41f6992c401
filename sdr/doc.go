// Package sdr reads and decodes a BMC's Sensor Data Record repository and
// turns raw sensor readings into values, units and state text.
//
// The repository is read through an *ipmi.Client (Get SDR Repository Info,
// Reserve SDR Repository, Get SDR with partial reads), from a file written by
// `ipmitool sdr dump`, or from the on-disk cache. Every record decoder treats
// its input as hostile: lengths are checked before use and malformed records
// come back as *ipmi.FormatError, never as a panic.
//
// The tables (units, sensor types, entity IDs, generic and sensor-specific
// event states) carry the text ipmitool 1.8.19 prints, so commands built on
// this package can reproduce ipmitool's output byte for byte. SEL decoding
// uses the same tables through SensorTypeName and EventText.
package sdr
