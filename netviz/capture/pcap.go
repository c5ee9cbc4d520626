package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/net/bpf"

	"workbench/netviz/capture/filter"
)

// PcapWriter writes packets to a pcap file (link type Ethernet, microsecond times)
// that tcpdump and Wireshark read.
type PcapWriter struct {
	f   *os.File
	buf *bufio.Writer
	w   *pcapgo.Writer
}

// CreatePcap creates (or truncates) the file at path and writes the pcap header.
func CreatePcap(path string, snaplen int) (*PcapWriter, error) {
	if snaplen <= 0 {
		snaplen = filter.DefaultSnaplen
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cannot write the capture to %s: %w", path, errors.Unwrap(err))
	}
	pw := &PcapWriter{f: f, buf: bufio.NewWriterSize(f, 1<<16)}
	pw.w = pcapgo.NewWriter(pw.buf)
	if err := pw.w.WriteFileHeader(uint32(snaplen), layers.LinkTypeEthernet); err != nil {
		f.Close()
		return nil, fmt.Errorf("write the pcap header to %s: %w", path, err)
	}
	return pw, nil
}

// Write appends one packet.
func (pw *PcapWriter) Write(p Packet) error {
	ci := gopacket.CaptureInfo{Timestamp: p.Time, CaptureLength: len(p.Data), Length: max(p.Length, len(p.Data))}
	if err := pw.w.WritePacket(ci, p.Data); err != nil {
		return fmt.Errorf("write to %s: %w", pw.f.Name(), err)
	}
	return nil
}

// Close flushes and closes the file.
func (pw *PcapWriter) Close() error {
	err := pw.buf.Flush()
	if cerr := pw.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("finish %s: %w", pw.f.Name(), err)
	}
	return nil
}

// SaveFile writes packets to a new pcap file at path.
func SaveFile(path string, pkts []Packet) error {
	pw, err := CreatePcap(path, 0)
	if err != nil {
		return err
	}
	for _, p := range pkts {
		if err := pw.Write(p); err != nil {
			pw.Close()
			return err
		}
	}
	return pw.Close()
}

// ReadFile reads a pcap or pcapng file of Ethernet frames, keeps those the filter
// expression matches, and hands each to fn with its line; fn returning false stops.
func ReadFile(path, expr string, linkHeaders bool, fn func(Packet) bool) error {
	var match *bpf.VM
	if expr != "" {
		prog, err := filter.Compile(expr, filter.DefaultSnaplen)
		if err != nil {
			return err
		}
		if match, err = bpf.NewVM(prog); err != nil {
			return fmt.Errorf("filter %q cannot run on a file (it needs the kernel's packet metadata, e.g. vlan): capture live instead", expr)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	defer f.Close()
	src, err := openPcap(f)
	if err != nil {
		return fmt.Errorf("%s is not a pcap or pcapng file: %w", path, err)
	}
	dec := NewDecoder(linkHeaders)
	var line []byte
	for {
		data, ci, err := src.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		if match != nil {
			if n, err := match.Run(data); err != nil || n == 0 {
				continue
			}
		}
		p := Packet{Time: ci.Timestamp, Length: ci.Length, Data: data}
		line = dec.AppendLine(line[:0], &p)
		p.Line = string(line)
		if !fn(p) {
			return nil
		}
	}
}

// openPcap recognises a pcap or a pcapng file of Ethernet frames.
func openPcap(f *os.File) (gopacket.PacketDataSource, error) {
	r, err := pcapgo.NewReader(f)
	if err == nil {
		if r.LinkType() != layers.LinkTypeEthernet {
			return nil, fmt.Errorf("its link type is %v; only Ethernet captures can be read", r.LinkType())
		}
		return r, nil
	}
	if _, serr := f.Seek(0, io.SeekStart); serr != nil {
		return nil, serr
	}
	ng, ngErr := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if ngErr != nil {
		return nil, err
	}
	if ng.LinkType() != layers.LinkTypeEthernet {
		return nil, fmt.Errorf("its link type is %v; only Ethernet captures can be read", ng.LinkType())
	}
	return ng, nil
}
