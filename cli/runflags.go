package cli

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"workbench/core"
	"workbench/core/cgroup"
	"workbench/errkind"
)

// containerFlags are the options of run and create that shape a container beyond its
// command and network: mounts, capabilities, labels, limits of its command, how it is
// stopped.
type containerFlags struct {
	volumes, mounts, tmpfs, envFiles, labels []string
	capAdd, capDrop, ulimits                 []string
	entrypoint, shmSize, stopSignal          string
	readOnly, privileged                     bool
	stopTimeout                              int
}

// addContainerFlags adds them to a command's flags.
func addContainerFlags(fs *pflag.FlagSet) *containerFlags {
	f := &containerFlags{}
	fs.StringArrayVarP(&f.volumes, "volume", "v", nil, "mount a path of the machine or a named volume: SOURCE:TARGET[:ro], or TARGET for an anonymous volume")
	fs.StringArrayVar(&f.mounts, "mount", nil, "mount as Docker's --mount: type=bind|volume|tmpfs,source=...,target=...[,readonly]")
	fs.StringArrayVar(&f.tmpfs, "tmpfs", nil, "mount a tmpfs: PATH[:size=64m,mode=1777]")
	fs.BoolVar(&f.readOnly, "read-only", false, "mount the container's root file system read-only")
	fs.StringArrayVar(&f.envFiles, "env-file", nil, "read environment variables from a file of KEY=VALUE lines")
	fs.StringArrayVarP(&f.labels, "label", "l", nil, "set a label: KEY=VALUE")
	fs.StringVar(&f.entrypoint, "entrypoint", "", "replace the image's entrypoint (\"\" clears it)")
	fs.StringArrayVar(&f.capAdd, "cap-add", nil, "add a capability (CAP_NET_ADMIN, NET_ADMIN, or ALL)")
	fs.StringArrayVar(&f.capDrop, "cap-drop", nil, "drop a capability (CAP_CHOWN, CHOWN, or ALL)")
	fs.BoolVar(&f.privileged, "privileged", false, "give every capability and device, no seccomp filter, nothing masked")
	fs.StringVar(&f.shmSize, "shm-size", "", "size of /dev/shm (default 64m)")
	fs.StringArrayVar(&f.ulimits, "ulimit", nil, "a resource limit of the command: NAME=SOFT[:HARD], e.g. nofile=1024:2048")
	fs.StringVar(&f.stopSignal, "stop-signal", "", "the signal stop sends first (default TERM)")
	fs.IntVar(&f.stopTimeout, "stop-timeout", -1, "seconds stop waits before SIGKILL (default 10)")
	setExamples(fs, map[string]string{"stop-timeout": "10"})
	return f
}

// apply checks the flags and puts what they ask for into spec.
func (f *containerFlags) apply(cmd *cobra.Command, spec *core.RunSpec) error {
	for _, v := range f.volumes {
		m, err := core.ParseVolume(v)
		if err != nil {
			return err
		}
		spec.Mounts = append(spec.Mounts, m)
	}
	for _, v := range f.mounts {
		m, err := core.ParseMount(v)
		if err != nil {
			return err
		}
		spec.Mounts = append(spec.Mounts, m)
	}
	for _, v := range f.tmpfs {
		m, err := core.ParseTmpfs(v)
		if err != nil {
			return err
		}
		spec.Mounts = append(spec.Mounts, m)
	}
	spec.ReadOnly, spec.Privileged = f.readOnly, f.privileged
	spec.CapAdd, spec.CapDrop = f.capAdd, f.capDrop
	if _, err := core.CapMask(filterAll(append(append([]string(nil), f.capAdd...), f.capDrop...))); err != nil {
		return err
	}
	for _, file := range f.envFiles {
		vars, err := readEnvFile(file)
		if err != nil {
			return err
		}
		spec.Env = append(vars, spec.Env...)
	}
	if len(f.labels) > 0 {
		spec.Labels = map[string]string{}
		for _, l := range f.labels {
			k, v, _ := strings.Cut(l, "=")
			if k == "" {
				return fmt.Errorf("-l %q: a label needs a key: KEY=VALUE", l)
			}
			spec.Labels[k] = v
		}
	}
	if cmd.Flags().Changed("entrypoint") {
		ep := strings.Fields(f.entrypoint)
		spec.Entrypoint = &ep
	}
	if f.shmSize != "" {
		n, err := cgroup.ParseMemory(f.shmSize)
		if err != nil || n <= 0 {
			return fmt.Errorf("--shm-size %q is not a size: give one like --shm-size 128m", f.shmSize)
		}
		spec.ShmSize = n
	}
	for _, u := range f.ulimits {
		l, err := core.ParseUlimit(u)
		if err != nil {
			return err
		}
		spec.Ulimits = append(spec.Ulimits, l)
	}
	if f.stopSignal != "" {
		sig, err := core.ParseSignal(f.stopSignal)
		if err != nil {
			return fmt.Errorf("--stop-signal: %w", err)
		}
		spec.StopSignal = int(sig)
	}
	if f.stopTimeout < -1 {
		return fmt.Errorf("--stop-timeout %d is negative: give the seconds stop waits, e.g. --stop-timeout 10", f.stopTimeout)
	}
	spec.StopTimeout = f.stopTimeout
	if f.privileged {
		fmt.Fprintln(cmd.ErrOrStderr(), "workbench: warning: --privileged gives the container every capability and device of the machine and no seccomp filter: its root is the machine's root")
	}
	return nil
}

// filterAll leaves "ALL" out of capability names, for checking the others.
func filterAll(names []string) []string {
	var out []string
	for _, n := range names {
		if !strings.EqualFold(n, "ALL") {
			out = append(out, n)
		}
	}
	return out
}

// readEnvFile reads KEY=VALUE lines as Docker's --env-file does: blank lines and
// lines starting with # are skipped, a bare KEY takes its value from here.
func readEnvFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--env-file %s: %w", path, errkind.PathCause(err))
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, ok, err := core.ParseEnv(line, os.LookupEnv)
		if err != nil {
			return nil, fmt.Errorf("--env-file %s:%d: %w", path, n, err)
		}
		if ok {
			out = append(out, v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--env-file %s: %w", path, err)
	}
	return out, nil
}
