package cli

import (
	"fmt"
	"strings"

	"workbench/errkind"
)

// advice says what to do after an engine failure of a known kind, by kind and by what
// it is about; %s stands for the thing's name.
var advice = map[errkind.Kind]map[string]string{
	errkind.NotFound: {
		"container": "see `workbench ps -a`",
		"host":      "see `workbench host ls`, or make it with `workbench host add %s`",
		"network":   "see `workbench network ls`, or make it with `workbench network create %s`",
		"image":     "pull it with `workbench pull %s` or load it with `workbench load -i FILE` (see `workbench images`)",
	},
	errkind.Exists: {
		"container": "remove it with `workbench rm %s`, or choose another name",
		"host":      "see `workbench host ls`",
		"network":   "see `workbench network ls`",
	},
	errkind.InUse: {
		"network":      "disconnect or remove them first",
		"host":         "remove them first",
		"host network": "remove it first with `workbench network rm %s`",
	},
}

// withAdvice is err's message followed by what to do, when err is an engine failure
// of a kind the CLI has advice for.
func withAdvice(err error) string {
	msg := err.Error()
	e, ok := errkind.Of(err)
	if !ok {
		return msg
	}
	a, ok := advice[e.Kind][e.Subject]
	if !ok {
		return msg
	}
	if strings.Contains(a, "%s") {
		a = fmt.Sprintf(a, e.Name)
	}
	return msg + ": " + a
}
