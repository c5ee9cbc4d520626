package cgview

import (
	"time"

	"workbench/core/cgroup"
)

// Point is one sample turned into rates over the interval before it.
type Point struct {
	// Time is when the sample was read.
	Time time.Time
	// CPUPercent is CPU use in % of one core (200 = two cores busy).
	CPUPercent float64
	// MachinePercent is CPU use in % of the whole machine.
	MachinePercent float64
	// ThrottledPerSec is how many CFS periods per second ended throttled.
	ThrottledPerSec float64
	// ThrottledMsPerSec is how many milliseconds per second the group was throttled.
	ThrottledMsPerSec float64
	// MemoryBytes is the memory charged to the group.
	MemoryBytes uint64
}

// Series is what the sampler knows about one container.
type Series struct {
	// Target is the container.
	Target Target
	// Stats is the latest raw reading.
	Stats cgroup.Stats
	// History holds the latest points, oldest first; the last is the current rate.
	History []Point
	// Err is why the last read failed ("" when it worked), e.g. the cgroup is gone.
	Err string
}

// Last is the latest point, or a zero Point when there is none yet.
func (s Series) Last() Point {
	if len(s.History) == 0 {
		return Point{}
	}
	return s.History[len(s.History)-1]
}

// Snapshot is a copy of everything sampled, safe to keep and read from any goroutine.
type Snapshot struct {
	// Time is when the last sampling round ended.
	Time time.Time
	// Took is how long the last round of reads took.
	Took time.Duration
	// Series has one entry per target, ordered by name.
	Series []Series
}

// Find returns the series of a container by name or ID.
func (s Snapshot) Find(nameOrID string) (Series, bool) {
	for _, x := range s.Series {
		if x.Target.Name == nameOrID || x.Target.ID == nameOrID {
			return x, true
		}
	}
	return Series{}, false
}
