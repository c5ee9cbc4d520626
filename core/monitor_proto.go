package core

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// The monitor and the commands talk over a Unix socket in the instance's run
// directory (root's only): a request is one line of JSON, with the streams of an
// attached client as descriptors beside it (SCM_RIGHTS); the monitor answers with
// lines of JSON on the same connection, which stays open while a client is attached.

// monitorRequest is what a command asks the monitor.
type monitorRequest struct {
	// Op is "start" (start the container ID's PID 1), "status" (which containers the
	// monitor holds) or, on an attached connection, "resize".
	Op string
	// ID is the container to start.
	ID string `json:",omitempty"`
	// Attach names the descriptors sent with a start, in order: "i" the read end of
	// the command's input, "o" and "e" the write ends of its output and errors.
	Attach string `json:",omitempty"`
	// Rows and Cols are the attached terminal's new size.
	Rows, Cols uint16 `json:",omitempty"`
}

// monitorReply is what the monitor answers.
type monitorReply struct {
	// Pid and PidStart are the started PID 1; Monitor and MonitorStart the monitor.
	Pid          int    `json:",omitempty"`
	PidStart     uint64 `json:",omitempty"`
	Monitor      int    `json:",omitempty"`
	MonitorStart uint64 `json:",omitempty"`
	// Commands are what the set-up of the PID 1 did, as shell commands.
	Commands []string `json:",omitempty"`
	// Error says why the start failed, Code is Docker's exit status for it.
	Error string `json:",omitempty"`
	Code  int    `json:",omitempty"`
	// Exited is the last message to an attached client: the container ended with
	// ExitCode and its end is recorded.
	Exited   bool `json:",omitempty"`
	ExitCode int  `json:",omitempty"`
	// Held maps the ID of every container the monitor holds to its PID 1.
	Held map[string]int `json:",omitempty"`
}

// maxMonitorMessage bounds one message.
const maxMonitorMessage = 1 << 20

// sendMonitor writes one message with descriptors beside it.
func sendMonitor(conn *net.UnixConn, msg any, files ...*os.File) error {
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	var rights []byte
	if len(files) > 0 {
		fds := make([]int, len(files))
		for i, f := range files {
			fds[i] = int(f.Fd())
		}
		rights = unix.UnixRights(fds...)
	}
	_, _, err = conn.WriteMsgUnix(append(b, '\n'), rights, nil)
	return err
}

// receiveRequest reads a request line and the descriptors sent with it.
func receiveRequest(conn *net.UnixConn) (monitorRequest, []*os.File, error) {
	var req monitorRequest
	buf := make([]byte, 64*1024)
	oob := make([]byte, unix.CmsgSpace(3*4))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	if err != nil {
		return req, nil, err
	}
	var files []*os.File
	if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
		for _, m := range msgs {
			fds, _ := unix.ParseUnixRights(&m)
			for _, fd := range fds {
				unix.CloseOnExec(fd)
				files = append(files, os.NewFile(uintptr(fd), "attached"))
			}
		}
	}
	line := buf[:n]
	if len(line) == 0 || line[len(line)-1] != '\n' {
		closeAll(files)
		return req, nil, errors.New("a request must be one line")
	}
	if err := json.Unmarshal(line, &req); err != nil {
		closeAll(files)
		return req, nil, fmt.Errorf("bad request: %w", err)
	}
	if len(files) != len(req.Attach) {
		closeAll(files)
		return req, nil, errors.New("the streams sent do not match the request")
	}
	return req, files, nil
}

// replyReader reads the monitor's answers on a connection.
type replyReader struct{ sc *bufio.Scanner }

func newReplyReader(conn *net.UnixConn) *replyReader {
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 4096), maxMonitorMessage)
	return &replyReader{sc: sc}
}

// next reads one answer; io errors and a closed connection say the monitor is gone.
func (r *replyReader) next() (monitorReply, error) {
	var rep monitorReply
	if !r.sc.Scan() {
		return rep, errMonitorGone
	}
	if err := json.Unmarshal(r.sc.Bytes(), &rep); err != nil {
		return rep, fmt.Errorf("read the monitor's answer: %w", err)
	}
	return rep, nil
}

// errMonitorGone is a connection to the monitor that ended without an answer.
var errMonitorGone = errors.New("the instance's monitor ended without answering (killed?): see workbench ps -a")

func closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}
