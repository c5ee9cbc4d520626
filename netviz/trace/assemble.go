package trace

import (
	"sort"
	"strings"
	"time"
)

// An assembler turns the trace events of every namespace into journeys. Events come
// per namespace in the kernel's order; each is one packet meeting a rule or a chain's
// end. The kernel sends a packet's header with the first event of each base chain,
// so events are grouped into passes (one packet through one namespace) by the
// packet's fingerprint; passes are linked across namespaces where one left by a link
// whose other end is where the next came in; legs (linked passes) that the filter
// matched become journeys, with the leg that answered them as the reply.
type assembler struct {
	w world
	// match tells whether a leg (its passes in order) is one to follow: its packet
	// matched the filter somewhere, or it is the probe.
	match func(leg []*pass) bool
	// settle is how long after its last event a pass is taken as over, and
	// replyWait how long a request waits for its reply.
	settle, replyWait time.Duration
	// ownTable is the trace's own table, whose rules are not steps.
	ownTable string

	passes []*pass
	open   map[passKey]*pass // the pass of a packet being followed in a namespace
	byID   map[idKey]*pass   // the pass events without a header belong to
	done   map[*pass]bool    // passes already given out in a journey
}

type passKey struct {
	ns int
	fp fingerprint
}

type idKey struct {
	ns int
	id uint32
}

// rawEvent is an event with where and when it was read and the header it carries.
type rawEvent struct {
	ns     int
	ev     Event
	at     time.Time
	hdr    Header
	hasHdr bool
	hook   string
}

// pass is one packet through one namespace.
type pass struct {
	ns        int
	fp        fingerprint
	events    []rawEvent
	rank      int
	over      bool // reached its last chain, or was dropped
	first     time.Time
	last      time.Time
	prev      *pass
	next      *pass
	in, out   uint32
	dropped   bool
	delivered bool
}

func newAssembler(w world, match func([]*pass) bool, ownTable string) *assembler {
	return &assembler{
		w: w, match: match, ownTable: ownTable,
		settle: 150 * time.Millisecond, replyWait: time.Second,
		open: map[passKey]*pass{}, byID: map[idKey]*pass{}, done: map[*pass]bool{},
	}
}

// hookRank orders the hooks a packet crosses in one namespace.
var hookRank = map[string]int{"PREROUTING": 0, "OUTPUT": 0, "INPUT": 1, "FORWARD": 1, "POSTROUTING": 2}

// add takes one event of namespace ns read at time at.
func (a *assembler) add(ns int, e Event, at time.Time) {
	r := rawEvent{ns: ns, ev: e, at: at}
	r.hdr, r.hasHdr = parseHeader(e.Network, e.Transport)
	var p *pass
	if r.hasHdr {
		hook := strings.ToUpper(e.Chain)
		if _, ok := hookRank[hook]; !ok {
			hook = ""
		}
		key := passKey{ns, r.hdr.fingerprint()}
		p = a.open[key]
		if p == nil || p.over || hook != "" && hookRank[hook] < p.rank {
			p = &pass{ns: ns, fp: key.fp, first: at}
			a.passes = append(a.passes, p)
			a.open[key] = p
		}
		if hook != "" {
			p.rank = hookRank[hook]
			r.hook = hook
		}
		a.byID[idKey{ns, e.ID}] = p
	} else if p = a.byID[idKey{ns, e.ID}]; p == nil {
		return // the rest of a packet whose start was not seen
	}
	if r.hook == "" && len(p.events) > 0 {
		r.hook = p.events[len(p.events)-1].hook
	}
	p.events = append(p.events, r)
	p.last = at
	if e.IIF != 0 && p.in == 0 {
		p.in = e.IIF
	}
	if e.OIF != 0 {
		p.out = e.OIF
	}
	switch {
	case e.Verdict == verdictDrop && (e.Type == TypeRule || e.Type == TypePolicy):
		p.over, p.dropped = true, true
	case e.Table == a.ownTable && e.Type == TypePolicy && r.hook == "INPUT":
		p.over, p.delivered = true, true
	case e.Table == a.ownTable && e.Type == TypePolicy && r.hook == "POSTROUTING":
		p.over = true
	}
}

// flush links the passes that are over and returns the journeys complete at now.
func (a *assembler) flush(now time.Time) []Journey {
	a.link(now)
	legs := a.legs(now)
	var out []Journey
	used := map[*pass]bool{}
	for _, l := range legs {
		start := l[0]
		if used[start] || a.done[start] || !a.match(l) || a.answersAnother(l, legs, used) {
			continue
		}
		var reply []*pass
		for _, r := range legs {
			if !used[r[0]] && !a.done[r[0]] && a.answers(r, l) && (reply == nil || r[0].first.Before(reply[0].first)) {
				reply = r
			}
		}
		end := l[len(l)-1].last
		if reply == nil && now.Sub(end) < a.replyWait {
			continue
		}
		j := Journey{Request: a.leg(l, reply)}
		if reply != nil {
			used[reply[0]] = true
			r := a.leg(reply, nil)
			j.Reply = &r
			a.markDone(reply)
		}
		a.markDone(l)
		out = append(out, j)
	}
	a.forget(now)
	return out
}

// link joins each pass that left by a link to the pass of the same packet that came
// in at the link's other end.
func (a *assembler) link(now time.Time) {
	for _, p := range a.passes {
		if p.next != nil || p.out == 0 || !p.settled(now, a.settle) || p.dropped || p.delivered {
			continue
		}
		arrivals := a.w.arrivals(p.ns, p.out)
		var best *pass
		for _, q := range a.passes {
			// Namespaces are read by sockets of their own, so a later namespace's
			// events may be read a little before an earlier one's.
			if q == p || q.prev != nil || q.fp != p.fp || q.first.Before(p.first.Add(-readSkew)) || q.in == 0 {
				continue
			}
			for _, ar := range arrivals {
				if ar.arrivesAt(q) && (best == nil || absDur(q.first.Sub(p.last)) < absDur(best.first.Sub(p.last))) {
					best = q
				}
			}
		}
		if best != nil {
			p.next, best.prev = best, p
		}
	}
}

// readSkew is how much earlier than the pass it continues a pass may have been read.
const readSkew = 50 * time.Millisecond

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func (p *pass) settled(now time.Time, settle time.Duration) bool {
	return p.over && now.Sub(p.last) >= settle/3 || now.Sub(p.last) >= settle
}

// legs are the chains of linked passes whose every pass has settled, by start time.
func (a *assembler) legs(now time.Time) [][]*pass {
	var out [][]*pass
	for _, p := range a.passes {
		if p.prev != nil {
			continue
		}
		var l []*pass
		ok := true
		for q := p; q != nil; q = q.next {
			l = append(l, q)
			ok = ok && q.settled(now, a.settle) && now.Sub(q.last) >= a.settle/3
		}
		last := l[len(l)-1]
		if ok && !last.dropped && !last.delivered && last.out != 0 && len(a.w.arrivals(last.ns, last.out)) > 0 && now.Sub(last.last) < a.settle {
			ok = false // its next pass may still come
		}
		if ok {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i][0].first.Before(out[j][0].first) })
	return out
}

// answers tells whether leg r goes back to where leg l came from: it starts in a
// namespace l crossed, after l was there (one namespace's events are read in the
// kernel's order), from the header l had there.
func (a *assembler) answers(r, l []*pass) bool {
	start := r[0]
	h, ok := firstHeader(start)
	if !ok {
		return false
	}
	for _, p := range l {
		if p.ns != start.ns || !start.first.After(p.first) {
			continue
		}
		if lh, ok := lastHeader(p); ok && h.reverses(lh) {
			return true
		}
	}
	return false
}

// answersAnother tells whether leg r is the reply of another leg to follow that is
// not given out yet: that one takes it as its reply.
func (a *assembler) answersAnother(r []*pass, legs [][]*pass, used map[*pass]bool) bool {
	for _, l := range legs {
		if l[0] != r[0] && !used[l[0]] && !a.done[l[0]] && a.answers(r, l) && a.match(l) {
			return true
		}
	}
	return false
}

func (a *assembler) markDone(l []*pass) {
	for _, p := range l {
		a.done[p] = true
	}
}

// forget drops passes given out, or too old to be of any journey.
func (a *assembler) forget(now time.Time) {
	keep := a.passes[:0]
	for _, p := range a.passes {
		if a.done[p] || now.Sub(p.last) > 2*a.replyWait+a.settle {
			delete(a.done, p)
			if a.open[passKey{p.ns, p.fp}] == p {
				delete(a.open, passKey{p.ns, p.fp})
			}
			continue
		}
		keep = append(keep, p)
	}
	for i := len(keep); i < len(a.passes); i++ {
		a.passes[i] = nil
	}
	a.passes = keep
	for k, p := range a.byID {
		if now.Sub(p.last) > 2*a.replyWait+a.settle {
			delete(a.byID, k)
		}
	}
}

func firstHeader(p *pass) (Header, bool) {
	for _, e := range p.events {
		if e.hasHdr {
			return e.hdr, true
		}
	}
	return Header{}, false
}

func lastHeader(p *pass) (Header, bool) {
	for i := len(p.events) - 1; i >= 0; i-- {
		if p.events[i].hasHdr {
			return p.events[i].hdr, true
		}
	}
	return Header{}, false
}
