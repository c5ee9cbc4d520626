package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/docker/go-units"
	"golang.org/x/term"

	"workbench/images"
)

// layerProgress shows the layers of a pull or load: a bar per layer redrawn in place
// on a terminal, one plain line per layer event anywhere else (scripts, the app).
type layerProgress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	order    []string
	last     map[string]images.LayerProgress
	drawn    int
	lastDraw time.Time
}

func newLayerProgress(w io.Writer) *layerProgress {
	f, ok := w.(*os.File)
	return &layerProgress{w: w, tty: ok && term.IsTerminal(int(f.Fd())), last: map[string]images.LayerProgress{}}
}

// report is the images.ProgressFunc.
func (p *layerProgress) report(ev images.LayerProgress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	prev, seen := p.last[ev.Layer]
	if !seen {
		p.order = append(p.order, ev.Layer)
	}
	p.last[ev.Layer] = ev
	if p.tty {
		if ev.Status == "fetching" && seen && prev.Status == "fetching" && time.Since(p.lastDraw) < 100*time.Millisecond {
			return
		}
		p.redraw()
		return
	}
	if seen && prev.Status == ev.Status || ev.Status == "waiting" {
		return
	}
	fmt.Fprintln(p.w, plainLine(ev))
}

// finish draws the final state.
func (p *layerProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		p.redraw()
	}
}

func (p *layerProgress) redraw() {
	if p.drawn > 0 {
		fmt.Fprintf(p.w, "\x1b[%dA", p.drawn)
	}
	for _, l := range p.order {
		fmt.Fprintf(p.w, "\x1b[2K%s\n", barLine(p.last[l]))
	}
	p.drawn = len(p.order)
	p.lastDraw = time.Now()
}

func plainLine(ev images.LayerProgress) string {
	switch ev.Status {
	case "exists":
		return ev.Layer + ": already in the store"
	case "fetching":
		if ev.Total > 0 {
			return fmt.Sprintf("%s: fetching %s", ev.Layer, humanBytes(ev.Total))
		}
		return ev.Layer + ": fetching"
	case "done":
		return fmt.Sprintf("%s: unpacked (%s read)", ev.Layer, humanBytes(ev.Done))
	}
	return ev.Layer + ": " + ev.Status
}

func barLine(ev images.LayerProgress) string {
	const width = 30
	switch ev.Status {
	case "exists":
		return ev.Layer + "  already in the store"
	case "failed":
		return ev.Layer + "  failed"
	}
	frac := 0.0
	if ev.Total > 0 {
		frac = float64(ev.Done) / float64(ev.Total)
	}
	if ev.Status == "done" || frac > 1 {
		frac = 1
	}
	n := int(frac * width)
	bar := strings.Repeat("=", n) + strings.Repeat(" ", width-n)
	return fmt.Sprintf("%s  [%s] %9s / %-9s %s", ev.Layer, bar, humanBytes(ev.Done), humanBytes(ev.Total), ev.Status)
}

// humanBytes prints a size as docker does: 1.5MB, 312kB, 12B.
func humanBytes(n int64) string { return units.HumanSizeWithPrecision(float64(n), 3) }
