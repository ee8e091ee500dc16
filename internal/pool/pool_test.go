package pool

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunPanic(t *testing.T) {
	err := Run(func() error { panic("boom") })
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("Run(panic) = %v, want a *PanicError", err)
	}
	if pe.Value != "boom" {
		t.Errorf("PanicError.Value = %v, want boom", pe.Value)
	}
	if !errors.Is(err, ErrPanic) {
		t.Errorf("errors.Is(%v, ErrPanic) = false, want true", err)
	}
	if got, want := err.Error(), "panic: boom"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// The stack names the function that panicked, for debugging.
	if !strings.Contains(string(pe.Stack), "TestRunPanic") {
		t.Errorf("Stack lacks the panicking function:\n%s", pe.Stack)
	}
	if err := Run(func() error { return nil }); err != nil {
		t.Errorf("Run(nil) = %v, want nil", err)
	}
	e := errors.New("plain")
	if err := Run(func() error { return e }); err != e {
		t.Errorf("Run(err) = %v, want %v", err, e)
	}
}

func TestRunRuntimeError(t *testing.T) {
	err := Run(func() error {
		var xs []int
		_ = xs[3] // index out of range: a runtime.Error
		return nil
	})
	var re runtime.Error
	if !errors.As(err, &re) {
		t.Fatalf("Run(index out of range) = %v, want a runtime.Error inside", err)
	}
	if !errors.Is(err, ErrPanic) {
		t.Errorf("errors.Is(%v, ErrPanic) = false, want true", err)
	}
}

func TestGroupPanic(t *testing.T) {
	g, _ := New(context.Background(), 2)
	for k := range 5 {
		g.Go(func(ctx context.Context) error {
			if k == 3 {
				panic(fmt.Sprintf("worker %d", k))
			}
			return nil
		})
	}
	err := g.Wait()
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "worker 3" {
		t.Fatalf("Wait() = %v, want the panic of worker 3", err)
	}
}

func TestGroupErrorCancels(t *testing.T) {
	want := errors.New("first")
	g, gctx := New(context.Background(), 0)
	g.Go(func(ctx context.Context) error { return want })
	g.Go(func(ctx context.Context) error {
		<-ctx.Done() // released only by the other's failure
		return ctx.Err()
	})
	if err := g.Wait(); err != want {
		t.Errorf("Wait() = %v, want %v", err, want)
	}
	if gctx.Err() == nil {
		t.Errorf("group context not cancelled after a failure")
	}
}

func TestGroupParentCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g, _ := New(ctx, 1)
	started := make(chan struct{})
	g.Go(func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	<-started
	cancel()
	if err := g.Wait(); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait() = %v, want context.Canceled", err)
	}
}

// peak counts the calls running at once.
type peak struct {
	mu        sync.Mutex
	now, most int
}

func (p *peak) enter() {
	p.mu.Lock()
	p.now++
	p.most = max(p.most, p.now)
	p.mu.Unlock()
	time.Sleep(time.Millisecond) // let the others pile up if they can
}

func (p *peak) leave() {
	p.mu.Lock()
	p.now--
	p.mu.Unlock()
}

func TestGroupLimit(t *testing.T) {
	for _, limit := range []int{1, 2, 3} {
		var p peak
		g, _ := New(context.Background(), limit)
		for range 20 {
			g.Go(func(ctx context.Context) error {
				p.enter()
				defer p.leave()
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatalf("limit %d: Wait() = %v, want nil", limit, err)
		}
		if p.most > limit {
			t.Errorf("limit %d: %d ran at once, want at most %d", limit, p.most, limit)
		}
	}
}

func TestForEach(t *testing.T) {
	errAt := func(bad int) error { return fmt.Errorf("index %d", bad) }
	tests := []struct {
		name    string
		n       int
		workers int
		fail    map[int]string // index -> "err" or "panic"
		want    string         // error text, "" for nil
	}{
		{"serial ok", 10, 1, nil, ""},
		{"parallel ok", 100, 4, nil, ""},
		{"empty", 0, 4, nil, ""},
		{"serial error", 10, 1, map[int]string{4: "err"}, "index 4"},
		{"parallel error", 50, 3, map[int]string{7: "err"}, "index 7"},
		{"serial panic", 10, 1, map[int]string{2: "panic"}, "panic: at 2"},
		{"parallel panic", 50, 3, map[int]string{9: "panic"}, "panic: at 9"},
		// Two failures: the lowest index is reported, whatever ran first.
		{"lowest index wins", 4, 4, map[int]string{1: "slow", 3: "err"}, "index 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int64
			seen := make([]atomic.Bool, tt.n)
			err := ForEach(context.Background(), tt.n, tt.workers, func(ctx context.Context, k int) error {
				calls.Add(1)
				if seen[k].Swap(true) {
					t.Errorf("index %d called twice", k)
				}
				switch tt.fail[k] {
				case "err":
					return errAt(k)
				case "panic":
					panic(fmt.Sprintf("at %d", k))
				case "slow":
					time.Sleep(20 * time.Millisecond)
					return errAt(k)
				}
				return nil
			})
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("ForEach(n=%d, workers=%d) = %q, want %q", tt.n, tt.workers, got, tt.want)
			}
			if tt.want == "" && int(calls.Load()) != tt.n {
				t.Errorf("ForEach ran %d calls, want %d", calls.Load(), tt.n)
			}
			if strings.HasPrefix(tt.want, "panic") && !errors.Is(err, ErrPanic) {
				t.Errorf("errors.Is(%v, ErrPanic) = false, want true", err)
			}
		})
	}
}

func TestForEachStopsAfterFailure(t *testing.T) {
	for _, workers := range []int{1, 2} {
		var calls atomic.Int64
		err := ForEach(context.Background(), 1000, workers, func(ctx context.Context, k int) error {
			calls.Add(1)
			if k == 0 {
				return errors.New("stop")
			}
			<-ctx.Done() // the others wait for the failure's cancellation
			return ctx.Err()
		})
		if err == nil || err.Error() != "stop" {
			t.Errorf("workers %d: ForEach = %v, want stop", workers, err)
		}
		// At most one call per worker beyond the failing one, plus one
		// the feeder handed over as the failure happened.
		if c := calls.Load(); c > int64(2*workers+1) {
			t.Errorf("workers %d: %d calls after the first failed, want few", workers, c)
		}
	}
}

func TestForEachCancel(t *testing.T) {
	for _, workers := range []int{1, 3} {
		ctx, cancel := context.WithCancel(context.Background())
		var calls atomic.Int64
		err := ForEach(ctx, 1000, workers, func(ctx context.Context, k int) error {
			if calls.Add(1) == 5 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("workers %d: ForEach after cancel = %v, want context.Canceled", workers, err)
		}
		if c := calls.Load(); c >= 1000 {
			t.Errorf("workers %d: %d calls, want the loop stopped by the cancellation", workers, c)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ForEach(ctx, 3, 2, func(context.Context, int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("ForEach(cancelled ctx) = %v, want context.Canceled", err)
	}
}

func TestForEachLimit(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		var p peak
		err := ForEach(context.Background(), 30, workers, func(ctx context.Context, k int) error {
			p.enter()
			defer p.leave()
			return nil
		})
		if err != nil {
			t.Fatalf("workers %d: ForEach = %v, want nil", workers, err)
		}
		if p.most > workers {
			t.Errorf("workers %d: %d ran at once, want at most %d", workers, p.most, workers)
		}
	}
}

func ExampleForEach() {
	squares := make([]int, 5)
	err := ForEach(context.Background(), len(squares), 2, func(ctx context.Context, k int) error {
		squares[k] = k * k
		return nil
	})
	fmt.Println(squares, err)
	// Output: [0 1 4 9 16] <nil>
}

func ExampleRun() {
	err := Run(func() error {
		panic("something went wrong")
	})
	fmt.Println(errors.Is(err, ErrPanic), err)
	// Output: true panic: something went wrong
}
