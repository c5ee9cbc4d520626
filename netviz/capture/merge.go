package capture

import "time"

// merge delivers the packets of several interfaces in time order. Each interface's
// packets arrive in order but late by up to a ring's block timeout, so a packet is held
// back until it is older than the reorder window; whatever is left is flushed in order
// when in closes.
func merge(in <-chan Packet, out chan<- Packet, window time.Duration) {
	defer close(out)
	var h packetHeap
	tick := time.NewTicker(window / 4)
	defer tick.Stop()
	flush := func(before time.Time) {
		for len(h) > 0 && (before.IsZero() || h[0].Time.Before(before)) {
			out <- h.pop()
		}
	}
	for {
		select {
		case p, ok := <-in:
			if !ok {
				flush(time.Time{})
				return
			}
			h.push(p)
		case now := <-tick.C:
			flush(now.Add(-window))
		}
	}
}

// packetHeap is a min-heap of packets by time, typed so that pushing costs no boxing.
type packetHeap []Packet

func (h *packetHeap) push(p Packet) {
	*h = append(*h, p)
	s := *h
	for i := len(s) - 1; i > 0; {
		parent := (i - 1) / 2
		if !s[i].Time.Before(s[parent].Time) {
			break
		}
		s[i], s[parent] = s[parent], s[i]
		i = parent
	}
}

func (h *packetHeap) pop() Packet {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s[last] = Packet{}
	s = s[:last]
	for i := 0; ; {
		small, l, r := i, 2*i+1, 2*i+2
		if l < len(s) && s[l].Time.Before(s[small].Time) {
			small = l
		}
		if r < len(s) && s[r].Time.Before(s[small].Time) {
			small = r
		}
		if small == i {
			break
		}
		s[i], s[small] = s[small], s[i]
		i = small
	}
	*h = s
	return top
}
