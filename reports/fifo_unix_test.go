//go:build unix

package reports

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteFileAtomicFIFO: a named pipe is written to, not replaced.
func TestWriteFileAtomicFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(p)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	if err := WriteFileAtomic(p, func(w io.Writer) error { _, err := io.WriteString(w, "table"); return err }); err != nil {
		t.Fatalf("WriteFileAtomic(fifo) = %v", err)
	}
	if s := <-got; s != "table" {
		t.Errorf("the pipe's reader got %q, want %q", s, "table")
	}
	if fi, err := os.Lstat(p); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("after WriteFileAtomic the pipe is %v (%v), want still a named pipe", fi.Mode(), err)
	}
}
