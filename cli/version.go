package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"text/template"

	"github.com/docker/cli/templates"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"workbench/core/cgroup"
)

// versionInfo is what `version` reports, in the shape of `docker version`'s fields.
type versionInfo struct {
	Client versionClient
	Server versionServer
}

// versionClient is the workbench binary.
type versionClient struct {
	// Version is the module's version from the build information: a tag, a
	// pseudo-version, or (devel) for a build without version control information.
	Version   string
	GoVersion string
	// GitCommit is the commit it was built from ("" when unknown), with -dirty when
	// the tree had changes.
	GitCommit string
	// Built is the time of that commit.
	Built string
	Os    string
	Arch  string
}

// versionServer is the machine the engine drives.
type versionServer struct {
	// KernelVersion is the running kernel's release.
	KernelVersion string
	// CgroupVersion is "1" (legacy or hybrid layout) or "2" (unified).
	CgroupVersion string
}

// clientVersion reads the binary's build information.
func clientVersion() versionClient {
	v := versionClient{Version: "(devel)", GoVersion: runtime.Version(), Os: runtime.GOOS, Arch: runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.GitCommit = s.Value[:min(len(s.Value), 7)]
		case "vcs.time":
			v.Built = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && v.GitCommit != "" {
		v.GitCommit += "-dirty"
	}
	return v
}

// serverVersion reads the machine's kernel release and cgroup layout.
func serverVersion() versionServer {
	var v versionServer
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		v.KernelVersion = unix.ByteSliceToString(u.Release[:])
	}
	switch mode, err := cgroup.CurrentMode(); {
	case err != nil:
		v.CgroupVersion = "unknown (" + oneLine(err.Error()) + ")"
	case mode == cgroup.V2:
		v.CgroupVersion = "2"
	default:
		v.CgroupVersion = "1"
	}
	return v
}

// versionText is the default output of `version`, laid out as Docker's.
const versionText = `Client: workbench
 Version:           {{.Client.Version}}
 Go version:        {{.Client.GoVersion}}
 Git commit:        {{or .Client.GitCommit "unknown"}}
 Built:             {{or .Client.Built "unknown"}}
 OS/Arch:           {{.Client.Os}}/{{.Client.Arch}}

Server: workbench engine
 Kernel Version:    {{.Server.KernelVersion}}
 Cgroup Version:    {{.Server.CgroupVersion}}
`

func newVersionCmd() *cobra.Command {
	var format string
	cmd := leaf{use: "version [--format TEMPLATE]",
		short: "Show the workbench's version, the Go version, the kernel and the cgroup version",
		example: `  workbench version
  workbench version --format '{{.Server.KernelVersion}}'
  workbench version --format json`,
		args: cobra.NoArgs,
		run: func(cmd *cobra.Command, _ []string) error {
			v := versionInfo{Client: clientVersion(), Server: serverVersion()}
			if format == "" {
				return template.Must(templates.Parse(versionText)).Execute(cmd.OutOrStdout(), v)
			}
			f, err := parseListFormat(format)
			if err != nil {
				return err
			}
			return f.write(cmd.OutOrStdout(), nil, []any{v})
		}}.command()
	cmd.Flags().StringVarP(&format, "format", "f", "", "print through a Go template, e.g. '{{.Client.Version}}', or json")
	return cmd
}

// addVersionFlag gives the root command --version, which prints one line as
// `docker --version` does.
func addVersionFlag(root *cobra.Command) {
	v := clientVersion()
	root.Version = v.Version
	build := v.GitCommit
	if build == "" {
		build = "unknown"
	}
	root.SetVersionTemplate(fmt.Sprintf("workbench version {{.Version}}, build %s\n", build))
}
