package reports

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic creates or replaces the file at path with what write
// writes, so readers see either the old file or the complete new one. It
// writes to a temporary file in the same directory (a rename is atomic
// only within one file system), syncs it, gives it the old file's
// permissions (0644 for a new file) and renames it over path. If write
// returns an error or panics, or any step fails, the temporary file is
// removed and the previous file is left as it was; a panic is re-raised
// after cleanup.
//
// Only a regular file, or nothing, is replaced. A character device or a
// named pipe at path (or behind a symbolic link there) is written to as a
// stream, as a shell's redirection would: `-o /dev/stdout` prints and `-o
// /dev/null` discards, never replacing the device node. A directory, a
// socket or another special file is refused with an error wrapping
// ErrNotRegular. A symbolic link to a regular file is replaced by a
// regular file rather than followed.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	if fi, statErr := os.Stat(path); statErr == nil && !fi.Mode().IsRegular() {
		switch {
		case fi.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0:
			return writeStream(path, write)
		case fi.IsDir():
			return fmt.Errorf("write %s: %w: it is a directory", path, ErrNotRegular)
		default:
			return fmt.Errorf("write %s: %w (%v)", path, ErrNotRegular, fi.Mode().Type())
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	mode := fs.FileMode(0o644)
	if fi, statErr := os.Lstat(path); statErr == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		if fi, statErr := os.Stat(dir); statErr != nil || !fi.IsDir() {
			// Name the folder, not the temporary file the error names.
			return fmt.Errorf("write %s: the folder %s does not exist; create it first: %w", path, filepath.Clean(dir), fs.ErrNotExist)
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	done := false
	defer func() {
		if done {
			return
		}
		// Close may already have happened; its error no longer matters
		// once the file is being thrown away.
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	done = true
	syncDir(dir)
	return nil
}

// ErrNotRegular is wrapped by WriteFileAtomic's error for a path that is
// neither a regular file, a device nor a pipe (a directory, a socket).
var ErrNotRegular = errors.New("not a regular file, device or pipe")

// writeStream writes to an existing device or named pipe in place. What a
// failed write has sent cannot be taken back, as with any stream.
func writeStream(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// syncDir makes the rename durable where the platform allows it; failing
// to is not an error because the file itself is complete and in place.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// ErrOutputIsInput is wrapped by CheckNotInput's error.
var ErrOutputIsInput = errors.New("same file as input")

// CheckNotInput returns an error wrapping ErrOutputIsInput when out names
// the same file as one of inputs: the same cleaned absolute path, or (for
// files that exist) the same file by os.SameFile, which also catches hard
// links, symbolic links and case-insensitive file systems. "-" (standard
// input or output) and empty paths are never compared.
func CheckNotInput(out string, inputs []string) error {
	if out == "" || out == "-" {
		return nil
	}
	outAbs, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("check output %s: %w", out, err)
	}
	outInfo, outErr := os.Stat(out)
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		inAbs, err := filepath.Abs(in)
		if err != nil {
			return fmt.Errorf("check output %s: %w", out, err)
		}
		if inAbs == outAbs {
			return fmt.Errorf("check output %s: %w %s", out, ErrOutputIsInput, in)
		}
		if outErr != nil {
			continue
		}
		if inInfo, err := os.Stat(in); err == nil && os.SameFile(outInfo, inInfo) {
			return fmt.Errorf("check output %s: %w %s", out, ErrOutputIsInput, in)
		}
	}
	return nil
}
