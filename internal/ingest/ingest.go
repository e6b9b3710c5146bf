// Package ingest turns source files (the bundled seeds and user uploads) into
// library versions: cleaned text, provision trees and metadata with provenance.
//
// Parsers return versions whose WorkID and ID are empty and whose provisions
// carry local ids (e.g. "c4.a21"); the importer groups versions into works
// and makes the ids global.
package ingest

import "datalex/internal/library"

// Line is one cleaned line of a document together with where it came from.
type Line struct {
	Text string
	No   int // 1-based line number in the source file
	// For single-line sources (seed 003): code-point offsets into that line.
	Offset, OffsetEnd int
	// Table marks a line that belongs to a table run: kept as a row, never
	// joined with its neighbours nor read as a structural marker.
	Table bool
}

// Style hints the structure splitter about the kind of document.
type Style int

const (
	StyleAuto     Style = iota // decide from the markers present
	StyleLegal                 // 编/章/节/条/款/项
	StyleOutline               // 一、/（一）/1./（1）
	StyleStandard              // 1 / 1.1 / 1.1.1 clauses
)

// Parsed is the output of parsing one source file.
type Parsed struct {
	File     string             // source file name as recorded in library.Source
	Versions []*library.Version // document order
	News     []*library.Version // news items (Kind == library.KindNews)
	Warnings []string           // things noticed but not fatal
}
