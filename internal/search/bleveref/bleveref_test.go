package bleveref

import (
	"testing"

	"datalex/internal/library"
	"datalex/internal/search"
)

func TestBleveReference(t *testing.T) {
	v := &library.Version{ID: "dsl", WorkID: "w", Kind: library.KindRegulation, Title: "中华人民共和国数据安全法",
		Sources: []library.Source{{File: "001.txt", FirstLine: 1, LastLine: 9}}}
	v.Provisions = []*library.Provision{
		{ID: "a21", Kind: library.ProvArticle, Label: "第二十一条", Text: "第二十一条 国家建立数据分类分级保护制度，重要数据目录。", Line: 2},
		{ID: "a36", Kind: library.ProvArticle, Label: "第三十六条", Text: "第三十六条 不得向外国司法或者执法机构提供存储于境内的数据。", Line: 5},
	}
	ix := search.NewIndex([]*library.Version{v})
	b, err := New(ix)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	hits, err := b.Search("外国执法机构", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 || hits[0].Label != "第三十六条" || hits[0].Line != 5 {
		t.Fatalf("hits = %+v", hits)
	}
}
