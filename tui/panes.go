package tui

import (
	"workbench/cmdlog"
	"workbench/instance"
	"workbench/tui/captureview"
	"workbench/tui/containers"
	"workbench/tui/iptablesview"
	"workbench/tui/logview"
	"workbench/tui/pane"
	"workbench/tui/topologyview"
)

// DefaultPanes are the app's panes on an instance, in tab order, each reading the
// kernel and the engine of that instance.
func DefaultPanes(inst instance.Instance) []pane.Pane {
	log := cmdlog.Open(inst.CommandLogPath())
	return []pane.Pane{
		containers.New(nil),
		topologyview.New(topologyview.KernelSource{Inst: inst}),
		iptablesview.New(iptablesview.KernelSource{Inst: inst, Log: log}),
		pane.NewPlaceholder("cgroups", "the cgroup view is not in this build"),
		captureview.New(captureview.KernelSource{Inst: inst}),
		logview.New(&logview.FileSource{Log: log}),
	}
}
