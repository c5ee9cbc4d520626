package listview

import "workbench/tui/form"

// Images is the list of the image store: inspect, remove (refused while a container
// uses the image).
func Images() Spec {
	return Spec{
		Title: "Images",
		List:  []string{"images"},
		Name: func(f []string) string {
			switch {
			case len(f) < 3:
				return ""
			case f[0] == "<none>":
				return f[2]
			}
			return f[0] + ":" + f[1]
		},
		Inspect: func(name string) []string { return []string{"image", "inspect", name} },
		Remove:  func(name string) []string { return []string{"image", "rm", name} },
	}
}

// Networks is the list of the lab's networks: inspect, remove (refused while
// containers are on it), new from a form.
func Networks() Spec {
	return Spec{
		Title: "Networks",
		List:  []string{"network", "ls"},
		Name: func(f []string) string {
			if len(f) == 0 {
				return ""
			}
			return f[0]
		},
		Inspect: func(name string) []string { return []string{"network", "inspect", name} },
		Remove:  func(name string) []string { return []string{"network", "rm", name} },
		New:     form.NewNetwork,
	}
}

// For returns the list a command line shows, as the `:` line takes it: `images`,
// `image ls`, `networks`, `network ls` with nothing more; ok is false for any other.
func For(args []string) (Spec, bool) {
	switch len(args) {
	case 1:
		switch args[0] {
		case "images":
			return Images(), true
		case "networks":
			return Networks(), true
		}
	case 2:
		switch {
		case args[0] == "image" && (args[1] == "ls" || args[1] == "list"):
			return Images(), true
		case args[0] == "network" && (args[1] == "ls" || args[1] == "list"):
			return Networks(), true
		}
	}
	return Spec{}, false
}
