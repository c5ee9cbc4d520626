package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Detail returns every layer of an Ethernet frame, field by field, with a hex dump of
// each layer's bytes, in gopacket's LayerDump style: the detail view of one packet.
func Detail(data []byte) string {
	return gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default).Dump()
}
