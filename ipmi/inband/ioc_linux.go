package inband

// ioc is the kernel's _IOC macro.
func ioc(dir, typ, nr, size uintptr) uintptr {
	const nrShift, typeShift, sizeShift = 0, 8, 16
	return dir<<(sizeShift+iocSizeBits) | size<<sizeShift | typ<<typeShift | nr<<nrShift
}

func ior(typ, nr, size uintptr) uintptr  { return ioc(iocRead, typ, nr, size) }
func iowr(typ, nr, size uintptr) uintptr { return ioc(iocRead|iocWrite, typ, nr, size) }
