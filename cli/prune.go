package cli

import (
	"bufio"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	units "github.com/docker/go-units"
	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"

	"workbench/core"
	"workbench/images"
)

// pruneReport is what a prune removed: a section of Docker's output ("Deleted
// Containers:" and a line each) and the bytes it freed.
type pruneReport struct {
	title string
	lines []string
	freed uint64
}

// String is the report's section as Docker prints it, "" when nothing was removed.
func (r pruneReport) String() string {
	if len(r.lines) == 0 {
		return ""
	}
	return r.title + ":\n" + strings.Join(r.lines, "\n") + "\n"
}

// pruneSection prints a report's section, followed by an empty line, as Docker does.
func pruneSection(cmd *cobra.Command, r pruneReport) {
	if s := r.String(); s != "" {
		fmt.Fprintln(cmd.OutOrStdout(), s)
	}
}

// printReclaimed prints the last line of a prune: the space the removed things held.
func printReclaimed(cmd *cobra.Command, freed uint64) {
	fmt.Fprintln(cmd.OutOrStdout(), "Total reclaimed space:", units.HumanSize(float64(freed)))
}

// confirmPrune asks the question of Docker's prune unless force; an answer other
// than y (an empty input too) cancels the command.
func confirmPrune(cmd *cobra.Command, what, warning string, force bool) error {
	if force {
		return nil
	}
	fmt.Fprint(cmd.OutOrStdout(), warning+"\nAre you sure you want to continue? [y/N] ")
	sc := bufio.NewScanner(cmd.InOrStdin())
	if sc.Scan() && strings.EqualFold(strings.TrimSpace(sc.Text()), "y") {
		return nil
	}
	fmt.Fprintln(cmd.OutOrStdout())
	return fmt.Errorf("%s has been cancelled: nothing was removed (answer y, or give -f to skip the question)", what)
}

// pruner removes what a prune removes and reports it.
type pruner func(cmd *cobra.Command, e *core.Engine) (pruneReport, error)

// pruneCmd is a prune command, named what in its messages: it asks Docker's question
// with the warning (unless -f), then prunes and prints the report's section, and the
// space freed when reclaimed.
func pruneCmd(use, short, what string, warning func() string, reclaimed bool, prune pruner) *cobra.Command {
	var force bool
	cmd := leaf{use: use, short: short, args: cobra.NoArgs,
		run: func(cmd *cobra.Command, args []string) error {
			if err := confirmPrune(cmd, what, warning(), force); err != nil {
				return err
			}
			return onEngine(func(cmd *cobra.Command, e *core.Engine, _ []string) error {
				r, err := prune(cmd, e)
				pruneSection(cmd, r)
				if reclaimed {
					printReclaimed(cmd, r.freed)
				}
				return err
			})(cmd, args)
		}}.command()
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not ask for confirmation")
	return cmd
}

// addPruneAll adds -a to a prune command.
func addPruneAll(cmd *cobra.Command, all *bool, usage string) *cobra.Command {
	cmd.Flags().BoolVarP(all, "all", "a", false, usage)
	return cmd
}

func newContainerPruneCmd() *cobra.Command {
	return pruneCmd("prune [-f]", "Remove every stopped container", "container prune",
		func() string { return "WARNING! This will remove all stopped containers." }, true, pruneContainers)
}

// pruneContainers removes every container that is not running (exited, or made and
// never started); the space freed is what their writable layers held. One that
// cannot be removed (a command is starting it) is reported and left.
func pruneContainers(cmd *cobra.Command, e *core.Engine) (pruneReport, error) {
	r := pruneReport{title: "Deleted Containers"}
	cs, err := e.List(cmd.Context(), true)
	if err != nil {
		return r, err
	}
	for _, c := range cs {
		if c.State != core.StateExited && c.State != core.StateCreated {
			continue
		}
		used := layerBytes(c)
		if err := e.Remove(cmd.Context(), c, core.RemoveOptions{}); err != nil {
			warn(cmd, err.Error())
			continue
		}
		r.lines = append(r.lines, c.ID)
		r.freed += used
	}
	return r, nil
}

// layerBytes is what a container's writable layer (a tmpfs of its own) holds.
func layerBytes(c core.Container) uint64 {
	var st unix.Statfs_t
	if c.UpperDir == "" || unix.Statfs(filepath.Dir(c.UpperDir), &st) != nil || st.Type != unix.TMPFS_MAGIC {
		return 0
	}
	return (st.Blocks - st.Bfree) * uint64(st.Bsize)
}

func newImagePruneCmd() *cobra.Command {
	var all bool
	return addPruneAll(pruneCmd("prune [-a] [-f]", "Remove dangling images (with -a, every image no container uses)", "image prune",
		func() string { return "WARNING! This will remove all " + imagePruneWhat(all) + "." }, true,
		func(cmd *cobra.Command, e *core.Engine) (pruneReport, error) { return pruneImages(cmd, e, all) }),
		&all, imagePruneAllUsage)
}

// imagePruneAllUsage is what -a means to image prune and system prune.
const imagePruneAllUsage = "remove every image no container uses, not only dangling ones"

// imagePruneWhat is what an image prune removes, in Docker's words.
func imagePruneWhat(all bool) string {
	if all {
		return "images without at least one container associated to them"
	}
	return "dangling images"
}

// usedByContainers is what the containers, running or stopped, use, each naming what
// it uses with uses. A prune asks under the instance's lock: no container can be made
// meanwhile.
func usedByContainers(cmd *cobra.Command, e *core.Engine, uses func(core.Container) []string) (map[string]bool, error) {
	cs, err := e.List(cmd.Context(), true)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, c := range cs {
		for _, u := range uses(c) {
			used[u] = true
		}
	}
	return used, nil
}

// pruneImages removes the images no container uses (running or stopped) that have no
// reference left, or, with all, every one of them; the space freed is the size of
// the layers that went with them.
func pruneImages(cmd *cobra.Command, e *core.Engine, all bool) (pruneReport, error) {
	r := pruneReport{title: "Deleted Images"}
	store, unlock, err := openImageStore(cmd, true)
	if err != nil {
		return r, err
	}
	defer unlock()
	used, err := usedByContainers(cmd, e, func(c core.Container) []string { return []string{c.ImageID} })
	if err != nil {
		return r, err
	}
	list, err := store.List()
	if err != nil {
		return r, err
	}
	layerSize := layerSizes(store, list)
	for _, s := range list {
		if used[s.ID] || !all && len(s.Refs) > 0 {
			continue
		}
		lines, err := store.Remove(s.ID, true, nil)
		for _, l := range lines {
			kind, what, _ := strings.Cut(l, ": ")
			r.lines = append(r.lines, strings.ToLower(kind)+": "+what)
			if kind == "Deleted" {
				r.freed += uint64(layerSize[what])
			}
		}
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

// layerSizes is the size of each layer of the images listed, by the layer's diff ID.
func layerSizes(store *images.Store, list []images.Summary) map[string]int64 {
	sizes := map[string]int64{}
	for _, s := range list {
		if d, err := store.Inspect(s.ID); err == nil {
			for _, l := range d.Layers {
				sizes[l.DiffID] = l.Size
			}
		}
	}
	return sizes
}

func newNetworkPruneCmd() *cobra.Command {
	return pruneCmd("prune [-f]", "Remove every user network no container is on (running or stopped)", "network prune",
		func() string {
			return "WARNING! This will remove all custom networks not used by at least one container."
		}, false, pruneNetworks)
}

// pruneNetworks removes every user network no container names, running or stopped
// (a stopped container's networks are attached again when it starts); each host's
// default bridge stays.
func pruneNetworks(cmd *cobra.Command, e *core.Engine) (pruneReport, error) {
	r := pruneReport{title: "Deleted Networks"}
	m, unlock, err := labManager(cmd)
	if err != nil {
		return r, err
	}
	defer unlock()
	used, err := usedByContainers(cmd, e, containerNetworks)
	if err != nil {
		return r, err
	}
	nets, err := m.Networks()
	if err != nil {
		return r, err
	}
	for _, n := range nets {
		if n.Default || used[n.Name] || slices.Contains(r.lines, n.Name) {
			continue
		}
		if err := m.RemoveNetwork(cmd.Context(), n.Name); err != nil {
			warn(cmd, err.Error())
			continue
		}
		r.lines = append(r.lines, n.Name)
	}
	return r, nil
}

func newSystemPruneCmd() *cobra.Command {
	var all, volumes bool
	warning := func() string {
		w := "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n"
		if volumes {
			w += "  - all anonymous volumes not used by at least one container\n"
		}
		return w + "  - all " + imagePruneWhat(all) + "\n"
	}
	// Each prune prints its own section; the space freed is printed once all are done.
	pruneAll := func(cmd *cobra.Command, e *core.Engine) (pruneReport, error) {
		var freed uint64
		for _, prune := range []pruner{
			pruneContainers,
			pruneNetworks,
			func(cmd *cobra.Command, e *core.Engine) (pruneReport, error) {
				if !volumes {
					return pruneReport{}, nil
				}
				return pruneVolumes(cmd, e, false)
			},
			func(cmd *cobra.Command, e *core.Engine) (pruneReport, error) { return pruneImages(cmd, e, all) },
		} {
			r, err := prune(cmd, e)
			pruneSection(cmd, r)
			freed += r.freed
			if err != nil {
				return pruneReport{}, err
			}
		}
		printReclaimed(cmd, freed)
		return pruneReport{}, nil
	}
	cmd := addPruneAll(pruneCmd("prune [-a] [-f]", "Remove stopped containers, unused user networks and dangling images (with -a, every unused image; with --volumes, unused anonymous volumes)",
		"system prune", warning, false, pruneAll), &all, imagePruneAllUsage)
	cmd.Flags().BoolVar(&volumes, "volumes", false, "remove anonymous volumes no container mounts too")
	return cmd
}
