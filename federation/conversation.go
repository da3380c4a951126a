package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-fed/activity/streams"

	"github.com/citizen-network/commonplace/library"
)

// The conversation of an accepted introduction travels as direct Notes
// between the two organisation actors: addressed to the other organisation
// alone (never public, never to followers), with a Mention of it, in reply
// to the introduction's Offer — which Mastodon shows as a direct message.
// Our extension terms say what the entry is (a message, the contact shared
// on acceptance, the outcome that closed it) and carry its text as written.

const (
	propEntryKind = "commonplace:entryKind"
	propEntryBody = "commonplace:entryBody"
	propOutcome   = "commonplace:outcome"
)

// SendConversationEntry queues an entry written here to the other side's
// organisation, wrapped in a Create; the Note's id is the entry's.
func (s *Service) SendConversationEntry(ctx context.Context, in *library.Introduction, e *library.ConversationEntry) error {
	from, to := in.FromOrg, in.ToOrg
	if e.FromOrgID == in.ToOrgID {
		from, to = in.ToOrg, in.FromOrg
	}
	if from == nil || to == nil {
		return fmt.Errorf("federation: entry %s of introduction %s without its organisations", e.ID, in.ID)
	}
	other, err := s.remoteActor(ctx, to.APID, false)
	if err != nil {
		return err
	}
	note := streams.NewActivityStreamsNote()
	note.SetJSONLDId(idProperty(e.APID))
	note.SetActivityStreamsAttributedTo(attributedToProperty(from.APID))
	note.SetActivityStreamsContent(contentProperty(plainToHTML(entryText(e))))
	note.SetActivityStreamsTo(toProperty([]string{to.APID}))
	reply := streams.NewActivityStreamsInReplyToProperty()
	reply.AppendIRI(mustIRI(in.APID))
	note.SetActivityStreamsInReplyTo(reply)
	mention := streams.NewActivityStreamsMention()
	href := streams.NewActivityStreamsHrefProperty()
	href.Set(mustIRI(to.APID))
	mention.SetActivityStreamsHref(href)
	mention.SetActivityStreamsName(nameProperty("@" + other.Username + "@" + other.Domain))
	tag := streams.NewActivityStreamsTagProperty()
	tag.AppendActivityStreamsMention(mention)
	note.SetActivityStreamsTag(tag)
	note.SetActivityStreamsPublished(publishedProperty(e.CreatedAt))
	props := map[string]any{propEntryKind: e.Kind, propEntryBody: e.Body}
	if e.Outcome != "" {
		props[propOutcome] = e.Outcome
	}
	extend(note, props)

	create := streams.NewActivityStreamsCreate()
	id := e.APID + "#create"
	create.SetJSONLDId(idProperty(id))
	create.SetActivityStreamsActor(actorProperty(from.APID))
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsNote(note)
	create.SetActivityStreamsObject(obj)
	create.SetActivityStreamsTo(toProperty([]string{to.APID}))
	doc, err := serialize(create)
	if err != nil {
		return err
	}
	return s.send(ctx, outgoing{ID: id, Actor: from.APID, Type: "Create", ObjectID: e.APID, Doc: doc, Inboxes: []string{other.Inbox}})
}

// entryText is what a person reading the Note elsewhere (in Mastodon) sees.
func entryText(e *library.ConversationEntry) string {
	switch e.Kind {
	case library.EntryContact:
		return "Our contact for this introduction: " + e.Body
	case library.EntryOutcome:
		verdict := "it helped"
		if e.Outcome == library.OutcomeNotAFit {
			verdict = "it was not a fit"
		}
		if e.Body == "" {
			return "We closed this introduction: " + verdict + "."
		}
		return "We closed this introduction: " + verdict + ". " + e.Body
	}
	return e.Body
}

// onConversationEntry keeps a direct Note in reply to an introduction
// between the Note's author and one of our organisations; it reports false
// when o is no such Note, for the ordinary handling.
func (s *Service) onConversationEntry(ctx context.Context, actorID string, o object) (bool, error) {
	if o.typ() != "Note" || o.iri("inReplyTo") == "" || o.isPublic() {
		return false, nil
	}
	in, err := s.store.IntroductionByAPID(ctx, o.iri("inReplyTo"))
	if errors.Is(err, library.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if o.iri("attributedTo") != actorID || hostOf(o.id()) != hostOf(actorID) {
		return true, permanent(fmt.Errorf("federation: %s is not %s's to write: %w", o.id(), actorID, library.ErrForbidden))
	}
	org, err := s.store.OrganizationByAPID(ctx, actorID)
	if err != nil {
		return true, permanent(err)
	}
	if in.State == library.IntroPending {
		// The Accept went out first but may arrive second: try again later.
		return true, fmt.Errorf("federation: entry %s for introduction %s, not accepted here yet", o.id(), in.APID)
	}
	kind, body := o.str(propEntryKind), o.str(propEntryBody)
	if kind == "" {
		kind, body = library.EntryMessage, library.PlainText(o.str("content"))
	}
	_, err = s.store.ReceiveEntry(ctx, library.ReceivedEntry{APID: o.id(), IntroductionAPID: in.APID, FromOrgID: org.ID,
		Kind: kind, Body: body, Outcome: o.str(propOutcome)})
	return true, permanent(err)
}
