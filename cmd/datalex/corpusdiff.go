package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"datalex/internal/library"
	"datalex/internal/versiondiff"
)

// corpusDiff prints the 新旧对照 of two versions of one work, provisions
// paired by content (see internal/versiondiff). With one id (a work or a
// version) it compares the version before it with that one.
func corpusDiff(versions []*library.Version, pos []string, asJSON bool, enc *json.Encoder) error {
	if len(pos) < 1 || len(pos) > 2 {
		return fmt.Errorf("用法: datalex corpus diff [--json] 旧版本ID 新版本ID（或一个作品ID：比较最近两个版本）")
	}
	cat := library.NewCatalog(versions)
	var a, b *library.Version
	if len(pos) == 2 {
		a, b = cat.Resolve(pos[0]), cat.Resolve(pos[1])
		if a == nil || b == nil {
			return fmt.Errorf("找不到 %s", strings.Join(pos, " 或 "))
		}
		if a.WorkID != b.WorkID {
			return fmt.Errorf("《%s》与《%s》不是同一作品的版本", a.Title, b.Title)
		}
	} else {
		v := cat.Resolve(pos[0])
		if v == nil {
			return fmt.Errorf("找不到 %s", pos[0])
		}
		w := cat.Work(v.WorkID)
		if w == nil || len(w.Versions) < 2 {
			return fmt.Errorf("《%s》只有一个版本，无可对照", v.Title)
		}
		b = v
		if cat.Work(pos[0]) != nil {
			b = w.Versions[len(w.Versions)-1]
		}
		for i, o := range w.Versions {
			if o == b {
				if i == 0 {
					a, b = b, w.Versions[1]
				} else {
					a = w.Versions[i-1]
				}
			}
		}
	}
	rows, st := versiondiff.Compare(a, b)
	if asJSON {
		return enc.Encode(struct {
			Old   string                `json:"old"`
			New   string                `json:"new"`
			Stats versiondiff.Stats     `json:"stats"`
			Rows  []versiondiff.JSONRow `json:"rows"`
		}{a.ID, b.ID, st, versiondiff.JSON(rows)})
	}
	fmt.Printf("新旧对照《%s》 %s（%s）→ %s（%s）\n", b.Title, a.VersionLabel, a.ID, b.VersionLabel, b.ID)
	fmt.Printf("相同 %d  仅编号变化 %d  修改 %d  移动 %d  新增 %d  删除 %d\n\n", st.Same, st.Renumbered, st.Changed, st.Moved, st.Added, st.Removed)
	opName := map[string]string{versiondiff.OpSame: "相同", versiondiff.OpRenumbered: "改号", versiondiff.OpChanged: "修改",
		versiondiff.OpMoved: "移动", versiondiff.OpAdded: "新增", versiondiff.OpRemoved: "删除"}
	for _, r := range rows {
		ol, nl := "—", "—"
		if r.Old != nil {
			ol = r.Old.Label
		}
		if r.New != nil {
			nl = r.New.Label
		}
		fmt.Printf("%s\t%s\t→ %s\t%.2f\n", opName[r.Op], ol, nl, r.Similarity)
	}
	return nil
}
