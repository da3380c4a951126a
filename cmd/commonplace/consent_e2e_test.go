package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestConsentCommand withdraws consent from the command line, beside a
// running server, and reads it back through the API.
func TestConsentCommand(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	srv := startServer(t, data, addr)
	api := srv.base + "/api/v1"
	status, offer := call(t, "POST", api+"/offers", token, `{"title": "How we set up Individual Service Funds"}`)
	if status != http.StatusCreated {
		t.Fatalf("create offer: %d %v", status, offer)
	}
	id := offer["id"].(string)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--org", "riverside"}, "say what to change"},
		{[]string{"--org", "riverside", "--kind", "offer", "--id", id, "--indexable=false"}, "either --org"},
		{[]string{"--kind", "offer", "--indexable=false"}, "go together"},
		{[]string{"--kind", "offer", "--id", id, "--discoverable=false"}, "--discoverable"},
		{[]string{"--org", "nobody", "--indexable=false"}, "no organisation @nobody"},
		{[]string{"--kind", "poem", "--id", id, "--indexable=false"}, "--kind must be"},
		{[]string{"--kind", "need", "--id", id, "--indexable=false"}, "no local need"},
	} {
		out, err := runBinary(append([]string{"consent", "--data", data}, tc.args...)...)
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("%v: want an error naming %q, got %v: %s", tc.args, tc.want, err, out)
		}
	}
	_, report := call(t, "GET", api+"/orgs/riverside/consent", token, "")
	if report["indexable"] != true || len(report["withdrawn"].([]any)) != 0 {
		t.Fatalf("refused commands changed consent: %v", report)
	}

	if out := cli(t, "consent", "--data", data, "--kind", "offer", "--id", id, "--indexable=false"); !strings.Contains(out, "indexable false") {
		t.Errorf("object consent: %s", out)
	}
	if out := cli(t, "consent", "--data", data, "--org", "riverside", "--discoverable=false"); !strings.Contains(out, "indexable true, discoverable false") {
		t.Errorf("organisation consent: %s", out)
	}
	_, report = call(t, "GET", api+"/orgs/riverside/consent", token, "")
	withdrawn := fmt.Sprint(report["withdrawn"])
	if report["discoverable"] != false || !strings.Contains(withdrawn, "/offers/"+id) {
		t.Errorf("consent report after the commands: %v", report)
	}
}
