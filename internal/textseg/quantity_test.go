package textseg

import "testing"

func TestQuantityUnits(t *testing.T) {
	tests := []struct {
		s    string
		want Units
	}{
		{"通过数据出境安全评估的结果有效期为3年，自评估结果出具之日起计算。", UnitYear},
		{"国家网信部门应当自受理之日起45个工作日内完成评估。", UnitWorkday | UnitDay},
		{"本办法自2022年9月1日起施行。", 0},
		{"本办法自二〇二二年九月一日起施行。", 0},
		{"本办法自2022年9月1日起施行，施行前的活动应当在6个月内完成整改。", UnitMonth},
		{"处五十万元以上二百万元以下罚款。", UnitYuan},
		{"累计向境外提供100万人以上个人信息", UnitPerson},
		{"数据分为一级、二级、三级", UnitLevel},
		{"网络日志不少于六个月；24小时内报告", UnitMonth | UnitHour},
		{"第三十二条 一般数据的处理者应当统一管理。", 0},
		{"公示期为3个工作日。", UnitWorkday | UnitDay},
		{"", 0},
	}
	for _, tt := range tests {
		if got := QuantityUnits(tt.s); got != tt.want {
			t.Errorf("QuantityUnits(%q) = %b, want %b", tt.s, got, tt.want)
		}
	}
}

func TestAskedUnit(t *testing.T) {
	tests := []struct {
		q    string
		want Units
	}{
		{"数据出境安全评估批下来以后，能管几年？", UnitYear},
		{"用户日志得保存多少天？", UnitDay},
		{"多少个工作日内答复？", UnitWorkday},
		{"情节严重的话最多能罚多少钱？", UnitYuan},
		{"把数据分为哪几级？", UnitLevel},
		{"累计向境外提供多少万人的个人信息要申报？", UnitPerson},
		{"评估结果有效期多长？", 0},
		{"需要做安全评估吗？", 0},
		{"要多长时间？", 0},
	}
	for _, tt := range tests {
		if got := AskedUnit(tt.q); got != tt.want {
			t.Errorf("AskedUnit(%q) = %b, want %b", tt.q, got, tt.want)
		}
	}
}

func FuzzQuantityUnits(f *testing.F) {
	for _, s := range []string{"有效期为3年", "2022年9月1日", "9月", "个", "三个工作", "几年", "多少万"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := QuantityUnits(s)
		if u&UnitWorkday != 0 && u&UnitDay == 0 {
			t.Errorf("QuantityUnits(%q): a working day not counted as a day", s)
		}
		_ = AskedUnit(s)
	})
}
