// Command workbench is a terminal workbench on a real container engine: namespaced
// containers on an overlay rootfs, bridges, veths, iptables NAT and cgroups, shown live.
package main

import (
	"os"

	"golang.org/x/sys/unix"

	"workbench/cli"
	"workbench/core"
)

func main() {
	// No descriptor the caller left open reaches a process this one starts.
	_ = unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC)
	if os.Args[0] == core.InitPath {
		os.Exit(core.RunReaper(os.Args[1:]))
	}
	os.Exit(cli.Execute(os.Args[1:]))
}
