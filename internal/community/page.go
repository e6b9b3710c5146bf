package community

import (
	"context"
	"fmt"
	"strconv"
)

// ThreadPage is everything a thread page shows, loaded in one call so the
// handler stays thin.
type ThreadPage struct {
	Thread      *Thread
	Replies     []*Reply // accepted answer first; hidden ones flagged
	Attachments []*Attachment
	// MyVotes maps "thread:ID" / "reply:ID" to the viewer's vote.
	MyVotes   map[string]int
	Following bool
	// CanAccept: the viewer asked this open question and may accept.
	CanAccept bool
	// CanEdit: the viewer wrote the thread and it is not locked.
	CanEdit bool
}

// Page loads a thread page for viewerID ("" for a guest). Hidden threads
// return ErrHidden unless showHidden (moderators).
func (s *Service) Page(ctx context.Context, threadID int64, viewerID string, showHidden bool) (*ThreadPage, error) {
	th, err := s.Thread(ctx, threadID)
	if err != nil {
		return nil, err
	}
	if th.Hidden && !showHidden {
		return nil, ErrHidden
	}
	p := &ThreadPage{Thread: th, MyVotes: map[string]int{}}
	if p.Replies, err = s.Replies(ctx, threadID); err != nil {
		return nil, err
	}
	cites, err := s.replyCitations(ctx, threadID)
	if err != nil {
		return nil, err
	}
	for _, r := range p.Replies {
		r.Citations = cites[r.ID]
	}
	if p.Attachments, err = s.Attachments(ctx, threadID); err != nil {
		return nil, err
	}
	if viewerID == "" {
		return p, nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT v.target_type, v.target_id, v.value FROM votes v WHERE v.user_id = ? AND (
		(v.target_type = 'thread' AND v.target_id = ?) OR
		(v.target_type = 'reply' AND v.target_id IN (SELECT id FROM replies WHERE thread_id = ?)))`, viewerID, threadID, threadID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var typ string
		var id int64
		var v int
		if err := rows.Scan(&typ, &id, &v); err != nil {
			rows.Close()
			return nil, err
		}
		p.MyVotes[fmt.Sprintf("%s:%d", typ, id)] = v
	}
	rows.Close()
	if p.Following, err = s.IsFollowing(ctx, viewerID, FollowThread, strconv.FormatInt(threadID, 10)); err != nil {
		return nil, err
	}
	p.CanAccept = th.Kind == KindQuestion && th.AuthorID == viewerID && !th.Locked
	p.CanEdit = th.AuthorID == viewerID && !th.Locked
	return p, nil
}

func (s *Service) replyCitations(ctx context.Context, threadID int64) (map[int64][]Citation, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT reply_id, ref, provision_id, citation FROM post_citations
		WHERE thread_id = ? AND reply_id <> 0 ORDER BY reply_id, provision_id`, threadID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]Citation{}
	for rows.Next() {
		var id int64
		var c Citation
		if err := rows.Scan(&id, &c.Ref, &c.ProvisionID, &c.Text); err != nil {
			return nil, err
		}
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}
