package library

// CredentialTables are the library's tables of credentials: sessions,
// one-time links, API tokens and the secrets of calendar URLs. They are
// hashes, useless to whoever reads them, but an export is a file that is
// copied about, and each can be issued again on the new node in a minute;
// so an export leaves them behind, and whatever leaked before the move is
// not honoured after it.
var CredentialTables = []string{"sessions", "one_time_tokens", "api_tokens", "calendar_tokens"}

// CredentialColumns are columns of other tables that an export blanks: the
// argon2id password hashes, which an attacker holding the file could try
// to crack offline. Accounts keep their e-mail and role; each person sets a
// password again with a one-time link (Store.PasswordLink).
var CredentialColumns = map[string][]string{"accounts": {"password_hash"}}
