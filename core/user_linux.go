package core

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// user is who a container's process runs as, in the container's own IDs.
type user struct {
	uid, gid uint32
	groups   []uint32
}

// maxAccountFile bounds what is read of a container's /etc/passwd and /etc/group.
const maxAccountFile = 4 << 20

// lookupUser turns a Docker --user value ("", "name", "uid", "uid:gid",
// "name:group") into IDs as runc does: the name or number from the container's
// /etc/passwd (read inside root), the user's primary group unless one is given (group
// 0 for a number the file does not list), and the supplementary groups /etc/group
// lists the user in. "" is root.
func lookupUser(root *os.File, spec string) (user, error) {
	if spec == "" {
		spec = "0"
	}
	userPart, groupPart, hasGroup := strings.Cut(spec, ":")
	passwd, err := readAccounts(root, "/etc/passwd")
	if err != nil {
		return user{}, err
	}
	var u user
	name := ""
	if e, ok := findAccount(passwd, userPart); ok {
		u.uid, u.gid, name = e.id, e.gid, e.name
	} else if n, err := parseID(userPart); err == nil {
		u.uid = n // and group 0, as Docker gives a number /etc/passwd does not list
	} else {
		return user{}, fmt.Errorf("unable to find user %s: no matching entries in /etc/passwd", userPart)
	}
	groups, err := readAccounts(root, "/etc/group")
	if err != nil {
		return user{}, err
	}
	if hasGroup {
		if e, ok := findAccount(groups, groupPart); ok {
			u.gid = e.id
		} else if n, err := parseID(groupPart); err == nil {
			u.gid = n
		} else {
			return user{}, fmt.Errorf("unable to find group %s: no matching entries in /etc/group", groupPart)
		}
		return u, nil
	}
	if name != "" {
		for _, g := range groups {
			if g.id != u.gid && g.hasMember(name) {
				u.groups = append(u.groups, g.id)
			}
		}
	}
	return u, nil
}

// account is one line of /etc/passwd or /etc/group.
type account struct {
	name    string
	id, gid uint32
	members []string
}

func (a account) hasMember(name string) bool {
	for _, m := range a.members {
		if m == name {
			return true
		}
	}
	return false
}

// readAccounts reads a passwd- or group-style file of the container; a missing file
// has no entries.
func readAccounts(root *os.File, name string) ([]account, error) {
	b, err := readFileInRoot(root, name, maxAccountFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the container's %s: %w", name, err)
	}
	return parseAccounts(string(b), name == "/etc/passwd"), nil
}

// parseAccounts reads passwd lines (name:x:uid:gid:...) or group lines
// (name:x:gid:member,member); malformed lines are skipped, as libc skips them.
func parseAccounts(text string, passwd bool) []account {
	var out []account
	for _, line := range strings.Split(text, "\n") {
		f := strings.Split(line, ":")
		if len(f) < 3 || f[0] == "" || strings.HasPrefix(f[0], "#") {
			continue
		}
		id, err := parseID(f[2])
		if err != nil {
			continue
		}
		a := account{name: f[0], id: id, gid: id}
		if passwd && len(f) > 3 {
			if g, err := parseID(f[3]); err == nil {
				a.gid = g
			}
		}
		if !passwd && len(f) > 3 && f[3] != "" {
			a.members = strings.Split(f[3], ",")
		}
		out = append(out, a)
	}
	return out
}

// findAccount finds an entry by name, or by number when s is one.
func findAccount(list []account, s string) (account, bool) {
	for _, a := range list {
		if a.name == s {
			return a, true
		}
	}
	if n, err := parseID(s); err == nil {
		for _, a := range list {
			if a.id == n {
				return a, true
			}
		}
	}
	return account{}, false
}

// parseID reads a user or group number.
func parseID(s string) (uint32, error) {
	n, err := strconv.ParseUint(s, 10, 31)
	return uint32(n), err
}
