//go:build !unix

package rmcp

import (
	"errors"
	"io/fs"
	"os"
)

// Without O_NOFOLLOW and file owners the suite files could be planted:
// SuiteFile remembers nothing here.
const suiteFilesSupported = false

func openNoFollow(string) (*os.File, error) { return nil, errors.New("not supported") }

func ownedByMe(fs.FileInfo) bool { return false }
