package survey

import (
	"io"
	"sync"
)

// Reading ahead: Load parses a file's records in a goroutine of its own
// (CSV parsing is about half of loading) while it converts the previous
// ones, so that a large file loads on two cores in little more than the
// time of parsing it.

// readAheadRows is the number of records passed between the goroutines at
// a time; readAheadBatches how many batches may wait.
const (
	readAheadRows    = 512
	readAheadBatches = 4
)

// recordBatch holds copies of consecutive records and their rows; err is
// the error that followed them (io.EOF at the end of the table).
type recordBatch struct {
	cells []string
	ends  []int // record k is cells[ends[k-1]:ends[k]]
	rows  []int
	err   error
}

// readAhead reads t's records in a new goroutine. next returns them in
// order, with their rows, then the reader's error (io.EOF at the end),
// like t.Next but without reusing the record of the previous call... until
// the batch is recycled: a record is valid until the readAheadRows-th
// call after it. stop ends the goroutine and waits for it; it must be
// called once the records are no longer wanted, and before t is closed.
func readAhead(t TableReader) (next func() ([]string, int, error), stop func()) {
	full := make(chan *recordBatch, readAheadBatches)
	free := make(chan *recordBatch, readAheadBatches+2)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(full)
		for {
			var b *recordBatch
			select {
			case b = <-free:
				b.cells, b.ends, b.rows, b.err = b.cells[:0], b.ends[:0], b.rows[:0], nil
			default:
				b = &recordBatch{}
			}
			for len(b.rows) < readAheadRows {
				rec, row, err := t.Next()
				if err != nil {
					b.err = err
					break
				}
				b.cells = append(b.cells, rec...)
				b.ends = append(b.ends, len(b.cells))
				b.rows = append(b.rows, row)
			}
			select {
			case full <- b:
			case <-done:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()

	var cur, prev *recordBatch
	k := 0
	next = func() ([]string, int, error) {
		for cur == nil || k == len(cur.rows) {
			if cur != nil && cur.err != nil {
				return nil, 0, cur.err
			}
			// The batch before the current one is no longer referenced:
			// its records were handed out readAheadRows calls ago at least.
			if prev != nil {
				select {
				case free <- prev:
				default:
				}
			}
			prev = cur
			b, ok := <-full
			if !ok {
				return nil, 0, io.EOF
			}
			cur, k = b, 0
		}
		start := 0
		if k > 0 {
			start = cur.ends[k-1]
		}
		rec := cur.cells[start:cur.ends[k]:cur.ends[k]]
		row := cur.rows[k]
		k++
		return rec, row, nil
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			close(done)
			for range full { // let a blocked send finish
			}
			wg.Wait()
		})
	}
	return next, stop
}
