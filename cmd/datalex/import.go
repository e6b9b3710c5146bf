package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"datalex/internal/importer"
	"datalex/internal/ingest"
	"datalex/internal/store"
)

func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	data := dataDirFlag(fs)
	format := fs.String("format", "auto", "输入格式: auto (.txt/.md/.docx/.pdf) | lawrefbook (目录) | jsonl (条文记录)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "用法: datalex import [--data DIR] [--format auto|lawrefbook|jsonl] [文件或目录 …]\n不带文件时导入内置语料（已导入则跳过）。")
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *data)
	if err != nil {
		return err
	}
	defer st.Close()

	var rep *importer.Report
	switch {
	case len(pos) == 0:
		rep, err = importer.ImportBundled(ctx, st)
	case *format == "lawrefbook":
		rep, err = importLawRefBook(ctx, st, pos)
	case *format == "jsonl":
		rep, err = importJSONL(ctx, st, pos)
	case *format == "auto":
		var files []importer.File
		files, err = readFiles(pos)
		if err == nil {
			rep, err = importer.ImportFiles(ctx, st, files)
		}
	default:
		return fmt.Errorf("未知格式 %q", *format)
	}
	if err != nil {
		return fmt.Errorf("导入失败，资料库未改变: %w", err)
	}
	printReport(rep)
	return nil
}

func printReport(rep *importer.Report) {
	fmt.Printf("文件 %d，跳过（已导入） %d；写入作品 %d，版本 %d，条文 %d\n",
		rep.Files, len(rep.Skipped), rep.Works, rep.Versions, rep.Provision)
	for _, s := range rep.Skipped {
		fmt.Printf("  已导入，跳过: %s\n", s)
	}
	for _, w := range rep.Warnings {
		fmt.Printf("  注意: %s\n", w)
	}
}

// maxImportFile bounds one input file; larger files are refused before
// reading them into memory.
const maxImportFile = 64 << 20

func readFiles(paths []string) ([]importer.File, error) {
	var out []importer.File
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if info.IsDir() {
			return nil, fmt.Errorf("%s 是目录；导入目录请使用 --format lawrefbook", p)
		}
		if info.Size() > maxImportFile {
			return nil, fmt.Errorf("%s 过大（%d 字节，上限 %d）", p, info.Size(), maxImportFile)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, importer.File{Name: filepath.Base(p), Data: data})
	}
	return out, nil
}

func importLawRefBook(ctx context.Context, st *store.Store, dirs []string) (*importer.Report, error) {
	var parsed []*ingest.Parsed
	var digests []importer.File
	for _, dir := range dirs {
		p, err := ingest.ParseLawRefBook(os.DirFS(dir), ".")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
		parsed = append(parsed, p)
		digests = append(digests, importer.File{Name: p.File, Data: []byte(digestOfParsed(p))})
	}
	return importer.ImportParsed(ctx, st, "lawrefbook", parsed, digests)
}

func importJSONL(ctx context.Context, st *store.Store, paths []string) (*importer.Report, error) {
	var parsed []*ingest.Parsed
	files, err := readFiles(paths)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		p, err := ingest.ParseArticleJSONL(f.Name, strings.NewReader(string(f.Data)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		parsed = append(parsed, p)
	}
	if len(parsed) == 0 {
		return nil, errors.New("没有可导入的记录")
	}
	return importer.ImportParsed(ctx, st, "jsonl", parsed, files)
}

// digestOfParsed identifies a parsed directory by its content so that
// importing the same tree twice is a no-op.
func digestOfParsed(p *ingest.Parsed) string {
	var b strings.Builder
	for _, v := range p.Versions {
		b.WriteString(v.Title)
		b.WriteString(v.VersionLabel)
		for _, pr := range v.Provisions {
			b.WriteString(pr.Text)
		}
	}
	return b.String()
}
