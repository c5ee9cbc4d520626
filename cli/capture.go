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

	"workbench/netviz/capture"
	"workbench/netviz/capture/filter"
)

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
	cmd := leaf{use: "capture [--host H | --container NAME] [-i [PLACE:]IFACE]... [-e] [-c COUNT] [-w FILE] [-r FILE] [FILTER...]",
		short: "Capture packets on interfaces of a lab host or a container, like tcpdump",
		long: `Capture packets on one or more interfaces inside a lab host's or a container's network
namespace and print one line per packet in tcpdump's style, merged in time order and
tagged with the interface. The filter is tcpdump's vocabulary (host, net, port, src,
dst, ether host, ip, ip6, arp, tcp, udp, icmp, icmp6, vlan, and, or, not, parentheses,
relations such as icmp[icmptype] = icmp-echo or arp[6:2] = 1) and runs in the kernel. Stops on Ctrl-C or after COUNT packets, then prints the counts:
packets the kernel dropped because the capture could not keep up are counted, never
dropped silently.

Without --host or --container it captures every interface of host1; a container's
default interface is eth0. --host real is the machine's own network namespace.
-i PLACE:IFACE names an interface of another host or container, so one capture can
follow a packet hop by hop across namespaces; lines are then tagged PLACE:IFACE.`,
		example: `  workbench capture -i br0 -e arp or icmp
  workbench capture -i br0 -i eth0 icmp          # the same ping before and after MASQUERADE
  workbench capture --container web -c 10 -w web.pcap
  workbench capture -r web.pcap tcp port 80
  workbench capture -i web:eth0 -i host1:wb0 -i host1:eth0 -i outside:eth0 icmp`,
		run: func(cmd *cobra.Command, args []string) error {
			return runCapture(cmd, &f, strings.Join(args, " "))
		}}.command()
	fs := cmd.Flags()
	fs.StringVar(&f.host, "host", "", "lab host whose interfaces to capture (default host1; real = the machine's own)")
	fs.StringVar(&f.container, "container", "", "container (name or ID) whose interfaces to capture")
	fs.StringArrayVarP(&f.ifaces, "interface", "i", nil, "interface to capture, or PLACE:IFACE in another host or container; repeat for several; any = every interface")
	fs.BoolVarP(&f.linkHeaders, "ether", "e", false, "print the MAC addresses and Ethernet type of each frame")
	fs.IntVarP(&f.count, "count", "c", 0, "stop after this many packets")
	fs.IntVarP(&f.snaplen, "snapshot-length", "s", filter.DefaultSnaplen, "bytes kept of each packet")
	setExamples(fs, map[string]string{"count": "10", "snapshot-length": "96"})
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
	o, err := newPacketOut(cmd, f, f.snaplen)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := capture.Start(ctx, cfg)
	if err != nil {
		o.close(f.write, true)
		return err
	}
	where := "every interface in " + cfg.Where
	if len(cfg.Targets) > 0 {
		var tags []string
		for _, t := range cfg.Targets {
			tags = append(tags, t.Place+":"+t.Iface)
		}
		where = strings.Join(tags, ", ")
	} else if len(cfg.Interfaces) > 0 && cfg.Interfaces[0] != "any" {
		where = strings.Join(cfg.Interfaces, ", ") + " in " + cfg.Where
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "listening on %s, link-type EN10MB (Ethernet), snapshot length %d bytes\n", where, f.snaplen)
	for p := range c.Packets() {
		if f.count > 0 && o.n >= f.count {
			continue // stopping: let the capture drain
		}
		o.put(p)
		if f.count > 0 && o.n >= f.count || o.werr != nil {
			c.Stop()
		}
		if len(c.Packets()) == 0 {
			o.out.Flush()
		}
	}
	werr := o.close(f.write, false)
	st := c.Stats()
	fmt.Fprintf(cmd.ErrOrStderr(), "%d packets captured\n%d packets received by filter\n%d packets dropped by kernel\n", o.n, st.Filtered, st.Dropped)
	if st.Skipped > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "%d packets skipped (not Ethernet frames)\n", st.Skipped)
	}
	if err := c.Err(); err != nil {
		return err
	}
	return werr
}

// readCapture prints (and with -w copies) the packets of a pcap file.
func readCapture(cmd *cobra.Command, f *captureFlags, expr string) error {
	o, err := newPacketOut(cmd, f, 0)
	if err != nil {
		return err
	}
	err = capture.ReadFile(f.read, expr, f.linkHeaders, func(p capture.Packet) bool {
		o.put(p)
		return o.werr == nil && (f.count == 0 || o.n < f.count)
	})
	werr := o.close(f.write, err != nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%d packets read from %s\n", o.n, f.read)
	return werr
}

// packetOut is where capture puts the packets it captures or reads: printed one a
// line (with --detail, every layer under it) and, with -w, written to a pcap file.
type packetOut struct {
	out    *bufio.Writer
	pcap   *capture.PcapWriter
	detail bool
	// n counts the packets put; werr is the first error writing the pcap file.
	n    int
	werr error
}

// newPacketOut creates the pcap file of -w, keeping snaplen bytes of each packet.
func newPacketOut(cmd *cobra.Command, f *captureFlags, snaplen int) (*packetOut, error) {
	o := &packetOut{out: bufio.NewWriter(cmd.OutOrStdout()), detail: f.detail}
	if f.write != "" {
		var err error
		if o.pcap, err = capture.CreatePcap(f.write, snaplen); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// put prints a packet and writes it to the pcap file.
func (o *packetOut) put(p capture.Packet) {
	o.n++
	printPacket(o.out, p, o.detail)
	if o.pcap != nil && o.werr == nil {
		o.werr = o.pcap.Write(p)
	}
}

// close flushes what was printed and closes the pcap file at path, which is removed
// when failed; it returns the first error writing the file.
func (o *packetOut) close(path string, failed bool) error {
	o.out.Flush()
	if o.pcap != nil {
		if err := o.pcap.Close(); o.werr == nil {
			o.werr = err
		}
		if failed {
			os.Remove(path)
		}
	}
	return o.werr
}

func printPacket(w io.Writer, p capture.Packet, detail bool) {
	io.WriteString(w, p.Line)
	io.WriteString(w, "\n")
	if detail {
		io.WriteString(w, capture.Detail(p.Data))
		io.WriteString(w, "\n")
	}
}
