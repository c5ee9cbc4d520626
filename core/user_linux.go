package core

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// lookupUser turns a Docker --user value ("", "name", "uid", "uid:gid", "name:group")
// into credentials, reading the container's /etc/passwd and /etc/group. "" is root and
// needs no change.
func lookupUser(spec string) (*syscall.Credential, error) {
	if spec == "" || spec == "root" || spec == "0" {
		return nil, nil
	}
	userPart, groupPart, hasGroup := strings.Cut(spec, ":")
	uid, gid, err := findID("/etc/passwd", userPart, true)
	if err != nil {
		return nil, err
	}
	if hasGroup {
		if gid, _, err = findID("/etc/group", groupPart, false); err != nil {
			return nil, err
		}
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
}

// findID resolves a name or number against a passwd- or group-style file. For passwd
// it also returns the user's primary group.
func findID(file, name string, passwd bool) (id, gid int, err error) {
	if n, err := strconv.ParseUint(name, 10, 31); err == nil {
		id, gid = int(n), int(n)
	}
	f, ferr := os.Open(file)
	if ferr == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Split(sc.Text(), ":")
			if len(fields) < 3 || (fields[0] != name && fields[2] != name) {
				continue
			}
			id, _ = strconv.Atoi(fields[2])
			gid = id
			if passwd && len(fields) > 3 {
				gid, _ = strconv.Atoi(fields[3])
			}
			return id, gid, nil
		}
	}
	if _, err := strconv.ParseUint(name, 10, 31); err == nil {
		return id, gid, nil
	}
	return 0, 0, fmt.Errorf("unable to find user %s: no matching entries in %s", name, file)
}
