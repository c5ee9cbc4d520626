package images

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"

	"workbench/cmdlog"
)

// BusyboxPath is the static busybox the built-in image is made from.
const BusyboxPath = "/bin/busybox"

// builtinRef is the index key of the built-in image.
const builtinRef = "busybox:latest"

// DefaultPath is the PATH of the built-in image.
const DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// makeBusybox adds the built-in busybox image: one layer holding the machine's static
// busybox with every applet a symlink to it, the files a container's bind mounts need,
// and a config that starts sh.
func (s *Store) makeBusybox() (*record, error) {
	layer, mtime, err := busyboxLayer()
	if err != nil {
		return nil, err
	}
	info, err := s.addLayer(bytes.NewReader(layer), digestOf(layer), func(dir string) {
		s.log.AddArgs("mkdir", "-p", dir+"/bin", dir+"/etc", dir+"/proc", dir+"/sys", dir+"/dev", dir+"/tmp", dir+"/root")
		s.log.AddArgs("cp", BusyboxPath, dir+"/bin/busybox")
		s.log.Add("for a in $(busybox --list-full); do ln -s /bin/busybox " + cmdlog.Quote(dir) + "/$a; done")
	})
	if err != nil {
		return nil, fmt.Errorf("make the built-in busybox image: %w", err)
	}
	created := mtime.UTC()
	createdBy := "workbench: " + BusyboxPath + " with every applet linked to it"
	cfg := map[string]any{
		"created":      created,
		"architecture": runtime.GOARCH,
		"os":           "linux",
		"config":       map[string]any{"Cmd": []string{"sh"}, "Env": []string{DefaultPath}},
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{info.DiffID}},
		"history":      []map[string]any{{"created": created, "created_by": createdBy}},
	}
	raw, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	rec := &record{
		Config:       Config{Cmd: []string{"sh"}, Env: []string{DefaultPath}},
		Layers:       []LayerInfo{info},
		History:      []HistoryEntry{{Created: created, CreatedBy: createdBy}},
		Created:      created,
		OS:           "linux",
		Architecture: runtime.GOARCH,
	}
	if err := s.putImage(raw, rec, []string{builtinRef}); err != nil {
		return nil, err
	}
	return rec, nil
}

// busyboxLayer builds the built-in layer's tar in memory. It is deterministic for a
// given busybox binary, so the layer's digest names that binary.
func busyboxLayer() ([]byte, time.Time, error) {
	bin, err := os.ReadFile(BusyboxPath)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("read %s for the built-in busybox image: %w (install busybox-static: scripts/deps.sh)", BusyboxPath, err)
	}
	st, err := os.Stat(BusyboxPath)
	if err != nil {
		return nil, time.Time{}, err
	}
	out, err := exec.Command(BusyboxPath, "--list-full").Output()
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("list the applets of %s: %w", BusyboxPath, err)
	}
	mtime := st.ModTime().Truncate(time.Second)
	dirs := map[string]int64{
		"bin": 0o755, "sbin": 0o755, "usr": 0o755, "usr/bin": 0o755, "usr/sbin": 0o755,
		"etc": 0o755, "proc": 0o555, "sys": 0o555, "dev": 0o755, "tmp": 0o1777,
		"root": 0o700, "home": 0o755, "var": 0o755, "var/tmp": 0o1777, "run": 0o755,
	}
	files := map[string]string{
		"etc/passwd":      "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n",
		"etc/group":       "root:x:0:\nnobody:x:65534:\n",
		"etc/hostname":    "",
		"etc/hosts":       "",
		"etc/resolv.conf": "",
	}
	var applets []string
	for _, line := range strings.Fields(string(out)) {
		if line != "bin/busybox" && !strings.Contains(line, "..") {
			applets = append(applets, strings.TrimPrefix(line, "/"))
		}
	}
	sort.Strings(applets)

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	var dirNames []string
	for d := range dirs {
		dirNames = append(dirNames, d)
	}
	sort.Strings(dirNames)
	for _, d := range dirNames {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: dirs[d], ModTime: mtime, Format: tar.FormatPAX}); err != nil {
			return nil, time.Time{}, err
		}
	}
	write := func(name string, mode int64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: mtime, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	if err := write("bin/busybox", 0o755, bin); err != nil {
		return nil, time.Time{}, err
	}
	var fileNames []string
	for f := range files {
		fileNames = append(fileNames, f)
	}
	sort.Strings(fileNames)
	for _, f := range fileNames {
		if err := write(f, 0o644, []byte(files[f])); err != nil {
			return nil, time.Time{}, err
		}
	}
	for _, a := range applets {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: a, Linkname: "/bin/busybox", Mode: 0o777, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
			return nil, time.Time{}, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, time.Time{}, err
	}
	return buf.Bytes(), mtime, nil
}
