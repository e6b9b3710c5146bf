package ingest

import (
	"errors"
	"strings"
	"testing"

	"datalex/internal/library"
)

func TestParseArticleJSONL(t *testing.T) {
	in := `{"id":"1","name":"中华人民共和国数据安全法","content":"第一条 为了规范数据处理活动，保障数据安全，制定本法。"}
{"id":"2","name":"中华人民共和国数据安全法","content":"第二条 在中华人民共和国境内开展数据处理活动，适用本法。\n在境外开展数据处理活动，损害国家安全的，依法追究法律责任。"}

{"id":3,"name":"某某条例","content":"第一条 依据《中华人民共和国数据安全法》制定本条例。"}
{"id":"4","name":"中华人民共和国数据安全法","content":"第三条 本法所称数据，是指任何以电子或者其他方式对信息的记录。"}
`
	p, err := ParseArticleJSONL("a.jsonl", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Versions) != 2 {
		t.Fatalf("versions = %d", len(p.Versions))
	}
	v := p.Versions[0]
	if v.Title != "中华人民共和国数据安全法" || v.Level != library.LevelLaw || v.Sources[0] != (library.Source{File: "a.jsonl", FirstLine: 1, LastLine: 5}) {
		t.Errorf("v = %+v", v)
	}
	a2 := v.Provision("a2")
	if a2 == nil || a2.Line != 2 || !strings.Contains(a2.Text, "依法追究法律责任") {
		t.Errorf("a2 = %+v", a2)
	}
	if a3 := v.Provision("a3"); a3 == nil || a3.Line != 5 {
		t.Errorf("a3 = %+v", a3)
	}
	if c := p.Versions[1].Citations; len(c) != 1 || c[0].CitedTitle != "中华人民共和国数据安全法" {
		t.Errorf("citations = %+v", c)
	}
}

func TestParseArticleJSONLBad(t *testing.T) {
	for _, tc := range []struct {
		name, in, wantLine string
		want               error
	}{
		{"broken json", "{\"name\":\"x\",\"content\":\"第一条 a\"}\n{oops\n", "第 2 行", ErrCorrupt},
		{"missing content", "\n\n{\"name\":\"x\"}\n", "第 3 行", ErrCorrupt},
		{"array", "[1,2]\n", "第 1 行", ErrCorrupt},
		{"empty", "\n \n", "", ErrEmpty},
		{"too long", "{\"name\":\"x\",\"content\":\"" + strings.Repeat("长", maxJSONLLine/3+10) + "\"}\n", "第 1 行", ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseArticleJSONL("b.jsonl", strings.NewReader(tc.in))
			if p != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.wantLine) {
				t.Errorf("p=%v err=%v", p, err)
			}
		})
	}
	p, err := ParseArticleJSONL("d.jsonl", strings.NewReader(`{"id":"1","name":"x条例","content":"第一条 a"}`+"\n"+`{"id":"1","name":"x条例","content":"第二条 b"}`))
	if err != nil || len(p.Warnings) != 1 {
		t.Errorf("duplicate id: err=%v warnings=%q", err, p.Warnings)
	}
}
