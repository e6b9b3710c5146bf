package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"datalex/internal/library"
)

func TestCorpusDiff(t *testing.T) {
	mk := func(id, date string, texts ...string) *library.Version {
		v := &library.Version{ID: id, WorkID: "w1", Kind: library.KindRegulation, Title: "某办法", IssueDate: date, VersionLabel: date}
		for i, tx := range texts {
			label, _, _ := strings.Cut(tx, " ")
			v.Provisions = append(v.Provisions, &library.Provision{ID: id + "." + label, Kind: library.ProvArticle, Label: label, Text: tx, Ord: i})
		}
		return v
	}
	a := mk("va", "2020-01-01", "第一条 为了规范数据处理活动，制定本办法。", "第二条 本办法自2020年1月1日起施行。")
	b := mk("vb", "2024-01-01", "第一条 为了规范数据处理活动，制定本办法。", "第二条 数据处理者应当建立安全管理制度。", "第三条 本办法自2024年1月1日起施行。")
	vs := []*library.Version{a, b}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	if err := corpusDiff(vs, []string{"w1"}, true, enc); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Old, New string
		Stats    map[string]int
		Rows     []struct{ Op string }
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Old != "va" || got.New != "vb" || got.Stats["same"] != 1 || got.Stats["added"] != 1 || got.Stats["changed"] != 1 {
		t.Errorf("diff %+v", got)
	}
	for _, bad := range [][]string{{}, {"nope"}, {"va", "nope"}} {
		if err := corpusDiff(vs, bad, true, json.NewEncoder(os.Stderr)); err == nil {
			t.Errorf("corpus diff %v: no error", bad)
		}
	}
}
