package peers

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// labDir returns testdata/ipmisim of this module. Tests run with the package
// directory as working directory, so walk up to go.mod; fall back to the
// location of this source file.
func labDir() (string, error) {
	if dir, err := os.Getwd(); err == nil {
		for {
			if isLabDir(filepath.Join(dir, "testdata", "ipmisim")) {
				if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
					return filepath.Join(dir, "testdata", "ipmisim"), nil
				}
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		d := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "ipmisim")
		if isLabDir(d) {
			return filepath.Abs(d)
		}
	}
	return "", errors.New("peers: cannot find testdata/ipmisim (run from inside the ipmictl module)")
}

func isLabDir(d string) bool {
	_, err := os.Stat(filepath.Join(d, "lan.conf.in"))
	return err == nil
}
