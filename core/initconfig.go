package core

// initConfig is what a container's init needs to build the container from inside its
// new namespaces; the parent sends it as one line of JSON on the init's configuration
// socket as soon as the init starts.
type initConfig struct {
	// Layers are the image's read-only layers, bottom first.
	Layers []string
	// Upper, Work and Merged are the overlay's writable layer, work and mount point.
	Upper, Work, Merged string
	// OverlayMounted says the parent mounted the overlay already (in a user namespace
	// the init may not read the image's layers to mount it).
	OverlayMounted bool
	// Files maps a path inside the container (/etc/hosts) to the file bound over it.
	Files map[string]string
	// Netns names the network namespace the init joins (sent with the go-ahead) before
	// starting the command; "" when it was made in it.
	Netns string
	// Hostname is set in the new UTS namespace.
	Hostname string
	// Args, Env and Cwd are the command to run.
	Args, Env []string
	// Cwd is the command's working directory inside the container.
	Cwd string
	// User is "", a name from the image's /etc/passwd, or uid[:gid].
	User string
	// Tty makes the command the session leader with its standard input as the
	// controlling terminal.
	Tty bool
	// Userns says the init runs in a user namespace of its own.
	Userns bool
}

// initGo is the byte the parent sends, after the configuration, once the init is in
// its cgroup and its network namespace is ready.
const initGo = 'g'

// initReport is what the init answers: the commands it made (for the command log) and,
// when it failed, why.
type initReport struct {
	// Log holds each operation as a shell command.
	Log []string
	// Error is empty once the command runs.
	Error string
}
