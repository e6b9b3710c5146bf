package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"datalex/internal/web"
)

func TestSetFacetURLsMatchesFacetURL(t *testing.T) {
	for _, tc := range []struct {
		query string
		key   string
		vals  []string
	}{
		{"q=数据出境", "level", []string{"法律", "部门规章", "未知"}},
		{"q=数据&page=3", "region", []string{"北京", "全国"}},
		{"q=数据&region=北京&region=上海&sort=date", "region", []string{"北京", "广东", "上海"}},
		{"a=1&level=法律&z=2&page=2&within=个人 信息", "level", []string{"法律", "行政法规"}},
		{"", "tag", []string{"数据安全", "a&b=c", "x y"}},
		{"tag=a%26b%3Dc&q=x", "tag", []string{"a&b=c"}},
		{"page=2", "status", []string{"现行有效"}},
	} {
		base, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got := web.SetFacetURLs(base, tc.key, tc.vals)
		for i, v := range tc.vals {
			if want := web.FacetURL(base, tc.key, v); got[i] != want {
				t.Errorf("%q toggle %s=%s: got %q, want %q", tc.query, tc.key, v, got[i], want)
			}
		}
	}
}

func TestBoundedCacheKeepsBudget(t *testing.T) {
	c := web.NewBoundedCache(100)
	for i := 0; i < 1000; i++ {
		c.Put(fmt.Sprint(i), i, 7)
		if n, cost := c.Size(); cost > 100 || int64(n*7) != cost {
			t.Fatalf("after %d puts: %d entries cost %d (budget 100)", i+1, n, cost)
		}
		if v, ok := c.Get(fmt.Sprint(i)); !ok || v != i {
			t.Fatalf("entry %d just put is missing", i)
		}
	}
	c.Put("huge", 1, 101) // more than the whole budget: not kept
	if _, ok := c.Get("huge"); ok {
		t.Error("an entry over the whole budget was kept")
	}
	c.Put("999", 5, 7) // replacing counts the old cost once
	if n, cost := c.Size(); int64(n*7) != cost {
		t.Errorf("after replace: %d entries cost %d", n, cost)
	}
}
