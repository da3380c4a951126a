package federation

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// Namespace is the fixed IRI of Commonplace's extension vocabulary; its terms
// carry what another Commonplace node needs to recover every field of an offer
// or a need. Its prefix in JSON is "commonplace".
const Namespace = "https://commonplace.citizen-network.org/ns#"

// Extension property names, as they appear in our JSON.
const (
	propKind      = "commonplace:kind"
	propThemes    = "commonplace:themes"
	propFormats   = "commonplace:formats"
	propLanguages = "commonplace:languages"
	propCountries = "commonplace:countries"
	propStatus    = "commonplace:status"
	propCountry   = "commonplace:country"
)

// ldContext is the one @context of every document we serve. go-fed's
// Serialize writes a context of its own in random order; we replace it with
// this fixed one so that the extension terms are always declared.
var ldContext = []any{
	"https://www.w3.org/ns/activitystreams",
	"https://w3id.org/security/v1",
	map[string]any{
		"commonplace":               Namespace,
		"toot":                      "http://joinmastodon.org/ns#",
		"Hashtag":                   "as:Hashtag",
		"sensitive":                 "as:sensitive",
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"movedTo":                   map[string]any{"@id": "as:movedTo", "@type": "@id"},
		"alsoKnownAs":               map[string]any{"@id": "as:alsoKnownAs", "@type": "@id"},
		propThemes:                  map[string]any{"@id": propThemes, "@type": "@id"},
	},
}

// document is a serialised ActivityStreams document, ready to be sent.
type document map[string]any

// serialize turns a go-fed value into a document with our @context.
func serialize(t vocab.Type) (document, error) {
	m, err := streams.Serialize(t)
	if err != nil {
		return nil, fmt.Errorf("federation: serialise %s: %w", t.GetTypeName(), err)
	}
	m["@context"] = ldContext
	// go-fed writes a single value without its array; a page's items stay a
	// list, since some readers expect one.
	if items, ok := m["orderedItems"]; ok {
		if _, isList := items.([]any); !isList {
			m["orderedItems"] = []any{items}
		}
	}
	return document(m), nil
}

// bytes encodes the document as JSON.
func (d document) bytes() []byte {
	b, err := json.Marshal(d)
	if err != nil {
		panic("federation: a document does not encode: " + err.Error())
	}
	return b
}

// mustIRI parses an IRI that we built ourselves or that passed validation.
func mustIRI(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{Opaque: s}
	}
	return u
}

// extensible is any go-fed value that keeps unknown properties.
type extensible interface {
	GetUnknownProperties() map[string]interface{}
}

// extend adds properties go-fed does not know (endpoints, discoverable,
// contentMap next to content, our extension terms) to a value.
func extend(t extensible, props map[string]any) {
	u := t.GetUnknownProperties()
	for k, v := range props {
		u[k] = v
	}
}

func idProperty(s string) vocab.JSONLDIdProperty {
	p := streams.NewJSONLDIdProperty()
	p.Set(mustIRI(s))
	return p
}

func typeProperty(name string) vocab.JSONLDTypeProperty {
	p := streams.NewJSONLDTypeProperty()
	p.AppendXMLSchemaString(name)
	return p
}

func nameProperty(s string) vocab.ActivityStreamsNameProperty {
	p := streams.NewActivityStreamsNameProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func summaryProperty(s string) vocab.ActivityStreamsSummaryProperty {
	p := streams.NewActivityStreamsSummaryProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func contentProperty(s string) vocab.ActivityStreamsContentProperty {
	p := streams.NewActivityStreamsContentProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func urlProperty(s string) vocab.ActivityStreamsUrlProperty {
	p := streams.NewActivityStreamsUrlProperty()
	p.AppendIRI(mustIRI(s))
	return p
}

func publishedProperty(t time.Time) vocab.ActivityStreamsPublishedProperty {
	p := streams.NewActivityStreamsPublishedProperty()
	p.Set(t.UTC().Truncate(time.Second))
	return p
}

func updatedProperty(t time.Time) vocab.ActivityStreamsUpdatedProperty {
	p := streams.NewActivityStreamsUpdatedProperty()
	p.Set(t.UTC().Truncate(time.Second))
	return p
}

func actorProperty(iri string) vocab.ActivityStreamsActorProperty {
	p := streams.NewActivityStreamsActorProperty()
	p.AppendIRI(mustIRI(iri))
	return p
}

func attributedToProperty(iri string) vocab.ActivityStreamsAttributedToProperty {
	p := streams.NewActivityStreamsAttributedToProperty()
	p.AppendIRI(mustIRI(iri))
	return p
}

func toProperty(iris []string) vocab.ActivityStreamsToProperty {
	p := streams.NewActivityStreamsToProperty()
	for _, s := range iris {
		p.AppendIRI(mustIRI(s))
	}
	return p
}

func ccProperty(iris []string) vocab.ActivityStreamsCcProperty {
	p := streams.NewActivityStreamsCcProperty()
	for _, s := range iris {
		p.AppendIRI(mustIRI(s))
	}
	return p
}

func objectIRIProperty(iri string) vocab.ActivityStreamsObjectProperty {
	p := streams.NewActivityStreamsObjectProperty()
	p.AppendIRI(mustIRI(iri))
	return p
}
