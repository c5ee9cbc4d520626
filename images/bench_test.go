package images

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"workbench/cmdlog"
	"workbench/untar/untartest"
)

// image50MB is an image of five layers of 10 MB of incompressible data each.
func image50MB(b *testing.B) [][]byte {
	rng := rand.New(rand.NewSource(1))
	var layers [][]byte
	for i := 0; i < 5; i++ {
		data := make([]byte, 10<<20)
		rng.Read(data)
		layers = append(layers, untartest.Tar(b, untartest.Dir("data/"), untartest.File(fmt.Sprintf("data/blob%d", i), string(data))))
	}
	return layers
}

// median of durations in milliseconds.
func medianMS(ds []time.Duration) float64 {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return float64(ds[len(ds)/2].Microseconds()) / 1000
}

// freshStore opens an empty store in a directory of its own under the test's store.
func freshStore(b *testing.B, base *Store, i int) *Store {
	s, err := Open(filepath.Join(base.dir, "bench", fmt.Sprint(i)), cmdlog.Open(os.DevNull))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkLoad50MB loads a 50 MB `docker save` tarball into an empty store, 3 times.
func BenchmarkLoad50MB(b *testing.B) {
	base := testStore(b)
	img := imageOf(b, image50MB(b)...)
	path := filepath.Join(b.TempDir(), "img.tar")
	tag, _ := name.NewTag("bench/load:v1")
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		var ds []time.Duration
		for i := 0; i < 3; i++ {
			s := freshStore(b, base, n*10+i)
			start := time.Now()
			if _, err := s.Load(context.Background(), path, "", nil); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		b.ReportMetric(medianMS(ds), "load-p50-ms")
	}
}

// BenchmarkPull50MB pulls a 50 MB image from a registry on loopback into an empty
// store 3 times, then pulls it again 20 times with every layer present.
func BenchmarkPull50MB(b *testing.B) {
	base := testStore(b)
	ref, _ := serve(b, imageOf(b, image50MB(b)...))
	ctx := context.Background()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		var first, second []time.Duration
		var s *Store
		for i := 0; i < 3; i++ {
			s = freshStore(b, base, n*10+i)
			start := time.Now()
			if _, err := s.Pull(ctx, ref, PullOptions{}); err != nil {
				b.Fatal(err)
			}
			first = append(first, time.Since(start))
		}
		for i := 0; i < 20; i++ {
			start := time.Now()
			if _, err := s.Pull(ctx, ref, PullOptions{}); err != nil {
				b.Fatal(err)
			}
			second = append(second, time.Since(start))
		}
		b.ReportMetric(medianMS(first), "pull-p50-ms")
		b.ReportMetric(medianMS(second), "second-pull-p50-ms")
	}
}

// BenchmarkResolve resolves the built-in image 1000 times once it exists.
func BenchmarkResolve(b *testing.B) {
	s := testStore(b)
	ctx := context.Background()
	if _, err := s.Resolve(ctx, "busybox"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		var ds []time.Duration
		for i := 0; i < 1000; i++ {
			start := time.Now()
			if _, err := s.Resolve(ctx, "busybox"); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		b.ReportMetric(medianMS(ds)*1000, "resolve-p50-us")
	}
}

// rootfsLayer is a layer shaped like a small distribution's root: 40 directories of
// 50 files of 8 KiB each (16 MB), with a symlink and a hard link in each directory.
func rootfsLayer(b *testing.B) []byte {
	rng := rand.New(rand.NewSource(1))
	var entries []untartest.Entry
	for d := 0; d < 40; d++ {
		dirName := fmt.Sprintf("usr/lib%d/", d)
		entries = append(entries, untartest.Dir(dirName))
		for f := 0; f < 50; f++ {
			data := make([]byte, 8<<10)
			rng.Read(data)
			entries = append(entries, untartest.File(fmt.Sprintf("%sf%d.so", dirName, f), string(data)))
		}
		entries = append(entries, untartest.Symlink(dirName+"current", "f0.so"), untartest.Hardlink(dirName+"again", dirName+"f1.so"))
	}
	return untartest.Tar(b, entries...)
}

// BenchmarkUnpack unpacks a 16 MB layer of 2000 files into an empty directory.
func BenchmarkUnpack(b *testing.B) {
	layer := rootfsLayer(b)
	base := b.TempDir()
	b.SetBytes(int64(len(layer)))
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		dir := filepath.Join(base, fmt.Sprint(n))
		if err := os.Mkdir(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if _, err := Unpack(bytes.NewReader(layer), dir, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dir)
		b.StartTimer()
	}
}
