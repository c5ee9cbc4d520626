package network

import (
	"regexp"

	"workbench/errkind"
)

// maxNameLen keeps every interface name made from a host or network name within
// Linux's 15 characters ("br-" + name, "gre-" + host...).
const maxNameLen = 11

var validName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// CheckHostName says whether name can name a lab host.
func CheckHostName(name string) error {
	if name == RealHost {
		return nil
	}
	if len(name) > maxNameLen || !validName.MatchString(name) {
		return errkind.New(errkind.Invalid, "host name", name, "host name %q is invalid: use 1 to %d lower-case letters and digits, starting with a letter (it names interfaces, which Linux limits to 15 characters)", name, maxNameLen)
	}
	return nil
}

// CheckNetworkName says whether name can name a user network.
func CheckNetworkName(name string) error {
	if len(name) > maxNameLen || !validName.MatchString(name) {
		return errkind.New(errkind.Invalid, "network name", name, "network name %q is invalid: use 1 to %d lower-case letters and digits, starting with a letter (its bridge is br-NAME, and Linux limits interface names to 15 characters)", name, maxNameLen)
	}
	return nil
}
