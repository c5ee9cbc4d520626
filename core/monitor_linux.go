package core

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"workbench/core/launch"
	"workbench/instance"
)

// MonitorArg is the hidden command the binary is re-executed with to be an
// instance's monitor.
const MonitorArg = "internal-monitor"

// monitorLinger is how long a monitor with no container stays, for the next run.
const monitorLinger = 3 * time.Second

// monitor is the one process of an instance that holds every container's PID 1 as its
// child: it clones them (so nothing of the command that asked stays their parent),
// records their output in their logs and passes it to attached clients, records their
// end and restarts them as their policy says. It holds no lock while containers run;
// it takes the instance's lock to record an end. A monitor that dies leaves its
// containers running; the next command notices (reconcile).
type monitor struct {
	e       *Engine
	l       *net.UnixListener
	mu      sync.Mutex
	held    map[string]*held
	pending int // ends being recorded and restarts waiting for their delay
	// delays are the last restart delays, for the back-off.
	delays map[string]time.Duration
	last   time.Time
}

// held is one container whose PID 1 the monitor holds.
type held struct {
	id      string
	proc    *launch.Process
	log     *logWriter
	copies  sync.WaitGroup
	master  *os.File // the terminal's master, with -t
	stdin   *os.File // the input's write end kept open for -i without a client
	out     fanout   // attached clients' output streams
	errs    fanout
	clients []*net.UnixConn
	mu      sync.Mutex
	started time.Time
}

// RunMonitor is the body of an instance's monitor; descriptor 3 is its listening
// socket, made by the command that started it. It returns when the instance has had
// no container for monitorLinger, or on a fatal error.
func RunMonitor(ctx context.Context, inst instance.Instance) int {
	f := os.NewFile(3, "monitor.sock")
	l, err := net.FileListener(f)
	f.Close()
	if err != nil {
		return 1
	}
	ul, ok := l.(*net.UnixListener)
	if !ok {
		return 1
	}
	ul.SetUnlinkOnClose(false)
	m := &monitor{e: newEngine(inst), l: ul, held: map[string]*held{}, delays: map[string]time.Duration{}, last: time.Now()}
	m.e.spawner = m
	go m.leaveWhenIdle()
	for {
		conn, err := ul.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return 0
			}
			continue
		}
		m.serve(ctx, conn)
	}
}

// serve answers one request. Requests are read and started one at a time, in the
// order their connections came, so that a command that asks "what do you hold" after
// another asked to start a container sees that container.
func (m *monitor) serve(ctx context.Context, conn *net.UnixConn) {
	m.touch()
	req, files, err := receiveRequest(conn)
	if err != nil {
		_ = sendMonitor(conn, monitorReply{Error: err.Error(), Code: 125})
		conn.Close()
		return
	}
	switch req.Op {
	case "status":
		_ = sendMonitor(conn, monitorReply{Held: m.pids()})
		conn.Close()
	case "start":
		m.startRequest(ctx, conn, req, files)
	case "attach":
		m.attachRequest(conn, req, files)
	default:
		closeAll(files)
		_ = sendMonitor(conn, monitorReply{Error: "unknown request " + req.Op, Code: 125})
		conn.Close()
	}
}

// startRequest starts a container whose parts the asking command made (it holds the
// instance's lock meanwhile and records the start), attached to the streams it sent.
func (m *monitor) startRequest(ctx context.Context, conn *net.UnixConn, req monitorRequest, files []*os.File) {
	c, err := m.e.load(req.ID)
	if err != nil {
		closeAll(files)
		_ = sendMonitor(conn, monitorReply{Error: err.Error(), Code: 125})
		conn.Close()
		return
	}
	h, commands, err := m.run(&c, attachedStreams(req, files))
	closeAll(files)
	if err != nil {
		code := 125
		var le *launch.Error
		if errors.As(err, &le) {
			code = le.Code()
		}
		_ = sendMonitor(conn, monitorReply{Error: err.Error(), Code: code})
		conn.Close()
		return
	}
	rep := monitorReply{Pid: h.proc.Pid, PidStart: procStart(h.proc.Pid), Monitor: os.Getpid(),
		MonitorStart: procStart(os.Getpid()), Commands: commands}
	if err := sendMonitor(conn, rep); err != nil || req.Attach == "" {
		conn.Close()
		return
	}
	m.keepClient(h, conn)
}

// attachedStreams orders the descriptors a client sent as its input, output and
// errors (nil where it sent none).
func attachedStreams(req monitorRequest, files []*os.File) [3]*os.File {
	var streams [3]*os.File
	for i, k := range req.Attach {
		streams[strings.IndexRune("ioe", k)] = files[i]
	}
	return streams
}

// keepClient keeps an attached client's connection: it hears of the end, and may
// resize the terminal meanwhile.
func (m *monitor) keepClient(h *held, conn *net.UnixConn) {
	h.mu.Lock()
	h.clients = append(h.clients, conn)
	h.mu.Unlock()
	go m.follow(h, conn)
}

// attachRequest attaches a client's streams to a held container: it gets the output
// from now on, its input goes to the container's terminal or to the input pipe kept
// for -i, and it is told the end.
func (m *monitor) attachRequest(conn *net.UnixConn, req monitorRequest, files []*os.File) {
	defer closeAll(files)
	m.mu.Lock()
	h := m.held[req.ID]
	m.mu.Unlock()
	if h == nil {
		_ = sendMonitor(conn, monitorReply{Error: "the container is not running under this monitor", Code: 1})
		conn.Close()
		return
	}
	streams := attachedStreams(req, files)
	h.out.add(streams[1])
	h.errs.add(streams[2])
	if to := h.master; streams[0] != nil {
		if to == nil {
			to = h.stdin
		}
		if to != nil {
			in := dup(streams[0])
			go func() { _, _ = io.Copy(to, in); in.Close() }()
		}
	}
	if err := sendMonitor(conn, monitorReply{Pid: h.proc.Pid, Monitor: os.Getpid()}); err != nil {
		conn.Close()
		return
	}
	m.keepClient(h, conn)
}

// spawn starts a container's PID 1 from within the monitor (a restart).
func (m *monitor) spawn(ctx context.Context, c *Container, stdio *Stdio) (started, error) {
	h, commands, err := m.run(c, [3]*os.File{})
	if err != nil {
		return started{}, err
	}
	return started{pid: h.proc.Pid, pidStart: procStart(h.proc.Pid), monitor: os.Getpid(),
		monitorStart: procStart(os.Getpid()), commands: commands}, nil
}

// run clones a container's PID 1 with its streams: a terminal of its own /dev/pts
// with -t, else pipes whose other ends the monitor reads; the input is the attached
// client's, or a pipe kept open with -i, or /dev/null. client holds an attached
// client's streams (input read end, output and error write ends).
func (m *monitor) run(c *Container, client [3]*os.File) (*held, []string, error) {
	h := &held{id: c.ID, log: &logWriter{}, started: time.Now()}
	if err := h.log.open(m.e.LogPath(c.ID)); err != nil {
		return nil, nil, err
	}
	h.out.add(client[1])
	h.errs.add(client[2])
	var stdio, mine [3]*os.File // the command's ends, and this process's
	var err error
	if !c.Tty {
		stdio, mine, err = commandStreams(c, client[0])
		if err != nil {
			h.log.Close()
			return nil, nil, err
		}
	}
	p, opts, err := m.e.containerProgram(c, stdio)
	if err == nil {
		h.proc, err = p.Start(opts)
		closeOptions(opts)
	}
	closeAll(stdio[:])
	if err == nil && c.Tty {
		h.master, err = h.proc.Terminal()
	}
	if err == nil {
		err = h.proc.Wait()
	}
	if err != nil {
		if h.proc != nil {
			_ = h.proc.Signal(unix.SIGKILL)
			_, _ = h.proc.ExitCode()
			h.proc.PidFD.Close()
		}
		closeAll(mine[:])
		if h.master != nil {
			h.master.Close()
		}
		h.log.Close()
		return nil, nil, err
	}
	if c.Tty {
		h.copy(h.log.stream("stdout", &h.out), h.master)
		if client[0] != nil {
			in := dup(client[0])
			go func() { _, _ = io.Copy(h.master, in); in.Close() }()
		}
	} else {
		h.copy(h.log.stream("stdout", &h.out), mine[1])
		h.copy(h.log.stream("stderr", &h.errs), mine[2])
		h.stdin = mine[0]
	}
	m.mu.Lock()
	m.held[c.ID] = h
	m.mu.Unlock()
	go m.watch(h)
	return h, p.Commands(), nil
}

// commandStreams makes the command's streams without a terminal: the client's input
// or a pipe kept open with -i (else /dev/null), and pipes for its output and errors.
// mine are this process's ends.
func commandStreams(c *Container, clientIn *os.File) (stdio, mine [3]*os.File, err error) {
	defer func() {
		if err != nil {
			closeAll(stdio[:])
			closeAll(mine[:])
		}
	}()
	switch {
	case clientIn != nil && c.Interactive:
		stdio[0] = dup(clientIn)
	case c.Interactive:
		if stdio[0], mine[0], err = os.Pipe(); err != nil {
			return
		}
	default:
		if stdio[0], err = os.Open(os.DevNull); err != nil {
			return
		}
	}
	for i := 1; i < 3; i++ {
		if mine[i], stdio[i], err = os.Pipe(); err != nil {
			return
		}
	}
	return
}

// dup is a close-on-exec copy of a file this process keeps.
func dup(f *os.File) *os.File {
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return nil
	}
	return os.NewFile(uintptr(fd), f.Name())
}

// copy copies src to dst until src ends, then closes src.
func (h *held) copy(dst io.Writer, src *os.File) {
	h.copies.Add(1)
	go func() {
		defer h.copies.Done()
		_, _ = io.Copy(dst, src)
		src.Close()
	}()
}

// follow serves an attached client: resizes of its terminal until it goes.
func (m *monitor) follow(h *held, conn *net.UnixConn) {
	for {
		req, files, err := receiveRequest(conn)
		closeAll(files)
		if err != nil {
			return
		}
		if req.Op == "resize" && h.master != nil {
			_ = setTerminalSize(h.master, req.Rows, req.Cols)
		}
	}
}

// watch waits for a held container's end (its pidfd is polled: no thread waits),
// then for its output to drain, and records it.
func (m *monitor) watch(h *held) {
	code, err := h.proc.ExitCode()
	h.proc.PidFD.Close()
	why := ""
	if err != nil {
		code, why = 137, err.Error()
	}
	drained := make(chan struct{})
	go func() { h.copies.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(2 * time.Second):
		// A process of the container kept its output open: the kernel ends every
		// process of the PID namespace with its PID 1, so this is rare.
	}
	if h.master != nil {
		h.master.Close()
	}
	if h.stdin != nil {
		h.stdin.Close()
	}
	h.log.Close()
	m.ended(h, code, why)
}

// ended records a container's end, tells its clients and, as its policy says,
// starts it again after a delay.
func (m *monitor) ended(h *held, code int, why string) {
	ctx := context.Background()
	defer m.release(h.id)()
	// The output is drained: the clients' streams end here, and the clients are told
	// the end as soon as it is recorded.
	h.out.close()
	h.errs.close()
	told := false
	tell := func() {
		h.mu.Lock()
		for _, conn := range h.clients {
			_ = sendMonitor(conn, monitorReply{Exited: true, ExitCode: code})
			conn.Close()
		}
		h.clients, told = nil, true
		h.mu.Unlock()
	}
	c, restart, _ := m.e.finish(ctx, h.id, h.proc.Pid, code, why, tell)
	if !told {
		// The end could not be recorded: the clients see the connection end.
		h.mu.Lock()
		closeConns(h.clients)
		h.mu.Unlock()
	}
	if restart {
		m.mu.Lock()
		m.pending++
		delay := nextRestartDelay(m.delays[h.id], time.Since(h.started))
		m.delays[h.id] = delay
		m.mu.Unlock()
		go m.restartLater(c, delay)
	}
}

// restartLater starts a container again after its back-off delay, unless it was
// stopped or removed meanwhile.
func (m *monitor) restartLater(c Container, delay time.Duration) {
	defer m.done()
	time.Sleep(delay)
	_ = m.e.restartNow(context.Background(), c.ID)
}

// release forgets a held container whose end is being recorded; the monitor counts
// the recording as pending work until the function it returns is called, so that it
// does not leave before the end is recorded and its clients are told.
func (m *monitor) release(id string) (done func()) {
	m.mu.Lock()
	delete(m.held, id)
	m.pending++
	m.mu.Unlock()
	return m.done
}

// done ends a pending piece of work; the monitor's idle time counts from now.
func (m *monitor) done() {
	m.mu.Lock()
	m.pending--
	m.last = time.Now()
	m.mu.Unlock()
}

// pids is the PID 1 of every held container, by ID.
func (m *monitor) pids() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int, len(m.held))
	for id, h := range m.held {
		out[id] = h.proc.Pid
	}
	return out
}

func (m *monitor) touch() {
	m.mu.Lock()
	m.last = time.Now()
	m.mu.Unlock()
}

// leaveWhenIdle ends the monitor once it has held nothing for monitorLinger. It
// decides under the instance's lock, which every command that starts a container
// holds while it asks the monitor, so that no request is lost.
func (m *monitor) leaveWhenIdle() {
	for range time.Tick(monitorLinger / 4) {
		if !m.idle() {
			continue
		}
		unlock, ok := m.e.inst.TryLock()
		if !ok {
			continue
		}
		if !m.idle() {
			unlock()
			continue
		}
		_ = os.Remove(m.e.inst.MonitorSocket())
		_ = os.Remove(m.e.monitorFile())
		unlock()
		os.Exit(0)
	}
}

func (m *monitor) idle() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.held) == 0 && m.pending == 0 && time.Since(m.last) > monitorLinger
}

func closeConns(conns []*net.UnixConn) {
	for _, c := range conns {
		c.Close()
	}
}

// fanout passes what is written to every attached client stream, and drops a stream
// once writing to it fails (its client went away).
type fanout struct {
	mu    sync.Mutex
	files []*os.File
}

func (f *fanout) add(file *os.File) {
	if file == nil {
		return
	}
	f.mu.Lock()
	f.files = append(f.files, dup(file))
	f.mu.Unlock()
}

// Write writes p to every stream; it never fails, so that the log is always written.
func (f *fanout) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	kept := f.files[:0]
	for _, file := range f.files {
		if _, err := file.Write(p); err != nil {
			file.Close()
			continue
		}
		kept = append(kept, file)
	}
	f.files = kept
	return len(p), nil
}

func (f *fanout) close() {
	f.mu.Lock()
	closeAll(f.files)
	f.files = nil
	f.mu.Unlock()
}
