package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	errMidway := errors.New("disk on fire")
	tests := []struct {
		name    string
		old     string // previous content; "" means no file
		write   func(io.Writer) error
		panics  bool
		wantErr error
		want    string // content afterwards; "" means no file
	}{
		{
			name:  "creates",
			write: func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err },
			want:  "new",
		},
		{
			name:  "replaces",
			old:   "old",
			write: func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err },
			want:  "new",
		},
		{
			name: "error midway keeps the previous file",
			old:  "old",
			write: func(w io.Writer) error {
				if _, err := io.WriteString(w, "half"); err != nil {
					return err
				}
				return errMidway
			},
			wantErr: errMidway,
			want:    "old",
		},
		{
			name:    "error midway creates nothing",
			write:   func(w io.Writer) error { _, _ = io.WriteString(w, "half"); return errMidway },
			wantErr: errMidway,
		},
		{
			name:   "panic keeps the previous file",
			old:    "old",
			write:  func(w io.Writer) error { _, _ = io.WriteString(w, "half"); panic("boom") },
			panics: true,
			want:   "old",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			if tc.old != "" {
				if err := os.WriteFile(path, []byte(tc.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var err error
			func() {
				defer func() {
					if r := recover(); (r != nil) != tc.panics {
						t.Errorf("WriteFileAtomic panicked with %v, want panic %v", r, tc.panics)
					}
				}()
				err = WriteFileAtomic(path, tc.write)
			}()
			if !tc.panics && !errors.Is(err, tc.wantErr) {
				t.Errorf("WriteFileAtomic() = %v, want %v", err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), path) {
				t.Errorf("WriteFileAtomic() = %v, want the path in the message", err)
			}
			got, readErr := os.ReadFile(path)
			switch {
			case tc.want == "" && !errors.Is(readErr, os.ErrNotExist):
				t.Errorf("after WriteFileAtomic: file exists (%q, %v), want none", got, readErr)
			case tc.want != "" && string(got) != tc.want:
				t.Errorf("after WriteFileAtomic: file = %q (%v), want %q", got, readErr, tc.want)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "out.csv" {
					t.Errorf("after WriteFileAtomic: stray file %s", e.Name())
				}
			}
		})
	}
}

func TestWriteFileAtomicMode(t *testing.T) {
	dir := t.TempDir()
	write := func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }
	fresh := filepath.Join(dir, "fresh.txt")
	if err := WriteFileAtomic(fresh, write); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "old.txt")
	if err := os.WriteFile(old, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(old, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(old, write); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{fresh: 0o644, old: 0o640} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("mode of %s = %v, want %v", filepath.Base(path), got, want)
		}
	}
}

func TestWriteFileAtomicBadDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "out.csv")
	called := false
	err := WriteFileAtomic(path, func(io.Writer) error { called = true; return nil })
	if err == nil || !errors.Is(err, os.ErrNotExist) || called {
		t.Errorf("WriteFileAtomic(%s) = %v (write called %v), want a not-exist error before writing", path, err, called)
	}
	// The message names the missing folder and what to do, never the
	// temporary file.
	if err != nil && (!strings.Contains(err.Error(), "the folder "+filepath.Dir(path)+" does not exist; create it first") || strings.Contains(err.Error(), ".tmp-")) {
		t.Errorf("WriteFileAtomic(%s) = %q, want it to name the missing folder and not the temporary file", path, err)
	}
}

func TestCheckNotInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	other := filepath.Join(dir, "other.csv")
	for _, p := range []string{in, other} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.csv")
	if err := os.Link(in, hard); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	tests := []struct {
		out    string
		inputs []string
		same   bool
	}{
		{in, []string{in}, true},
		{"in.csv", []string{in}, true},
		{"./sub/../in.csv", []string{in}, true},
		{link, []string{in}, true},
		{hard, []string{"in.csv"}, true},
		{in, []string{other, "-", ""}, false},
		{filepath.Join(dir, "new.xlsx"), []string{in}, false},
		{"-", []string{"-", in}, false},
		{"", []string{in}, false},
		{in, nil, false},
	}
	for _, tc := range tests {
		err := CheckNotInput(tc.out, tc.inputs)
		if got := errors.Is(err, ErrOutputIsInput); got != tc.same {
			t.Errorf("CheckNotInput(%q, %q) = %v, want same-file error %v", tc.out, tc.inputs, err, tc.same)
		}
		if tc.same && err != nil && !strings.HasPrefix(err.Error(), "check output "+tc.out+": ") {
			t.Errorf("CheckNotInput(%q, %q) = %q, want it to name the output", tc.out, tc.inputs, err)
		}
	}
}

func ExampleWriteFileAtomic() {
	dir, err := os.MkdirTemp("", "reports-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "trust.csv")

	t := NewTable("", TextCol("Region"), PercentCol("Trust"))
	t.AddRow(Str("Europe"), Num(0.364))
	if err := WriteFileAtomic(path, func(w io.Writer) error { return WriteCSV(w, t) }); err != nil {
		fmt.Println(err)
		return
	}
	// A failing writer leaves the previous file untouched.
	err = WriteFileAtomic(path, func(w io.Writer) error { return errors.New("interrupted") })
	fmt.Println(err != nil)
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	// Output:
	// true
	// region,trust
	// Europe,0.364
}

func ExampleCheckNotInput() {
	err := CheckNotInput("data/./wave3.csv", []string{"data/wave3.csv", "codebook.yaml"})
	fmt.Println(err)
	fmt.Println(errors.Is(err, ErrOutputIsInput))
	fmt.Println(CheckNotInput("-", []string{"-"}))
	// Output:
	// check output data/./wave3.csv: same file as input data/wave3.csv
	// true
	// <nil>
}
