package tui

import (
	"workbench/cmdlog"
	"workbench/instance"
	"workbench/tui/containers"
	"workbench/tui/logview"
	"workbench/tui/pane"
)

// DefaultPanes are the app's panes on an instance, in tab order, each reading the
// kernel and the engine of that instance.
func DefaultPanes(inst instance.Instance) []pane.Pane {
	return []pane.Pane{
		containers.New(nil),
		pane.NewPlaceholder("Topology", "the topology view is not in this build"),
		pane.NewPlaceholder("iptables", "the iptables view is not in this build"),
		pane.NewPlaceholder("cgroups", "the cgroup view is not in this build"),
		pane.NewPlaceholder("Capture", "packet capture is not in this build"),
		logview.New(&logview.FileSource{Log: cmdlog.Open(inst.CommandLogPath())}),
	}
}
