package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestContractEndToEnd(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	cli(t, "org", "create", "--data", data, "--handle", "hillside", "--name", "Hillside Homes", "--country", "CA")
	token := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	other := lastLine(cli(t, "token", "create", "--data", data, "--org", "hillside"))
	admin := lastLine(cli(t, "token", "create", "--data", data, "--admin"))
	srv := startServer(t, data, addr)
	if !strings.Contains(srv.out.String(), "/setup/") {
		t.Errorf("first start printed no set-password link:\n%s", srv.out)
	}
	api := srv.base + "/api/v1"

	status, offer := call(t, "POST", api+"/offers", token, `{"title": "How we set up Individual Service Funds",
		"body": "We can share how we negotiated ISFs and personal budgets with our council.", "languages": ["en"], "formats": ["online"]}`)
	if status != http.StatusCreated {
		t.Fatalf("create offer: %d %v", status, offer)
	}
	id := offer["id"].(string)
	if offer["ap_id"] != srv.base+"/offers/"+id || offer["url"] == "" || fmt.Sprint(offer["themes"]) != "[financial-management]" {
		t.Errorf("created offer: %v", offer)
	}
	status, need := call(t, "POST", api+"/needs", admin, `{"org": "hillside", "title": "Recruiting staff who fit the person", "themes": ["personnel"]}`)
	if status != http.StatusCreated || fmt.Sprint(need["themes"]) != "[personnel]" {
		t.Fatalf("coordinator posts a need for hillside: %d %v", status, need)
	}

	t.Run("bad input changes nothing", func(t *testing.T) {
		for _, tc := range []struct{ body, field string }{
			{`{"title": "x"`, "malformed JSON"},
			{`{"title": "  "}`, "title"},
			{`{"title": "x", "languages": ["zz"]}`, "languages"},
			{`{"title": "x", "countries": ["XX"]}`, "countries"},
			{`{"title": "x", "themes": ["astrology"]}`, "themes"},
			{`{"title": "x", "body": "` + strings.Repeat("a", 20001) + `"}`, "body"},
			{`{"title": "x", "colour": "red"}`, "colour"},
		} {
			status, res := call(t, "POST", api+"/offers", token, tc.body)
			if (status != 400 && status != 422) || !strings.Contains(fmt.Sprint(res["error"]), tc.field) {
				t.Errorf("%s: %d %v", tc.field, status, res)
			}
		}
		_, list := call(t, "GET", api+"/offers", "", "")
		if n := len(list["items"].([]any)); n != 1 {
			t.Errorf("%d offers stored, want 1", n)
		}
	})

	t.Run("authorisation", func(t *testing.T) {
		if status, _ := call(t, "POST", api+"/offers", "", `{"title": "x"}`); status != http.StatusUnauthorized {
			t.Errorf("no token: %d", status)
		}
		if status, _ := call(t, "POST", api+"/offers", "not-a-token", `{"title": "x"}`); status != http.StatusUnauthorized {
			t.Errorf("bad token: %d", status)
		}
		if status, _ := call(t, "PATCH", api+"/offers/"+id, other, `{"title": "mine now"}`); status != http.StatusForbidden {
			t.Errorf("another organisation's offer: %d", status)
		}
		if status, _ := call(t, "GET", api+"/offers/unknown", "", ""); status != http.StatusNotFound {
			t.Errorf("unknown id: %d", status)
		}
	})

	status, patched := call(t, "PATCH", api+"/offers/"+id, token, `{"status": "closed", "countries": ["gb-sct"]}`)
	if status != http.StatusOK || patched["status"] != "closed" || fmt.Sprint(patched["countries"]) != "[GB-SCT]" {
		t.Fatalf("patch: %d %v", status, patched)
	}

	// A restart loses nothing, and the CLI works while the server runs.
	cli(t, "org", "create", "--data", data, "--handle", "lochside", "--name", "Lochside", "--country", "GB-SCT")
	srv.stop()
	srv = startServer(t, data, addr)
	if strings.Contains(srv.out.String(), "/setup/") {
		t.Error("a second coordinator link was printed on restart")
	}
	status, got := call(t, "GET", api+"/offers/"+id, "", "")
	if status != http.StatusOK || got["status"] != "closed" || got["title"] != "How we set up Individual Service Funds" {
		t.Fatalf("after restart: %d %v", status, got)
	}
	if status, _ := call(t, "GET", api+"/orgs/lochside", "", ""); status != http.StatusOK {
		t.Errorf("org created by the CLI while serving: %d", status)
	}
	if status, _ := call(t, "DELETE", api+"/offers/"+id, token, ""); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	if status, _ := call(t, "GET", api+"/offers/"+id, "", ""); status != http.StatusGone {
		t.Errorf("deleted offer: %d, want 410", status)
	}
}

func TestCLIErrors(t *testing.T) {
	data := t.TempDir()
	for _, args := range [][]string{
		{"org", "create", "--data", data, "--handle", "Bad Handle!", "--name", "x", "--country", "GB"},
		{"org", "create", "--data", data, "--handle", "ok", "--name", "x", "--country", "ZZ"},
		{"token", "create", "--data", data, "--org", "nobody"},
		{"token", "create", "--data", data},
		{"serve", "--data", data, "--base-url", "not a url"},
	} {
		out, err := runBinary(args...)
		if err == nil || !strings.Contains(out, "commonplace: ") {
			t.Errorf("%v: want a named error and a non-zero exit, got %v: %s", args, err, out)
		}
	}
}
