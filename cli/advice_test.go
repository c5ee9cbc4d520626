package cli

import (
	"fmt"
	"testing"

	"workbench/errkind"
)

func TestAdviceFollowsTheKind(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{errkind.New(errkind.NotFound, "host", "host9", "unknown host %q", "host9"), "unknown host \"host9\": see `workbench host ls`, or make it with `workbench host add host9`"},
		{fmt.Errorf("attach web: %w", errkind.New(errkind.NotFound, "network", "blue", "unknown network %q", "blue")), "attach web: unknown network \"blue\": see `workbench network ls`, or make it with `workbench network create blue`"},
		{errkind.New(errkind.Exists, "container", "web", "container name %q is already in use", "web"), "container name \"web\" is already in use: remove it with `workbench rm web`, or choose another name"},
		{errkind.New(errkind.Invalid, "host", "H", "host name %q is invalid", "H"), "host name \"H\" is invalid"},
		{fmt.Errorf("plain"), "plain"},
	} {
		if got := withAdvice(c.err); got != c.want {
			t.Errorf("withAdvice(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
