package topology

import (
	"sort"
	"time"
)

func testingNow() time.Time { return time.Now() }

func sinceMS(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }

func percentile(v []float64, p float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(p*float64(len(s)-1))]
}
