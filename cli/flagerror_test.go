package cli

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"workbench/testutil"
)

// goInternals are words of the parser's own errors that a person must never see.
var goInternals = []string{"strconv", "parsing", "invalid argument", "invalid syntax", "flag needs", "shorthand", "Usage:"}

func checkOneLine(t *testing.T, what, msg, want string) {
	t.Helper()
	if msg != want+"\n" {
		t.Errorf("%s: stderr %q\nwant %q", what, msg, want+"\n")
	}
	for _, w := range goInternals {
		if strings.Contains(msg, w) {
			t.Errorf("%s: stderr shows %q: %q", what, w, msg)
		}
	}
}

func TestFlagErrorsAreOneLine(t *testing.T) {
	testutil.NewInstance(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--cpus", "lots", "busybox"}, `--cpus "lots" is not a number: give one like --cpus 0.5`},
		{[]string{"update", "--cpus", "lots", "web"}, `--cpus "lots" is not a number: give one like --cpus 0.5`},
		{[]string{"run", "--bogus", "x", "busybox"}, "unknown flag --bogus: `workbench run --help` lists the flags run takes"},
		{[]string{"ps", "-z"}, "unknown flag -z: `workbench ps --help` lists the flags ps takes"},
		{[]string{"ps", "-za"}, "unknown flag -z in -za: `workbench ps --help` lists the flags ps takes"},
		{[]string{"network", "create", "--bogus=1", "n"}, "unknown flag --bogus: `workbench network create --help` lists the flags create takes"},
		{[]string{"ps", "---x"}, "---x is not a flag: write --NAME or -N, or put -- before arguments that start with -"},
		{[]string{"run", "--memory"}, "--memory needs a value: give one like --memory 64m"},
		{[]string{"stop", "-t"}, "--time needs a value: give one like --time 10"},
		{[]string{"run", "--name"}, "--name needs a value: name the container (default: a random adjective_noun)"},
		{[]string{"run", "--rm=maybe", "busybox"}, `--rm "maybe" is not true or false: give --rm alone to turn it on, or --rm=false`},
		{[]string{"run", "-c", "-5", "busybox"}, `--cpu-shares "-5" is not a whole number of 0 or more: give one like --cpu-shares 512`},
		{[]string{"run", "--cpu-period", "1.5", "busybox"}, `--cpu-period "1.5" is not a whole number of 0 or more: give one like --cpu-period 100000`},
		{[]string{"run", "--pids-limit", "99999999999999999999", "busybox"}, `--pids-limit "99999999999999999999" is too large: give one like --pids-limit 100`},
		{[]string{"run", "--cpu-quota", "-99999999999999999999", "busybox"}, `--cpu-quota "-99999999999999999999" is too small: give one like --cpu-quota 50000`},
		{[]string{"run", "--cpus", "1e400", "busybox"}, `--cpus "1e400" is too large: give one like --cpus 0.5`},
		{[]string{"capture", "-c", "lots"}, `--count "lots" is not a whole number: give one like --count 10`},
		{[]string{"iptables", "--rate", "fast"}, `--rate "fast" is not a duration: give one like --rate 2s`},
		{[]string{"topology", "--width", "wide"}, `--width "wide" is not a whole number: give one like --width 120`},
	} {
		var out, errb bytes.Buffer
		code := Run(context.Background(), c.args, strings.NewReader(""), &out, &errb)
		if want := failStatus(c.args); code != want || out.Len() != 0 {
			t.Errorf("%v: status %d, stdout %q; want %d and nothing", c.args, code, out.String(), want)
		}
		checkOneLine(t, strings.Join(c.args, " "), errb.String(), "workbench: "+c.want)
	}
}

// failStatus is the status a refused command line ends with: 125 for run and create,
// which could not make the container, as Docker's; 1 for the others.
func failStatus(args []string) int {
	if args[0] == "container" {
		args = args[1:]
	}
	if args[0] == "run" || args[0] == "create" {
		return 125
	}
	return 1
}

// TestFlagErrorsFromTheBinary runs the built binary: the one line is all it prints.
func TestFlagErrorsFromTheBinary(t *testing.T) {
	testutil.NewInstance(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--bogus", "x", "busybox"}, "unknown flag --bogus: `workbench run --help` lists the flags run takes"},
		{[]string{"ps", "-z"}, "unknown flag -z: `workbench ps --help` lists the flags ps takes"},
		{[]string{"run", "--cpus", "lots", "busybox", "true"}, `--cpus "lots" is not a number: give one like --cpus 0.5`},
	} {
		out, code := testutil.Output(t, c.args...)
		if want := failStatus(c.args); code != want {
			t.Errorf("%v: status %d, want %d", c.args, code, want)
		}
		checkOneLine(t, strings.Join(c.args, " "), out, "workbench: "+c.want)
	}
}

// valueFlag is a flag that takes a typed value (a number, a duration) and the command
// that has it.
type valueFlag struct {
	path []string
	flag *pflag.Flag
}

// valueFlags lists every flag of every command whose value the parser converts.
func valueFlags() []valueFlag {
	var out []valueFlag
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			switch f.Value.Type() {
			case "bool", "string", "stringArray", "stringSlice":
				return
			}
			out = append(out, valueFlag{path: path, flag: f})
		})
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string(nil), path...), sub.Name()))
		}
	}
	walk(NewRoot(), nil)
	return out
}

func TestEveryValueFlagHasAnExample(t *testing.T) {
	flags := valueFlags()
	if len(flags) < 10 {
		t.Fatalf("found %d flags with typed values, want the limit, capture, stop and view flags", len(flags))
	}
	for _, vf := range flags {
		if len(vf.flag.Annotations[exampleAnnotation]) == 0 {
			t.Errorf("workbench %s --%s (%s) has no example for its errors: add it with setExamples", strings.Join(vf.path, " "), vf.flag.Name, vf.flag.Value.Type())
		}
	}
}

// FuzzFlagValue gives every typed flag of every command arbitrary values: a value the
// parser refuses gets one line that names the flag and shows no parser internals.
func FuzzFlagValue(f *testing.F) {
	for _, s := range []string{"lots", "-5", "1e400", "NaN", "0x10", "1_000", "", "99999999999999999999", "2s", "1.5", " 7", "-", "--", "=", "\n", "\x00"} {
		f.Add(uint8(0), s)
		f.Add(uint8(3), s)
	}
	flags := valueFlags()
	f.Fuzz(func(t *testing.T, which uint8, value string) {
		vf := flags[int(which)%len(flags)]
		cmd, _, err := NewRoot().Find(vf.path)
		if err != nil {
			t.Fatal(err)
		}
		err = cmd.ParseFlags([]string{"--" + vf.flag.Name + "=" + value})
		if err == nil {
			return
		}
		msg := flagError(cmd, err).Error()
		if !strings.HasPrefix(msg, "--"+vf.flag.Name+" ") || strings.Contains(msg, "\n") {
			t.Fatalf("--%s=%q: %q is not one line that starts with the flag", vf.flag.Name, value, msg)
		}
		rest := strings.Replace(msg, strconv.Quote(value), "", 1)
		for _, w := range goInternals {
			if strings.Contains(rest, w) {
				t.Fatalf("--%s=%q: %q shows %q", vf.flag.Name, value, msg, w)
			}
		}
	})
}
