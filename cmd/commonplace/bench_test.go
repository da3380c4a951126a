package main

import (
	"net/http"
	"os"
	"testing"
	"time"
)

// BenchmarkServeStartup measures the time from starting `commonplace serve` on an
// existing data folder to its first healthy /healthz.
func BenchmarkServeStartup(b *testing.B) {
	data := b.TempDir()
	cli(b, "org", "create", "--data", data, "--handle", "riverside", "--name", "Riverside", "--country", "GB")
	var total time.Duration
	for range b.N {
		addr := freeAddr(b)
		start := time.Now()
		cmd := command(b, "serve", "--data", data, "--addr", addr, "--base-url", "http://"+addr)
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			res, err := http.Get("http://" + addr + "/healthz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
		total += time.Since(start)
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/startup")
}
