package survey

import (
	"bufio"
	"context"
	"errors"
	"io"
	"sync"

	kflate "github.com/klauspost/compress/flate"

	"github.com/trustgap/trustgap/internal/pool"
)

// Unpacking a worksheet costs about as much as tokenizing it, so the two
// run side by side: a goroutine inflates the sheet into chunks while the
// reader tokenizes the previous ones (on two cores the read takes about
// the longer of the two rather than their sum). Inflating is
// klauspost/compress's flate, registered on the zip.Reader: about 1.4
// times as fast as compress/flate on worksheets, with archive/zip still
// checking each part's declared size and checksum.

// newInflater is the zip.Decompressor for Deflate parts. The buffer
// makes the file's reads 64 KiB rather than the 4 KiB flate would ask for.
func newInflater(r io.Reader) io.ReadCloser {
	return kflate.NewReader(bufio.NewReaderSize(r, 64<<10))
}

const (
	// inflateChunk is how many bytes of the sheet a chunk holds at most;
	// inflateChunks how many chunks exist at once (filled, being filled
	// or being tokenized), which bounds the memory the pipeline holds.
	inflateChunk  = 256 << 10
	inflateChunks = 4
	// chunkHead is the room before a chunk's bytes, where the scanner
	// moves the unread end of the previous chunk (a tag cut in two) so
	// that it reads the chunk in place rather than copying it.
	chunkHead = 4 << 10
)

// chunkSource gives an xmlScanner a stream as chunks: next returns a
// chunk whose bytes are b[chunkHead:], with room before them; recycle
// gives a chunk back once nothing refers to it.
type chunkSource interface {
	next() ([]byte, error)
	recycle(b []byte)
}

// inflateAhead reads a stream (the worksheet's decompressor) in a
// goroutine of its own, in chunks, and hands them over in order.
type inflateAhead struct {
	ctx  context.Context
	full chan []byte
	free chan []byte
	done chan struct{}
	g    *pool.Group
	stop sync.Once

	// err is the producer's last error (io.EOF at the end of the
	// stream), set before full is closed.
	err error
}

// startInflate starts reading r, size bytes expected (its declared size,
// which only sizes the chunks of a small part). The caller must call
// close once it wants no more, before closing r. When ctx is done, next
// returns its error.
func startInflate(ctx context.Context, r io.Reader, size uint64) *inflateAhead {
	p := &inflateAhead{
		ctx:  ctx,
		full: make(chan []byte, inflateChunks),
		free: make(chan []byte, inflateChunks),
		done: make(chan struct{}),
	}
	chunk := inflateChunk
	if size < uint64(chunk) {
		chunk = max(int(size)+1, 4<<10) // +1: room to read the end
	}
	p.g, _ = pool.New(context.Background(), 1)
	p.g.Go(func(context.Context) error {
		defer close(p.full)
		p.err = p.produce(r, chunk)
		return nil
	})
	return p
}

// produce fills chunks from r until its end, an error or close.
func (p *inflateAhead) produce(r io.Reader, size int) error {
	made := 0
	for {
		var b []byte
		select {
		case b = <-p.free:
		default:
			if made < inflateChunks {
				b = make([]byte, chunkHead+size)
				made++
				break
			}
			select {
			case b = <-p.free:
			case <-p.done:
				return nil
			}
		}
		b = b[:cap(b)]
		n := chunkHead
		var err error
		for n < len(b) && err == nil {
			var k int
			k, err = r.Read(b[n:])
			n += k
		}
		if n > chunkHead {
			select {
			case p.full <- b[:n]:
			case <-p.done:
				return nil
			}
		}
		if err != nil {
			return err
		}
	}
}

// next returns the next chunk: its bytes are b[chunkHead:], never empty.
func (p *inflateAhead) next() ([]byte, error) {
	select {
	case b, ok := <-p.full:
		if ok {
			return b, nil
		}
	case <-p.ctx.Done():
		return nil, p.ctx.Err()
	}
	// The producer has ended: with its error, or a panic (which the
	// pool turned into Wait's error).
	if err := p.g.Wait(); err != nil {
		return nil, err
	}
	if p.err == nil {
		return nil, errors.New("worksheet reader stopped") // after close
	}
	return nil, p.err
}

// drain reads the rest of the stream: nil at its end, else the error.
func (p *inflateAhead) drain() error {
	for {
		b, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		p.recycle(b)
	}
}

func (p *inflateAhead) recycle(b []byte) {
	select {
	case p.free <- b:
	default: // cannot happen: there are never more chunks than room
	}
}

// close stops the producer and waits for it; the stream may then be
// closed. Chunks not yet recycled may still be read.
func (p *inflateAhead) close() {
	p.stop.Do(func() { close(p.done) })
	p.g.Wait()
}
