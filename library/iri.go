package library

import (
	"strings"

	"gorm.io/gorm"
)

// Local objects keep their IRIs relative to the node ("/offers/ID"), so that a
// CLI command and the server agree on them whatever base URL each was given;
// the hooks below add the store's base URL when a row is read, and take it off
// when one is written.
const baseURLSetting = "commonplace:base_url"

func baseOf(tx *gorm.DB) string {
	v, _ := tx.Get(baseURLSetting)
	s, _ := v.(string)
	return s
}

func absolute(tx *gorm.DB, local bool, iri *string) {
	if local && strings.HasPrefix(*iri, "/") {
		*iri = baseOf(tx) + *iri
	}
}

func relative(tx *gorm.DB, local bool, iri *string) {
	if base := baseOf(tx); local && base != "" {
		*iri = strings.TrimPrefix(*iri, base)
	}
}

// relativeIRI turns one of this node's IRIs into the form it is stored in.
func (s *Store) relativeIRI(iri string) string {
	if rest, ok := strings.CutPrefix(iri, s.cfg.BaseURL); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return iri
}

// AfterFind makes a local organisation's IRIs absolute.
func (o *Organization) AfterFind(tx *gorm.DB) error {
	absolute(tx, o.Local, &o.APID)
	absolute(tx, o.Local, &o.URL)
	return nil
}

// BeforeSave stores a local organisation's IRIs relative to the node.
func (o *Organization) BeforeSave(tx *gorm.DB) error {
	relative(tx, o.Local, &o.APID)
	relative(tx, o.Local, &o.URL)
	return nil
}

// AfterSave gives the caller back absolute IRIs.
func (o *Organization) AfterSave(tx *gorm.DB) error { return o.AfterFind(tx) }

// AfterFind makes a local listing's IRIs absolute.
func (l *Listing) AfterFind(tx *gorm.DB) error {
	absolute(tx, l.Local, &l.APID)
	absolute(tx, l.Local, &l.URL)
	return nil
}

// BeforeSave stores a local listing's IRIs relative to the node.
func (l *Listing) BeforeSave(tx *gorm.DB) error {
	relative(tx, l.Local, &l.APID)
	relative(tx, l.Local, &l.URL)
	return nil
}

// AfterSave gives the caller back absolute IRIs.
func (l *Listing) AfterSave(tx *gorm.DB) error { return l.AfterFind(tx) }
