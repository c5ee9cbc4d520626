package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// exampleAnnotation is the flag annotation that holds a value to suggest when the
// flag is given a bad one ("0.5" for --cpus).
const exampleAnnotation = "workbench/example"

// setExamples records, for each flag named, the value its errors suggest.
func setExamples(fs *pflag.FlagSet, examples map[string]string) {
	for name, ex := range examples {
		_ = fs.SetAnnotation(name, exampleAnnotation, []string{ex})
	}
}

// flagError is the root command's flag error function, so every command has it: it
// turns a flag the parser refused into one line that says what was wrong and what to
// give instead.
func flagError(cmd *cobra.Command, err error) error {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	var unknown *pflag.NotExistError
	var syntax *pflag.InvalidSyntaxError
	switch {
	case errors.As(err, &invalid):
		return invalidValue(invalid.GetFlag(), invalid.GetValue(), invalid.Unwrap())
	case errors.As(err, &missing):
		f := missing.GetFlag()
		return fmt.Errorf("--%s needs a value: %s", f.Name, whatToGive(f))
	case errors.As(err, &unknown):
		name, group := unknown.GetSpecifiedName(), unknown.GetSpecifiedShortnames()
		flag := name
		if group != "" {
			flag = name[:min(len(name), 1)]
		}
		if refused := refusedFlag(cmd, flag, group != ""); refused != nil {
			return refused
		}
		switch {
		case group == "":
			return fmt.Errorf("unknown flag --%s: `%s --help` lists the flags %s takes", name, cmd.CommandPath(), cmd.Name())
		case group != name:
			return fmt.Errorf("unknown flag -%s in -%s: `%s --help` lists the flags %s takes", name[:1], group, cmd.CommandPath(), cmd.Name())
		}
		return fmt.Errorf("unknown flag -%s: `%s --help` lists the flags %s takes", name[:1], cmd.CommandPath(), cmd.Name())
	case errors.As(err, &syntax):
		return fmt.Errorf("%s is not a flag: write --NAME or -N, or put -- before arguments that start with -", syntax.GetSpecifiedFlag())
	}
	return err
}

// invalidValue says what kind of value a flag takes, for a value its type refused.
func invalidValue(f *pflag.Flag, value string, cause error) error {
	name := "--" + f.Name
	if f.Value.Type() == "bool" {
		return fmt.Errorf("%s %q is not true or false: give %s alone to turn it on, or %s=false", name, value, name, name)
	}
	if errors.Is(cause, strconv.ErrRange) {
		size := "large"
		if strings.HasPrefix(strings.TrimSpace(value), "-") {
			size = "small"
		}
		return fmt.Errorf("%s %q is too %s: %s", name, value, size, whatToGive(f))
	}
	kind := "valid"
	switch t := f.Value.Type(); {
	case strings.HasPrefix(t, "float"):
		kind = "a number"
	case strings.HasPrefix(t, "uint"):
		kind = "a whole number of 0 or more"
	case strings.HasPrefix(t, "int"):
		kind = "a whole number"
	case t == "duration":
		kind = "a duration"
	}
	return fmt.Errorf("%s %q is not %s: %s", name, value, kind, whatToGive(f))
}

// whatToGive suggests a value for a flag: its example, else its usage text.
func whatToGive(f *pflag.Flag) string {
	if ex := f.Annotations[exampleAnnotation]; len(ex) > 0 {
		return fmt.Sprintf("give one like --%s %s", f.Name, ex[0])
	}
	return f.Usage
}
