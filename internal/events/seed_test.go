package events

import (
	"context"
	"testing"

	"datalex/internal/library"
	"datalex/internal/selfcheck/checktest"
)

// TestSeedFromLibrary: an event is stored once, linked to the version
// quoting it; without the quoted sentence nothing is stored.
func TestSeedFromLibrary(t *testing.T) {
	ctx := context.Background()
	quoting := &library.Version{ID: "vn", WorkID: "wn", Kind: library.KindNews, Title: "北京互联网法院通报涉个人信息及数据相关案件审理情况",
		Provisions: []*library.Provision{{ID: "p", Text: "为深入贯彻……，10月30日上午，北京互联网法院召开新闻通报会，\n通报涉个人信息及数据相关案件审理情况及八起典型案例，并提出建议。"}}}
	other := &library.Version{ID: "vo", WorkID: "wo", Kind: library.KindRegulation, Title: "无关文件", Provisions: []*library.Provision{{ID: "q", Text: "第一条 无关。"}}}
	for _, tc := range []struct {
		name     string
		versions []*library.Version
		want     int
	}{
		{"quoted", []*library.Version{other, quoting}, 1},
		{"not quoted", []*library.Version{other}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			for run := range 2 {
				n, err := SeedFromLibrary(ctx, db, tc.versions)
				if err != nil {
					t.Fatal(err)
				}
				if want := tc.want * (1 - run); n != want {
					t.Errorf("run %d: %d events, want %d", run+1, n, want)
				}
			}
			all, err := All(ctx, db)
			if err != nil || len(all) != tc.want {
				t.Fatalf("%d events stored, want %d (%v)", len(all), tc.want, err)
			}
			if tc.want == 1 && (all[0].StartDate != "2024-10-30" || len(all[0].RelatedWorks) != 1 || all[0].RelatedWorks[0] != "wn") {
				t.Errorf("event %+v", all[0])
			}
		})
	}
}

// TestSeedEventsInBundledLibrary: every seed event's sentence is in the
// bundled library, so a fresh install lists them all.
func TestSeedEventsInBundledLibrary(t *testing.T) {
	vs := checktest.BundledVersions(t)
	for _, se := range seedEvents {
		if versionQuoting(vs, se.Quote) == nil {
			t.Errorf("%s: quote not in the bundled library", se.Event.Title)
		}
	}
}
