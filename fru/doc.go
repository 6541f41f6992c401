// Package fru reads, decodes, edits and writes IPMI FRU inventory images
// (Platform Management FRU Information Storage Definition v1.0 rev 1.3):
// the common header, the internal use, chassis, board and product info
// areas with every type/length field encoding, and the multi-record area.
//
// Every byte of an image is treated as hostile. Offsets are capped to the
// image size and every length is checked before use, so a corrupt image
// decodes to as much as can be trusted plus Warnings (bad checksums, areas
// past the end, truncated fields), never to a panic. Parse fails only when
// not even the common header can be read.
//
// Images are read from and written to a BMC through *ipmi.Client with Get
// FRU Inventory Area Info, Read FRU Data and Write FRU Data (see Device).
// The reader never keeps more bytes than it asked for, whatever the BMC
// answers (ipmitool's CVE-2020-5208 came from trusting that length).
package fru
