package cli

import (
	"encoding/json"

	"github.com/faultline/faultline/present"
	"github.com/spf13/cobra"
)

func init() { register(newShowCmd) }

type showOptions struct {
	json bool
}

func newShowCmd(a *app) *cobra.Command {
	var o showOptions
	c := &cobra.Command{
		Use:   "show [flags] ID",
		Short: "print one incident as readable text, or as its canonical JSON record",
		Long: `Print one incident: as text for a terminal (every text neutralised), or with
--json as its canonical record, texts byte for byte. A unique prefix of the
id is enough.`,
		Example: `  faultline show 3f2a9c1b7d04
  faultline show 3f2a            # a unique prefix of the id is enough
  faultline show --json 3f2a9c1b7d04 | jq .taxonomy.domain`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{"want exactly one incident id"}
			}
			return nil
		},
		ValidArgsFunction: a.completeIncidentID,
		RunE:              func(_ *cobra.Command, args []string) error { return o.run(a, args[0]) },
	}
	c.Flags().BoolVar(&o.json, "json", false, "print the canonical JSON record, texts byte for byte")
	return c
}

func (o *showOptions) run(a *app, id string) error {
	path, err := a.dbPath()
	if err != nil {
		return err
	}
	s, err := openForReading(path, a.notices())
	if err != nil {
		return describeOpenError(err)
	}
	in, err := s.Get(id)
	s.Close()
	if err != nil {
		return err
	}
	if o.json {
		return json.NewEncoder(jsonOut{a.stdout}).Encode(in)
	}
	present.WriteText(a.stdout, present.Of(&in))
	return nil
}
