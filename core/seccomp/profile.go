package seccomp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	profiles "github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// check reads a profile in Docker's JSON format more strictly than Docker does, so
// that a mistake is reported rather than ignored: unknown fields, a missing default
// action, flags or an agent the filter cannot honour, and bad actions, operators and
// argument indexes in every rule, including rules the capabilities leave out.
func check(profile []byte) error {
	var p profiles.Seccomp
	dec := json.NewDecoder(bytes.NewReader(profile))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return jsonError(profile, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(profile, dec.InputOffset())
		return fmt.Errorf("line %d, column %d: more after the end of the profile: a profile is one JSON object", line, col)
	}
	if p.DefaultAction == "" {
		return errors.New(`no "defaultAction": give one, e.g. "defaultAction": "SCMP_ACT_ERRNO" (for no filter at all, use seccomp=unconfined)`)
	}
	if len(p.Flags) > 0 {
		return fmt.Errorf(`"flags" %v: the workbench installs the filter without flags; remove "flags"`, p.Flags)
	}
	if p.ListenerPath != "" {
		return fmt.Errorf(`"listenerPath" %q: the workbench runs no seccomp agent; remove it`, p.ListenerPath)
	}
	arches := slices.Clone(p.Architectures)
	for _, m := range p.ArchMap {
		arches = append(append(arches, m.Arch), m.SubArches...)
	}
	for _, arch := range arches {
		if !slices.Contains(knownArches(), arch) {
			return fmt.Errorf("unknown architecture %q: use the SCMP_ARCH_ names of libseccomp, e.g. %s", arch, specs.ArchX86_64)
		}
	}
	defaultErrno := uint(unix.EPERM)
	if p.DefaultErrnoRet != nil {
		defaultErrno = *p.DefaultErrnoRet
	}
	if _, err := retOf(p.DefaultAction, nil, defaultErrno, "the default action"); err != nil {
		return err
	}
	for _, sc := range p.Syscalls {
		if sc == nil {
			return errors.New(`a rule is null: give each rule "names" and "action"`)
		}
		names := sc.Names
		//lint:ignore SA1019 Docker still reads the old "name" of a rule, and so does Load.
		if old := sc.Name; old != "" {
			names = append(slices.Clone(names), old)
		}
		if len(names) == 0 {
			return fmt.Errorf(`a rule with action %q has no "names": list the syscalls it is for`, sc.Action)
		}
		rule := sc.LinuxSyscall
		rule.Names = names
		if _, err := ruleOf(rule, defaultErrno); err != nil {
			return err
		}
	}
	return nil
}

// knownArches are the architecture names a profile may list.
func knownArches() []specs.Arch {
	return []specs.Arch{
		specs.ArchX86, specs.ArchX86_64, specs.ArchX32, specs.ArchARM, specs.ArchAARCH64,
		specs.ArchMIPS, specs.ArchMIPS64, specs.ArchMIPS64N32, specs.ArchMIPSEL,
		specs.ArchMIPSEL64, specs.ArchMIPSEL64N32, specs.ArchPPC, specs.ArchPPC64,
		specs.ArchPPC64LE, specs.ArchS390, specs.ArchS390X, specs.ArchPARISC,
		specs.ArchPARISC64, specs.ArchRISCV64, specs.ArchLOONGARCH64, specs.ArchM68K,
		specs.ArchSH, specs.ArchSHEB,
	}
}

// jsonError turns an error of the JSON decoder into one line with the place of the
// mistake.
func jsonError(profile []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// The offset is that of the byte after the bad one.
		line, col := position(profile, syntax.Offset-1)
		return fmt.Errorf("line %d, column %d: %v: fix the JSON", line, col, syntax)
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Errorf("the profile is a JSON %s: it is one JSON object, {\"defaultAction\": ..., \"syscalls\": [...]}", typ.Value)
	case errors.As(err, &typ):
		// The offset is that of the end of the value.
		line, col := position(profile, valueStart(profile, typ.Offset))
		return fmt.Errorf("line %d, column %d: %q is a JSON %s, where the profile wants a %s", line, col, fieldPath(typ.Field), typ.Value, typ.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the profile ends early: it is one JSON object, {\"defaultAction\": ..., \"syscalls\": [...]}")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if field, ok := strings.CutPrefix(msg, "unknown field "); ok {
		where := ""
		if name, err := strconv.Unquote(field); err == nil {
			if i := bytes.Index(profile, []byte(strconv.Quote(name))); i >= 0 {
				line, col := position(profile, int64(i))
				where = fmt.Sprintf("line %d, column %d: ", line, col)
			}
		}
		return fmt.Errorf("%sunknown field %s: Docker's format has defaultAction, defaultErrnoRet, architectures, archMap, syscalls; a rule has names, action, errnoRet, args, comment, includes, excludes; an argument has index, value, valueTwo, op", where, field)
	}
	return errors.New(msg)
}

// position returns the line and column, counted from 1, of a byte offset.
func position(text []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(text)))
	before := text[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// valueStart returns the offset of the start of the JSON value that ends at end: after
// the colon, comma or bracket before it, and the spaces after that.
func valueStart(text []byte, end int64) int64 {
	end = min(max(end, 0), int64(len(text)))
	start := int64(bytes.LastIndexAny(text[:end], ":,[")) + 1
	for start < end && strings.ContainsRune(" \t\r\n", rune(text[start])) {
		start++
	}
	return start
}

// fieldPath is the JSON path of a field, without the Go names of embedded structs
// that encoding/json puts in it ("syscalls.LinuxSyscall.args.index").
func fieldPath(path string) string {
	parts := strings.Split(path, ".")
	parts = slices.DeleteFunc(parts, func(p string) bool { return p != "" && p[0] >= 'A' && p[0] <= 'Z' })
	return strings.Join(parts, ".")
}
