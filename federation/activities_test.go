package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// TestReactionsReportsAndUndo: a Mastodon-like server likes and boosts an
// offer, reports it, undoes its Like, and unfollows; each has its effect once.
func TestReactionsReportsAndUndo(t *testing.T) {
	n := newNode(t, "a")
	org := n.org("riverside", "Riverside Support", "GB")
	offer := n.post(library.Offer, org, "Recruiting with the person", "Our interview guide.", "public")
	d := newFediDouble(t)
	send := func(act map[string]any) {
		t.Helper()
		act["@context"], act["actor"] = "https://www.w3.org/ns/activitystreams", d.actorID()
		if code := d.post(n.URL+"/inbox", act); code != http.StatusAccepted {
			t.Fatalf("%s answered %d", act["type"], code)
		}
	}
	follow := map[string]any{"id": d.actorID() + "#follows/2", "type": "Follow", "actor": d.actorID(), "object": org.APID}
	send(follow)
	like := map[string]any{"id": d.actorID() + "#likes/1", "type": "Like", "object": offer.APID}
	send(like)
	send(map[string]any{"id": d.actorID() + "#boosts/1", "type": "Announce", "object": offer.APID, "to": "https://www.w3.org/ns/activitystreams#Public"})
	send(map[string]any{"id": d.actorID() + "#flags/1", "type": "Flag", "object": []string{org.APID, offer.APID}, "content": "Please check this post."})
	settle(t, n)

	count := func(sql string, args ...any) int64 {
		var c int64
		n.store.DB().Raw(sql, args...).Scan(&c)
		return c
	}
	if c := count(`SELECT COUNT(*) FROM federation_reactions WHERE object = ?`, offer.APID); c != 2 {
		t.Fatalf("%d reactions, want a Like and an Announce", c)
	}
	reports, err := n.fed.Reports(context.Background(), 10)
	if err != nil || len(reports) != 1 || reports[0].Content != "Please check this post." {
		t.Fatalf("reports: %v %+v", err, reports)
	}

	send(map[string]any{"id": d.actorID() + "#likes/1/undo", "type": "Undo", "object": like})
	send(map[string]any{"id": d.actorID() + "#follows/2/undo", "type": "Undo", "object": follow})
	settle(t, n)
	if c := count(`SELECT COUNT(*) FROM federation_reactions WHERE type = 'Like'`); c != 0 {
		t.Fatal("the Like was not undone")
	}
	var col struct {
		Total int `json:"totalItems"`
	}
	resp, err := http.Get(org.APID + "/followers")
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(resp.Body).Decode(&col)
	resp.Body.Close()
	if col.Total != 0 {
		t.Fatalf("%d followers after Undo{Follow}, want 0", col.Total)
	}
}

// TestAllowlistWaitsForTheCoordinator: in allowlist mode a node that was not
// listed waits until the coordinator approves it; then both are peered.
func TestAllowlistWaitsForTheCoordinator(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	if code, body := a.api("POST", "/api/v1/admin/federation/mode", map[string]string{"mode": "allowlist"}); code != http.StatusNoContent {
		t.Fatalf("mode: %d %s", code, body)
	}
	if code, body := b.api("POST", "/api/v1/admin/peers", map[string]string{"url": a.URL}); code != http.StatusAccepted {
		t.Fatalf("peer: %d %s", code, body)
	}
	eventually(t, 10*time.Second, "b's request waits at a", func() bool { return a.peerState(b) == "awaiting_approval" })
	if b.peerState(a) == "peered" {
		t.Fatal("b thinks it is peered before a's coordinator approved")
	}
	if err := a.fed.ApprovePeer(context.Background(), b.host()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "peered after approval", func() bool { return a.peerState(b) == "peered" && b.peerState(a) == "peered" })
}

// TestIntroductionAcrossNodes: an organisation offers to help with another
// node's need (an Offer activity); the need's organisation accepts, and the
// offering side learns it.
func TestIntroductionAcrossNodes(t *testing.T) {
	a, b := newNode(t, "a"), newNode(t, "b")
	oa, ob := a.org("riverside", "Riverside Support", "GB"), b.org("highland", "Highland Circles", "GB")
	a.peer(b)
	offer := a.post(library.Offer, oa, "Recruiting staff with the person", "Our interview guide.", "public", "personnel")
	need := b.post(library.Need, ob, "Recruiting in remote places", "We want to learn.", "public", "personnel")
	eventually(t, 10*time.Second, "each side holds the other's listing", func() bool {
		return a.remote(need.APID) != nil && b.remote(offer.APID) != nil
	})
	ctx := context.Background()
	intro, err := a.store.CreateIntroduction(ctx, oa.ID, library.IntroductionInput{OfferID: offer.ID, NeedID: a.remote(need.APID).ID,
		Message: "We have done this in Sheffield; happy to talk."})
	if err != nil {
		t.Fatal(err)
	}
	var received *library.Introduction
	eventually(t, 10*time.Second, "introduction at b", func() bool {
		list, _ := b.store.Introductions(ctx, ob.ID, 10)
		if len(list) == 1 {
			received = &list[0]
		}
		return received != nil
	})
	if received.APID != intro.APID || received.Message != "We have done this in Sheffield; happy to talk." {
		t.Fatalf("introduction at b: %+v", received)
	}
	if _, err := b.store.AnswerIntroduction(ctx, received.ID, ob.ID, true); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "accepted at a", func() bool {
		in, err := a.store.Introduction(ctx, intro.ID)
		return err == nil && in.State == library.IntroAccepted
	})
}
