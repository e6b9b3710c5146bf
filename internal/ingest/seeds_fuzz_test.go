package ingest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzzers for the seed-specific cleaners. The invariants that matter for the
// eval gold are that offsets always point into the original line, in order,
// and that removal only deletes runes (never rewrites them).

// s3FuzzCorpus are nasty seed-003 fragments: markers touching digits, page
// numbers glued to list numbers, doubled banners, year ranges.
var s3FuzzCorpus = []string{
	"",
	"1、",
	"、、、",
	"头1、汇编说明(2023、4-05-14)不满 1147、00 万人研发投71201、入GB/65、T 14885",
	"收益分配3机制。典型应9用场景9112.探索31B.法律法规篇B.法律法规篇32一、国家篇一、国家篇331.工业",
	"目录A.核心篇11.关于加强数据资产管理的指导意见(2023-12-31)22.“数据要素”三年行动计划(20242026 年)(2024-01-04)7",
	"第一章 总则第一条 为规范管理,制定本办法。第二条 依照本办法第三条、第四条规定。财资2023141 号(20242026 年)",
	"登 记 平 台 进 行(http:/)10:30 1,000",
	"第", "（", "(一", "1.", "20242026", "2024 号",
}

func FuzzS3Markers(f *testing.F) {
	for _, s := range s3FuzzCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		in := newS3Text(s)
		out, n := removeChunkMarkers(in)
		checkDeletionOnly(t, in, out)
		if n < 0 || out.len() > in.len() {
			t.Fatalf("n=%d len %d > %d", n, out.len(), in.len())
		}
	})
}

func FuzzS3Footers(f *testing.F) {
	for _, s := range s3FuzzCorpus {
		f.Add(s, 2, 119)
	}
	f.Fuzz(func(t *testing.T, s string, first, last int) {
		if !utf8.ValidString(s) || first < 0 || last-first > 200 {
			return
		}
		in := newS3Text(s)
		out, n := removePageFooters(in, first, last)
		checkDeletionOnly(t, in, out)
		if n < 0 || n > max(0, last-first+1) {
			t.Fatalf("removed %d footers for %d..%d", n, first, last)
		}
	})
}

func FuzzS3Clean(f *testing.F) {
	for _, s := range s3FuzzCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n := utf8.RuneCountInString(s)
		in := newS3Text(s)
		cleaned := cleanS3Text(in)
		checkMonotonic(t, cleaned, n)
		prevEnd := 0
		for _, l := range splitS3Lines(cleaned) {
			checkMonotonic(t, l, n)
			a, b := l.span()
			if l.len() == 0 || a < prevEnd-1 || b > n || a >= b {
				t.Fatalf("line %q span [%d,%d) after %d (n=%d)", l.String(), a, b, prevEnd, n)
			}
			prevEnd = b
		}
	})
}

// FuzzParseSeed003 feeds arbitrary text as line 4 (and the real TOC head
// glued to noise) to the whole parser: it may refuse, never panic, and every
// provision offset lies inside line 4.
func FuzzParseSeed003(f *testing.F) {
	for _, s := range s3FuzzCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		data := "a\nb\nc\n" + s + "\n"
		p, err := ParseSeed003("x.txt", []byte(data))
		if err != nil {
			return
		}
		n := utf8.RuneCountInString(s)
		for _, v := range p.Versions {
			for _, pr := range v.Provisions {
				if pr.Offset < 0 || pr.OffsetEnd > n || pr.Offset > pr.OffsetEnd {
					t.Fatalf("%s %s: [%d,%d) outside line of %d", v.Title, pr.Label, pr.Offset, pr.OffsetEnd, n)
				}
			}
		}
	})
}

// FuzzSeedTextParsers runs the line-based seed parsers (000, 002, 004) on
// arbitrary text: they may refuse, never panic.
func FuzzSeedTextParsers(f *testing.F) {
	for _, s := range []string{
		"", "一、法规速递\n二、数安热点\n", "x\n\n关于某某的意见\n\n一、总体要求\n",
		"一、法规速递\n\n1. 《某办法》\n\n发文机关：甲,乙\n\n发布日期：2024.13.45\n\n时效性：草案/征求意见稿\n\n1. 总则\n\n1.1 目的\n\n文字没有句号但是很长很长很长很长很长很长很长很长\n\n续\n二、数安热点\n\n1. 新闻\n\n**表\n题**\n序号\t名称\n",
		"标题\n\n- 二、甲\n\n一、乙\n\n《网络数据安全管理条例》 (💢 🧎)\n\n第五条 自 2025年1月1日起施行\n",
		"中共中央\u2002国务院关于测试的意见\n各省：\n一、总体要求\n（一）甲\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string, []byte) (*Parsed, error){ParseSeed000, ParseSeed002, ParseSeed004} {
			p, err := parse("x.txt", []byte(s))
			if err != nil {
				continue
			}
			for _, v := range append(p.Versions, p.News...) {
				if v.Title == "" && v.Kind != "" && strings.TrimSpace(s) == "" {
					t.Fatalf("version from blank input")
				}
			}
		}
	})
}

// checkDeletionOnly verifies that out is in with runes deleted: every rune
// of out is the input rune at its recorded offset, offsets strictly rise.
func checkDeletionOnly(t *testing.T, in, out s3Text) {
	t.Helper()
	if len(out.r) != len(out.off) {
		t.Fatalf("runes %d, offsets %d", len(out.r), len(out.off))
	}
	for i, o := range out.off {
		if o < 0 || o >= in.len() || (i > 0 && o <= out.off[i-1]) {
			t.Fatalf("offset %d at %d out of order or bounds", o, i)
		}
		if in.r[o] != out.r[i] {
			t.Fatalf("rune %q at %d is %q in the input", out.r[i], o, in.r[o])
		}
	}
}

// checkMonotonic verifies offsets never decrease and stay within [0, n).
func checkMonotonic(t *testing.T, x s3Text, n int) {
	t.Helper()
	if len(x.r) != len(x.off) {
		t.Fatalf("runes %d, offsets %d", len(x.r), len(x.off))
	}
	for i, o := range x.off {
		if o < 0 || o >= n || (i > 0 && o < x.off[i-1]) {
			t.Fatalf("offset %d at %d out of order or bounds (n=%d)", o, i, n)
		}
	}
}
