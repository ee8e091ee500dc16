//go:build unix

package reports

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive flock on the file at path, creating it; the
// kernel drops the lock when the process ends, however it ends. The
// returned function unlocks and removes the file. A file removed by
// another holder between our open and our lock is opened again, so two
// processes never hold locks on different files of one name.
func lockDir(path string) (unlock func(), err error) {
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("%w (lock %s); wait for it to finish or write to another folder", ErrOutputLocked, path)
			}
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return func() {
				_ = os.Remove(path)
				f.Close()
			}, nil
		}
		f.Close() // unlocked a file no longer at path: try again
	}
}
