package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"datalex/internal/library"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Import describes one imported file, recorded with its versions.
type Import struct {
	ID        string
	File      string
	SHA256    string
	Format    string
	Documents int
	At        time.Time
}

// HasImport reports whether a file with this digest and format was imported.
func (s *Store) HasImport(ctx context.Context, sha, format string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM imports WHERE sha256 = ? AND format = ?`, sha, format).Scan(&n)
	return n > 0, err
}

// IsEmpty reports whether the library holds no versions.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM versions`).Scan(&n)
	return n == 0, err
}

// SaveImport writes the given works (with all their versions) and the import
// records in one transaction. Versions already stored under the same id are
// replaced, so writing the same import twice changes nothing; if anything
// fails the library is left exactly as it was.
func (s *Store) SaveImport(ctx context.Context, imports []Import, works []*library.Work) error {
	var tx *sql.Tx
	var copyRows func([][]any) error // nil: multi-row INSERTs
	if s.dialect == Postgres {
		// On PostgreSQL the provisions go in through COPY, in the same
		// transaction: the transaction is begun on a connection held for
		// the whole import, and COPY runs on that connection's pgx handle.
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return err
		}
		copyRows = func(rows [][]any) error { return copyProvisions(ctx, conn, rows) }
	} else {
		var err error
		if tx, err = s.db.BeginTx(ctx, nil); err != nil {
			return err
		}
	}
	defer tx.Rollback()
	if err := saveWorks(ctx, tx, works, copyRows); err != nil {
		return err
	}
	for _, im := range imports {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO imports (id, file, sha256, format, documents, imported_at) VALUES (?, ?, ?, ?, ?, ?)
			 ON CONFLICT (id) DO UPDATE SET documents = excluded.documents, imported_at = excluded.imported_at`,
			im.ID, im.File, im.SHA256, im.Format, im.Documents, im.At.UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("记录导入: %w", err)
		}
	}
	if err := s.notifyTx(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// provisionColumns are the provisions columns an import writes, in the
// order of provisionBatch rows.
var provisionColumns = []string{"id", "version_id", "parent_id", "ord", "depth", "kind", "label", "heading", "path",
	"citation", "body", "source_file", "line_start", "line_end", "char_start", "char_end"}

// copyProvisions writes rows with PostgreSQL's COPY on conn, whose open
// transaction it joins (COPY is a statement of the session like any
// other).
func copyProvisions(ctx context.Context, conn *sql.Conn, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		var inner any = dc
		if rc, ok := dc.(*rebindConn); ok {
			inner = rc.Conn
		}
		sc, ok := inner.(*stdlib.Conn)
		if !ok {
			return errNotSupported
		}
		_, err := sc.Conn().CopyFrom(ctx, pgx.Identifier{"provisions"}, provisionColumns, pgx.CopyFromRows(rows))
		return err
	})
}

func saveWorks(ctx context.Context, tx *sql.Tx, works []*library.Work, copyRows func([][]any) error) error {
	prep := func(q string) (*sql.Stmt, error) { return tx.PrepareContext(ctx, q) }
	wStmt, err := prep(`INSERT INTO works (id, title) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title`)
	if err != nil {
		return err
	}
	defer wStmt.Close()
	delStmt, err := prep(`DELETE FROM versions WHERE id = ?`)
	if err != nil {
		return err
	}
	defer delStmt.Close()
	vStmt, err := prep(`INSERT INTO versions (id, work_id, seq, kind, title, version_label, aliases, doc_number, issuers,
		issue_date, effective_date, status, level, region, city, sector, part, subsection, tags, flags, provenance)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer vStmt.Close()
	sStmt, err := prep(`INSERT INTO version_sources (version_id, ord, file, first_line, last_line, char_start, char_end) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer sStmt.Close()
	provs := provisionBatch{tx: tx, copy: copyRows}
	cStmt, err := prep(`INSERT INTO citations (version_id, ord, provision_id, cited_title, work_id, article) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer cStmt.Close()

	for _, w := range works {
		if _, err := wStmt.ExecContext(ctx, w.ID, w.Title); err != nil {
			return fmt.Errorf("保存作品 %s: %w", w.Title, err)
		}
		for _, v := range w.Versions {
			if _, err := delStmt.ExecContext(ctx, v.ID); err != nil {
				return err
			}
			prov, err := json.Marshal(v.Provenance)
			if err != nil {
				return err
			}
			if _, err := vStmt.ExecContext(ctx, v.ID, w.ID, v.Seq, v.Kind, v.Title, v.VersionLabel, jsonList(v.Aliases),
				v.DocNumber, jsonList(v.Issuers), v.IssueDate, v.EffectiveDate, v.Status, v.Level, v.Region, v.City,
				v.Sector, v.Part, v.Subsection, jsonList(v.Tags), jsonList(v.Flags), string(prov)); err != nil {
				return fmt.Errorf("保存版本 %s: %w", v.Title, err)
			}
			for i, src := range v.Sources {
				if _, err := sStmt.ExecContext(ctx, v.ID, i, src.File, src.FirstLine, src.LastLine, src.Offset, src.OffsetEnd); err != nil {
					return err
				}
			}
			for _, p := range v.Provisions {
				if err := provs.add(ctx, p.ID, v.ID, p.ParentID, p.Ord, p.Depth, p.Kind, p.Label, p.Heading, p.Path,
					p.Citation, p.Text, p.File, p.Line, p.LineEnd, p.Offset, p.OffsetEnd); err != nil {
					return err
				}
			}
			for i, c := range v.Citations {
				if _, err := cStmt.ExecContext(ctx, v.ID, i, c.ProvisionID, c.CitedTitle, c.WorkID, c.Article); err != nil {
					return err
				}
			}
		}
	}
	return provs.flush(ctx)
}

// provisionBatch writes provisions many rows to a statement: a library has
// tens of thousands, and one round trip each made a first start on
// PostgreSQL (a network hop per statement) twice as slow as on SQLite.
// provisionBatchRows × 16 columns stays under both engines' limits on
// parameters per statement (SQLite 32,766; PostgreSQL 65,535).
//
// On PostgreSQL (copy set) the rows go through COPY instead, in batches
// of provisionCopyRows: no statement to parse and plan, no parameter
// limit.
type provisionBatch struct {
	tx   *sql.Tx
	args []any
	ids  []string
	copy func([][]any) error
	rows [][]any
}

const (
	provisionBatchRows = 500
	provisionCopyRows  = 5000
)

const provisionInsert = `INSERT INTO provisions (id, version_id, parent_id, ord, depth, kind, label, heading, path, citation, body,
		source_file, line_start, line_end, char_start, char_end) VALUES `

func (b *provisionBatch) add(ctx context.Context, row ...any) error {
	if b.copy != nil {
		b.rows = append(b.rows, row)
		if len(b.rows) >= provisionCopyRows {
			return b.flush(ctx)
		}
		return nil
	}
	b.args = append(b.args, row...)
	b.ids = append(b.ids, row[0].(string))
	if len(b.ids) >= provisionBatchRows {
		return b.flush(ctx)
	}
	return nil
}

func (b *provisionBatch) flush(ctx context.Context) error {
	if len(b.rows) > 0 {
		if err := b.copy(b.rows); err != nil {
			return fmt.Errorf("保存条文 %s 等 %d 条: %w", b.rows[0][0], len(b.rows), err)
		}
		b.rows = b.rows[:0]
	}
	if len(b.ids) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(provisionInsert)
	for i := range b.ids {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	}
	if _, err := b.tx.ExecContext(ctx, q.String(), b.args...); err != nil {
		return fmt.Errorf("保存条文 %s 等 %d 条: %w", b.ids[0], len(b.ids), err)
	}
	b.args, b.ids = b.args[:0], b.ids[:0]
	return nil
}

func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// LoadLibrary reads every version that is not withdrawn, with its sources,
// provisions and citations, in a stable order.
func (s *Store) LoadLibrary(ctx context.Context) ([]*library.Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, work_id, seq, kind, title, version_label, aliases, doc_number, issuers,
		issue_date, effective_date, status, level, region, city, sector, part, subsection, tags, flags, provenance
		FROM versions WHERE withdrawn = 0 ORDER BY seq, id`)
	if err != nil {
		return nil, err
	}
	var out []*library.Version
	byID := map[string]*library.Version{}
	for rows.Next() {
		v := &library.Version{}
		var aliases, issuers, tags, flags, prov string
		if err := rows.Scan(&v.ID, &v.WorkID, &v.Seq, &v.Kind, &v.Title, &v.VersionLabel, &aliases, &v.DocNumber, &issuers,
			&v.IssueDate, &v.EffectiveDate, &v.Status, &v.Level, &v.Region, &v.City, &v.Sector, &v.Part, &v.Subsection,
			&tags, &flags, &prov); err != nil {
			rows.Close()
			return nil, err
		}
		for _, f := range []struct {
			s   string
			dst any
		}{{aliases, &v.Aliases}, {issuers, &v.Issuers}, {tags, &v.Tags}, {flags, &v.Flags}, {prov, &v.Provenance}} {
			if err := json.Unmarshal([]byte(f.s), f.dst); err != nil {
				rows.Close()
				return nil, fmt.Errorf("版本 %s 元数据损坏: %w", v.ID, err)
			}
		}
		out = append(out, v)
		byID[v.ID] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	srows, err := s.db.QueryContext(ctx, `SELECT version_id, file, first_line, last_line, char_start, char_end FROM version_sources ORDER BY version_id, ord`)
	if err != nil {
		return nil, err
	}
	for srows.Next() {
		var id string
		var src library.Source
		if err := srows.Scan(&id, &src.File, &src.FirstLine, &src.LastLine, &src.Offset, &src.OffsetEnd); err != nil {
			srows.Close()
			return nil, err
		}
		if v := byID[id]; v != nil {
			v.Sources = append(v.Sources, src)
		}
	}
	srows.Close()

	prows, err := s.db.QueryContext(ctx, `SELECT id, version_id, parent_id, ord, depth, kind, label, heading, path, citation, body,
		source_file, line_start, line_end, char_start, char_end FROM provisions ORDER BY version_id, ord`)
	if err != nil {
		return nil, err
	}
	for prows.Next() {
		p := &library.Provision{}
		var vid string
		if err := prows.Scan(&p.ID, &vid, &p.ParentID, &p.Ord, &p.Depth, &p.Kind, &p.Label, &p.Heading, &p.Path, &p.Citation,
			&p.Text, &p.File, &p.Line, &p.LineEnd, &p.Offset, &p.OffsetEnd); err != nil {
			prows.Close()
			return nil, err
		}
		if v := byID[vid]; v != nil {
			v.Provisions = append(v.Provisions, p)
		}
	}
	prows.Close()

	crows, err := s.db.QueryContext(ctx, `SELECT version_id, provision_id, cited_title, work_id, article FROM citations ORDER BY version_id, ord`)
	if err != nil {
		return nil, err
	}
	for crows.Next() {
		var vid string
		var c library.Citation
		if err := crows.Scan(&vid, &c.ProvisionID, &c.CitedTitle, &c.WorkID, &c.Article); err != nil {
			crows.Close()
			return nil, err
		}
		if v := byID[vid]; v != nil {
			v.Citations = append(v.Citations, c)
		}
	}
	crows.Close()
	return out, crows.Err()
}

// SetWithdrawn hides (or restores) a version without deleting it.
func (s *Store) SetWithdrawn(ctx context.Context, versionID string, withdrawn bool) error {
	w := 0
	if withdrawn {
		w = 1
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE versions SET withdrawn = ? WHERE id = ?`, w, versionID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("版本不存在: %s", versionID)
	}
	if err := s.notifyTx(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
