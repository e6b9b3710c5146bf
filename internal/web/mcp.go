package web

import (
	"net/http"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"datalex/internal/answer"
	"datalex/internal/mcpserver"
)

// mcpServers gives MCP clients (streamable HTTP at /mcp) a server over the
// current library snapshot; it is rebuilt when the snapshot changes so
// that tools see imported and edited documents.
type mcpServers struct {
	mu   sync.Mutex
	snap *snapshot
	srv  *mcp.Server
}

func (m *mcpServers) forSnapshot(snap *snapshot) *mcp.Server {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.snap != snap || m.srv == nil {
		m.snap = snap
		m.srv = mcpserver.New(mcpserver.Deps{
			Catalog:  snap.cat,
			Search:   answer.FromSearch(snap.index, snap.cat),
			Answerer: snap.answer,
		})
	}
	return m.srv
}

// mcpHandler serves the library's MCP tools over streamable HTTP. It reads
// the public library only, so it needs no session or CSRF token; MCP
// clients are not browsers carrying our cookies.
func (s *Server) mcpHandler() http.Handler {
	var servers mcpServers
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server {
		return servers.forSnapshot(s.library())
	}, nil)
}
