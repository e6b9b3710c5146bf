package workspace

import (
	"context"
	"time"

	"datalex/internal/library"
	"datalex/internal/web"
	"datalex/internal/workspace"
)

// RunAlerts checks the saved searches every interval while the server
// runs, but only when the library has changed since the last check (a new
// snapshot: an import, an edit, a withdrawal): a search saved meanwhile
// has its baseline already, so an unchanged library has nothing to
// report. The first check runs at the first tick, which catches imports
// made while the server was stopped.
func RunAlerts(ctx context.Context, srv *web.Server, al *workspace.Alerts, every time.Duration) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var last *library.Catalog
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cat := srv.Catalog()
		if cat == last {
			continue
		}
		found, err := al.Run(ctx, Matcher(srv))
		if err != nil {
			if ctx.Err() == nil {
				srv.Logger().Warn("检索订阅检查失败", "err", err)
			}
			continue
		}
		last = cat
		if len(found) > 0 {
			srv.Logger().Info("检索订阅提醒已发送", "alerts", len(found))
		}
	}
}
