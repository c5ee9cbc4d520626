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
	x := newLegIndex(legs)
	matched := map[*pass]bool{}
	follow := func(l []*pass) bool {
		m, ok := matched[l[0]]
		if !ok {
			m = a.match(l)
			matched[l[0]] = m
		}
		return m
	}
	var out []Journey
	used := map[*pass]bool{}
	taken := func(l []*pass) bool { return used[l[0]] || a.done[l[0]] }
	for _, l := range legs {
		if taken(l) || !follow(l) {
			continue
		}
		other := false // is l the reply of another leg to follow, which takes it?
		for _, o := range x.answered(l) {
			other = other || o[0] != l[0] && !taken(o) && follow(o)
		}
		if other {
			continue
		}
		var reply []*pass
		for _, r := range x.answers(l) {
			if !taken(r) && (reply == nil || r[0].first.Before(reply[0].first)) {
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
		used[l[0]] = true
		a.markDone(l)
		out = append(out, j)
	}
	a.forget(now)
	return out
}

// legIndex finds replies among legs: a reply starts in a namespace its request
// crossed, after it, with the request's addresses there swapped.
type legIndex struct {
	starts map[addrKey][][]*pass // legs by where they start and their addresses there
	ends   map[addrKey][][]*pass // legs by each namespace crossed and their addresses as they left it, swapped
}

type addrKey struct {
	ns       int
	src, dst [4]byte
}

func newLegIndex(legs [][]*pass) legIndex {
	x := legIndex{starts: map[addrKey][][]*pass{}, ends: map[addrKey][][]*pass{}}
	for _, l := range legs {
		if h, ok := firstHeader(l[0]); ok {
			k := addrKey{l[0].ns, h.Src.As4(), h.Dst.As4()}
			x.starts[k] = append(x.starts[k], l)
		}
		for _, p := range l {
			if h, ok := lastHeader(p); ok {
				k := addrKey{p.ns, h.Dst.As4(), h.Src.As4()}
				x.ends[k] = append(x.ends[k], l)
			}
		}
	}
	return x
}

// answers are the legs that answer l.
func (x legIndex) answers(l []*pass) [][]*pass {
	var out [][]*pass
	for _, p := range l {
		lh, ok := lastHeader(p)
		if !ok {
			continue
		}
		for _, r := range x.starts[addrKey{p.ns, lh.Dst.As4(), lh.Src.As4()}] {
			if answersAt(r, p, lh) {
				out = append(out, r)
			}
		}
	}
	return out
}

// answered are the legs that r answers.
func (x legIndex) answered(r []*pass) [][]*pass {
	h, ok := firstHeader(r[0])
	if !ok {
		return nil
	}
	var out [][]*pass
	for _, l := range x.ends[addrKey{r[0].ns, h.Src.As4(), h.Dst.As4()}] {
		for _, p := range l {
			if lh, ok := lastHeader(p); ok && p.ns == r[0].ns && answersAt(r, p, lh) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// answersAt tells whether leg r answers the packet of pass p, whose header as it left
// was lh: it starts in p's namespace after p (one namespace's events are read in the
// kernel's order), from lh's addresses swapped.
func answersAt(r []*pass, p *pass, lh Header) bool {
	h, ok := firstHeader(r[0])
	return ok && r[0] != p && r[0].ns == p.ns && r[0].first.After(p.first) && h.reverses(lh)
}

// link joins each pass that left by a link to the pass of the same packet that came
// in at the link's other end.
func (a *assembler) link(now time.Time) {
	byFP := map[fingerprint][]*pass{}
	for _, q := range a.passes {
		if q.prev == nil && q.in != 0 {
			byFP[q.fp] = append(byFP[q.fp], q)
		}
	}
	for _, p := range a.passes {
		if p.next != nil || p.out == 0 || !p.settled(now, a.settle) || p.dropped || p.delivered {
			continue
		}
		arrivals := a.w.arrivals(p.ns, p.out)
		var best *pass
		for _, q := range byFP[p.fp] {
			// Namespaces are read by sockets of their own, so a later namespace's
			// events may be read a little before an earlier one's.
			if q == p || q.prev != nil || q.first.Before(p.first.Add(-readSkew)) {
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
