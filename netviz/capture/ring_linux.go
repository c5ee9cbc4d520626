package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// ring is one AF_PACKET socket with a TPACKET_V3 receive ring shared with the kernel,
// bound to one interface (or, with ifindex 0, to every interface) of the network
// namespace it was opened in.
type ring struct {
	fd        int
	mem       []byte
	blockSize int
	blocks    int
	next      int // the block the kernel hands over next
	poll      [1]unix.PollFd
}

// rawPacket is one packet as it sits in the ring: data is only valid inside the
// callback that receives it.
type rawPacket struct {
	data    []byte
	wireLen int
	time    time.Time
	ifindex int
	pkttype uint8
	hatype  uint16
	vlan    uint16 // tag control information the kernel took off the frame
	vlanTag uint16 // its TPID; 0 when the frame had no tag
}

// Offsets in the ring's structures (linux/if_packet.h).
const (
	blockStatusOff = 8  // tpacket_block_desc.hdr.bh1.block_status
	blockNumOff    = 12 // .num_pkts
	blockFirstOff  = 16 // .offset_to_first_pkt
	sllOff         = 48 // TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
	frameSize      = 2048
	blockTimeoutMs = 8 // a partly filled block is handed over after this long
)

// openRing makes the socket in the calling thread's network namespace: the filter is
// attached before the socket is bound, so not one unfiltered packet reaches the ring.
func openRing(ifindex int, prog []bpf.RawInstruction, bufferSize int, promiscuous bool) (r *ring, err error) {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open an AF_PACKET socket: %w", err)
	}
	r = &ring{fd: fd, blockSize: 1 << 20}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	filters := make([]unix.SockFilter, len(prog))
	for i, ins := range prog {
		filters[i] = unix.SockFilter{Code: ins.Op, Jt: ins.Jt, Jf: ins.Jf, K: ins.K}
	}
	fprog := unix.SockFprog{Len: uint16(len(filters)), Filter: &filters[0]}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return nil, fmt.Errorf("attach the BPF filter (SO_ATTACH_FILTER): %w", err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return nil, fmt.Errorf("ask for TPACKET_V3: %w", err)
	}
	for r.blockSize > bufferSize/2 && r.blockSize > 1<<16 {
		r.blockSize /= 2
	}
	r.blocks = max(2, bufferSize/r.blockSize)
	req := unix.TpacketReq3{
		Block_size:     uint32(r.blockSize),
		Block_nr:       uint32(r.blocks),
		Frame_size:     frameSize,
		Frame_nr:       uint32(r.blockSize / frameSize * r.blocks),
		Retire_blk_tov: blockTimeoutMs,
	}
	if err := unix.SetsockoptTpacketReq3(fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req); err != nil {
		return nil, fmt.Errorf("set up the receive ring (%d blocks of %d bytes): %w", r.blocks, r.blockSize, err)
	}
	if r.mem, err = unix.Mmap(fd, 0, r.blockSize*r.blocks, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE); err != nil {
		return nil, fmt.Errorf("map the receive ring: %w", err)
	}
	if promiscuous && ifindex != 0 {
		// Like tcpdump: a bridge passes up the frames it forwards between its ports
		// only when it is promiscuous. The membership ends with the socket.
		mreq := unix.PacketMreq{Ifindex: int32(ifindex), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, &mreq); err != nil {
			return nil, fmt.Errorf("put interface index %d in promiscuous mode: %w", ifindex, err)
		}
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: ifindex}
	if err := unix.Bind(fd, sa); err != nil {
		return nil, fmt.Errorf("bind to interface index %d: %w", ifindex, err)
	}
	return r, nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// status is a block's status word, shared with the kernel.
func (r *ring) status(block int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[block*r.blockSize+blockStatusOff]))
}

// wait waits up to timeout for the kernel to hand over the next block.
func (r *ring) wait(timeout time.Duration) (bool, error) {
	if atomic.LoadUint32(r.status(r.next))&unix.TP_STATUS_USER != 0 {
		return true, nil
	}
	r.poll[0] = unix.PollFd{Fd: int32(r.fd), Events: unix.POLLIN | unix.POLLERR}
	if _, err := unix.Poll(r.poll[:], int(timeout/time.Millisecond)); err != nil && !errors.Is(err, unix.EINTR) {
		return false, fmt.Errorf("wait for packets: %w", err)
	}
	if r.poll[0].Revents&unix.POLLERR != 0 {
		// The kernel reports ENETDOWN when the interface goes down or away.
		if errno, err := unix.GetsockoptInt(r.fd, unix.SOL_SOCKET, unix.SO_ERROR); err == nil && errno != 0 {
			return false, errDown{unix.Errno(errno)}
		}
	}
	return atomic.LoadUint32(r.status(r.next))&unix.TP_STATUS_USER != 0, nil
}

// drain hands every packet of the ready block to fn, then gives the block back.
func (r *ring) drain(fn func(p *rawPacket)) {
	base := r.next * r.blockSize
	block := r.mem[base : base+r.blockSize]
	n := int(binary.NativeEndian.Uint32(block[blockNumOff:]))
	off := int(binary.NativeEndian.Uint32(block[blockFirstOff:]))
	var p rawPacket
	for i := 0; i < n && off > 0 && off < len(block); i++ {
		h := (*unix.Tpacket3Hdr)(unsafe.Pointer(&block[off]))
		sll := (*unix.RawSockaddrLinklayer)(unsafe.Pointer(&block[off+sllOff]))
		start := off + int(h.Mac)
		end := min(start+int(h.Snaplen), len(block))
		p = rawPacket{
			data:    block[start:end],
			wireLen: int(h.Len),
			time:    time.Unix(int64(h.Sec), int64(h.Nsec)),
			ifindex: int(sll.Ifindex),
			pkttype: sll.Pkttype,
			hatype:  sll.Hatype,
		}
		if h.Status&unix.TP_STATUS_VLAN_VALID != 0 {
			p.vlan, p.vlanTag = uint16(h.Hv1.Vlan_tci), 0x8100
			if h.Status&unix.TP_STATUS_VLAN_TPID_VALID != 0 {
				p.vlanTag = h.Hv1.Vlan_tpid
			}
		}
		fn(&p)
		if h.Next_offset == 0 {
			break
		}
		off += int(h.Next_offset)
	}
	atomic.StoreUint32(r.status(r.next), unix.TP_STATUS_KERNEL)
	r.next = (r.next + 1) % r.blocks
}

// stats returns the packets the kernel passed the filter and the ones it dropped for
// want of room in the ring since the last call (reading resets the kernel's counters).
func (r *ring) stats() (packets, drops uint64, err error) {
	st, err := unix.GetsockoptTpacketStatsV3(r.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
	if err != nil {
		return 0, 0, fmt.Errorf("read the socket's statistics: %w", err)
	}
	return uint64(st.Packets), uint64(st.Drops), nil
}

func (r *ring) close() {
	if r.mem != nil {
		_ = unix.Munmap(r.mem)
		r.mem = nil
	}
	if r.fd >= 0 {
		_ = unix.Close(r.fd)
		r.fd = -1
	}
}

// idle reports whether the kernel has handed over no block that is still unread.
func (r *ring) idle() bool {
	return atomic.LoadUint32(r.status(r.next))&unix.TP_STATUS_USER == 0
}

// errDown is the socket error the kernel reports when the interface goes down or away.
type errDown struct{ errno unix.Errno }

func (e errDown) Error() string { return e.errno.Error() }
