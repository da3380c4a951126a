package federation

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestObjectAccessorsTakeBothForms(t *testing.T) {
	single, _ := parseObject([]byte(`{"id":"https://x/1","type":"Note","to":"https://www.w3.org/ns/activitystreams#Public",
		"tag":{"type":"Hashtag","name":"#a","href":"https://x/t/a"},"attributedTo":{"id":"https://x/u"}}`))
	list, _ := parseObject([]byte(`{"id":"https://x/1","type":["Note"],"to":["https://www.w3.org/ns/activitystreams#Public"],
		"tag":[{"type":"Hashtag","name":"#a","href":"https://x/t/a"}],"attributedTo":["https://x/u"]}`))
	for name, o := range map[string]object{"single": single, "list": list} {
		t.Run(name, func(t *testing.T) {
			if !o.isPublic() || o.typ() != "Note" || o.iri("attributedTo") != "https://x/u" || len(o.objs("tag")) != 1 {
				t.Fatalf("accessors: public %v type %q author %q tags %d", o.isPublic(), o.typ(), o.iri("attributedTo"), len(o.objs("tag")))
			}
		})
	}
}

func TestJSONDepth(t *testing.T) {
	cases := []struct {
		name string
		body string
		ok   bool
	}{
		{"flat", `{"a":1}`, true},
		{"brackets in strings do not count", `{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}`, true},
		{"escaped quote", `{"a":"\"[[[["}`, true},
		{"deep", strings.Repeat("[", 40) + strings.Repeat("]", 40), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := jsonDepthOK([]byte(tc.body), maxDepth); got != tc.ok {
				t.Fatalf("got %v", got)
			}
		})
	}
}

func TestDeliveryOutcomes(t *testing.T) {
	ctx := context.Background()
	fresh := dueDelivery{CreatedAt: time.Now()}
	cases := []struct {
		name    string
		r       deliveryResult
		want    outcome
		failing bool
	}{
		{"accepted", deliveryResult{d: fresh, status: 202}, outcomeDone, false},
		{"gone for good", deliveryResult{d: fresh, status: 410}, outcomeFailed, false},
		{"bad request is final", deliveryResult{d: fresh, status: 400}, outcomeFailed, false},
		{"request timeout is retried", deliveryResult{d: fresh, status: 408}, outcomeRetry, false},
		{"too many requests is retried", deliveryResult{d: fresh, status: 429}, outcomeRetry, false},
		{"unauthorized is retried, as Mastodon does: the key may not be fetchable yet", deliveryResult{d: fresh, status: 401}, outcomeRetry, false},
		{"server error", deliveryResult{d: fresh, status: 503}, outcomeRetry, true},
		{"connection refused", deliveryResult{d: fresh, err: errors.New("refused")}, outcomeRetry, true},
		{"blocked", deliveryResult{d: fresh, err: errBlocked}, outcomeFailed, false},
		{"too old", deliveryResult{d: dueDelivery{CreatedAt: time.Now().Add(-49 * time.Hour)}, status: 503}, outcomeFailed, true},
		{"too many attempts", deliveryResult{d: dueDelivery{CreatedAt: time.Now(), Attempts: 15}, status: 503}, outcomeFailed, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, failing := classify(ctx, tc.r)
			if got != tc.want || failing != tc.failing {
				t.Fatalf("got %v (host failing %v), want %v (%v)", got, failing, tc.want, tc.failing)
			}
		})
	}
}

func TestBackoffSpansAboutTwoDays(t *testing.T) {
	var total time.Duration
	for n := 1; n < maxDeliveryAttempts; n++ {
		total += backoff(n)
	}
	if total < 36*time.Hour || total > 60*time.Hour {
		t.Fatalf("retries span %s, want about two days", total)
	}
}

func TestRetryAfter(t *testing.T) {
	if d := parseRetryAfter("120"); d != 2*time.Minute {
		t.Fatalf("seconds: %s", d)
	}
	if d := parseRetryAfter(time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)); d < 59*time.Minute || d > time.Hour {
		t.Fatalf("date: %s", d)
	}
	if d := parseRetryAfter("soon"); d != 0 {
		t.Fatalf("junk: %s", d)
	}
}

func TestSignatureParams(t *testing.T) {
	p := signatureParams(`keyId="https://x/u#main-key",algorithm="hs2019",headers="(request-target) host date digest",signature="YWJj=="`)
	if p["keyid"] != "https://x/u#main-key" || p["headers"] != "(request-target) host date digest" || p["signature"] != "YWJj==" {
		t.Fatalf("params: %v", p)
	}
}

func TestHashtagsAndDomains(t *testing.T) {
	if got := hashtagName("person-centred-planning"); got != "PersonCentredPlanning" {
		t.Fatalf("hashtag: %s", got)
	}
	for in, want := range map[string]string{"Example.ORG": "example.org", "https://node.example:8443/path": "node.example:8443"} {
		if got, err := normaliseDomain(in); err != nil || got != want {
			t.Fatalf("normaliseDomain(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := normaliseDomain("not a domain/"); err == nil {
		t.Fatal("accepted a path")
	}
}
