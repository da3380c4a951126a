package anonymise

import (
	"strings"
	"testing"
)

// benchStory builds a story of exactly n characters from the corpus.
func benchStory(tb testing.TB, n int) string {
	tb.Helper()
	files := loadCorpusFiles(tb)
	var b strings.Builder
	for b.Len() < n {
		for _, st := range files {
			b.WriteString(st.body)
			b.WriteString("\n\n")
			if b.Len() >= n {
				break
			}
		}
	}
	runes := []rune(b.String())
	return string(runes[:n])
}

// BenchmarkAnonymise5000 anonymises a 5,000-character story; the goal is
// well under 20 ms. Run with -benchtime to see stories per second.
func BenchmarkAnonymise5000(b *testing.B) {
	a := testAnonymiser(b)
	body := benchStory(b, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		a.Anonymise(Input{Title: "A story", Body: body})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stories/s")
}
