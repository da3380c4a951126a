package library

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ConsentInput changes what an organisation lets other nodes do with what it
// publishes: index it beyond this node (FEP-5feb indexable), list it in
// directories (discoverable). A nil field stays as it is.
type ConsentInput struct {
	Indexable    *bool `json:"indexable"`
	Discoverable *bool `json:"discoverable"`
}

// SetOrganizationConsent changes a local organisation's consent. The change
// log carries it to federation, which sends an Update of the actor to its
// followers and the peers, and to search.
func (s *Store) SetOrganizationConsent(ctx context.Context, id string, in ConsentInput) (*Organization, error) {
	o, err := s.Organization(ctx, id)
	if err != nil {
		return nil, err
	}
	if !o.Local {
		return nil, fmt.Errorf("library: consent of remote organisation %s: %w", o.Address(), ErrForbidden)
	}
	if in.Indexable != nil {
		o.Indexable = *in.Indexable
	}
	if in.Discoverable != nil {
		o.Discoverable = *in.Discoverable
	}
	o.UpdatedAt = time.Now().UTC()
	err = s.write(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&Organization{}).Where("id = ?", o.ID).
			Updates(map[string]any{"indexable": o.Indexable, "discoverable": o.Discoverable, "updated_at": o.UpdatedAt}).Error
		if err != nil {
			return err
		}
		return recordChange(tx, KindOrganization, o.ID, OpUpdate)
	})
	if err != nil {
		return nil, fmt.Errorf("library: consent of organisation %s: %w", o.Handle, err)
	}
	return o, nil
}

// consentTables are the tables of the kinds that carry their own consent.
var consentTables = map[ObjectKind]string{KindOffer: "listings", KindNeed: "listings", KindStory: "stories", KindEvent: "events"}

// IndexableKind reports whether objects of kind carry their own consent.
func IndexableKind(kind ObjectKind) bool { _, ok := consentTables[kind]; return ok }

// SetIndexable changes whether a local offer, need, story or event may be
// indexed beyond this node; the change log carries it to federation, which
// sends an Update of the object. It returns the organisation that owns it.
func (s *Store) SetIndexable(ctx context.Context, kind ObjectKind, id string, indexable bool) (orgID string, err error) {
	table, ok := consentTables[kind]
	if !ok {
		return "", Invalid("kind", "must be offer, need, story or event")
	}
	err = s.write(ctx, func(tx *gorm.DB) error {
		var rows []struct {
			OrgID string
			Local bool
		}
		q := tx.Table(table).Select("org_id, local").Where("id = ? AND deleted_at IS NULL", id)
		if table == "listings" {
			q = q.Where("kind = ?", string(kind))
		}
		if err := q.Scan(&rows).Error; err != nil {
			return err
		}
		switch {
		case len(rows) == 0:
			return ErrNotFound
		case !rows[0].Local:
			return fmt.Errorf("%w: a remote copy keeps its origin's consent", ErrForbidden)
		}
		orgID = rows[0].OrgID
		err := tx.Table(table).Where("id = ?", id).
			Updates(map[string]any{"indexable": indexable, "updated_at": time.Now().UTC()}).Error
		if err != nil {
			return err
		}
		return recordChange(tx, kind, id, OpUpdate)
	})
	if err != nil {
		return "", fmt.Errorf("library: consent of %s %s: %w", kind, id, err)
	}
	return orgID, nil
}

// Unindexed lists the local offers, needs, stories and events of an
// organisation that withdrew their consent to be indexed beyond this node.
func (s *Store) Unindexed(ctx context.Context, orgID string) ([]ConsentObject, error) {
	var out []ConsentObject
	for _, table := range []string{"listings", "stories", "events"} {
		kind := "'" + string(KindStory) + "'"
		switch table {
		case "listings":
			kind = "kind"
		case "events":
			kind = "'" + string(KindEvent) + "'"
		}
		var rows []ConsentObject
		err := s.db.WithContext(ctx).Table(table).Select("id, "+kind+" AS kind, ap_id, title, updated_at").
			Where("org_id = ? AND local = ? AND indexable = ? AND deleted_at IS NULL", orgID, true, false).
			Order("updated_at DESC").Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("library: objects of %s not indexable: %w", orgID, err)
		}
		for i := range rows {
			if strings.HasPrefix(rows[i].APID, "/") {
				rows[i].APID = s.cfg.BaseURL + rows[i].APID
			}
		}
		out = append(out, rows...)
	}
	return out, nil
}

// ConsentObject is a local object that is not to be indexed beyond this node.
type ConsentObject struct {
	ID        string     `json:"id"`
	Kind      ObjectKind `json:"kind"`
	APID      string     `gorm:"column:ap_id" json:"ap_id"`
	Title     string     `json:"title"`
	UpdatedAt time.Time  `json:"updated_at"`
}
