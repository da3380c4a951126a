package search

import "github.com/citizen-network/commonplace/themes"

func themesInfer(text, lang string) []themes.Score { return themes.Infer(text, lang) }
