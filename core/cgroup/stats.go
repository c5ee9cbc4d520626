package cgroup

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// Stats is what the kernel accounts for one group at one moment. Counters only grow;
// rates (CPU %, throttled periods per second) come from the difference of two Stats.
// A figure whose controller is missing stays zero.
type Stats struct {
	// Time is when the figures were read.
	Time time.Time
	// CPUUsageNs is the CPU time used by every task of the group, in nanoseconds.
	CPUUsageNs uint64
	// CPUQuotaUs is the CFS quota per period in microseconds; -1 = no quota.
	CPUQuotaUs int64
	// CPUPeriodUs is the CFS period in microseconds.
	CPUPeriodUs uint64
	// NrPeriods is how many periods had runnable tasks.
	NrPeriods uint64
	// NrThrottled is how many of those periods ended with the group throttled.
	NrThrottled uint64
	// ThrottledNs is the total time the group spent throttled, in nanoseconds.
	ThrottledNs uint64
	// MemoryUsage is the memory charged to the group, in bytes.
	MemoryUsage uint64
	// MemoryLimit is the memory limit in bytes; 0 = no limit.
	MemoryLimit uint64
	// MemoryFailcnt counts how often the limit was hit (v1 failcnt, v2 "max" events).
	MemoryFailcnt uint64
	// OOMKills counts the tasks the OOM killer ended inside the group.
	OOMKills uint64
	// PidsCurrent is the number of tasks in the group.
	PidsCurrent uint64
	// PidsLimit is the most tasks allowed; 0 = no limit.
	PidsLimit uint64
}

// CPUCores is the CPU limit in cores (quota / period), or 0 when there is none.
func (s Stats) CPUCores() float64 {
	if s.CPUQuotaUs <= 0 || s.CPUPeriodUs == 0 {
		return 0
	}
	return float64(s.CPUQuotaUs) / float64(s.CPUPeriodUs)
}

// unlimited is the threshold above which a v1 byte limit means "no limit" (the kernel
// writes PAGE_COUNTER_MAX pages, 9223372036854771712 on 4 KiB pages).
const unlimited = 1 << 62

// statFiles are the files one Stats read opens; they are resolved once per group.
type statFiles struct {
	mode                                Mode
	cpuUsage, cpuStat, cpuQuota, cpuMax string
	cpuPeriod                           string
	memUsage, memLimit, memFail, memOOM string
	pidsCurrent, pidsMax                string
}

func newStatFiles(lo layout, p string) statFiles {
	f := statFiles{mode: lo.mode}
	// Each figure's controller and its file on v1 and on v2 ("" where there is none).
	for _, x := range []struct {
		to                 *string
		controller, v1, v2 string
	}{
		{&f.cpuUsage, "cpuacct", "cpuacct.usage", ""},
		{&f.cpuStat, "cpu", "cpu.stat", "cpu.stat"},
		{&f.cpuQuota, "cpu", "cpu.cfs_quota_us", ""},
		{&f.cpuPeriod, "cpu", "cpu.cfs_period_us", ""},
		{&f.cpuMax, "cpu", "", "cpu.max"},
		{&f.memUsage, "memory", "memory.usage_in_bytes", "memory.current"},
		{&f.memLimit, "memory", "memory.limit_in_bytes", "memory.max"},
		{&f.memFail, "memory", "memory.failcnt", ""},
		{&f.memOOM, "memory", "memory.oom_control", "memory.events"},
		{&f.pidsCurrent, "pids", "pids.current", "pids.current"},
		{&f.pidsMax, "pids", "pids.max", "pids.max"},
	} {
		file := x.v1
		if lo.mode == V2 {
			file = x.v2
		}
		if file != "" && lo.present[x.controller] {
			*x.to = filepath.Join(lo.dir(x.controller, p), file)
		}
	}
	return f
}

// fileSource reads one small cgroup file; the bytes are valid until the next call.
type fileSource interface {
	readFile(path string) ([]byte, error)
}

// read reads every figure straight from the files: a handful of small reads, much
// cheaper than the library's full Stat (which parses memory.stat and per-CPU usage).
// A group that is gone gives an error.
func (f statFiles) read(src fileSource) (Stats, error) {
	s := Stats{Time: time.Now(), CPUQuotaUs: -1}
	var err error
	readFile := func(path string) []byte {
		if path == "" || err != nil {
			return nil
		}
		var b []byte
		b, err = src.readFile(path)
		return b
	}
	if f.mode == V2 {
		kv := readFile(f.cpuStat)
		s.CPUUsageNs = keyValue(kv, "usage_usec") * 1000
		s.NrPeriods = keyValue(kv, "nr_periods")
		s.NrThrottled = keyValue(kv, "nr_throttled")
		s.ThrottledNs = keyValue(kv, "throttled_usec") * 1000
		if m := bytes.Fields(readFile(f.cpuMax)); len(m) == 2 {
			if q, e := strconv.ParseInt(string(m[0]), 10, 64); e == nil {
				s.CPUQuotaUs = q
			}
			s.CPUPeriodUs = number(m[1])
		}
		s.MemoryUsage = number(readFile(f.memUsage))
		s.MemoryLimit = limitNumber(readFile(f.memLimit))
		ev := readFile(f.memOOM)
		s.MemoryFailcnt = keyValue(ev, "max")
		s.OOMKills = keyValue(ev, "oom_kill")
	} else {
		s.CPUUsageNs = number(readFile(f.cpuUsage))
		kv := readFile(f.cpuStat)
		s.NrPeriods = keyValue(kv, "nr_periods")
		s.NrThrottled = keyValue(kv, "nr_throttled")
		s.ThrottledNs = keyValue(kv, "throttled_time")
		if q, e := strconv.ParseInt(string(bytes.TrimSpace(readFile(f.cpuQuota))), 10, 64); e == nil {
			s.CPUQuotaUs = q
		}
		s.CPUPeriodUs = number(readFile(f.cpuPeriod))
		s.MemoryUsage = number(readFile(f.memUsage))
		s.MemoryLimit = limitNumber(readFile(f.memLimit))
		s.MemoryFailcnt = number(readFile(f.memFail))
		s.OOMKills = keyValue(readFile(f.memOOM), "oom_kill")
	}
	s.PidsCurrent = number(readFile(f.pidsCurrent))
	s.PidsLimit = limitNumber(readFile(f.pidsMax))
	return s, err
}

// oneShot opens, reads and closes each file.
type oneShot struct{ buf []byte }

func (o *oneShot) readFile(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	n, err := unix.Read(fd, o.buf)
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: path, Err: err}
	}
	return o.buf[:n], nil
}

// Reader reads a group's statistics again and again through files it keeps open:
// opening a cgroup file costs about ten times reading it, so a sampler that reads
// hundreds of groups every second keeps one Reader per group. Not safe for
// concurrent use; Close it when done.
type Reader struct {
	files statFiles
	fds   map[string]int
	buf   []byte
}

// NewReader returns a Reader of the group's statistics.
func (g *Group) NewReader() *Reader {
	return &Reader{files: g.files, fds: map[string]int{}, buf: make([]byte, 4096)}
}

// Read reads the figures; after the group is removed it fails.
func (r *Reader) Read() (Stats, error) {
	return r.files.read(r)
}

func (r *Reader) readFile(path string) ([]byte, error) {
	fd, ok := r.fds[path]
	if !ok {
		var err error
		if fd, err = unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		r.fds[path] = fd
	}
	n, err := unix.Pread(fd, r.buf, 0)
	if err != nil {
		return nil, &os.PathError{Op: "read", Path: path, Err: err}
	}
	return r.buf[:n], nil
}

// Close closes the files the Reader keeps open.
func (r *Reader) Close() error {
	for p, fd := range r.fds {
		unix.Close(fd)
		delete(r.fds, p)
	}
	return nil
}

// number parses a decimal counter, 0 when absent.
func number(b []byte) uint64 {
	v, _ := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64)
	return v
}

// limitNumber parses a limit where "max" or a huge value means none (0).
func limitNumber(b []byte) uint64 {
	v := number(b)
	if v >= unlimited {
		return 0
	}
	return v
}

// keyValue finds "key N" in a flat-keyed file (cpu.stat, memory.events, oom_control).
func keyValue(b []byte, key string) uint64 {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		k, v, ok := bytes.Cut(line, []byte{' '})
		if ok && string(k) == key {
			return number(v)
		}
	}
	return 0
}
