// Package cgview samples the cgroups of every container at a steady rate and turns the
// kernel's counters into rates (CPU %, throttled periods and time per second, memory)
// kept over a short history. It hands out immutable snapshots for views to draw, and
// offers plain-text renderers (sparklines, bars); it knows nothing of any UI framework.
package cgview

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"workbench/core/cgroup"
	"workbench/instance"
)

// Target is one container whose cgroup is sampled.
type Target struct {
	// ID is the container's id.
	ID string
	// Name is the container's name.
	Name string
	// CgroupID is the id its cgroup was created with (cgroup.Open).
	CgroupID string
	// Created is when the container was made.
	Created time.Time
}

// Sampler reads every target's cgroup on each Sample call (Run calls it at a steady
// rate) and keeps the latest points. Reads are spread over the machine's CPUs, through
// files kept open between rounds.
type Sampler struct {
	inst instance.Instance
	list func(context.Context) ([]Target, error)
	keep int
	ncpu float64

	mu      sync.Mutex // held by a sampling round
	readers map[string]*cgroup.Reader
	series  map[string]*Series

	snap atomic.Pointer[Snapshot]
}

// DefaultHistory is how many points a series keeps when none is given.
const DefaultHistory = 120

// NewSampler returns a sampler of the targets list returns, keeping keep points each
// (DefaultHistory when keep <= 0).
func NewSampler(inst instance.Instance, list func(context.Context) ([]Target, error), keep int) *Sampler {
	if keep <= 0 {
		keep = DefaultHistory
	}
	s := &Sampler{
		inst:    inst,
		list:    list,
		keep:    keep,
		ncpu:    float64(runtime.NumCPU()),
		readers: map[string]*cgroup.Reader{},
		series:  map[string]*Series{},
	}
	s.snap.Store(&Snapshot{})
	return s
}

// reading is one target's read in a round.
type reading struct {
	stats cgroup.Stats
	err   error
}

// Sample lists the targets and reads each one's cgroup once; it returns the error of
// the listing, if any (reads that fail are recorded in their series).
func (s *Sampler) Sample(ctx context.Context) error {
	targets, err := s.list(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	readers := make([]*cgroup.Reader, len(targets))
	results := make([]reading, len(targets))
	for i, t := range targets {
		if readers[i] = s.readers[t.CgroupID]; readers[i] != nil {
			continue
		}
		g, err := cgroup.Open(s.inst, t.CgroupID)
		if err != nil {
			results[i].err = err
			continue
		}
		readers[i] = g.NewReader()
		s.readers[t.CgroupID] = readers[i]
	}
	readAll(readers, results)
	took := time.Since(start)

	live := make(map[string]bool, len(targets))
	for i, t := range targets {
		live[t.CgroupID] = true
		s.record(t, results[i])
	}
	for id := range s.series {
		if !live[id] {
			delete(s.series, id)
			s.dropReader(id)
		}
	}
	s.snap.Store(s.copyOut(took))
	return nil
}

// readAll reads every reader into results, in parallel chunks (one per CPU); a reader
// is only ever used by one goroutine.
func readAll(readers []*cgroup.Reader, results []reading) {
	workers := runtime.GOMAXPROCS(0)
	if n := len(readers)/32 + 1; n < workers {
		workers = n
	}
	chunk := (len(readers) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(readers); lo += chunk {
		hi := min(lo+chunk, len(readers))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				if readers[i] != nil {
					results[i].stats, results[i].err = readers[i].Read()
				}
			}
		}()
	}
	wg.Wait()
}

// record appends a target's reading to its series; s.mu is held.
func (s *Sampler) record(t Target, r reading) {
	ser := s.series[t.CgroupID]
	if ser == nil {
		ser = &Series{}
		s.series[t.CgroupID] = ser
	}
	ser.Target = t
	if r.err != nil {
		ser.Err = fmt.Sprintf("read the statistics of cgroup %s: %v", t.CgroupID, r.err)
		s.dropReader(t.CgroupID)
		return
	}
	ser.Err = ""
	prev := ser.Stats
	ser.Stats = r.stats
	if prev.Time.IsZero() {
		return
	}
	// Points are only ever appended past what a published snapshot can see, and the
	// array is replaced (never rewritten) when it is trimmed, so snapshots share it.
	if len(ser.History) >= 2*s.keep {
		ser.History = append(make([]Point, 0, 2*s.keep), ser.History[len(ser.History)-s.keep+1:]...)
	}
	ser.History = append(ser.History, rates(prev, r.stats, s.ncpu))
}

// dropReader closes and forgets the reader of a cgroup; s.mu is held.
func (s *Sampler) dropReader(id string) {
	if r := s.readers[id]; r != nil {
		r.Close()
		delete(s.readers, id)
	}
}

// Close releases the files the sampler keeps open; it may be used again afterwards.
func (s *Sampler) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.readers {
		s.dropReader(id)
	}
	return nil
}

// rates turns two readings into a point.
func rates(a, b cgroup.Stats, ncpu float64) Point {
	p := Point{Time: b.Time, MemoryBytes: b.MemoryUsage}
	dt := b.Time.Sub(a.Time).Seconds()
	if dt <= 0 {
		return p
	}
	p.CPUPercent = 100 * float64(delta(a.CPUUsageNs, b.CPUUsageNs)) / 1e9 / dt
	p.MachinePercent = p.CPUPercent / ncpu
	p.ThrottledPerSec = float64(delta(a.NrThrottled, b.NrThrottled)) / dt
	p.ThrottledMsPerSec = float64(delta(a.ThrottledNs, b.ThrottledNs)) / 1e6 / dt
	return p
}

// delta is b-a for a counter, 0 when it went backwards (the group was made anew).
func delta(a, b uint64) uint64 {
	if b < a {
		return 0
	}
	return b - a
}

// copyOut builds an immutable snapshot; s.mu is held.
func (s *Sampler) copyOut(took time.Duration) *Snapshot {
	out := Snapshot{Time: time.Now(), Took: took, Series: make([]Series, 0, len(s.series))}
	for _, ser := range s.series {
		c := *ser
		if n := len(c.History); n > s.keep {
			c.History = c.History[n-s.keep:]
		}
		c.History = c.History[:len(c.History):len(c.History)]
		out.Series = append(out.Series, c)
	}
	sort.Slice(out.Series, func(i, j int) bool {
		if out.Series[i].Target.Name != out.Series[j].Target.Name {
			return out.Series[i].Target.Name < out.Series[j].Target.Name
		}
		return out.Series[i].Target.ID < out.Series[j].Target.ID
	})
	return &out
}

// Snapshot returns the latest snapshot without waiting for a round in progress. Its
// contents are never written again, so it may be read from any goroutine.
func (s *Sampler) Snapshot() Snapshot { return *s.snap.Load() }
