//go:build !linux

package reports

import "errors"

func mknodNull(string) error { return errors.New("not on this platform") }
