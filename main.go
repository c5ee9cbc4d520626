// Command workbench is a terminal workbench on a real container engine: namespaced
// containers on an overlay rootfs, bridges, veths, iptables NAT and cgroups, shown live.
package main

import (
	"os"

	"workbench/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:]))
}
