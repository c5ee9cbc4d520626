package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// refusedCommands are Docker's commands the workbench leaves out, by their path under
// the root, with the reason and what to do instead. The README's table lists them.
var refusedCommands = map[string]string{
	"build":            "there is no Dockerfile builder: make an image with run and commit, or build it with Docker and `workbench load` it",
	"builder":          "there is no Dockerfile builder, so no build cache: make an image with run and commit",
	"buildx":           "there is no Dockerfile builder: make an image with run and commit, or build it with Docker and `workbench load` it",
	"image build":      "there is no Dockerfile builder: make an image with run and commit, or build it with Docker and `workbench load` it",
	"compose":          "there is no compose: write the steps as a lab script and run it with `workbench --script FILE`",
	"context":          "each instance is an engine of its own: choose one with WORKBENCH_INSTANCE=NAME",
	"export":           "the store keeps unpacked layers, not tarballs: read a container's files at its UpperDir (workbench inspect -f '{{.GraphDriver.Data.UpperDir}}' NAME)",
	"container export": "the store keeps unpacked layers, not tarballs: read a container's files at its UpperDir (workbench inspect -f '{{.GraphDriver.Data.UpperDir}}' NAME)",
	"import":           "load takes `docker save` tarballs and OCI layouts: `workbench load -i FILE`",
	"image import":     "load takes `docker save` tarballs and OCI layouts: `workbench load -i FILE`",
	"save":             "the store keeps unpacked layers, not tarballs: save the image from Docker or the registry it came from",
	"image save":       "the store keeps unpacked layers, not tarballs: save the image from Docker or the registry it came from",
	"push":             "the store keeps unpacked layers, not tarballs: push from Docker",
	"image push":       "the store keeps unpacked layers, not tarballs: push from Docker",
	"login":            "pull reads the credentials of ~/.docker/config.json: log in with `docker login`",
	"logout":           "pull reads the credentials of ~/.docker/config.json: log out with `docker logout`",
	"search":           "there is no registry search: pull an image by its reference",
	"info":             "`workbench version` shows the kernel and the cgroup version; `host ls`, `network ls`, `images` and `ps -a` show the rest",
	"system info":      "`workbench version` shows the kernel and the cgroup version; `host ls`, `network ls`, `images` and `ps -a` show the rest",
	"system df":        "`workbench images` shows each image's size and `workbench stats` each container's memory",
	"manifest":         "pull takes the image of the machine's platform from a manifest list; manifests are not edited here",
	"trust":            "images are not signed or verified here: pull checks each layer against its digest",
	"plugin":           "there are no plugins: networks are Linux bridges and volumes are directories",
	"swarm":            "there is no orchestrator: join lab hosts by hand (host add, network create --crosshost)",
	"node":             "there is no orchestrator: join lab hosts by hand (host add, network create --crosshost)",
	"service":          "there is no orchestrator: run the containers of a service with run, across hosts with --host",
	"stack":            "there is no orchestrator: write the steps as a lab script and run it with `workbench --script FILE`",
	"secret":           "there is no orchestrator: pass a secret with -e or a bind mount",
	"config":           "there is no orchestrator: pass a file with a bind mount",
	"checkpoint":       "there is no checkpoint and restore (CRIU)",
}

// refusedRunFlags are Docker's run (and create) flags the workbench leaves out, with
// the reason and what to do instead. The README's table lists them.
var refusedRunFlags = map[string]string{
	"annotation":            "there are no OCI annotations: the workbench is the runtime, nothing reads them",
	"attach":                "run attaches standard output and error, and input with -i; streams cannot be chosen one by one",
	"blkio-weight":          "the blkio controller is not managed: only cpu, cpuset, memory and pids limits are",
	"blkio-weight-device":   "the blkio controller is not managed: only cpu, cpuset, memory and pids limits are",
	"cgroup-parent":         "every container of an instance is under one cgroup parent, which reset removes whole",
	"cgroupns":              "a container always has a cgroup namespace of its own",
	"cidfile":               "run -d prints the container's ID: write it to a file with `workbench run -d ... > FILE`",
	"cpu-rt-period":         "real-time scheduling is not managed: use --cpus, --cpu-quota or --cpu-shares",
	"cpu-rt-runtime":        "real-time scheduling is not managed: use --cpus, --cpu-quota or --cpu-shares",
	"cpu-count":             "a Windows flag: use --cpus or --cpuset-cpus",
	"cpu-percent":           "a Windows flag: use --cpus",
	"cpuset-mems":           "NUMA memory nodes are not managed: use --cpuset-cpus",
	"detach-keys":           "an attached run cannot be detached: kill the client (the container runs on) or use -d",
	"device":                "the device allowlist is Docker's default one, fixed: null, zero, full, random, urandom, tty, console, ptmx, pts",
	"device-cgroup-rule":    "the device allowlist is Docker's default one, fixed: null, zero, full, random, urandom, tty, console, ptmx, pts",
	"device-read-bps":       "the blkio controller is not managed: only cpu, cpuset, memory and pids limits are",
	"device-read-iops":      "the blkio controller is not managed: only cpu, cpuset, memory and pids limits are",
	"device-write-bps":      "the blkio controller is not managed: only cpu, cpuset, memory and pids limits are",
	"device-write-iops":     "the blkio controller is not managed: only cpu, cpuset, memory and pids limits are",
	"disable-content-trust": "images are not signed or verified here: pull checks each layer against its digest",
	"dns-opt":               "the lab has no name server; --dns and --add-host write /etc/resolv.conf and /etc/hosts",
	"dns-option":            "the lab has no name server; --dns and --add-host write /etc/resolv.conf and /etc/hosts",
	"dns-search":            "the lab has no name server; --dns and --add-host write /etc/resolv.conf and /etc/hosts",
	"domainname":            "a container has a host name only: set it with --hostname",
	"expose":                "ports are published with -p; -P publishes the image's EXPOSE'd ones",
	"gpus":                  "a lab container has no GPU",
	"group-add":             "a user's groups come from the image's /etc/group: give -u USER",
	"health-cmd":            "there are no health checks: check with `workbench exec NAME CMD` or an expect line of a lab",
	"health-interval":       "there are no health checks: check with `workbench exec NAME CMD` or an expect line of a lab",
	"health-retries":        "there are no health checks: check with `workbench exec NAME CMD` or an expect line of a lab",
	"health-start-interval": "there are no health checks: check with `workbench exec NAME CMD` or an expect line of a lab",
	"health-start-period":   "there are no health checks: check with `workbench exec NAME CMD` or an expect line of a lab",
	"health-timeout":        "there are no health checks: check with `workbench exec NAME CMD` or an expect line of a lab",
	"no-healthcheck":        "there are no health checks, so none to turn off",
	"io-maxbandwidth":       "a Windows flag: the blkio controller is not managed",
	"io-maxiops":            "a Windows flag: the blkio controller is not managed",
	"ip6":                   "the lab is IPv4 only: give an IPv4 address with --ip",
	"ipc":                   "a container always has an IPC namespace of its own: join it from outside with nsenter --ipc",
	"isolation":             "isolation technologies are Windows': a container is Linux namespaces here",
	"kernel-memory":         "kernel memory limits are deprecated by the kernel and Docker: use --memory",
	"label-file":            "give each label with -l KEY=VALUE",
	"link":                  "legacy links are left out: containers on a user network reach each other by name",
	"link-local-ip":         "the lab is IPv4 only, with addresses from the network's subnet: give one with --ip",
	"log-driver":            "every container logs to its json-file log, read by `workbench logs`",
	"log-opt":               "every container logs to its json-file log, read by `workbench logs`",
	"mac-address":           "the MAC address comes from the IP address, as Docker's default (02:42:...)",
	"memory-reservation":    "soft memory limits are not managed: use --memory",
	"memory-swappiness":     "swappiness is not managed: use --memory and --memory-swap",
	"oom-kill-disable":      "the OOM killer always acts on a container over its --memory (ps then shows Exited (137))",
	"oom-score-adj":         "OOM scores are not managed: use --memory",
	"pid":                   "a container always has a PID namespace of its own: join it from outside with nsenter --pid",
	"platform":              "only images of the machine's own platform run",
	"pull":                  "run never pulls: pull first with `workbench pull REF`",
	"quiet":                 "run never pulls, so it has no pull progress to silence",
	"runtime":               "the workbench is the runtime",
	"sig-proxy":             "an attached run always passes its signals on to the container",
	"sysctl":                "set a container's net.* sysctls from outside: `workbench host exec HOST nsenter --net --target PID sysctl -w KEY=VALUE`",
	"use-api-socket":        "there is no Docker socket: a container drives nothing outside it",
	"uts":                   "a container always has a UTS namespace of its own: give its name with --hostname",
	"volume-driver":         "volumes are directories of the instance, with no driver",
	"volumes-from":          "give the same volumes to the other container with -v NAME:/path",
}

// refusedRunShorthands are the one-letter forms of refused run flags.
var refusedRunShorthands = map[string]string{"a": "attach", "q": "quiet"}

// refusedFlag is the one line for a flag of Docker's that a command leaves out, or
// nil when the flag is not one of those: only run and create (also under container)
// have such flags.
func refusedFlag(cmd *cobra.Command, name string, short bool) error {
	parent := cmd.Parent()
	if cmd.Name() != "run" && cmd.Name() != "create" || parent == nil || parent != cmd.Root() && parent.Name() != "container" {
		return nil
	}
	if short {
		name = refusedRunShorthands[name]
	}
	why, ok := refusedRunFlags[name]
	if !ok {
		return nil
	}
	return fmt.Errorf("--%s is Docker's, not the workbench's: %s", name, why)
}
