package network

// LANNetnsPath is the network namespace file of the LAN that joins the lab's hosts,
// "" when the lab is not made yet.
func (m *Manager) LANNetnsPath() string {
	if !exists(m.lanPath()) {
		return ""
	}
	return m.lanPath()
}
