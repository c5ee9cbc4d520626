package untar

import (
	"bytes"
	"io"
	"os"
	"sync"
)

// holeBlock is the unit in which runs of zeros are left as holes.
const holeBlock = 4096

var zeroBlock [holeBlock]byte

// copyBuffers are copySparse's buffers, used again from one file to the next.
var copyBuffers = sync.Pool{New: func() any { return new([1 << 20]byte) }}

// copySparse copies r into the empty file f, leaving every whole block of zeros as a
// hole instead of writing it, so a small tar of a huge sparse file (or of a file of
// zeros) costs no disk. It returns the file's length.
func copySparse(f *os.File, r io.Reader) (int64, error) {
	pooled := copyBuffers.Get().(*[1 << 20]byte)
	defer copyBuffers.Put(pooled)
	buf := pooled[:]
	var off int64
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if werr := writeBlocks(f, buf[:n], off); werr != nil {
				return off, werr
			}
			off += int64(n)
		}
		if err == io.EOF {
			return off, f.Truncate(off)
		}
		if err != nil {
			return off, err
		}
	}
}

// writeBlocks writes p at off, skipping the blocks that are all zeros; each run of
// other blocks is written at once.
func writeBlocks(f *os.File, p []byte, off int64) error {
	start := -1 // where the current run of data blocks began
	flush := func(end int) error {
		if start < 0 {
			return nil
		}
		_, err := f.WriteAt(p[start:end], off+int64(start))
		start = -1
		return err
	}
	for i := 0; i < len(p); i += holeBlock {
		k := min(len(p)-i, holeBlock)
		if !bytes.Equal(p[i:i+k], zeroBlock[:k]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if err := flush(i); err != nil {
			return err
		}
	}
	return flush(len(p))
}
