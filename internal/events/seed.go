package events

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"datalex/internal/library"
)

// seedEvent is an event a bundled source reports. Quote is the source's
// own sentence, verbatim: the event is stored only when a library version
// holds it, so a fresh install lists what the sources say happened and
// nothing else. Dates need the day (the calendar has no month-only
// events), which leaves out the sources' month-only mentions such as
// 2021年11月 中国电子政务论坛暨首届数字政府建设峰会.
type seedEvent struct {
	UID   string
	Quote string
	// Year is where the year of a date written without one comes from.
	Year  string
	Event Event
}

var seedEvents = []seedEvent{{
	UID:   "seed-bjinternetcourt-20241030@datalex",
	Quote: "10月30日上午，北京互联网法院召开新闻通报会，通报涉个人信息及数据相关案件审理情况及八起典型案例",
	Year:  "上海市律师协会数据合规与网络安全专业委员会通讯 2024 年 11 月刊，通报的案件统计截至 2024 年 10 月",
	Event: Event{Title: "北京互联网法院涉个人信息及数据相关案件审理情况新闻通报会", StartDate: "2024-10-30", City: "北京",
		Organiser: "北京互联网法院"},
}}

// SeedFromLibrary stores the events the bundled sources report (see
// seedEvents), each linked to the library document that reports it, with
// the quoted sentence as its agenda. Idempotent (keyed by UID); an event
// whose sentence no version holds is skipped. It returns how many events
// it created.
func SeedFromLibrary(ctx context.Context, db *sql.DB, versions []*library.Version) (int, error) {
	n := 0
	for _, se := range seedEvents {
		v := versionQuoting(versions, se.Quote)
		if v == nil {
			continue
		}
		var have int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE uid = ?`, se.UID).Scan(&have); err != nil {
			return n, err
		}
		if have > 0 {
			continue
		}
		e := se.Event
		e.UID = se.UID
		e.RelatedWorks = []string{v.WorkID}
		e.Agenda = "来源原文：" + se.Quote + "。\n\n年份依据：" + se.Year + "。\n\n来源：资料库《" + v.Title + "》。"
		if _, err := Create(ctx, db, &e); err != nil {
			return n, fmt.Errorf("种子活动「%s」: %w", e.Title, err)
		}
		n++
	}
	return n, nil
}

// versionQuoting finds the version whose text holds quote (whitespace
// aside: the sources break lines inside sentences).
func versionQuoting(versions []*library.Version, quote string) *library.Version {
	want := squash(quote)
	for _, v := range versions {
		var b strings.Builder
		for _, p := range v.Provisions {
			b.WriteString(p.Text)
		}
		if strings.Contains(squash(b.String()), want) {
			return v
		}
	}
	return nil
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
