package ruzhang

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// auditTimeFormat has a fixed width so that the text sorts as the time.
const auditTimeFormat = "2006-01-02T15:04:05.000000000Z"

// ErrLedgerNotFound is returned for an organisation or asset that does not
// exist or belongs to another user (the two are not told apart).
var ErrLedgerNotFound = errors.New("台账或资产不存在")

// Org is an organisation whose data assets are kept in a ledger.
type Org struct {
	ID        string    `json:"id"`
	OwnerID   string    `json:"-"`
	Name      string    `json:"name"`
	OrgType   string    `json:"org_type"`
	CreatedAt time.Time `json:"created_at"`
}

// Asset is one data asset of an organisation's ledger.
type Asset struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Name      string    `json:"name"`
	Case      Case      `json:"case"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// LedgerStore keeps organisations, assets and the audit trail (migration
// 00009). Every read and write is scoped by the owner's user id, and every
// write records an audit line in the same transaction.
type LedgerStore struct{ db *sql.DB }

// NewLedgerStore uses db, which must have the platform's migrations applied.
func NewLedgerStore(db *sql.DB) *LedgerStore { return &LedgerStore{db: db} }

// CreateOrg adds an organisation owned by user.
func (s *LedgerStore) CreateOrg(ctx context.Context, userID, username, name, orgType string) (*Org, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case name == "":
		return nil, errors.New("请填写组织名称")
	case utf8.RuneCountInString(name) > MaxTitle:
		return nil, fmt.Errorf("组织名称过长（最多 %d 个字）", MaxTitle)
	}
	if orgType == "" {
		orgType = OrgEnterprise
	}
	if orgType != OrgEnterprise && orgType != OrgGovernment {
		return nil, errors.New("组织类型应为 enterprise（企业）或 government（行政事业单位）")
	}
	now := time.Now().UTC()
	o := &Org{ID: newCaseID(), OwnerID: userID, Name: name, OrgType: orgType, CreatedAt: now}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := underQuota(ctx, tx, `SELECT COUNT(*) FROM ledger_orgs WHERE owner_id = ?`, userID, MaxOrgsPerUser, "每位会员的台账"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_orgs (id, owner_id, name, org_type, created_at) VALUES (?, ?, ?, ?, ?)`,
			o.ID, userID, name, orgType, now.Format(timeFormat)); err != nil {
			return err
		}
		return audit(ctx, tx, o.ID, "", userID, username, "创建台账", name+"（"+orgTypeLabel(orgType)+"）", now)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func orgTypeLabel(t string) string {
	if t == OrgGovernment {
		return "行政事业单位"
	}
	return "企业"
}

// Orgs lists the user's organisations, oldest first.
func (s *LedgerStore) Orgs(ctx context.Context, userID string) ([]Org, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, owner_id, name, org_type, created_at FROM ledger_orgs WHERE owner_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Org
	for rows.Next() {
		var o Org
		var at string
		if err := rows.Scan(&o.ID, &o.OwnerID, &o.Name, &o.OrgType, &at); err != nil {
			return nil, err
		}
		o.CreatedAt, _ = time.Parse(timeFormat, at)
		out = append(out, o)
	}
	return out, rows.Err()
}

// Org returns one of the user's organisations.
func (s *LedgerStore) Org(ctx context.Context, userID, orgID string) (*Org, error) {
	var o Org
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT id, owner_id, name, org_type, created_at FROM ledger_orgs WHERE id = ? AND owner_id = ?`, orgID, userID).
		Scan(&o.ID, &o.OwnerID, &o.Name, &o.OrgType, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLedgerNotFound
	}
	if err != nil {
		return nil, err
	}
	o.CreatedAt, _ = time.Parse(timeFormat, at)
	return &o, nil
}

// PutAsset validates the case (it must evaluate without errors, with the
// organisation's type) and stores it as a new asset (assetID "") or over
// an existing one. The audit line records the change.
func (s *LedgerStore) PutAsset(ctx context.Context, userID, username, orgID, assetID string, c Case) (*Asset, error) {
	org, err := s.Org(ctx, userID, orgID)
	if err != nil {
		return nil, err
	}
	if c.OrgType == "" {
		c.OrgType = org.OrgType
	}
	if c.OrgType != org.OrgType {
		return nil, &ValidationError{Errors: []FieldError{{Field: "org_type", Message: "资产的组织类型与台账（" + orgTypeLabel(org.OrgType) + "）不一致"}}}
	}
	res, err := Evaluate(c)
	if err != nil {
		return nil, err
	}
	// Filing a recognised asset without any evidence of control is what an
	// auditor would refuse first: the ledger requires it.
	for _, ch := range res.Checks {
		if ch.Code == "control_evidence_missing" {
			return nil, &ValidationError{Errors: []FieldError{{Field: ch.Field, Message: ch.Message + "（依据：" + ch.Citation + "）"}}}
		}
	}
	name, err := CleanTitle("", c)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	a := &Asset{ID: assetID, OrgID: orgID, Name: name, CreatedAt: now, UpdatedAt: now}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		action, detail := "新增资产", name
		if assetID == "" {
			if err := underQuota(ctx, tx, `SELECT COUNT(*) FROM ledger_assets WHERE org_id = ?`, orgID, MaxAssetsPerOrg, "每本台账的资产"); err != nil {
				return err
			}
			a.ID = newCaseID()
		} else {
			var old, created string
			err := tx.QueryRowContext(ctx, `SELECT case_json, created_at FROM ledger_assets WHERE id = ? AND org_id = ?`, assetID, orgID).Scan(&old, &created)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrLedgerNotFound
			}
			if err != nil {
				return err
			}
			a.CreatedAt, _ = time.Parse(timeFormat, created)
			var oc Case
			_ = json.Unmarshal([]byte(old), &oc)
			action, detail = "修改资产", name+"："+diffCase(oc, c)
		}
		c.ID = a.ID
		a.Case = c
		data, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_assets (id, org_id, name, case_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, case_json = excluded.case_json, updated_at = excluded.updated_at`,
			a.ID, orgID, name, string(data), a.CreatedAt.Format(timeFormat), now.Format(timeFormat)); err != nil {
			return err
		}
		return audit(ctx, tx, orgID, a.ID, userID, username, action, detail, now)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// diffCase names the top-level fields that changed, for the audit trail.
func diffCase(a, b Case) string {
	var ma, mb map[string]json.RawMessage
	da, _ := json.Marshal(a)
	db, _ := json.Marshal(b)
	_ = json.Unmarshal(da, &ma)
	_ = json.Unmarshal(db, &mb)
	var changed []string
	for k, v := range mb {
		if string(ma[k]) != string(v) {
			changed = append(changed, k)
		}
	}
	for k := range ma {
		if _, ok := mb[k]; !ok {
			changed = append(changed, k)
		}
	}
	if len(changed) == 0 {
		return "无变化"
	}
	sortStrings(changed)
	return "修改了 " + strings.Join(changed, "、")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Assets lists an organisation's assets, oldest first.
func (s *LedgerStore) Assets(ctx context.Context, userID, orgID string) ([]Asset, error) {
	if _, err := s.Org(ctx, userID, orgID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, org_id, name, case_json, created_at, updated_at FROM ledger_assets WHERE org_id = ? ORDER BY created_at, id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Asset
	for rows.Next() {
		var a Asset
		var data, c, u string
		if err := rows.Scan(&a.ID, &a.OrgID, &a.Name, &data, &c, &u); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &a.Case); err != nil {
			return nil, fmt.Errorf("资产 %s 数据损坏：%w", a.ID, err)
		}
		a.CreatedAt, _ = time.Parse(timeFormat, c)
		a.UpdatedAt, _ = time.Parse(timeFormat, u)
		out = append(out, a)
	}
	return out, rows.Err()
}

// DeleteAsset removes an asset (the audit trail keeps the record).
func (s *LedgerStore) DeleteAsset(ctx context.Context, userID, username, orgID, assetID string) error {
	if _, err := s.Org(ctx, userID, orgID); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM ledger_assets WHERE id = ? AND org_id = ?`, assetID, orgID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrLedgerNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ledger_assets WHERE id = ? AND org_id = ?`, assetID, orgID); err != nil {
			return err
		}
		return audit(ctx, tx, orgID, assetID, userID, username, "删除资产", name, time.Now().UTC())
	})
}

// Audit returns the organisation's audit trail, oldest first.
func (s *LedgerStore) Audit(ctx context.Context, userID, orgID string) ([]AuditRecord, error) {
	if _, err := s.Org(ctx, userID, orgID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.username, a.action, a.detail, a.at, COALESCE(s.name, a.asset_id) FROM ledger_audit a
LEFT JOIN ledger_assets s ON s.id = a.asset_id WHERE a.org_id = ? ORDER BY a.at, a.id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		var at string
		if err := rows.Scan(&r.User, &r.Action, &r.Detail, &at, &r.Asset); err != nil {
			return nil, err
		}
		r.At, _ = time.Parse(auditTimeFormat, at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Evaluate runs every asset of the organisation (in order) for reports.
func (s *LedgerStore) Evaluate(ctx context.Context, userID, orgID string) ([]*Result, []Asset, error) {
	assets, err := s.Assets(ctx, userID, orgID)
	if err != nil {
		return nil, nil, err
	}
	var rs []*Result
	for _, a := range assets {
		r, err := Evaluate(a.Case)
		if err != nil {
			return nil, nil, fmt.Errorf("资产“%s”：%w", a.Name, err)
		}
		rs = append(rs, r)
	}
	return rs, assets, nil
}

func audit(ctx context.Context, tx *sql.Tx, orgID, assetID, userID, username, action, detail string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ledger_audit (id, org_id, asset_id, user_id, username, action, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		newCaseID(), orgID, assetID, userID, username, action, detail, at.UTC().Format(auditTimeFormat))
	return err
}

func (s *LedgerStore) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
