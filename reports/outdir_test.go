package reports

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree writes files (slash paths -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree reads every file under dir (slash paths -> content).
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// siblings lists the entries of dir's parent other than dir.
func siblings(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if e.Name() != filepath.Base(dir) {
			names = append(names, e.Name())
		}
	}
	return names
}

func isReport(rel string) bool {
	return strings.HasPrefix(rel, "report.") || strings.HasPrefix(rel, "charts")
}

func TestWriteDirAtomic(t *testing.T) {
	old := map[string]string{"report.md": "old", "charts/a.png": "old png", "charts/b.pdf": "old pdf"}
	newFiles := map[string]string{"report.md": "new", "charts/a.png": "new png"}
	errMidway := errors.New("row too tall")
	tests := []struct {
		name    string
		old     map[string]string // nil: no folder
		build   func(t *testing.T, dir string) error
		wantErr error
		want    map[string]string
	}{
		{"creates", nil, func(t *testing.T, dir string) error { writeTree(t, dir, newFiles); return nil }, nil, newFiles},
		// The old PDF goes: the folder is replaced whole, never mixed.
		{"replaces whole", old, func(t *testing.T, dir string) error { writeTree(t, dir, newFiles); return nil }, nil, newFiles},
		{"failure midway keeps the previous folder", old, func(t *testing.T, dir string) error {
			writeTree(t, dir, map[string]string{"report.md": "half"})
			return errMidway
		}, errMidway, old},
		{"failure midway creates nothing", nil, func(t *testing.T, dir string) error {
			writeTree(t, dir, map[string]string{"report.md": "half"})
			return errMidway
		}, errMidway, nil},
		{"user's file refused", map[string]string{"report.md": "old", "notes.txt": "mine"}, func(t *testing.T, dir string) error {
			writeTree(t, dir, newFiles)
			return nil
		}, ErrForeignFiles, map[string]string{"report.md": "old", "notes.txt": "mine"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if tc.old != nil {
				writeTree(t, dir, tc.old)
			}
			err := WriteDirAtomic(dir, isReport, func(tmp string) error { return tc.build(t, tmp) })
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("WriteDirAtomic() = %v, want %v", err, tc.wantErr)
			}
			if tc.want == nil {
				if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("WriteDirAtomic() left %s (%v), want no folder", dir, err)
				}
			} else if got := readTree(t, dir); !mapsEqual(got, tc.want) {
				t.Errorf("WriteDirAtomic() folder = %v, want %v", got, tc.want)
			}
			if s := siblings(t, dir); len(s) != 0 {
				t.Errorf("WriteDirAtomic() left %v beside the folder, want nothing", s)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestWriteDirAtomicPanic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	writeTree(t, dir, map[string]string{"report.md": "old"})
	func() {
		defer func() {
			if r := recover(); r == nil {
				t.Errorf("WriteDirAtomic() did not re-raise the panic")
			}
		}()
		_ = WriteDirAtomic(dir, isReport, func(tmp string) error {
			writeTree(t, tmp, map[string]string{"report.md": "half"})
			panic("boom")
		})
	}()
	if got := readTree(t, dir); got["report.md"] != "old" {
		t.Errorf("after a panic report.md = %q, want %q", got["report.md"], "old")
	}
	if s := siblings(t, dir); len(s) != 0 {
		t.Errorf("after a panic %v is left beside the folder, want nothing", s)
	}
}

// TestWriteDirAtomicLocked: a second writer of the same folder fails at
// once while the first is building, and the first's folder is complete.
func TestWriteDirAtomicLocked(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var inner error
	err := WriteDirAtomic(dir, isReport, func(tmp string) error {
		writeTree(t, tmp, map[string]string{"report.md": "first"})
		inner = WriteDirAtomic(dir, isReport, func(tmp string) error {
			t.Error("the second writer's build ran")
			return nil
		})
		return nil
	})
	if err != nil {
		t.Fatalf("first WriteDirAtomic() = %v", err)
	}
	if !errors.Is(inner, ErrOutputLocked) {
		t.Errorf("second WriteDirAtomic() = %v, want ErrOutputLocked", inner)
	}
	if got := readTree(t, dir); got["report.md"] != "first" {
		t.Errorf("report.md = %q, want %q", got["report.md"], "first")
	}
	if s := siblings(t, dir); len(s) != 0 {
		t.Errorf("lock or temporary folder %v left beside the folder", s)
	}
}

// TestWriteDirAtomicStale: the temporary folder of a killed run is removed
// by the next one.
func TestWriteDirAtomicStale(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	writeTree(t, filepath.Join(filepath.Dir(dir), ".out.tmp-123"), map[string]string{"report.md": "killed"})
	if err := WriteDirAtomic(dir, isReport, func(tmp string) error {
		writeTree(t, tmp, map[string]string{"report.md": "new"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if s := siblings(t, dir); len(s) != 0 {
		t.Errorf("WriteDirAtomic() left %v, want the stale temporary folder removed", s)
	}
}

func TestWriteDirAtomicNotAFolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out")
	writeTree(t, filepath.Dir(p), map[string]string{"out": "a file"})
	err := WriteDirAtomic(p, isReport, func(string) error { t.Error("build ran"); return nil })
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("WriteDirAtomic(file) = %v, want an error saying it is not a folder", err)
	}
}

func TestCheckNotInside(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		out    string
		inputs []string
		want   error
	}{
		{filepath.Join(dir, "rep"), []string{filepath.Join(dir, "rep", "data.csv")}, ErrOutputIsInput},
		{dir, []string{filepath.Join(dir, "data.csv")}, ErrOutputIsInput},
		{filepath.Join(dir, "rep"), []string{filepath.Join(dir, "rep2", "data.csv"), "-", ""}, nil},
		{filepath.Join(dir, "rep"), []string{filepath.Join(dir, "data.csv")}, nil},
	}
	for _, tt := range tests {
		if err := CheckNotInside(tt.out, tt.inputs); !errors.Is(err, tt.want) {
			t.Errorf("CheckNotInside(%q, %q) = %v, want %v", tt.out, tt.inputs, err, tt.want)
		}
	}
}

// TestWriteFileAtomicDevice: a character device (a copy of /dev/null's
// node in a temporary folder, never the system's) is written to, not
// replaced. Making the node needs root.
func TestWriteFileAtomicDevice(t *testing.T) {
	p := filepath.Join(t.TempDir(), "null")
	if err := mknodNull(p); err != nil {
		t.Skipf("cannot make a device node: %v", err)
	}
	if err := WriteFileAtomic(p, func(w io.Writer) error { _, err := io.WriteString(w, "table"); return err }); err != nil {
		t.Fatalf("WriteFileAtomic(device) = %v", err)
	}
	fi, err := os.Lstat(p)
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("after WriteFileAtomic the device is %v (%v), want still a character device", fi.Mode(), err)
	}
	ents, _ := os.ReadDir(filepath.Dir(p))
	if len(ents) != 1 {
		t.Errorf("WriteFileAtomic(device) left %d entries, want 1", len(ents))
	}
}

func TestWriteFileAtomicDirectory(t *testing.T) {
	dir := t.TempDir()
	err := WriteFileAtomic(dir, func(w io.Writer) error { return nil })
	if !errors.Is(err, ErrNotRegular) {
		t.Errorf("WriteFileAtomic(directory) = %v, want ErrNotRegular", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("WriteFileAtomic(directory) wrote %d entries into it", len(ents))
	}
}

func TestForeignFilesErrorMessage(t *testing.T) {
	dir := t.TempDir()
	var files = map[string]string{"report.md": "x"}
	for _, n := range []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt", "g.txt"} {
		files[n] = "mine"
	}
	writeTree(t, dir, files)
	err := CheckDirReplaceable(dir, isReport)
	var fe *ForeignFilesError
	if !errors.As(err, &fe) {
		t.Fatalf("CheckDirReplaceable() = %v, want a *ForeignFilesError", err)
	}
	if !slices.Equal(fe.Names, []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt"}) || fe.More != 2 {
		t.Errorf("ForeignFilesError names %v and %d more, want a..e.txt and 2 more", fe.Names, fe.More)
	}
	if !strings.Contains(err.Error(), "and 2 more") {
		t.Errorf("message %q does not count the rest", err)
	}
}
