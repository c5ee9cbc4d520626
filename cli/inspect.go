package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/docker/cli/templates"
	"github.com/spf13/cobra"

	"workbench/core"
	"workbench/images"
)

func newInspectCmd() *cobra.Command {
	var format string
	cmd := leaf{use: "inspect [-f TEMPLATE] CONTAINER...",
		short: "Show containers as docker inspect does, with namespaces next to the machine's, cgroup and capabilities",
		long: `inspect prints Docker's document of each container (Id, State, Config, HostConfig,
NetworkSettings, Mounts, GraphDriver...) followed by the workbench's own sections: Namespaces
(each next to the machine's), Cgroup (with the limits in force), Capabilities, and Workbench
(the lab host, the state directory, each interface with its veth on the host's bridge).
-f prints each through a Go template with Docker's functions (json, join, split, upper, lower,
title, index, println...), e.g. '{{.State.Pid}}' or '{{json .NetworkSettings.Networks}}'.`,
		example: `  workbench inspect -f '{{.State.Pid}}' web
  workbench inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' web
  workbench inspect -f '{{.Cgroup.Path}}' web`,
		args: cobra.MinimumNArgs(1),
		run: func(cmd *cobra.Command, args []string) error {
			var tmpl *template.Template
			if format != "" {
				var err error
				if tmpl, err = templates.Parse(format); err != nil {
					return templateError(format, err)
				}
			}
			views, allFound, err := inspectContainers(cmd, args)
			if err != nil {
				return err
			}
			if tmpl != nil {
				for _, v := range views {
					if err := printInspectFormat(cmd.OutOrStdout(), tmpl, v); err != nil {
						return err
					}
				}
			} else if err := printInspectJSON(cmd.OutOrStdout(), views); err != nil {
				return err
			}
			if !allFound {
				return ExitStatus{Code: 1}
			}
			return nil
		}}.command()
	cmd.Flags().StringVarP(&format, "format", "f", "", "print each container through a Go template, e.g. '{{.State.Pid}}'")
	return cmd
}

// inspectContainers builds the document of each named container. A name that names
// none is reported on stderr and the others are still shown, as Docker does;
// allFound says whether every name was found.
func inspectContainers(cmd *cobra.Command, names []string) (views []inspectView, allFound bool, err error) {
	e, err := openEngine(cmd)
	if err != nil {
		return nil, false, err
	}
	allFound = true
	var ins []core.Inspection
	for _, name := range names {
		c, err := e.Lookup(cmd.Context(), name)
		if err == nil {
			var in core.Inspection
			if in, err = e.Inspect(cmd.Context(), c); err == nil {
				ins = append(ins, in)
				continue
			}
		}
		fmt.Fprintln(cmd.ErrOrStderr(), "workbench: "+oneLine(err.Error()))
		allFound = false
	}
	var cs []core.Container
	for _, in := range ins {
		cs = append(cs, in.Container)
	}
	lan, err := portsLAN(cmd, cs)
	if err != nil {
		return nil, false, err
	}
	store, unlock, err := openImageStore(cmd, false)
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	for _, in := range ins {
		var img *images.Details
		if d, err := store.Inspect(in.ImageID); err == nil {
			img = d
		}
		views = append(views, newInspectView(in, img, lan))
	}
	return views, allFound, nil
}

// printInspectJSON prints the documents as Docker does: a JSON array indented by four
// spaces.
func printInspectJSON(w io.Writer, views []inspectView) error {
	if views == nil {
		views = []inspectView{}
	}
	b, err := json.MarshalIndent(views, "", "    ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// printInspectFormat prints one document through a template, then a newline. As in
// Docker, a template that does not fit the document's Go fields is tried again on its
// JSON keys, so {{.Id}} works as well as {{.ID}}.
func printInspectFormat(w io.Writer, tmpl *template.Template, v inspectView) error {
	var out bytes.Buffer
	if err := tmpl.Execute(&out, v); err != nil {
		out.Reset()
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		var doc any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return err
		}
		byKey, err := tmpl.Clone()
		if err != nil {
			return err
		}
		if err := byKey.Option("missingkey=error").Execute(&out, doc); err != nil {
			msg := strings.TrimPrefix(err.Error(), "template: ")
			return fmt.Errorf("--format: %s: `workbench inspect %s` shows the fields there are", oneLine(msg), strings.TrimPrefix(v.Name, "/"))
		}
	}
	out.WriteByte('\n')
	_, err := out.WriteTo(w)
	return err
}
