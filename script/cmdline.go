package script

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"workbench/cli/lex"
)

// CommandLine is a workbench command line of a script: the words as written, and the
// $(...) substitutions that fill some of them in when the step runs.
type CommandLine struct {
	// Args are the words; a word with substitutions holds only its literal text.
	Args []string
	// subs are the substitutions of each word, by the word's index.
	subs map[int][]lex.Subst
}

// newCommandLine keeps the words' text and substitutions.
func newCommandLine(words []lex.Word) CommandLine {
	cl := CommandLine{Args: lex.Texts(words)}
	for i, w := range words {
		if len(w.Subs) > 0 {
			if cl.subs == nil {
				cl.subs = map[int][]lex.Subst{}
			}
			cl.subs[i] = w.Subs
		}
	}
	return cl
}

// hasSubs reports whether the line has $(...) to fill in.
func (cl CommandLine) hasSubs() bool { return len(cl.subs) > 0 }

// Expand runs the line's substitutions, in order, and returns the words to run.
func (cl CommandLine) Expand(ctx context.Context, env *Env) ([]string, error) {
	if len(cl.subs) == 0 {
		return cl.Args, nil
	}
	out := append([]string(nil), cl.Args...)
	for i := range out {
		subs := cl.subs[i]
		if len(subs) == 0 {
			continue
		}
		var b strings.Builder
		last := 0
		for _, s := range subs {
			value, err := substitute(ctx, env, s.Args)
			if err != nil {
				return nil, err
			}
			b.WriteString(cl.Args[i][last:s.At])
			b.WriteString(value)
			last = s.At
		}
		b.WriteString(cl.Args[i][last:])
		out[i] = b.String()
	}
	return out, nil
}

// substitute runs one $(...) command line (a leading `workbench` may be written, as
// at a shell) and returns its output without the trailing newlines.
func substitute(ctx context.Context, env *Env, args []string) (string, error) {
	if args[0] == "workbench" {
		args = args[1:]
	}
	var out, errOut bytes.Buffer
	if code := env.Run(ctx, args, strings.NewReader(""), &out, &errOut); code != 0 {
		return "", fmt.Errorf("$(%s) failed with exit status %d: %s", strings.Join(args, " "), code, strings.TrimSpace(errOut.String()+out.String()))
	}
	return strings.TrimRight(out.String(), "\n"), nil
}
