package anonymise

import (
	"strings"
	"testing"
)

// TestHandlesBackToBack checks that a handle written straight after another
// one, or after a space, goes too: a chain of @-parts is all personal data.
func TestHandlesBackToBack(t *testing.T) {
	tests := []struct {
		name string
		body string
		gone []string // must not be left in the output
		keep []string
	}{
		{"local after full", "Ask @sam@social.example@dan today.", []string{"sam", "dan", "social.example"}, []string{"Ask", "today."}},
		{"full after full", "Ask @sam@host.org@dan@host2.org today.", []string{"sam", "dan", "host.org", "host2.org"}, []string{"Ask", "today."}},
		{"host without a dot", "Ask @sam@host@dan today.", []string{"sam", "dan", "host"}, []string{"Ask", "today."}},
		{"one-letter parts", "Ask @a@host@b today.", []string{"@a", "@b", "host"}, []string{"Ask", "today."}},
		{"one-letter with instances", "Ask @a@host.org@b@host2.org today.", []string{"@a", "@b", "host.org", "host2.org"}, []string{"Ask", "today."}},
		{"space between", "Ask @sam @dan today.", []string{"sam", "dan"}, []string{"Ask", "today."}},
		{"one-letter, space between", "Ask @a @b today.", []string{"@a", "@b"}, []string{"Ask", "today."}},
		{"local after local", "Ask @sam@dan today.", []string{"sam", "dan"}, []string{"Ask", "today."}},
		{"separate handles stay separate", "Follow @danstrains or @sam@social.example.", []string{"danstrains", "sam"}, []string{"Follow", " or ", "."}},
		{"e-mail address stays an e-mail", "Write to sam@example.org.", []string{"sam@example.org"}, []string{"Write to"}},
		{"a lone @ stays", "Meet @ 5pm, 2 @ £3.", nil, []string{"Meet @ 5pm, 2 @ £3."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testAnonymiser(t).Anonymise(Input{Body: tc.body})
			for _, g := range tc.gone {
				if strings.Contains(res.Body, g) {
					t.Errorf("%q left in %q", g, res.Body)
				}
			}
			for _, k := range tc.keep {
				if !strings.Contains(res.Body, k) {
					t.Errorf("%q removed: %q", k, res.Body)
				}
			}
			checkSecondPass(t, testAnonymiser(t), res)
			checkGrowth(t, tc.body, res)
		})
	}
}
