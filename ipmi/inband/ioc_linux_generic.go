//go:build linux && !(mips || mipsle || mips64 || mips64le || ppc || ppc64 || ppc64le || sparc64)

package inband

// The asm-generic _IOC layout: nr 8 bits, type 8, size 14, dir 2.
const (
	iocWrite = 1
	iocRead  = 2

	iocSizeBits = 14
)
