package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestIntroductionConversationAcrossNodes (issue 12): riverside on node a
// introduces its offer to hillside's need on node b; hillside accepts; each
// sees the other's contact, they exchange two messages, hillside closes the
// introduction as helped, and both nodes count it.
func TestIntroductionConversationAcrossNodes(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	a.peer(b)
	ctx := context.Background()
	river, riverToken := a.orgToken("riverside")
	hill, hillToken := b.orgToken("hillside")
	for _, tc := range []struct {
		n           *testNode
		handle, tok string
		name, email string
	}{{a, "riverside", riverToken, "Ann Lee", "ann@riverside.example"}, {b, "hillside", hillToken, "Mo Patel", "mo@hillside.example"}} {
		if code, body := tc.n.call("PUT", "/api/v1/orgs/"+tc.handle+"/contact", tc.tok,
			`{"contact_name": "`+tc.name+`", "contact_email": "`+tc.email+`"}`); code != http.StatusOK {
			t.Fatalf("contact of %s: %d %v", tc.handle, code, body)
		}
	}
	if code, body := b.call("PUT", "/api/v1/orgs/hillside/contact", hillToken, `{"contact_name": "Mo", "contact_email": "not an address"}`); code != http.StatusUnprocessableEntity {
		t.Fatalf("a bad contact e-mail: %d %v, want 422", code, body)
	}
	offer := a.post(library.Offer, river, "Recruiting personal assistants with the person", "We share our interview guide.", "public", "personnel")
	need := b.post(library.Need, hill, "Recruiting staff who fit the person", "We want to learn how to recruit with the person.", "public", "personnel")
	eventually(t, 10*time.Second, "a holds the need", func() bool { return a.remote(need.APID) != nil })
	code, intro := a.call("POST", "/api/v1/introductions", riverToken,
		`{"offer_id": "`+offer.ID+`", "need_id": "`+a.remote(need.APID).ID+`", "message": "We could help."}`)
	if code != http.StatusCreated {
		t.Fatalf("introduce: %d %v", code, intro)
	}
	introAP := intro["ap_id"].(string)
	var onB *library.Introduction
	eventually(t, 10*time.Second, "b receives the introduction", func() bool {
		in, err := b.store.IntroductionByAPID(ctx, introAP)
		onB = in
		return err == nil
	})
	if code, body := b.call("POST", "/api/v1/introductions/"+onB.ID+"/messages", hillToken, `{"body": "Hello"}`); code != http.StatusUnprocessableEntity {
		t.Fatalf("a message before acceptance: %d %v, want 422", code, body)
	}
	if code, body := b.call("POST", "/api/v1/introductions/"+onB.ID+"/accept", hillToken, ""); code != http.StatusOK {
		t.Fatalf("accept: %d %v", code, body)
	}
	entries := func(n *testNode, id, token string) []library.ConversationEntry {
		code, raw := n.api("GET", "/api/v1/introductions/"+id, nil)
		if code != http.StatusOK {
			t.Fatalf("conversation: %d %s", code, raw)
		}
		var out struct{ Entries []library.ConversationEntry }
		_ = json.Unmarshal(raw, &out)
		return out.Entries
	}
	has := func(es []library.ConversationEntry, kind, body string) bool {
		for _, e := range es {
			if e.Kind == kind && e.Body == body {
				return true
			}
		}
		return false
	}
	aID := intro["id"].(string)
	eventually(t, 10*time.Second, "each side holds the other's contact", func() bool {
		ea, eb := entries(a, aID, ""), entries(b, onB.ID, "")
		return has(ea, library.EntryContact, "Mo Patel <mo@hillside.example>") && has(ea, library.EntryContact, "Ann Lee <ann@riverside.example>") &&
			has(eb, library.EntryContact, "Ann Lee <ann@riverside.example>") && has(eb, library.EntryContact, "Mo Patel <mo@hillside.example>")
	})
	if code, body := a.call("POST", "/api/v1/introductions/"+aID+"/messages", riverToken, `{"body": "Shall we meet on Tuesday?"}`); code != http.StatusCreated {
		t.Fatalf("riverside writes: %d %v", code, body)
	}
	eventually(t, 10*time.Second, "b reads riverside's message", func() bool { return has(entries(b, onB.ID, ""), library.EntryMessage, "Shall we meet on Tuesday?") })
	if code, body := b.call("POST", "/api/v1/introductions/"+onB.ID+"/messages", hillToken, `{"body": "Tuesday suits us."}`); code != http.StatusCreated {
		t.Fatalf("hillside writes: %d %v", code, body)
	}
	eventually(t, 10*time.Second, "a reads hillside's answer", func() bool { return has(entries(a, aID, ""), library.EntryMessage, "Tuesday suits us.") })

	// Another organisation's token sees nothing of it.
	_, other := b.orgToken("lochside")
	if code, _ := b.call("GET", "/api/v1/introductions/"+onB.ID, other, ""); code != http.StatusForbidden {
		t.Errorf("a third organisation reads the conversation: %d, want 403", code)
	}
	if code, body := b.call("POST", "/api/v1/introductions/"+onB.ID+"/close", hillToken, `{"outcome": "helped", "note": "We hired two PAs."}`); code != http.StatusOK {
		t.Fatalf("close: %d %v", code, body)
	}
	eventually(t, 10*time.Second, "a records the outcome", func() bool {
		in, err := a.store.Introduction(ctx, aID)
		return err == nil && in.Outcome == library.OutcomeHelped
	})
	for _, n := range []*testNode{a, b} {
		code, raw := n.api("GET", "/api/v1/admin/introductions/counts", nil)
		var c library.IntroductionCounts
		if code != http.StatusOK || json.Unmarshal(raw, &c) != nil || c.Accepted != 1 || c.Helped != 1 {
			t.Errorf("%s counts: %d %s, want 1 accepted, 1 helped", n.name, code, raw)
		}
	}
	if code, body := a.call("POST", "/api/v1/introductions/"+aID+"/messages", riverToken, `{"body": "One more thing"}`); code != http.StatusUnprocessableEntity {
		t.Errorf("a message after closing: %d %v, want 422", code, body)
	}
}

// TestNeedOwnerAsksForIntroduction (issue 12): hillside on node b asks
// riverside on node a for an introduction to its need through riverside's
// offer; riverside, not hillside, answers it, and the answer reaches b.
func TestNeedOwnerAsksForIntroduction(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	a.peer(b)
	ctx := context.Background()
	river, riverToken := a.orgToken("riverside")
	hill, hillToken := b.orgToken("hillside")
	offer := a.post(library.Offer, river, "Recruiting personal assistants with the person", "We share our interview guide.", "public", "personnel")
	need := b.post(library.Need, hill, "Recruiting staff who fit the person", "We want to learn how to recruit with the person.", "public", "personnel")
	eventually(t, 10*time.Second, "b holds the offer", func() bool { return b.remote(offer.APID) != nil })
	code, asked := b.call("POST", "/api/v1/introductions", hillToken,
		`{"ask": true, "offer_id": "`+b.remote(offer.APID).ID+`", "need_id": "`+need.ID+`", "message": "Could you help?"}`)
	if code != http.StatusCreated || asked["asked"] != true {
		t.Fatalf("ask: %d %v", code, asked)
	}
	if code, body := b.call("POST", "/api/v1/introductions/"+asked["id"].(string)+"/accept", hillToken, ""); code != http.StatusForbidden {
		t.Fatalf("the asking side accepted its own request: %d %v", code, body)
	}
	var onA *library.Introduction
	eventually(t, 10*time.Second, "a receives the request", func() bool {
		in, err := a.store.IntroductionByAPID(ctx, asked["ap_id"].(string))
		onA = in
		return err == nil
	})
	if !onA.Asked || onA.FromOrgID != river.ID || onA.Message != "Could you help?" {
		t.Fatalf("the request on a: %+v", onA)
	}
	if code, body := a.call("POST", "/api/v1/introductions/"+onA.ID+"/accept", riverToken, ""); code != http.StatusOK {
		t.Fatalf("riverside accepts: %d %v", code, body)
	}
	eventually(t, 10*time.Second, "b learns it was accepted", func() bool {
		in, err := b.store.Introduction(ctx, asked["id"].(string))
		return err == nil && in.State == library.IntroAccepted
	})
}

// TestDeclineWithReasonAndWithdrawal (issue 12): a decline carries its
// reason to the other node; an introduction taken back before its answer is
// withdrawn on both nodes and can no longer be accepted.
func TestDeclineWithReasonAndWithdrawal(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	a.peer(b)
	ctx := context.Background()
	river, riverToken := a.orgToken("riverside")
	hill, hillToken := b.orgToken("hillside")
	first := a.post(library.Offer, river, "Recruiting personal assistants with the person", "We share our interview guide.", "public")
	second := a.post(library.Offer, river, "Circles of support", "How we start a circle.", "public")
	need := b.post(library.Need, hill, "Recruiting staff who fit the person", "We want to learn how to recruit with the person.", "public")
	eventually(t, 10*time.Second, "a holds the need", func() bool { return a.remote(need.APID) != nil })
	introduce := func(offer *library.Listing) (string, *library.Introduction) {
		code, in := a.call("POST", "/api/v1/introductions", riverToken, `{"offer_id": "`+offer.ID+`", "need_id": "`+a.remote(need.APID).ID+`"}`)
		if code != http.StatusCreated {
			t.Fatalf("introduce: %d %v", code, in)
		}
		var onB *library.Introduction
		eventually(t, 10*time.Second, "b receives it", func() bool {
			got, err := b.store.IntroductionByAPID(ctx, in["ap_id"].(string))
			onB = got
			return err == nil
		})
		return in["id"].(string), onB
	}
	id, onB := introduce(first)
	if code, body := b.call("POST", "/api/v1/introductions/"+onB.ID+"/reject", hillToken, `{"reason": "We found help nearer home."}`); code != http.StatusOK {
		t.Fatalf("decline: %d %v", code, body)
	}
	eventually(t, 10*time.Second, "a reads the reason", func() bool {
		in, err := a.store.Introduction(ctx, id)
		return err == nil && in.State == library.IntroRejected && in.Reason == "We found help nearer home."
	})
	id, onB = introduce(second)
	if code, body := b.call("POST", "/api/v1/introductions/"+onB.ID+"/withdraw", hillToken, ""); code != http.StatusForbidden {
		t.Fatalf("the answering side withdrew: %d %v", code, body)
	}
	if code, body := a.call("POST", "/api/v1/introductions/"+id+"/withdraw", riverToken, ""); code != http.StatusOK {
		t.Fatalf("withdraw: %d %v", code, body)
	}
	eventually(t, 10*time.Second, "b sees it withdrawn", func() bool {
		in, err := b.store.Introduction(ctx, onB.ID)
		return err == nil && in.State == library.IntroWithdrawn
	})
	if code, body := b.call("POST", "/api/v1/introductions/"+onB.ID+"/accept", hillToken, ""); code != http.StatusConflict {
		t.Errorf("accepting a withdrawn introduction: %d %v, want 409", code, body)
	}
}
