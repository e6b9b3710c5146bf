package classify

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"datalex/internal/selfcheck"
	"datalex/internal/selfcheck/checktest"
)

func TestRefsInLibrary(t *testing.T) {
	checktest.VerifyAll(t, Refs())
}

func TestClassify(t *testing.T) {
	l, _ := selfcheck.Bundled()
	tests := []struct {
		name     string
		it       Item
		category string
		pi       string
		cite     string
	}{
		{"数据安全法 第二十一条第二款 关系国家安全 → 核心数据", Item{Name: "a", CoreImpact: Yes}, Core, Pending, "第二十一条第二款"},
		{"数据安全法 第二十一条第三款 列入目录 → 重要数据", Item{Name: "b", CoreImpact: No, ListedImportant: Yes, PersonalInfo: No}, Important, "非个人信息", "第二十一条第三款"},
		{"第二十一条第一款 neither → 一般数据", Item{Name: "c", CoreImpact: No, ListedImportant: No, PersonalInfo: Yes, Sensitive: No}, General, "个人信息", "第二十一条第一款"},
		{"unanswered → 待判定", Item{Name: "d", ListedImportant: No}, Pending, Pending, "第二十一条第一款"},
		{"个人信息保护法 第二十八条第一款 敏感个人信息", Item{Name: "e", CoreImpact: No, ListedImportant: No, PersonalInfo: Yes, Sensitive: Yes}, General, "敏感个人信息", "第二十八条第一款"},
		{"工业数据分类分级指南 第九条 三级", Item{Name: "f", CoreImpact: No, ListedImportant: No, PersonalInfo: No, IndustrialLevel: "三级"}, General, "非个人信息", "第九条"},
		{"工业数据分类分级指南 第十一条 一级", Item{Name: "g", CoreImpact: No, ListedImportant: No, PersonalInfo: No, IndustrialLevel: "一级"}, General, "非个人信息", "第十一条"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Classify([]Item{tt.it}, l)
			o := r.Items[0]
			if o.Category != tt.category || o.PI != tt.pi {
				t.Fatalf("category %s pi %s", o.Category, o.PI)
			}
			if o.Category == Pending && len(o.Questions) == 0 {
				t.Error("pending without a question")
			}
			found := false
			for _, c := range r.Citations {
				found = found || c.Label == tt.cite
			}
			if strings.Contains(strings.Join(r.Notes, ""), "资料库中未找到") {
				t.Errorf("citations missing from the library: %v", r.Notes)
			}
			if !found {
				t.Errorf("no citation of %s", tt.cite)
			}
			if !strings.Contains(strings.Join(r.Notes, ""), "GB/T 43697-2024") {
				t.Error("the missing standard text is not said")
			}
		})
	}
}

const sampleCSV = "\xef\xbb\xbf数据项,说明,个人信息,敏感个人信息,关系国家安全,已列入重要数据目录,工业数据级别\n" +
	"客户手机号,,是,否,否,否,\n人脸特征,门禁,是,是,否,否,\n" +
	",,,,,,\n工艺参数,,否,,否,否,二级\n"

func TestReadCSVAndExport(t *testing.T) {
	items, err := Read("catalogue.csv", []byte(sampleCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[1].Sensitive != Yes || items[2].IndustrialLevel != "二级" || items[2].Row != 5 {
		t.Fatalf("%+v", items)
	}
	l, _ := selfcheck.Bundled()
	r := Classify(items, l)
	var csvOut, xlsxOut bytes.Buffer
	if err := WriteCSV(&csvOut, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csvOut.String(), "人脸特征") || !strings.Contains(csvOut.String(), "敏感个人信息") {
		t.Error(csvOut.String())
	}
	if err := WriteXLSX(&xlsxOut, r); err != nil {
		t.Fatal(err)
	}
	// Round trip: the exported workbook reads back with the same items.
	f, err := excelize.OpenReader(&xlsxOut)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("分类分级结果")
	if len(rows) != 4 || rows[3][1] != "工艺参数" || rows[3][5] != "二级" {
		t.Errorf("%v", rows)
	}
	// And an uploaded .xlsx in the input format reads like the CSV.
	in := excelize.NewFile()
	for i, row := range [][]any{{"数据项", "个人信息"}, {"订单号", "否"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		in.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	in.Write(&buf)
	if items, err := Read("x.xlsx", buf.Bytes()); err != nil || len(items) != 1 || items[0].PersonalInfo != No {
		t.Errorf("xlsx: %+v %v", items, err)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"x.txt", "数据项\na\n", ".csv 或 .xlsx"},
		{"x.xlsx", "not a zip", ".xlsx"},
		{"x.csv", "名称\na\n", "数据项"},
		{"x.csv", "数据项,个人信息\na,也许\n", "第 2 行“个人信息”列"},
		{"x.csv", "数据项,工业数据级别\na,四级\n", "第 2 行“工业数据级别”"},
		{"x.csv", "数据项,个人信息,敏感个人信息\na,否,是\n", "第 2 行"},
		{"x.csv", "数据项\n", "没有数据项"},
		{"x.csv", "\xff\xfe", "UTF-8"},
		{"x.csv", "", "为空"},
	} {
		if _, err := Read(tc.name, []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: %v, want %s", tc.name, tc.data, err, tc.want)
		}
	}
	if _, err := Read("big.csv", make([]byte, MaxUploadBytes+1)); err == nil {
		t.Error("oversized upload accepted")
	}
}

func FuzzRead(f *testing.F) {
	f.Add("x.csv", []byte(sampleCSV))
	f.Add("x.xlsx", []byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		items, err := Read(name, data)
		if err != nil {
			return
		}
		r := Classify(items, nil)
		if len(r.Items) != len(items) {
			t.Fatal("items lost")
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, r); err != nil {
			t.Fatal(err)
		}
	})
}
