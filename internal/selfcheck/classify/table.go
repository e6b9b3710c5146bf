package classify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits on an uploaded catalogue.
const (
	MaxUploadBytes = 4 << 20
	MaxRows        = 5000
)

// Columns: each accepts its Chinese header or the English key.
var columns = []struct{ key, zh string }{
	{"name", "数据项"}, {"description", "说明"}, {"personal_info", "个人信息"}, {"sensitive", "敏感个人信息"},
	{"core_impact", "关系国家安全"}, {"listed_important", "已列入重要数据目录"}, {"industrial_level", "工业数据级别"},
}

// Template is the CSV header users fill in.
func Template() string {
	var h []string
	for _, c := range columns {
		h = append(h, c.zh)
	}
	return strings.Join(h, ",") + "\n"
}

// Read parses a catalogue from CSV (UTF-8) or XLSX, by file name and
// content. Errors name the row and column.
func Read(name string, data []byte) ([]Item, error) {
	if len(data) > MaxUploadBytes {
		return nil, fmt.Errorf("文件超过 %d MB", MaxUploadBytes>>20)
	}
	var rows [][]string
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".xlsx"):
		if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
			return nil, errors.New("不是有效的 .xlsx 文件")
		}
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
		if err != nil {
			return nil, fmt.Errorf("无法读取 .xlsx: %v", err)
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, errors.New(".xlsx 中没有工作表")
		}
		rows, err = f.GetRows(sheets[0])
		if err != nil {
			return nil, fmt.Errorf("无法读取工作表: %v", err)
		}
	case strings.HasSuffix(lower, ".csv"):
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(data) {
			return nil, errors.New("CSV 须为 UTF-8 编码")
		}
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("CSV 格式错误: %v", err)
			}
			rows = append(rows, rec)
			if len(rows) > MaxRows+1 {
				break
			}
		}
	default:
		return nil, errors.New("只接受 .csv 或 .xlsx 文件")
	}
	if len(rows) == 0 {
		return nil, errors.New("文件为空")
	}
	if len(rows) > MaxRows+1 {
		return nil, fmt.Errorf("数据项超过 %d 行", MaxRows)
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		h = strings.TrimSpace(h)
		for _, c := range columns {
			if h == c.key || h == c.zh {
				idx[c.key] = i
			}
		}
	}
	if _, ok := idx["name"]; !ok {
		return nil, errors.New("表头缺少“数据项”（name）列")
	}
	var items []Item
	for n, rec := range rows[1:] {
		row := n + 2
		get := func(k string) string {
			if i, ok := idx[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		it := Item{Row: row, Name: get("name"), Description: get("description")}
		if it.Name == "" {
			empty := true
			for _, v := range rec {
				if strings.TrimSpace(v) != "" {
					empty = false
				}
			}
			if empty {
				continue
			}
			return nil, fmt.Errorf("第 %d 行：缺少数据项名称", row)
		}
		if utf8.RuneCountInString(it.Name) > 200 || utf8.RuneCountInString(it.Description) > 2000 {
			return nil, fmt.Errorf("第 %d 行：内容过长", row)
		}
		for _, f := range []struct {
			key string
			dst *Tri
		}{{"personal_info", &it.PersonalInfo}, {"sensitive", &it.Sensitive}, {"core_impact", &it.CoreImpact}, {"listed_important", &it.ListedImportant}} {
			v, err := ParseTri(get(f.key))
			if err != nil {
				return nil, fmt.Errorf("第 %d 行“%s”列：%v", row, zhName(f.key), err)
			}
			*f.dst = v
		}
		if it.Sensitive == Yes && it.PersonalInfo == Unanswered {
			it.PersonalInfo = Yes // sensitive personal information is personal information
		}
		if it.Sensitive == Yes && it.PersonalInfo == No {
			return nil, fmt.Errorf("第 %d 行：敏感个人信息必然是个人信息", row)
		}
		switch lv := get("industrial_level"); lv {
		case "", "一级", "二级", "三级":
			it.IndustrialLevel = lv
		default:
			return nil, fmt.Errorf("第 %d 行“工业数据级别”列：应为一级、二级、三级或留空（得到 %q）", row, lv)
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil, errors.New("没有数据项")
	}
	return items, nil
}

func zhName(key string) string {
	for _, c := range columns {
		if c.key == key {
			return c.zh
		}
	}
	return key
}

var exportHeader = []string{"行", "数据项", "说明", "分类", "个人信息", "工业数据级别", "依据", "待回答的问题"}

func exportRows(r Result) [][]string {
	out := [][]string{exportHeader}
	for _, o := range r.Items {
		out = append(out, []string{fmt.Sprint(o.Row), o.Name, o.Description, o.Category, o.PI, o.Industrial,
			strings.Join(o.Reasons, "；"), strings.Join(o.Questions, "；")})
	}
	return out
}

// safeCell keeps a spreadsheet from reading a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV exports the result (UTF-8 with BOM, for spreadsheet programs).
func WriteCSV(w io.Writer, r Result) error {
	if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for _, row := range exportRows(r) {
		for i := range row {
			row[i] = safeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX exports the result with a sheet of notes and citations.
func WriteXLSX(w io.Writer, r Result) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "分类分级结果"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	for i, row := range exportRows(r) {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet("依据与提示"); err != nil {
		return err
	}
	n := 1
	for _, c := range r.Citations {
		vals := []any{c.String(), c.Quote}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := f.SetSheetRow("依据与提示", cell, &vals); err != nil {
			return err
		}
		n++
	}
	for _, note := range r.Notes {
		vals := []any{"提示", note}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := f.SetSheetRow("依据与提示", cell, &vals); err != nil {
			return err
		}
		n++
	}
	return f.Write(w)
}
