package survey

import (
	"context"
	"sync"

	"github.com/trustgap/trustgap/internal/pool"
)

// Reading ahead: Load parses a file's records in a goroutine of its own
// while it converts the previous ones (see load_parallel.go), so that
// parsing and converting run on different cores.

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

	// probs[w] holds the problems converter w found in the records;
	// converting counts the converters not done with them yet.
	probs      [][]rowProblem
	converting sync.WaitGroup
}

// record returns record k's cells.
func (b *recordBatch) record(k int) []string {
	start := 0
	if k > 0 {
		start = b.ends[k-1]
	}
	end := b.ends[k]
	return b.cells[start:end:end]
}

// readAhead reads a table's records in a goroutine of its own and passes
// them on in batches.
type readAhead struct {
	full, free chan *recordBatch
	done       chan struct{}
	g          *pool.Group
	once       sync.Once
}

// startReadAhead starts reading t. The caller takes the batches with next,
// gives each back with recycle once it no longer uses its records, and
// must call stop once it wants no more, before t is closed. A panic in
// t.Next reaches the caller as the last batch's err (a *pool.PanicError).
func startReadAhead(t TableReader) *readAhead {
	p := &readAhead{
		full: make(chan *recordBatch, readAheadBatches),
		// Room for every batch that can be in flight, so that recycle
		// never blocks.
		free: make(chan *recordBatch, 2*readAheadBatches+2),
		done: make(chan struct{}),
	}
	p.g, _ = pool.New(context.Background(), 1)
	p.g.Go(func(context.Context) error {
		defer close(p.full)
		if err := pool.Run(func() error { p.read(t); return nil }); err != nil {
			select {
			case p.full <- &recordBatch{err: err}:
			case <-p.done:
			}
		}
		return nil
	})
	return p
}

// read reads t into batches until its error or stop.
func (p *readAhead) read(t TableReader) {
	// The cells of the first full batch: later new batches are made
	// that large rather than grown by doubling.
	batchCells := 0
	for {
		var b *recordBatch
		select {
		case b = <-p.free:
			b.cells, b.ends, b.rows, b.err = b.cells[:0], b.ends[:0], b.rows[:0], nil
		default:
			b = &recordBatch{}
			if batchCells > 0 {
				b.cells = make([]string, 0, batchCells)
				b.ends, b.rows = make([]int, 0, readAheadRows), make([]int, 0, readAheadRows)
			}
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
		if batchCells == 0 && len(b.rows) == readAheadRows {
			batchCells = len(b.cells)
		}
		// b is the receiver's once sent.
		last := b.err != nil
		select {
		case p.full <- b:
		case <-p.done:
			return
		}
		if last {
			return
		}
	}
}

// next returns the next batch, in order; the last one has a non-nil err
// (io.EOF at the end of the table), after which next returns nil.
func (p *readAhead) next() *recordBatch {
	return <-p.full
}

// recycle gives b back to be filled again.
func (p *readAhead) recycle(b *recordBatch) {
	for w := range b.probs {
		b.probs[w] = b.probs[w][:0]
	}
	select {
	case p.free <- b:
	default:
	}
}

// stop ends the reading goroutine and waits for it. It may be called more
// than once.
func (p *readAhead) stop() {
	p.once.Do(func() {
		close(p.done)
		for range p.full { // let a blocked send finish
		}
		p.g.Wait() // nil: read's panic went to the batches
	})
}
