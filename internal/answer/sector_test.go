package answer

import (
	"reflect"
	"testing"
)

func TestSectorWords(t *testing.T) {
	tests := []struct {
		title string
		want  []string
	}{
		{"中华人民共和国个人信息保护法", nil},
		{"中华人民共和国数据安全法", nil},
		{"证券期货业网络和信息安全管理办法", []string{"证券", "期货"}},
		{"《汽车数据安全管理若干规定（试行）》", []string{"汽车"}},
	}
	for _, tt := range tests {
		got := sectorWords(tt.title)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("sectorWords(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
	q := analyze("车企能把车内视频传到车外吗？", defaultLexicon, nil, nil)
	if !sectorNamed(q, Passage{Document: "汽车数据安全管理若干规定（试行）"}) {
		t.Error("车企 should name the 汽车 sector through the lexicon")
	}
	q = analyze("公司乱用客户的个人信息最多罚多少？", defaultLexicon, nil, nil)
	if sectorNamed(q, Passage{Document: "征信业管理条例"}) {
		t.Error("a general question does not name 征信业")
	}
	if !sectorNamed(q, Passage{Document: "中华人民共和国个人信息保护法"}) {
		t.Error("a general law has no sector")
	}
}
