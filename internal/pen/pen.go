// Package pen names IANA Private Enterprise Numbers (the manufacturer IDs
// BMCs report). Like ipmitool it reads the system's copy of the IANA
// registry, so names match ipmitool's byte for byte; when no registry is
// installed it falls back to a short built-in list of BMC vendors instead
// of failing (ipmitool 1.8.19 aborts every command in that case).
package pen

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// registryPaths are where Debian, Fedora and ipmitool's per-user install
// keep the registry.
var registryPaths = []string{
	"/usr/share/misc/enterprise-numbers.txt",
	"/usr/share/misc/enterprise-numbers",
	"/usr/share/hwdata/enterprise-numbers",
}

// builtin covers the BMC vendors seen most often.
var builtin = map[uint32]string{
	2:     "IBM",
	11:    "Hewlett-Packard",
	42:    "Sun Microsystems",
	343:   "Intel Corporation",
	674:   "Dell Inc.",
	2011:  "HUAWEI Technology Co.,Ltd",
	4128:  "ARM Ltd.",
	5771:  "Cisco Systems, Inc.",
	7154:  "IBM eServer X",
	7244:  "Quanta Computer Inc.",
	10368: "Fujitsu Siemens Computers",
	10876: "Super Micro Computer Inc.",
	15370: "GIGA-BYTE TECHNOLOGY CO., LTD",
	19046: "Lenovo Enterprise Business Group",
	20974: "American Megatrends, Inc.",
	37945: "Inspur Group Co., Ltd.",
	40092: "Wiwynn Corporation",
	40981: "Hon Hai Precision Industry Co., Ltd.",
	47196: "Hewlett Packard Enterprise",
	49622: "ASRock Rack Incorporation",
	49871: "OpenBMC Project",
	57347: "Ampere Computing",
}

var (
	mu    sync.Mutex
	cache = map[uint32]string{}
)

// Name returns the organisation registered for id, or "" when unknown.
func Name(id uint32) string {
	mu.Lock()
	defer mu.Unlock()
	if n, ok := cache[id]; ok {
		return n
	}
	n, found := lookupRegistry(id)
	if !found {
		n = builtin[id]
	}
	cache[id] = n
	return n
}

// lookupRegistry scans the registry for id. found is false when no
// registry file could be read.
func lookupRegistry(id uint32) (name string, found bool) {
	paths := registryPaths
	if home, err := os.UserHomeDir(); err == nil {
		paths = append(paths, filepath.Join(home, ".local/usr/share/misc/enterprise-numbers.txt"))
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		return scan(bufio.NewScanner(f), id), true
	}
	return "", false
}

// scan finds "ID" alone on a line and returns the next line, trimmed.
func scan(sc *bufio.Scanner, id uint32) string {
	want := strconv.FormatUint(uint64(id), 10)
	for sc.Scan() {
		if sc.Text() != want {
			continue
		}
		if sc.Scan() {
			return strings.TrimSpace(sc.Text())
		}
	}
	return ""
}
