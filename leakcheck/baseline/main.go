// Command baseline writes a snapshot of the machine (network, namespaces, mounts,
// cgroups, processes, state directories) as JSON, for the leak check after the suite.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"workbench/testutil"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: baseline FILE")
		os.Exit(2)
	}
	b, err := json.MarshalIndent(testutil.Leftovers(), "", " ")
	if err == nil {
		err = os.WriteFile(os.Args[1], b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}
