package ingest

import (
	"strings"

	"datalex/internal/library"
)

// Structure splits the cleaned lines of one document into its provision tree.
// title is the document title (used for citations). Provisions get local ids
// (e.g. "c4.a21", "o2.o2-1"), Label, Path, Citation, Text, Line/LineEnd,
// Depth and Ord; ParentID refers to local ids.
//
// PLACEHOLDER: the first version keeps the whole text as one preamble node;
// the real splitter replaces it.
func Structure(title string, lines []Line, style Style) []*library.Provision {
	if len(lines) == 0 {
		return nil
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.Text)
	}
	p := &library.Provision{
		ID: "pre", Kind: library.ProvPreamble, Label: "正文",
		Path: "正文", Citation: library.CitationFor(title, ""),
		Text: b.String(), Line: lines[0].No, LineEnd: lines[len(lines)-1].No,
		Offset: lines[0].Offset, OffsetEnd: lines[len(lines)-1].OffsetEnd,
	}
	return []*library.Provision{p}
}
