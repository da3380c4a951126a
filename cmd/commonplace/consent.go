package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/citizen-network/commonplace/library"
)

// consentCommand sets what an organisation lets other nodes do with what it
// publishes, or one object's consent to be indexed beyond this node. The
// change goes through the change log, so a running server (or the next one
// started on this data folder) federates it as an Update.
func consentCommand() *cobra.Command {
	var cfg config
	var handle, kind, id string
	var indexable, discoverable bool
	cmd := &cobra.Command{
		Use:   "consent",
		Short: "Withdraw or give an organisation's (or one object's) consent to be indexed beyond this node",
		Example: "  commonplace consent --org riverside --indexable=false\n" +
			"  commonplace consent --kind story --id 01J... --indexable=false",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			setIdx, setDisc := cmd.Flags().Changed("indexable"), cmd.Flags().Changed("discoverable")
			switch {
			case (handle == "") == (kind == "" && id == ""):
				return &usageError{"name either --org, or --kind and --id"}
			case handle == "" && (kind == "" || id == ""):
				return &usageError{"--kind and --id go together"}
			case handle == "" && setDisc:
				return &usageError{"--discoverable is an organisation's setting: use it with --org"}
			case !setIdx && !setDisc:
				return &usageError{"say what to change: --indexable=true|false (or --discoverable with --org)"}
			}
			return withStore(cmd, &cfg, func(s *library.Store) error {
				ctx := cmd.Context()
				if handle != "" {
					o, err := s.OrganizationByHandle(ctx, handle)
					if err != nil {
						return notFound(err, "no organisation @"+handle)
					}
					in := library.ConsentInput{}
					if setIdx {
						in.Indexable = &indexable
					}
					if setDisc {
						in.Discoverable = &discoverable
					}
					if o, err = s.SetOrganizationConsent(ctx, o.ID, in); err != nil {
						return cliError(err)
					}
					fmt.Fprintf(cmd.OutOrStdout(), "@%s: indexable %t, discoverable %t\n", o.Handle, o.Indexable, o.Discoverable)
					return nil
				}
				k := library.ObjectKind(kind)
				if !library.IndexableKind(k) {
					return &usageError{"--kind must be offer, need, story or event"}
				}
				if _, err := s.SetIndexable(ctx, k, id, indexable); err != nil {
					return notFound(cliError(err), fmt.Sprintf("no local %s %s", kind, id))
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s: indexable %t\n", kind, id, indexable)
				return nil
			})
		},
	}
	addDataFlags(cmd, &cfg)
	cmd.Flags().StringVar(&handle, "org", "", "the organisation's handle")
	cmd.Flags().StringVar(&kind, "kind", "", "offer, need, story or event")
	cmd.Flags().StringVar(&id, "id", "", "the object's id")
	cmd.Flags().BoolVar(&indexable, "indexable", true, "may other nodes index it")
	cmd.Flags().BoolVar(&discoverable, "discoverable", true, "may the organisation be listed in other nodes' directories")
	return cmd
}

// notFound turns the store's ErrNotFound into a message that names what is missing.
func notFound(err error, msg string) error {
	if errors.Is(err, library.ErrNotFound) {
		return &usageError{msg}
	}
	return err
}
