package search

import "testing"

func TestLearnImportance(t *testing.T) {
	ix := testIndex()
	gold := [][2]string{{"中华人民共和国数据安全法", "第二十一条"}}
	pairs := []TrainPair{
		{Question: "老公说分类分级是什么", Gold: gold},
		{Question: "老公问国家核心数据分类分级", Gold: gold},
		{Question: "分类分级 老公", Gold: gold},
		{Question: "没有金标准的问题 老公", Gold: [][2]string{{"不存在的法", "第一条"}}},
	}
	imp := ix.LearnImportance(pairs)
	hi, lo := imp.of("分类分级"), imp.of("老公")
	if !(hi > imp.Prior && imp.Prior > lo) {
		t.Fatalf("importance 分类分级 %.3f, prior %.3f, 老公 %.3f: want 分类分级 > prior > 老公", hi, imp.Prior, lo)
	}
	if got := imp.of("从未出现"); got != imp.Prior {
		t.Fatalf("unseen word %.3f, want the prior %.3f", got, imp.Prior)
	}
	if (*Importance)(nil).of("x") != 1 {
		t.Fatal("no importance model must weigh every word 1")
	}
}
