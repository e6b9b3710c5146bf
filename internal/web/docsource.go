package web

import (
	"net/url"
	"strings"

	"datalex/internal/ingest"
	"datalex/internal/library"
)

// The document page's 来源 row names the compilation, part, section and
// page (or the imported file), and 官方链接 lists the government links the
// source text gives for the document (see ingest.OfficialLinks).
func init() {
	funcs["sourceText"] = ingest.DescribeSource
	funcs["officialLinks"] = officialLinks
	funcs["linkHost"] = func(link string) string {
		if u, err := url.Parse(link); err == nil && u.Host != "" {
			return u.Host + strings.TrimSuffix(u.Path, "/")
		}
		return link
	}
	fieldNames["official_link"] = "官方链接"
	fieldNames["official_link_2"] = "官方链接"
}

// officialLinks returns the version's official links, in order.
func officialLinks(v *library.Version) []string {
	var out []string
	for _, k := range []string{"official_link", "official_link_2"} {
		if p, ok := v.Provenance[k]; ok && (strings.HasPrefix(p.Note, "https://") || strings.HasPrefix(p.Note, "http://")) {
			out = append(out, p.Note)
		}
	}
	return out
}
