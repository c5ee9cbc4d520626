package core

import (
	"context"
	"fmt"
	"os"
	osuser "os/user"
	"strconv"
	"strings"
	"time"

	"workbench/core/cgroup"
)

// TopProcess is one process of a container as `top` lists it, in the columns of
// `ps -ef` that Docker's top shows.
type TopProcess struct {
	UID, PID, PPID, C, STIME, TTY, TIME, CMD string
}

// Top lists the processes of a running container (those of its cgroup), as seen from
// the machine: machine PIDs and user names, as docker top shows them.
func (e *Engine) Top(ctx context.Context, c Container) ([]TopProcess, error) {
	if c.State != StateRunning {
		return nil, fmt.Errorf("container %s is not running: it has no processes", c.Name)
	}
	g, err := cgroup.Open(e.inst, c.CgroupID)
	if err != nil {
		return nil, err
	}
	pids, err := g.Pids()
	if err != nil {
		return nil, err
	}
	boot := bootTime()
	var out []TopProcess
	for _, pid := range pids {
		if p, ok := topProcess(pid, boot); ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// topProcess reads one process from /proc.
func topProcess(pid int, boot time.Time) (TopProcess, bool) {
	dir := "/proc/" + strconv.Itoa(pid)
	stat, err := os.ReadFile(dir + "/stat")
	if err != nil {
		return TopProcess{}, false
	}
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return TopProcess{}, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return TopProcess{}, false
	}
	num := func(k int) int64 { n, _ := strconv.ParseInt(f[k], 10, 64); return n }
	const hz = 100 // clock ticks a second (USER_HZ)
	cpu := (num(11) + num(12)) / hz
	started := boot.Add(time.Duration(num(19)) * time.Second / hz)
	p := TopProcess{PID: strconv.Itoa(pid), PPID: f[1], TTY: ttyName(num(4)), TIME: cpuTime(cpu)}
	if life := time.Since(started).Seconds(); life > 0 {
		p.C = strconv.Itoa(int(float64(cpu) / life * 100))
	} else {
		p.C = "0"
	}
	p.STIME = started.Format("15:04")
	if time.Since(started) > 24*time.Hour {
		p.STIME = started.Format("Jan02")
	}
	p.UID = ownerName(dir)
	cmd, _ := os.ReadFile(dir + "/cmdline")
	p.CMD = strings.TrimSpace(strings.ReplaceAll(string(cmd), "\x00", " "))
	if p.CMD == "" {
		p.CMD = "[" + s[strings.IndexByte(s, '(')+1:i] + "]"
	}
	return p, true
}

// ownerName is the machine's name of a process's real user.
func ownerName(dir string) string {
	b, err := os.ReadFile(dir + "/status")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Uid:"); ok {
			uid := strings.Fields(v)[0]
			if u, err := osuser.LookupId(uid); err == nil {
				return u.Username
			}
			return uid
		}
	}
	return "?"
}

// ttyName names a controlling terminal by its device number, as ps does.
func ttyName(dev int64) string {
	major, minor := (dev>>8)&0xfff, (dev&0xff)|((dev>>12)&0xfff00)
	switch {
	case dev == 0:
		return "?"
	case major >= 136 && major <= 143:
		return "pts/" + strconv.FormatInt((major-136)*256+minor, 10)
	}
	return "?"
}

// cpuTime spells CPU seconds as ps's TIME: [DD-]HH:MM:SS.
func cpuTime(secs int64) string {
	d, h, m, s := secs/86400, secs/3600%24, secs/60%60, secs%60
	t := fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	if d > 0 {
		t = fmt.Sprintf("%d-%s", d, t)
	}
	return t
}

// bootTime is when the machine booted.
func bootTime() time.Time {
	b, err := os.ReadFile("/proc/stat")
	if err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "btime "); ok {
				if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					return time.Unix(n, 0)
				}
			}
		}
	}
	return time.Now()
}
