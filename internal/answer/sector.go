package answer

import (
	"strings"
	"sync"

	"datalex/internal/textseg"
)

// A document whose title names a sector or a kind of actor (证券期货业,
// 汽车, 会计师事务所, 基础电信企业) governs that sector only: a question
// that names neither the sector nor anything in it is answered from the
// general texts first, as the law itself reads (the special rule applies
// to its own field, the general rule everywhere else).

// sectorWeight lowers a sector's document for a question that does not
// name the sector.
const sectorWeight = 0.85

// titleGeneric are the words of titles that name the kind of document or
// the library's general subject rather than a sector.
var titleGeneric = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`中华人民共和国 国家 关于 的 和 与 及 暂行 试行 若干 实施 细则 办法 规定 条例 法 意见
		通知 指南 指引 规范 规则 标准 要求 方法 方案 决定 解释 管理 安全 数据 个人信息 个人 信息 保护 网络 网络安全
		数据安全 处理 活动 相关 工作 进一步 加强 促进 规范化 发展 建设 行动 计划 领域 行业 业务 服务 技术 征求意见稿
		征 修订 草案 第 号 年 版 基本 一般 总体 全国 国务院 部门 企业 单位 机构 组织 有关 事项 问题 制度 体系 能力 提升
		专项 指导 工作方案 管理办法 管理规定 若干规定 实施方案 实施细则 数据资源 资源 资产 数据资产 要素 市场 流通 交易
		跨境 出境 流动 评估 信息安全 保护法 安全法 管理法 网络数据 个人信息保护 网络信息 分类 分级 分类分级 认证 登记 合规 治理 开发 利用 共享 开放 公共 公共数据 授权 运营`) {
		titleGeneric[textseg.Fold(w)] = true
	}
}

var sectorCache sync.Map // title → []string

// sectorWords returns the words of a title that name its sector or actor.
func sectorWords(title string) []string {
	if v, ok := sectorCache.Load(title); ok {
		return v.([]string)
	}
	var out []string
	t := reBookTitle.ReplaceAllString(textseg.Fold(title), "$1")
	for _, w := range textseg.Words(t) {
		if titleGeneric[w] || hanCount(w) < 2 {
			continue
		}
		out = appendUniq(out, w)
	}
	sectorCache.Store(title, out)
	return out
}

// sectorNamed reports whether the question names the sector of p's
// document (or the document has none).
func sectorNamed(q *Question, p Passage) bool {
	words := sectorWords(p.Document)
	if len(words) == 0 {
		return true
	}
	for _, w := range words {
		if strings.Contains(q.Folded, w) {
			return true
		}
		for _, g := range q.Groups {
			for _, gw := range g.Words {
				if hanCount(gw) >= 2 && (strings.Contains(w, gw) || strings.Contains(gw, w)) {
					return true
				}
			}
		}
	}
	return false
}
