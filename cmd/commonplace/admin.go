package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/citizen-network/commonplace/library"
)

// withStore runs fn on the data folder's store; it works whether or not a
// server is running on that folder, since SQLite in WAL mode allows both.
func withStore(cmd *cobra.Command, cfg *config, fn func(s *library.Store) error) error {
	if err := cfg.validate(false); err != nil {
		return &usageError{err.Error()}
	}
	s, err := openStore(cmd.Context(), *cfg, newLogger(cfg.LogLevel, cfg.LogFormat))
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

func migrateCommand() *cobra.Command {
	var cfg config
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Bring the database schema up to date (serve does this on start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(*library.Store) error {
				fmt.Fprintln(cmd.OutOrStdout(), "The database is up to date.")
				return nil
			})
		},
	}
	addDataFlags(cmd, &cfg)
	return cmd
}

func orgCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "org", Short: "Manage organisations"}
	var cfg config
	var in library.OrganizationInput
	create := &cobra.Command{
		Use:   "create",
		Short: "Add an organisation to the node",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(s *library.Store) error {
				o, err := s.CreateOrganization(cmd.Context(), in)
				if err != nil {
					return cliError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Created %s (@%s): %s\n", o.Name, o.Handle, o.URL)
				return nil
			})
		},
	}
	addDataFlags(create, &cfg)
	create.Flags().StringVar(&in.Handle, "handle", "", "short name used in addresses, like riverside (required)")
	create.Flags().StringVar(&in.Name, "name", "", "the organisation's name (required)")
	create.Flags().StringVar(&in.Country, "country", "", "ISO 3166 country code, like GB (required)")
	create.Flags().StringVar(&in.Summary, "summary", "", "a few sentences about the organisation")
	create.Flags().StringVar(&in.Website, "website", "", "its web site")
	cmd.AddCommand(create, orgExportCommand(), orgImportCommand())
	return cmd
}

// orgExportCommand writes a local organisation and everything it published
// to a file, for the node it moves to.
func orgExportCommand() *cobra.Command {
	var cfg config
	var handle, out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write an organisation and its offers, needs, stories and events to a file, to move it to another node",
		Long: "Write an organisation and its offers, needs, stories and events to a JSON file. Import it on the\n" +
			"node it moves to (commonplace org import), then ask this node to move it:\n" +
			"POST /api/v1/admin/orgs/HANDLE/move {\"to\": \"https://new.example/orgs/HANDLE\"}.\n" +
			"Accounts, tokens, keys, registrations for its events and introductions stay here.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if handle == "" || out == "" {
				return &usageError{"org export: --handle and --out are required"}
			}
			return withStore(cmd, &cfg, func(s *library.Store) error {
				a, err := s.ExportOrganization(cmd.Context(), handle)
				if err != nil {
					return notFound(cliError(err), "no organisation @"+handle)
				}
				raw, err := json.MarshalIndent(a, "", "  ")
				if err != nil {
					return err
				}
				if err := os.WriteFile(out, raw, 0o600); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote @%s to %s: %d offers and needs, %d stories, %d events\n",
					handle, out, len(a.Listings), len(a.Stories), len(a.Events))
				return nil
			})
		},
	}
	addDataFlags(cmd, &cfg)
	cmd.Flags().StringVar(&handle, "handle", "", "the organisation's handle (required)")
	cmd.Flags().StringVar(&out, "out", "", "the file to write (required)")
	return cmd
}

// orgImportCommand creates an organisation from another node's export.
func orgImportCommand() *cobra.Command {
	var cfg config
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Create an organisation moving here from another node, from its export (commonplace org export)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			raw, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var a library.OrgArchive
			if err := json.Unmarshal(raw, &a); err != nil {
				return fmt.Errorf("%s: not an organisation export: %v", args[0], err)
			}
			return withStore(cmd, &cfg, func(s *library.Store) error {
				o, err := s.ImportOrganization(cmd.Context(), &a)
				if err != nil {
					return cliError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Imported @%s (%s), formerly %s: %d offers and needs, %d stories, %d events.\n"+
					"Its old node can now move it here: POST /api/v1/admin/orgs/%s/move {\"to\": %q}\n",
					o.Handle, o.URL, a.ActorID, len(a.Listings), len(a.Stories), len(a.Events), a.Organization.Handle, o.APID)
				return nil
			})
		},
	}
	addDataFlags(cmd, &cfg)
	return cmd
}

func tokenCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var cfg config
	var handle, name string
	var admin bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Issue an API token for an organisation (--org) or the coordinator (--admin); printed as the last line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (handle == "") == !admin {
				return &usageError{"token create: give exactly one of --org HANDLE or --admin"}
			}
			return withStore(cmd, &cfg, func(s *library.Store) error {
				orgID := ""
				if handle != "" {
					o, err := s.OrganizationByHandle(cmd.Context(), handle)
					if errors.Is(err, library.ErrNotFound) {
						return fmt.Errorf("--org %q: no such organisation on this node", handle)
					}
					if err != nil {
						return err
					}
					orgID = o.ID
				}
				token, err := s.CreateAPIToken(cmd.Context(), orgID, admin, name)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), token)
				return nil
			})
		},
	}
	addDataFlags(create, &cfg)
	create.Flags().StringVar(&handle, "org", "", "the organisation's handle")
	create.Flags().BoolVar(&admin, "admin", false, "a coordinator token")
	create.Flags().StringVar(&name, "name", "", "what the token is for")
	cmd.AddCommand(create)
	return cmd
}

func accountCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "account", Short: "Manage staff accounts"}
	var cfg config
	var email, role, handle string
	invite := &cobra.Command{
		Use:   "invite",
		Short: "Create an account and print its one-time link to set a password",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(s *library.Store) error {
				orgID := ""
				if handle != "" {
					o, err := s.OrganizationByHandle(cmd.Context(), handle)
					if err != nil {
						return fmt.Errorf("--org %q: %w", handle, err)
					}
					orgID = o.ID
				}
				_, token, err := s.CreateAccount(cmd.Context(), email, library.Role(role), orgID)
				if err != nil {
					return cliError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s/setup/%s\n", cfg.BaseURL, token)
				return nil
			})
		},
	}
	addDataFlags(invite, &cfg)
	invite.Flags().StringVar(&email, "email", "", "the person's e-mail (required)")
	invite.Flags().StringVar(&role, "role", "editor", "coordinator, org_admin or editor")
	invite.Flags().StringVar(&handle, "org", "", "the organisation's handle (for org_admin and editor)")
	cmd.AddCommand(invite, passwordLinkCommand())
	return cmd
}

// cliError turns a validation error into a message that names the flag.
func cliError(err error) error {
	var ve *library.ValidationError
	if errors.As(err, &ve) {
		return &usageError{fmt.Sprintf("--%s: %s", ve.Field, ve.Message)}
	}
	return err
}
