package reports

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutputLocked is wrapped by WriteDirAtomic's error when another
// process is writing the same folder.
var ErrOutputLocked = errors.New("another trustgap run is writing this folder")

// ErrForeignFiles is wrapped by WriteDirAtomic's error when the folder to
// replace holds files that the new one would not (files a user put there,
// or a folder that is not a previous report at all).
var ErrForeignFiles = errors.New("holds files that are not part of a report")

// ForeignFilesError is WriteDirAtomic's error for a folder it will not
// replace because of files the new folder does not have; it wraps
// ErrForeignFiles.
type ForeignFilesError struct {
	Dir   string
	Names []string // the first few such entries, sorted
	More  int      // how many more
}

func (e *ForeignFilesError) Error() string {
	list := `"` + strings.Join(e.Names, `", "`) + `"`
	if e.More > 0 {
		list += fmt.Sprintf(" and %d more", e.More)
	}
	return fmt.Sprintf("%s %v: %s; a report folder is replaced as a whole, so write to a new or empty folder, or move them", e.Dir, ErrForeignFiles, list)
}

func (e *ForeignFilesError) Unwrap() error { return ErrForeignFiles }

// WriteDirAtomic creates or replaces the folder dir with what build writes
// into the folder it is given, so that dir holds either the previous
// folder or the complete new one, never a mix.
//
// build writes into a temporary sibling of dir (hidden, same parent, so
// the final rename stays on one file system); only when it returns nil is
// the new folder swapped in: on Linux in one atomic exchange, elsewhere by
// two renames (the old folder put aside, then the new one moved in). The
// previous folder is then removed. After an error, a panic (re-raised) or
// a cancelled build, the temporary folder is removed and dir is as it was.
//
// While it works, WriteDirAtomic holds a lock beside dir (the hidden file
// .NAME.lock in dir's parent, removed afterwards): a second call for the
// same folder, from this or another process, fails at once with an error
// wrapping ErrOutputLocked. Temporary folders a killed process left
// behind are removed by the next call.
//
// An existing dir is replaced only if every entry in it also exists in the
// new folder, or is named in keep (files a previous report may have had
// and this one has not, such as PDF charts): anything else is the user's
// and the call fails with a *ForeignFilesError before build runs. A
// symbolic link at dir is followed; dir must not be a file.
func WriteDirAtomic(dir string, keep func(rel string) bool, build func(tmp string) error) (err error) {
	if target, err := filepath.EvalSymlinks(dir); err == nil {
		dir = target
	}
	dir = filepath.Clean(dir)
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if base == "" || base == "." || base == ".." {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
		parent, base = filepath.Split(abs)
		if base == "" {
			return fmt.Errorf("write %s: cannot replace the root folder", dir)
		}
	}
	old, err := os.Stat(dir)
	switch {
	case err == nil && !old.IsDir():
		return fmt.Errorf("write %s: exists and is not a folder", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	unlock, err := lockDir(filepath.Join(parent, "."+base+".lock"))
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	defer unlock()
	removeStale(parent, base)
	if old, err = os.Stat(dir); err != nil {
		old = nil
	}

	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := build(tmp); err != nil {
		return err
	}
	if old != nil {
		if err := checkForeign(dir, tmp, keep); err != nil {
			return err
		}
	}
	_ = os.Chmod(tmp, 0o755) // MkdirTemp makes it 0700
	if old == nil {
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("write %s: %w", dir, err)
		}
		done = true
		syncDir(parent)
		return nil
	}
	if err := swapDirs(tmp, dir); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	// tmp now holds the previous folder.
	syncDir(parent)
	return nil
}

// CheckDirReplaceable returns WriteDirAtomic's *ForeignFilesError early,
// before any work, for a folder that holds entries neither keep names
// nor a report could write. Pass the same keep as to WriteDirAtomic.
func CheckDirReplaceable(dir string, keep func(rel string) bool) error {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return nil // WriteDirAtomic says what is wrong
	}
	return checkForeign(dir, "", keep)
}

// checkForeign lists dir's entries that are neither in the new folder
// (when newDir is not "") nor kept.
func checkForeign(dir, newDir string, keep func(string) bool) error {
	var foreign []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if keep != nil && keep(filepath.ToSlash(rel)) {
			return nil
		}
		if newDir != "" {
			if nfi, err := os.Lstat(filepath.Join(newDir, rel)); err == nil && nfi.IsDir() == d.IsDir() {
				return nil
			}
		}
		foreign = append(foreign, filepath.ToSlash(rel))
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if len(foreign) == 0 {
		return nil
	}
	e := &ForeignFilesError{Dir: dir, Names: foreign}
	if len(foreign) > 5 {
		e.Names, e.More = foreign[:5], len(foreign)-5
	}
	return e
}

// removeStale removes temporary folders of earlier calls for the same
// folder that did not finish (a killed process): the lock is held, so no
// running call owns them.
func removeStale(parent, base string) {
	matches, _ := filepath.Glob(filepath.Join(parent, "."+escapeGlob(base)+".tmp-*"))
	dir := filepath.Join(parent, base)
	for _, m := range matches {
		// A previous folder put aside by swapDirs's fallback whose
		// replacement never arrived goes back in place.
		if strings.HasSuffix(m, "-old") {
			if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
				if os.Rename(m, dir) == nil {
					continue
				}
			}
		}
		if fi, err := os.Lstat(m); err == nil && fi.IsDir() {
			_ = os.RemoveAll(m)
		}
	}
}

func escapeGlob(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// swapDirs puts newDir in dir's place and the previous dir at newDir's
// path, or leaves both as they were on error.
func swapDirs(newDir, dir string) error {
	if err := exchange(newDir, dir); err == nil {
		_ = os.RemoveAll(newDir)
		return nil
	} else if !errors.Is(err, errNoExchange) {
		return err
	}
	aside := newDir + "-old"
	if err := os.Rename(dir, aside); err != nil {
		return err
	}
	if err := os.Rename(newDir, dir); err != nil {
		_ = os.Rename(aside, dir)
		return err
	}
	_ = os.RemoveAll(aside)
	return nil
}

// errNoExchange means the platform or file system cannot exchange two
// paths atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// CheckNotInside returns an error wrapping ErrOutputIsInput when one of
// inputs lies inside the folder dir (which WriteDirAtomic would replace)
// or is dir itself. "-" and empty paths are skipped.
func CheckNotInside(dir string, inputs []string) error {
	dirAbs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("check output %s: %w", dir, err)
	}
	if real, err := filepath.EvalSymlinks(dirAbs); err == nil {
		dirAbs = real
	}
	for _, in := range inputs {
		if in == "" || in == "-" {
			continue
		}
		inAbs, err := filepath.Abs(in)
		if err != nil {
			return fmt.Errorf("check output %s: %w", dir, err)
		}
		if real, err := filepath.EvalSymlinks(inAbs); err == nil {
			inAbs = real
		}
		rel, err := filepath.Rel(dirAbs, inAbs)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fmt.Errorf("check output %s: the folder holds the input %s, and a report replaces its folder whole: %w", dir, in, ErrOutputIsInput)
		}
	}
	return nil
}
