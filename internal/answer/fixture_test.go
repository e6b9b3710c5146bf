package answer

import (
	"context"
	"sort"
	"strings"

	"datalex/internal/library"
	"datalex/internal/textseg"
)

// fixture is a small library: real provisions of 数据安全法 and 个人信息保护法
// (with the source's hard line wraps), a draft with an older threshold,
// and a news item.
func fixture() *library.Catalog {
	mk := func(id, title, status, kind string, arts ...[2]string) *library.Version {
		v := &library.Version{ID: id, WorkID: "w-" + id, Title: title, Status: status, Kind: kind,
			Sources: []library.Source{{File: "001_test.txt", FirstLine: 1, LastLine: 100000}}}
		for i, a := range arts {
			v.Provisions = append(v.Provisions, &library.Provision{
				ID: id + "-" + a[0], Kind: library.ProvArticle, Label: a[0], Text: a[0] + " " + a[1],
				Citation: library.CitationFor(title, a[0]), Line: 1000*len(id) + 10*i + 1, LineEnd: 1000*len(id) + 10*i + 5,
			})
		}
		return v
	}
	dsl := mk("dsl", "中华人民共和国数据安全法", library.StatusInForce, library.KindRegulation,
		[2]string{"第二十一条", "国家建立数据分类分级保护制度，根据数据在经济社会发\n展中的重要程度，以及一旦遭到篡改、破坏、泄露或者非法获取、非法利用，对\n国家安全、公共利益或者个人、组织合法权益造成的危害程度，对数据实行分类\n分级保护。国家数据安全工作协调机制统筹协调有关部门制定重要数据目录，加\n强对重要数据的保护。\n关系国家安全、国民经济命脉、重要民生、重大公共利益等数据属于国\n家核心数据，实行更加严格的管理制度。\n各地区、各部门应当按照数据分类分级保护制度，确定本地区、本部门\n以及相关行业、领域的重要数据具体目录，对列入目录的数据进行重点保护。"},
		[2]string{"第三十六条", "中华人民共和国主管机关根据有关法律和中华人民共和\n国缔结或者参加的国际条约、协定，或者按照平等互惠原则，处理外国司法或者\n执法机构关于提供数据的请求。非经中华人民共和国主管机关批准，境内的组织、\n个人不得向外国司法或者执法机构提供存储于中华人民共和国境内的数据。"},
		[2]string{"第四十五条", "开展数据处理活动的组织、个人不履行本法第二十七条、\n第二十九条、第三十条规定的数据安全保护义务的，由有关主管部门责令改正，\n给予警告，可以并处五万元以上五十万元以下罚款，对直接负责的主管人员和其\n他直接责任人员可以处一万元以上十万元以下罚款；拒不改正或者造成大量数据\n泄露等严重后果的，处五十万元以上二百万元以下罚款。\n违反国家核心数据管理制度，危害国家主权、安全和发展利益的，由有\n关主管部门处二百万元以上一千万元以下罚款，并根据情况责令暂停相关业务、\n停业整顿、吊销相关业务许可证或者吊销营业执照；构成犯罪的，依法追究刑事\n责任。"},
	)
	pipl := mk("pipl", "中华人民共和国个人信息保护法", library.StatusInForce, library.KindRegulation,
		[2]string{"第三十一条", "个人信息处理者处理不满十四周岁未成年人个人信息的，应当\n取得未成年人的父母或者其他监护人的同意。\n个人信息处理者处理不满十四周岁未成年人个人信息的，应当制定专门的个\n人信息处理规则。"},
		[2]string{"第三十八条", "个人信息处理者因业务等需要，确需向中华人民共和国境外提\n供个人信息的，应当具备下列条件之一：\n（一）依照本法第四十条的规定通过国家网信部门组织的安全评估；\n（二）按照国家网信部门的规定经专业机构进行个人信息保护认证；\n （三）按照国家网信部门制定的标准合同与境外接收方订立合同，约定双方\n的权利和义务；\n（四）法律、行政法规或者国家网信部门规定的其他条件。\n中华人民共和国缔结或者参加的国际条约、协定对向中华人民共和国境外提\n供个人信息的条件等有规定的，可以按照其规定执行。\n个人信息处理者应当采取必要措施，保障境外接收方处理个人信息的活动达\n到本法规定的个人信息保护标准。"},
		[2]string{"第三十九条", "个人信息处理者向中华人民共和国境外提供个人信息的，应当\n向个人告知境外接收方的名称或者姓名、联系方式、处理目的、处理方式、个人\n信息的种类以及个人向境外接收方行使本法规定权利的方式和程序等事项，并取\n得个人的单独同意。"},
		[2]string{"第六十六条", "违反本法规定处理个人信息，或者处理个人信息未履行本法规\n定的个人信息保护义务的，由履行个人信息保护职责的部门责令改正，给予警告，\n没收违法所得，对违法处理个人信息的应用程序，责令暂停或者终止提供服务；\n拒不改正的，并处一百万元以下罚款；对直接负责的主管人员和其他直接责任人\n员处一万元以上十万元以下罚款。\n有前款规定的违法行为，情节严重的，由省级以上履行个人信息保护职责的\n部门责令改正，没收违法所得，并处五千万元以下或者上一年度营业额百分之五\n以下罚款。"},
	)
	draft := mk("draft", "规范和促进数据跨境流动规定（征求意见稿）", library.StatusDraft, library.KindRegulation,
		[2]string{"第五条", "预计一年内向境外提供不满1万人个人信息的，不需要申报数据出境安全评估、订立个人信息出境标准合同、通过个人信息保护认证。"},
	)
	news := mk("news", "某地发布数据出境新规解读", "", library.KindNews,
		[2]string{"正文", "记者获悉，向境外提供个人信息的企业应关注新规，专家认为门槛将大幅放宽。"},
	)
	return library.NewCatalog([]*library.Version{dsl, pipl, draft, news})
}

// bigramRetriever is a plain lexical retriever over a catalog standing in
// for the search engine: passages ranked by shared character bigrams.
func bigramRetriever(cat *library.Catalog) RetrieveFunc {
	return func(ctx context.Context, query string, k int) ([]Passage, error) {
		qs := map[string]bool{}
		textseg.Runs(textseg.Fold(query), func(run string, han bool, _ int) {
			if han {
				for _, b := range textseg.Bigrams(run) {
					qs[b] = true
				}
			}
		})
		var out []Passage
		for _, v := range cat.Versions {
			for _, p := range v.Provisions {
				text := squash(v.Title + p.Text)
				score := 0.0
				for b := range qs {
					if strings.Contains(text, b) {
						score++
					}
				}
				if score >= 3 {
					out = append(out, PassageOf(v, p, score))
				}
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
		if len(out) > k {
			out = out[:k]
		}
		return out, nil
	}
}

func newFixtureAnswerer(cfg Config) *Answerer {
	cat := fixture()
	cfg.Catalog = cat
	if cfg.Retrieve == nil {
		cfg.Retrieve = bigramRetriever(cat)
	}
	return New(cfg)
}
