//go:build !unix

package reports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// lockDir creates the file at path exclusively; it fails while another
// run holds it. A lock left by a killed process must be removed by hand,
// which the message says.
func lockDir(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w (lock %s: remove it if no run is going on)", ErrOutputLocked, path)
	}
	if err != nil {
		return nil, err
	}
	f.Close()
	return func() { _ = os.Remove(path) }, nil
}
