//go:build linux && (mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || sparc64)

package inband

// The _IOC layout of mips, powerpc and sparc: nr 8 bits, type 8, size 13,
// dir 3.
const (
	iocRead  = 2
	iocWrite = 4

	iocSizeBits = 13
)
