package federation

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/citizen-network/commonplace/library"
)

// instanceUsername is the preferredUsername of the node's own actor; the
// library reserves it, so no organisation can take it.
const instanceUsername = "instance"

// localActor is one of this node's actors: an organisation, or the instance
// actor when Org is nil.
type localActor struct {
	ID  string
	Org *library.Organization
}

func (a localActor) inbox() string     { return a.ID + "/inbox" }
func (a localActor) outbox() string    { return a.ID + "/outbox" }
func (a localActor) followers() string { return a.ID + "/followers" }
func (a localActor) following() string { return a.ID + "/following" }
func (a localActor) isInstance() bool  { return a.Org == nil }

func (a localActor) username() string {
	if a.Org == nil {
		return instanceUsername
	}
	return a.Org.Handle
}

// instance is the node's own actor.
func (s *Service) instance() localActor { return localActor{ID: s.InstanceActor()} }

// orgActor is a local organisation's actor.
func orgActor(o *library.Organization) localActor { return localActor{ID: o.APID, Org: o} }

// localActorByIRI finds the local actor an IRI names.
func (s *Service) localActorByIRI(ctx context.Context, iri string) (localActor, error) {
	if iri == s.InstanceActor() {
		return s.instance(), nil
	}
	handle, ok := strings.CutPrefix(iri, s.cfg.BaseURL+"/orgs/")
	if !ok || strings.Contains(handle, "/") {
		return localActor{}, fmt.Errorf("federation: %s is not a local actor: %w", iri, library.ErrNotFound)
	}
	return s.localActorByUsername(ctx, handle)
}

// localActorByUsername finds the local actor with this preferredUsername.
func (s *Service) localActorByUsername(ctx context.Context, name string) (localActor, error) {
	if strings.EqualFold(name, instanceUsername) {
		return s.instance(), nil
	}
	org, err := s.store.OrganizationByHandle(ctx, name)
	if err != nil {
		return localActor{}, err
	}
	return orgActor(org), nil
}

// actorDocument is the ActivityStreams form of a local actor.
func (s *Service) actorDocument(ctx context.Context, a localActor) (document, error) {
	key, err := s.keys.key(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	var t interface {
		vocab.Type
		extensible
	}
	if a.isInstance() {
		t = s.applicationActor(a)
	} else {
		t = organizationActor(a)
	}
	setActorCommon(t.(actorSetters), a, key)
	extend(t, map[string]any{
		"endpoints":                 map[string]any{"sharedInbox": s.SharedInbox()},
		"manuallyApprovesFollowers": a.isInstance() && s.mode(ctx) == ModeAllowlist,
		"discoverable":              !a.isInstance() && a.Org.Discoverable,
		"indexable":                 !a.isInstance() && a.Org.Indexable,
	})
	if !a.isInstance() && a.Org.Country != "" {
		extend(t, map[string]any{propCountry: a.Org.Country})
	}
	if !a.isInstance() && a.Org.MovedTo != "" {
		extend(t, map[string]any{"movedTo": a.Org.MovedTo})
	}
	if !a.isInstance() && a.Org.AlsoKnownAs != "" {
		extend(t, map[string]any{"alsoKnownAs": a.Org.AlsoKnownAsList()})
	}
	return serialize(t)
}

// actorSetters are the setters every actor type shares.
type actorSetters interface {
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsPreferredUsername(vocab.ActivityStreamsPreferredUsernameProperty)
	SetActivityStreamsInbox(vocab.ActivityStreamsInboxProperty)
	SetActivityStreamsOutbox(vocab.ActivityStreamsOutboxProperty)
	SetActivityStreamsFollowers(vocab.ActivityStreamsFollowersProperty)
	SetActivityStreamsFollowing(vocab.ActivityStreamsFollowingProperty)
	SetW3IDSecurityV1PublicKey(vocab.W3IDSecurityV1PublicKeyProperty)
}

func setActorCommon(t actorSetters, a localActor, key *localKey) {
	t.SetJSONLDId(idProperty(a.ID))
	user := streams.NewActivityStreamsPreferredUsernameProperty()
	user.SetXMLSchemaString(a.username())
	t.SetActivityStreamsPreferredUsername(user)
	inbox := streams.NewActivityStreamsInboxProperty()
	inbox.SetIRI(mustIRI(a.inbox()))
	t.SetActivityStreamsInbox(inbox)
	outbox := streams.NewActivityStreamsOutboxProperty()
	outbox.SetIRI(mustIRI(a.outbox()))
	t.SetActivityStreamsOutbox(outbox)
	followers := streams.NewActivityStreamsFollowersProperty()
	followers.SetIRI(mustIRI(a.followers()))
	t.SetActivityStreamsFollowers(followers)
	following := streams.NewActivityStreamsFollowingProperty()
	following.SetIRI(mustIRI(a.following()))
	t.SetActivityStreamsFollowing(following)

	pk := streams.NewW3IDSecurityV1PublicKey()
	pk.SetJSONLDId(idProperty(key.KeyID))
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	owner.SetIRI(mustIRI(a.ID))
	pk.SetW3IDSecurityV1Owner(owner)
	pemProp := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pemProp.Set(key.PublicPEM)
	pk.SetW3IDSecurityV1PublicKeyPem(pemProp)
	keys := streams.NewW3IDSecurityV1PublicKeyProperty()
	keys.AppendW3IDSecurityV1PublicKey(pk)
	t.SetW3IDSecurityV1PublicKey(keys)
}

func organizationActor(a localActor) vocab.ActivityStreamsOrganization {
	o := streams.NewActivityStreamsOrganization()
	o.SetActivityStreamsName(nameProperty(a.Org.Name))
	if a.Org.Summary != "" {
		o.SetActivityStreamsSummary(summaryProperty(plainToHTML(a.Org.Summary)))
	}
	o.SetActivityStreamsUrl(urlProperty(a.Org.URL))
	o.SetActivityStreamsPublished(publishedProperty(a.Org.CreatedAt))
	if a.Org.IconURL != "" {
		img := streams.NewActivityStreamsImage()
		img.SetActivityStreamsUrl(urlProperty(a.Org.IconURL))
		icon := streams.NewActivityStreamsIconProperty()
		icon.AppendActivityStreamsImage(img)
		o.SetActivityStreamsIcon(icon)
	}
	return o
}

func (s *Service) applicationActor(a localActor) vocab.ActivityStreamsApplication {
	app := streams.NewActivityStreamsApplication()
	app.SetActivityStreamsName(nameProperty("Commonplace node " + s.host))
	app.SetActivityStreamsSummary(summaryProperty("<p>The node itself: it peers with other Citizen Network nodes and signs their fetches.</p>"))
	app.SetActivityStreamsUrl(urlProperty(s.cfg.BaseURL + "/"))
	return app
}

// plainToHTML turns plain text with blank-line paragraphs into the HTML
// Mastodon keeps (p and br).
func plainToHTML(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(strings.TrimSpace(para)), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}
