package answer

import (
	"strings"

	"datalex/internal/library"
)

// Policy documents are outlines: 三、（二）3 sits under 三、（二）, which
// sits under 三、. Search may rank the heading (whose text the answerer
// assembles from its parts) because its whole subtree matches the
// question, but the point the answer quotes lies in one part, and a
// practitioner cites that part. narrowToPart moves a chosen heading's
// citation down to the deepest part that holds the sentence answering the
// question. Articles (第X条) are not narrowed: their items are cited as the
// article, as statutes are cited.

// minPartRunes is the shortest part a citation is narrowed to: a shorter
// one is a list entry, whose meaning needs its lead-in.
const minPartRunes = 40

// maxPartDepth bounds the descent (outlines are a few levels deep; a
// malformed tree must not loop).
const maxPartDepth = 8

// narrowToPart returns the part of c (its passage, with the part's whole
// text) that holds c's best sentence for q, and true; or c's own passage
// and false when c is an article, has no parts, or its best sentence is
// in its own text or spread over a list.
func (a *Answerer) narrowToPart(c *candidate, q *Question) (Passage, bool) {
	ix := a.lib
	if ix.cat == nil || len(ix.kids[c.ProvisionID]) == 0 || library.ArticleNumber(c.Label) > 0 {
		return c.Passage, false
	}
	v := ix.cat.Version(c.VersionID)
	if v == nil {
		return c.Passage, false
	}
	best, bestScore := "", 0.0
	for _, s := range splitSentences(c.Text) {
		if sc := sentenceScore(s, q); sc > bestScore {
			best, bestScore = s, sc
		}
	}
	key := squash(best)
	if runeLen(key) < 8 {
		return c.Passage, false
	}
	var part *library.Provision
	id := c.ProvisionID
	for depth := 0; depth < maxPartDepth; depth++ {
		var next *library.Provision
		for _, k := range ix.kids[id] {
			if strings.Contains(squash(ix.fullText(k.ID, k.Text)), key) {
				next = k
				break
			}
		}
		if next == nil {
			break
		}
		part, id = next, next.ID
	}
	if part == nil {
		return c.Passage, false
	}
	text := ix.fullText(part.ID, part.Text)
	if runeLen(strings.TrimSpace(text)) < minPartRunes {
		return c.Passage, false
	}
	p := PassageOf(v, part, c.Score)
	p.Text = text
	return p, true
}
