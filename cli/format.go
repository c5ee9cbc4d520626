package cli

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"
	"text/template"

	"github.com/docker/cli/templates"
)

// listFormat is a --format value of a listing, read as Docker reads it: "table ..."
// prints a header row and aligns the columns, "json" prints each item as one JSON
// object a line, anything else is a Go template printed once per item.
type listFormat struct {
	tmpl  *template.Template
	table bool
}

// parseListFormat parses a --format value with Docker's template functions (json,
// join, split, upper, lower, title, pad, truncate); \t and \n written out in the
// value stand for a tab and a newline, as in Docker.
func parseListFormat(format string) (*listFormat, error) {
	f := &listFormat{}
	text := format
	switch {
	case strings.HasPrefix(format, "table"):
		f.table, text = true, format[len("table"):]
	case format == "json":
		text = "{{json .}}"
	}
	text = strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(strings.Trim(text, " "))
	tmpl, err := templates.Parse(text)
	if err != nil {
		return nil, templateError(format, err)
	}
	f.tmpl = tmpl
	return f, nil
}

// write prints the items through the template, one line each; a table gets the
// header first (the template run on header, whose fields hold the column names) and
// columns aligned as Docker aligns them.
func (f *listFormat) write(w io.Writer, header any, items []any) error {
	var rows bytes.Buffer
	for _, it := range items {
		if err := f.tmpl.Execute(&rows, it); err != nil {
			return templateError("", err)
		}
		rows.WriteByte('\n')
	}
	if !f.table {
		_, err := rows.WriteTo(w)
		return err
	}
	tw := tabwriter.NewWriter(w, 10, 1, 3, ' ', 0)
	if err := f.tmpl.Funcs(templates.HeaderFunctions).Execute(tw, header); err != nil {
		return templateError("", err)
	}
	fmt.Fprintln(tw)
	if _, err := rows.WriteTo(tw); err != nil {
		return err
	}
	return tw.Flush()
}

// goTypeName is the Go type an execution error names ("in type cli.psRow"), which says
// nothing to a person.
var goTypeName = regexp.MustCompile(` in type [\w.*\[\]]+`)

// templateError says in one line that a --format template is wrong and how the
// fields are written.
func templateError(format string, err error) error {
	msg := goTypeName.ReplaceAllString(strings.TrimPrefix(err.Error(), "template: "), "")
	if format != "" {
		return fmt.Errorf("--format %q: %s: write fields as {{.Name}}, e.g. --format '{{.ID}} {{.Status}}'", format, oneLine(msg))
	}
	return fmt.Errorf("--format: %s: the command's --help lists its fields", oneLine(msg))
}

// headerNames are the column names of a table, by field, as Docker names them; a
// field not listed is headed by nothing, as in Docker.
type headerNames map[string]string

// Label heads the column of {{.Label "com.example.key"}}: the last part of the key,
// with - and _ as spaces, as Docker heads it.
func (h headerNames) Label(name string) string {
	parts := strings.Split(name, ".")
	return strings.NewReplacer("-", " ", "_", " ").Replace(parts[len(parts)-1])
}
