package survey

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// Byte vectors permuted eight at a time (and the rest in a last, smaller
// pack, several packs on two goroutines) end up as permuting each on its
// own gives.
func TestPermuteBytesPacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tt := range []struct{ n, vecs int }{{1, 1}, {13, 8}, {100, 3}, {1000, 8}, {1000, 11}, {4101, 9}, {5000, 17}, {3000, 40}} {
		order := make([]int32, tt.n)
		for i := range order {
			order[i] = int32(i)
		}
		rng.Shuffle(tt.n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		var got, want [][]uint8
		for range tt.vecs {
			x := make([]uint8, tt.n)
			for i := range x {
				x[i] = uint8(rng.IntN(256))
			}
			got, want = append(got, slices.Clone(x)), append(want, x)
		}
		one := &permuter{order: order}
		var tmp []uint8
		for _, x := range want {
			permute(one, x, &tmp)
		}
		packed := &permuter{order: order}
		for _, x := range got {
			packed.small(&smallVec{codes: x})
		}
		packed.flushBytes(context.Background())
		for j := range want {
			if !slices.Equal(got[j], want[j]) {
				t.Errorf("n=%d, %d vectors: vector %d permuted in packs differs from permuting it alone", tt.n, tt.vecs, j)
			}
		}
	}
}

// transpose8 moves byte j of r[i] to byte i of r[j].
func TestTranspose8(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		var m [8][8]byte
		var r [8]uint64
		for i := range 8 {
			for j := range 8 {
				m[i][j] = byte(rng.IntN(256))
				r[i] |= uint64(m[i][j]) << (8 * j)
			}
		}
		transpose8(&r)
		for j := range 8 {
			for i := range 8 {
				if got := byte(r[j] >> (8 * i)); got != m[i][j] {
					t.Fatalf("transpose8: byte %d of row %d = %d, want %d", i, j, got, m[i][j])
				}
			}
		}
	}
}
