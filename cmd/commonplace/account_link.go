package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/citizen-network/commonplace/library"
)

// passwordLinkCommand prints a one-time link with which an account sets a
// new password: after an import, which leaves password hashes behind.
func passwordLinkCommand() *cobra.Command {
	var cfg config
	var email string
	cmd := &cobra.Command{
		Use:   "password-link --email E",
		Short: "Print a one-time link with which the account sets a new password (valid 7 days)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, &cfg, func(s *library.Store) error {
				token, err := s.PasswordLink(cmd.Context(), email)
				if errors.Is(err, library.ErrNotFound) {
					return &usageError{fmt.Sprintf("--email %q: no such account on this node", email)}
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s/setup/%s\n", cfg.BaseURL, token)
				return nil
			})
		},
	}
	addDataFlags(cmd, &cfg)
	cmd.Flags().StringVar(&email, "email", "", "the account's e-mail (required)")
	return cmd
}
