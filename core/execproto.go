package core

// execSocket is the name, in a container's directory, of the socket its init listens
// on for `exec` requests.
const execSocket = "exec.sock"

// execRequest asks a container's init to start a process beside its command. The
// process's standard streams travel with it as file descriptors (SCM_RIGHTS).
type execRequest struct {
	// Args, Env, Cwd and User are the process to start.
	Args, Env []string
	// Cwd is its working directory inside the container.
	Cwd string
	// User is "", a name from the container's /etc/passwd, or uid[:gid].
	User string
	// Tty makes it a session leader with its standard input as controlling terminal.
	Tty bool
	// Signal, when not 0, is a signal for the process this connection started.
	Signal int
}

// execReply is the init's answer on the same connection: first the process's PID (as
// seen in the container) or why it could not start, later its exit status.
type execReply struct {
	// Pid is the new process's PID in the container's PID namespace.
	Pid int `json:",omitempty"`
	// Error says why it could not start.
	Error string `json:",omitempty"`
	// Exited is set in the last reply, with Code.
	Exited bool `json:",omitempty"`
	// Code is the exit status, 128+N when killed by signal N.
	Code int
}
