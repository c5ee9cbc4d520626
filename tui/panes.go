package tui

import (
	"workbench/cmdlog"
	"workbench/instance"
	"workbench/tui/captureview"
	"workbench/tui/cgroupsview"
	"workbench/tui/conntrackview"
	"workbench/tui/containers"
	"workbench/tui/iptablesview"
	"workbench/tui/logview"
	"workbench/tui/pane"
	"workbench/tui/sources"
	"workbench/tui/topologyview"
	"workbench/tui/traceview"
)

// PrepareLab is the command line the app runs first: it makes what is missing of the
// default lab (host1, the LAN, outside).
var PrepareLab = []string{"host", "up"}

// DefaultPanes are the app's panes on an instance, in tab order, each reading the
// kernel and the engine of that instance; the Trace pane traces with run, the CLI.
func DefaultPanes(inst instance.Instance, run RunFunc) []pane.Pane {
	log := cmdlog.Open(inst.CommandLogPath())
	eng := sources.New(inst)
	return []pane.Pane{
		containers.New(eng.Containers()),
		topologyview.New(topologyview.KernelSource{Inst: inst}),
		iptablesview.New(iptablesview.KernelSource{Inst: inst, Log: log}),
		cgroupsview.New(eng.Cgroups()),
		captureview.New(captureview.KernelSource{Inst: inst, Containers: eng.CaptureNetns}),
		traceview.New(traceview.CLISource{Run: run, Timeout: "5s"}),
		conntrackview.New(conntrackview.KernelSource{Inst: inst}),
		logview.New(&logview.FileSource{Log: log}),
	}
}
