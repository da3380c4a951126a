package federation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/citizen-network/commonplace/library"
)

// Peer states.
const (
	peerRequested = "requested"         // we asked; waiting for their Accept
	peerAwaiting  = "awaiting_approval" // they asked; waiting for our coordinator (allowlist mode)
	peerPeered    = "peered"
	peerRejected  = "rejected"
)

// Peer is another node this one federates with as a whole: their instance
// actors follow each other, and each delivers its public and network-visible
// objects to the other.
type Peer struct {
	Domain        string     `json:"domain"`
	BaseURL       string     `json:"base_url"`
	ActorID       string     `json:"actor_id"`
	State         string     `json:"state"`
	BackfilledAt  *time.Time `json:"backfilled_at,omitempty"`
	BackfillError string     `json:"backfill_error,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// AddPeer asks another node to peer: our instance actor follows theirs. In
// allowlist mode the domain is listed, since the coordinator chose it.
func (s *Service) AddPeer(ctx context.Context, rawURL string) (*Peer, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, library.Invalid("url", "must be the address of a node, like https://commonplace.example.org")
	}
	domain := strings.ToLower(u.Host)
	if domain == s.host {
		return nil, library.Invalid("url", "is this node")
	}
	if s.domainBlocked(domain) {
		return nil, library.Invalid("url", "%s is blocked; remove the block first", domain)
	}
	if err := s.checkURL(u); err != nil {
		return nil, library.Invalid("url", "%v", err)
	}
	actorID, err := s.discoverInstanceActor(ctx, u)
	if err != nil {
		return nil, peerFailure(u, err)
	}
	remote, err := s.remoteActor(ctx, actorID, true)
	if err != nil {
		return nil, peerFailure(u, err)
	}
	if s.mode(ctx) == ModeAllowlist {
		if err := s.AllowDomain(ctx, domain, "peer added by the coordinator"); err != nil {
			return nil, err
		}
	}
	p, err := s.peer(ctx, domain)
	state := peerRequested
	if err == nil && p.State == peerPeered {
		state = peerPeered
	}
	if err := s.savePeer(ctx, domain, u.Scheme+"://"+u.Host, remote.ID, state); err != nil {
		return nil, err
	}
	if err == nil && p.State == peerAwaiting {
		if err := s.ApprovePeer(ctx, domain); err != nil {
			return nil, err
		}
	}
	if err := s.follow(ctx, s.instance(), remote, true); err != nil {
		return nil, err
	}
	return s.peer(ctx, domain)
}

// peerFailure says in a sentence why a node could not be asked to peer; the
// chain of causes is for the log, not the coordinator.
func peerFailure(u *url.URL, err error) error {
	base := u.Scheme + "://" + u.Host
	var ue *UnreachableError
	if errors.As(remoteFailure(base, u.Host, err), &ue) {
		return library.Invalid("url", "could not reach %s: is the address right, and is the node up?", base)
	}
	return library.Invalid("url", "no Commonplace node answers at %s", base)
}

// discoverInstanceActor finds a node's instance actor: a URL with a path is
// taken as the actor itself, else WebFinger acct:instance@host is asked.
func (s *Service) discoverInstanceActor(ctx context.Context, u *url.URL) (string, error) {
	if p := strings.Trim(u.Path, "/"); p != "" {
		return u.String(), nil
	}
	actor, err := s.webfingerLookup(ctx, u.Scheme, instanceUsername, u.Host)
	if err != nil {
		return "", err
	}
	return actor, nil
}

// onPeerFollow answers another node's request to peer. It is accepted in open
// mode, for allowed domains, and for nodes we asked ourselves; otherwise it
// waits for the coordinator. Once accepted, we follow back: peering is mutual.
func (s *Service) onPeerFollow(ctx context.Context, followID string, remote *remoteActor) error {
	p, perr := s.peer(ctx, remote.Domain)
	asked := perr == nil && (p.State == peerRequested || p.State == peerPeered)
	if !asked && s.mode(ctx) == ModeAllowlist && s.policyFor(remote.Domain) != policyAllow {
		if err := s.saveFollow(ctx, followRow{ID: followID, Follower: remote.ID, Followee: s.InstanceActor(), State: followPending}); err != nil {
			return err
		}
		s.log.Info("peer request waits for the coordinator", "domain", remote.Domain)
		return s.savePeer(ctx, remote.Domain, baseOf(remote.ID), remote.ID, peerAwaiting)
	}
	if err := s.acceptFollow(ctx, s.instance(), remote, followID); err != nil {
		return err
	}
	if err := s.savePeer(ctx, remote.Domain, baseOf(remote.ID), remote.ID, peerPeered); err != nil {
		return err
	}
	return s.follow(ctx, s.instance(), remote, false)
}

// ApprovePeer accepts a node's pending peer request (allowlist mode).
func (s *Service) ApprovePeer(ctx context.Context, domain string) error {
	p, err := s.peer(ctx, domain)
	if err != nil {
		return err
	}
	remote, err := s.remoteActor(ctx, p.ActorID, false)
	if err != nil {
		return err
	}
	if s.mode(ctx) == ModeAllowlist {
		if err := s.AllowDomain(ctx, p.Domain, "peer approved by the coordinator"); err != nil {
			return err
		}
	}
	f, err := s.followBetween(ctx, remote.ID, s.InstanceActor())
	if err == nil && f.State != followAccepted {
		if err := s.acceptFollow(ctx, s.instance(), remote, f.ID); err != nil {
			return err
		}
	}
	if err := s.savePeer(ctx, p.Domain, p.BaseURL, p.ActorID, peerPeered); err != nil {
		return err
	}
	return s.follow(ctx, s.instance(), remote, false)
}

// peerAccepted completes peering after the other node accepted our Follow.
func (s *Service) peerAccepted(ctx context.Context, actorID string) error {
	domain := hostOf(actorID)
	if err := s.savePeer(ctx, domain, baseOf(actorID), actorID, peerPeered); err != nil {
		return err
	}
	s.requestBackfill(domain)
	return nil
}

// greetPeers fetches every peer's instance actor at start, with a signed GET:
// it refreshes their keys, and tells each peer that this node is back, so
// that deliveries they held for it are retried at once (see signOfLife).
func (s *Service) greetPeers(ctx context.Context) {
	peers, err := s.Peers(ctx)
	if err != nil {
		return
	}
	for _, p := range peers {
		if p.State != peerPeered || ctx.Err() != nil {
			continue
		}
		if _, err := s.remoteActor(ctx, p.ActorID, true); err != nil {
			s.log.Info("peer did not answer at start", "domain", p.Domain, "error", err)
		}
	}
}

// Peers lists the peer nodes.
func (s *Service) Peers(ctx context.Context) ([]Peer, error) {
	var out []Peer
	err := s.db.WithContext(ctx).Table("federation_peers").Order("domain").Find(&out).Error
	return out, err
}

func (s *Service) peer(ctx context.Context, domain string) (*Peer, error) {
	var out []Peer
	if err := s.db.WithContext(ctx).Table("federation_peers").Where("domain = ?", strings.ToLower(domain)).Find(&out).Error; err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("federation: peer %s: %w", domain, library.ErrNotFound)
	}
	return &out[0], nil
}

func (s *Service) savePeer(ctx context.Context, domain, baseURL, actorID, state string) error {
	t := now()
	err := s.db.WithContext(ctx).Exec(`INSERT INTO federation_peers (domain, base_url, actor_id, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (domain) DO UPDATE SET base_url = excluded.base_url,
		actor_id = excluded.actor_id, state = excluded.state, updated_at = excluded.updated_at`,
		domain, baseURL, actorID, state, t, t).Error
	if err != nil {
		return fmt.Errorf("federation: store peer %s: %w", domain, err)
	}
	return nil
}

func (s *Service) setPeerState(ctx context.Context, domain, state string) error {
	return s.db.WithContext(ctx).Exec(`UPDATE federation_peers SET state = ?, updated_at = ? WHERE domain = ?`, state, now(), domain).Error
}

// isPeerDomain reports whether host is a peered node.
func (s *Service) isPeerDomain(ctx context.Context, host string) bool {
	p, err := s.peer(ctx, host)
	return err == nil && p.State == peerPeered
}

// isPeerActor reports whether actorID is the instance actor of a node whose
// follow of our instance actor we accepted: it may read network-visible objects.
func (s *Service) isPeerActor(ctx context.Context, actorID string) bool {
	f, err := s.followBetween(ctx, actorID, s.InstanceActor())
	return err == nil && f.State == followAccepted
}

// baseOf is scheme://host of an IRI.
func baseOf(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
