package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStoryRawTextNeverStored posts a story full of personal data through the API
// and then searches every file of the data folder, and every line the server
// logged, for each piece of it.
func TestStoryRawTextNeverStored(t *testing.T) {
	data, addr := t.TempDir(), freeAddr(t)
	cli(t, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside Support", "--country", "GB")
	token := lastLine(cli(t, "token", "create", "--data", data, "--org", "riverside"))
	srv := startServer(t, data, addr, "--log-level", "debug")

	secrets := []string{"Oluwaseun", "Abernethy-Clarke", "oluwaseun.ac@example.org", "07700 900461", "943 476 5919", "EH12 9QT", "14 Gorgie Crescent"}
	body := "Oluwaseun Abernethy-Clarke moved out of the hospital in March. Oluwaseun now lives at 14 Gorgie Crescent, " +
		"Edinburgh EH12 9QT. His sister wrote to oluwaseun.ac@example.org and phones on 07700 900461. " +
		"His NHS number 943 476 5919 was on every letter."
	req, _ := json.Marshal(map[string]any{"title": "Oluwaseun's own front door", "body": body, "countries": []string{"GB-SCT"}})
	status, preview := call(t, "POST", srv.base+"/api/v1/stories/preview", token, string(req))
	if status != http.StatusOK || len(preview["redactions"].([]any)) == 0 {
		t.Fatalf("preview: %d %v", status, preview)
	}
	status, story := call(t, "POST", srv.base+"/api/v1/stories", token, string(req))
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, story)
	}
	for _, s := range secrets {
		if strings.Contains(story["body"].(string)+story["title"].(string), s) {
			t.Errorf("the stored story still says %q", s)
		}
	}
	// A bad update must not echo the text back either.
	bad, _ := json.Marshal(map[string]any{"body": strings.Repeat("Oluwaseun ", 2500)})
	if status, res := call(t, "PATCH", srv.base+"/api/v1/stories/"+story["id"].(string), token, string(bad)); status != 422 || strings.Contains(res["error"].(string), "Oluwaseun") {
		t.Errorf("long body: %d %v", status, res)
	}
	time.Sleep(1500 * time.Millisecond) // let subscribers (the search index) catch up
	srv.stop()
	logs := srv.out.String()
	err := filepath.Walk(data, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("%s contains %q", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the log contains %q", s)
		}
	}
}
