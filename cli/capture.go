package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"workbench/cmdlog"
	"workbench/core"
	"workbench/core/network"
	"workbench/netviz/capture"
	"workbench/netviz/capture/filter"
	"workbench/nsutil"
)

func init() { register(newCaptureCmd) }

// captureFlags are the flags of `capture`, in tcpdump's letters where it has one.
type captureFlags struct {
	host, container string
	ifaces          []string
	linkHeaders     bool
	count, snaplen  int
	write, read     string
	noPromisc       bool
	detail          bool
}

func newCaptureCmd() *cobra.Command {
	var f captureFlags
	cmd := &cobra.Command{
		Use:   "capture [--host H | --container NAME] [-i IFACE]... [-e] [-c COUNT] [-w FILE] [-r FILE] [FILTER...]",
		Short: "Capture packets on interfaces of a lab host or a container, like tcpdump",
		Long: `Capture packets on one or more interfaces inside a lab host's or a container's network
namespace and print one line per packet in tcpdump's style, merged in time order and
tagged with the interface. The filter is tcpdump's vocabulary (host, net, port, src,
dst, ether host, ip, ip6, arp, tcp, udp, icmp, icmp6, vlan, and, or, not, parentheses)
and runs in the kernel. Stops on Ctrl-C or after COUNT packets, then prints the counts:
packets the kernel dropped because the capture could not keep up are counted, never
dropped silently.

Without --host or --container it captures every interface of host1; a container's
default interface is eth0. --host real is the machine's own network namespace.`,
		Example: `  workbench capture -i br0 -e arp or icmp
  workbench capture -i br0 -i eth0 icmp          # the same ping before and after MASQUERADE
  workbench capture --container web -c 10 -w web.pcap
  workbench capture -r web.pcap tcp port 80`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCapture(cmd, &f, strings.Join(args, " "))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.host, "host", "", "lab host whose interfaces to capture (default host1; real = the machine's own)")
	fs.StringVar(&f.container, "container", "", "container (name or ID) whose interfaces to capture")
	fs.StringArrayVarP(&f.ifaces, "interface", "i", nil, "interface to capture; repeat for several; any = every interface")
	fs.BoolVarP(&f.linkHeaders, "ether", "e", false, "print the MAC addresses and Ethernet type of each frame")
	fs.IntVarP(&f.count, "count", "c", 0, "stop after this many packets")
	fs.IntVarP(&f.snaplen, "snapshot-length", "s", filter.DefaultSnaplen, "bytes kept of each packet")
	fs.StringVarP(&f.write, "write", "w", "", "also write the packets to this pcap file")
	fs.StringVarP(&f.read, "read", "r", "", "read packets from this pcap file instead of capturing")
	fs.BoolVarP(&f.noPromisc, "no-promiscuous-mode", "p", false, "leave the interfaces out of promiscuous mode")
	fs.BoolVar(&f.detail, "detail", false, "print every layer of each packet under its line")
	return cmd
}

func runCapture(cmd *cobra.Command, f *captureFlags, expr string) error {
	if f.count < 0 {
		return fmt.Errorf("-c %d: the count must be a positive number of packets", f.count)
	}
	if f.snaplen < 64 || f.snaplen > filter.DefaultSnaplen {
		return fmt.Errorf("-s %d: the snapshot length must be from 64 to %d bytes", f.snaplen, filter.DefaultSnaplen)
	}
	if f.read != "" {
		if f.host != "" || f.container != "" || len(f.ifaces) > 0 {
			return fmt.Errorf("-r reads a file: it takes no --host, --container or -i")
		}
		return readCapture(cmd, f, expr)
	}
	if f.host != "" && f.container != "" {
		return fmt.Errorf("--host and --container both given: capture in one namespace at a time")
	}
	if err := needRoot(cmd); err != nil {
		return err
	}
	cfg, err := captureConfig(cmd, f)
	if err != nil {
		return err
	}
	cfg.Filter, cfg.LinkHeaders, cfg.NoPromisc, cfg.Snaplen = expr, f.linkHeaders, f.noPromisc, f.snaplen
	var pw *capture.PcapWriter
	if f.write != "" {
		if pw, err = capture.CreatePcap(f.write, f.snaplen); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := capture.Start(ctx, cfg)
	if err != nil {
		if pw != nil {
			pw.Close()
			os.Remove(f.write)
		}
		return err
	}
	ifaces := "every interface"
	if len(cfg.Interfaces) > 0 && cfg.Interfaces[0] != "any" {
		ifaces = strings.Join(cfg.Interfaces, ", ")
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "listening on %s in %s, link-type EN10MB (Ethernet), snapshot length %d bytes\n", ifaces, cfg.Where, f.snaplen)
	out := bufio.NewWriter(cmd.OutOrStdout())
	n, werr := 0, error(nil)
	for p := range c.Packets() {
		if f.count > 0 && n >= f.count {
			continue // stopping: let the capture drain
		}
		n++
		printPacket(out, p, f.detail)
		if pw != nil && werr == nil {
			werr = pw.Write(p)
		}
		if f.count > 0 && n >= f.count || werr != nil {
			c.Stop()
		}
		if len(c.Packets()) == 0 {
			out.Flush()
		}
	}
	out.Flush()
	if pw != nil {
		if err := pw.Close(); werr == nil {
			werr = err
		}
	}
	st := c.Stats()
	fmt.Fprintf(cmd.ErrOrStderr(), "%d packets captured\n%d packets received by filter\n%d packets dropped by kernel\n", n, st.Filtered, st.Dropped)
	if st.Skipped > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "%d packets skipped (not Ethernet frames)\n", st.Skipped)
	}
	if err := c.Err(); err != nil {
		return err
	}
	return werr
}

// captureConfig finds the namespace and interfaces to capture.
func captureConfig(cmd *cobra.Command, f *captureFlags) (capture.Config, error) {
	inst, err := currentInstance()
	if err != nil {
		return capture.Config{}, err
	}
	cfg := capture.Config{Interfaces: f.ifaces}
	if f.container != "" {
		e, err := core.Open(cmd.Context(), inst)
		if err != nil {
			return cfg, err
		}
		defer e.Close()
		ctr, err := e.Lookup(cmd.Context(), f.container)
		if err != nil {
			return cfg, err
		}
		if ctr.State != core.StateRunning || ctr.NetnsPath == "" {
			return cfg, fmt.Errorf("container %s is %s: start it before capturing its packets", ctr.Name, ctr.State)
		}
		cfg.Netns, cfg.Where = ctr.NetnsPath, "container "+ctr.Name
		if len(cfg.Interfaces) == 0 {
			cfg.Interfaces = []string{"eth0"}
		}
		return cfg, nil
	}
	host := f.host
	if host == "" {
		host = network.DefaultHost
	}
	cfg.Where = "host " + host
	if host == network.RealHost {
		cfg.Netns, cfg.Where = nsutil.MachinePath, "the machine's own network namespace"
		return cfg, nil
	}
	if cfg.Netns, err = network.New(inst, cmdlog.Open(inst.CommandLogPath())).HostNetnsPath(host); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// readCapture prints (and with -w copies) the packets of a pcap file.
func readCapture(cmd *cobra.Command, f *captureFlags, expr string) error {
	var pw *capture.PcapWriter
	var err error
	if f.write != "" {
		if pw, err = capture.CreatePcap(f.write, 0); err != nil {
			return err
		}
	}
	out := bufio.NewWriter(cmd.OutOrStdout())
	n, werr := 0, error(nil)
	err = capture.ReadFile(f.read, expr, f.linkHeaders, func(p capture.Packet) bool {
		n++
		printPacket(out, p, f.detail)
		if pw != nil && werr == nil {
			werr = pw.Write(p)
		}
		return werr == nil && (f.count == 0 || n < f.count)
	})
	out.Flush()
	if pw != nil {
		if cerr := pw.Close(); werr == nil {
			werr = cerr
		}
		if err != nil {
			os.Remove(f.write)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%d packets read from %s\n", n, f.read)
	return werr
}

func printPacket(w io.Writer, p capture.Packet, detail bool) {
	io.WriteString(w, p.Line)
	io.WriteString(w, "\n")
	if detail {
		io.WriteString(w, capture.Detail(p.Data))
		io.WriteString(w, "\n")
	}
}
