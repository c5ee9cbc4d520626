package tui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"workbench/testutil/golden"
	"workbench/tui/keys"
)

// TestKeyHintFollowsThePanesKeys checks that the cached hint line is drawn again when
// the focused pane's keys change, as they do when the containers pane opens its logs.
func TestKeyHintFollowsThePanesKeys(t *testing.T) {
	var c frameCache
	h := help.New()
	pane := []key.Binding{keys.Bind("x", "shell in container")}
	logs := []key.Binding{keys.Bind("t", "logs: times")}
	for _, step := range []struct {
		ks        []key.Binding
		want, not string
	}{{pane, "shell in container", "logs"}, {logs, "logs: times", "shell"}, {pane, "shell in container", "logs"}} {
		if got := golden.Plain(c.keyHint(h, step.ks, 80)); !strings.Contains(got, step.want) || strings.Contains(got, step.not) {
			t.Errorf("the hint is %q, want %q", got, step.want)
		}
	}
}
