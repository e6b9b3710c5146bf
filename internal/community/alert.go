package community

import (
	"context"
	"database/sql"
)

// NotifyAlert is a saved search's alert (internal/workspace): new
// documents matching it, or a change of their 时效性.
const NotifyAlert = "alert"

// AddNotification writes an in-app notification inside the caller's
// transaction, so that other modules (the workspace's alerts) record what
// they told a member and the notification together or not at all.
func (s *Service) AddNotification(ctx context.Context, tx *sql.Tx, userID, kind, message, url string) error {
	return s.notify(ctx, tx, Notification{UserID: userID, Kind: kind, Message: message, URL: url})
}
