package ruzhang

import (
	"slices"
	"strings"
	"testing"
)

func questionIDs(c Case) []string {
	var ids []string
	for _, q := range NextQuestions(c) {
		ids = append(ids, q.ID)
	}
	return ids
}

func TestNextQuestionsAdapt(t *testing.T) {
	tests := []struct {
		name      string
		c         Case
		want, not []string
	}{
		{"empty case asks the basics", Case{},
			[]string{"name", "acquisition", "purposes", "controlled", "costs", "period_start", "period_end"},
			[]string{"dev_tech_feasible", "life_months", "estimated_price"}},
		{"purchased: no R&D questions",
			Case{Acquisition: AcqPurchase, Purposes: []string{PurposeInternal}, Controlled: boolp(true), Identifiable: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true)},
			[]string{"available_date", "indefinite_life", "costs"},
			[]string{"dev_tech_feasible", "dev_completed", "estimated_price", "identifiable"}},
		{"developed for internal use: R&D questions",
			Case{Acquisition: AcqDeveloped, Purposes: []string{PurposeInternal}, Controlled: boolp(true), Identifiable: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true)},
			[]string{"dev_tech_feasible", "dev_reliable_measure"},
			[]string{"dev_completed", "available_date", "indefinite_life"}},
		{"a failed condition stops the condition questions",
			Case{Acquisition: AcqDeveloped, Purposes: []string{PurposeInternal}, Controlled: boolp(true), Identifiable: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true),
				Development: &Development{TechFeasible: boolp(false)}},
			[]string{"costs"},
			[]string{"dev_intention", "dev_completed", "available_date"}},
		{"developed for sale: inventory, no R&D",
			Case{Acquisition: AcqDeveloped, Purposes: []string{PurposeSale}, Controlled: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true)},
			[]string{"estimated_price", "selling_taxes", "available_date"},
			[]string{"dev_tech_feasible", "identifiable", "indefinite_life"}},
		{"not controlled: recognition stops",
			Case{Acquisition: AcqPurchase, Purposes: []string{PurposeInternal}, Controlled: boolp(false)},
			[]string{"costs"},
			[]string{"identifiable", "probable_benefit", "cost_reliable", "available_date"}},
		{"finite life asks life, method, residual",
			Case{Acquisition: AcqPurchase, Purposes: []string{PurposeInternal}, Controlled: boolp(true), Identifiable: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true),
				Intangible: &IntangibleInputs{IndefiniteLife: boolp(false), Method: MethodUnits}},
			[]string{"life_months", "residual", "expected_units"},
			[]string{"method", "indefinite_life"}},
		{"indefinite life asks no amortisation inputs",
			Case{Acquisition: AcqPurchase, Purposes: []string{PurposeInternal}, Controlled: boolp(true), Identifiable: boolp(true), ProbableBenefit: boolp(true), CostReliable: boolp(true),
				Intangible: &IntangibleInputs{IndefiniteLife: boolp(true)}},
			nil,
			[]string{"life_months", "method", "residual"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := questionIDs(tt.c)
			for _, w := range tt.want {
				if !slices.Contains(ids, w) {
					t.Errorf("missing %s in %v", w, ids)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(ids, n) {
					t.Errorf("irrelevant %s in %v", n, ids)
				}
			}
		})
	}
}

func TestQuestionsCarryRefsAndFields(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range questions {
		if q.Ref.Doc == "" || q.Field == "" || q.Prompt == "" || q.Kind == "" {
			t.Errorf("question %s incomplete: %+v", q.ID, q.Question)
		}
		if seen[q.ID] {
			t.Errorf("duplicate question id %s", q.ID)
		}
		seen[q.ID] = true
		if (q.Kind == KindChoice || q.Kind == KindMulti) && len(q.Options) == 0 {
			t.Errorf("choice question %s has no options", q.ID)
		}
	}
}

// Answering questions one after another reaches a complete case.
func TestWalkthroughCompletes(t *testing.T) {
	full := loadCase(t, "purchased_internal")
	var c Case
	for range 30 {
		qs := NextQuestions(c)
		if len(qs) == 0 {
			break
		}
		answer(&c, full, qs[0].ID)
	}
	r := evaluate(t, c)
	if !r.Complete || r.Determination.Outcome != OutcomeIntangible {
		t.Fatalf("complete %v outcome %s, still %v", r.Complete, r.Determination.Outcome, questionIDs(c))
	}
	wantMoney(t, "period amortisation", r.Measurement.Amortisation.PeriodAmount, "186,000.00")
}

// answer copies the answer to question id from full into c.
func answer(c *Case, full Case, id string) {
	if c.Intangible == nil && strings.Contains("indefinite_life life_months method residual", id) {
		c.Intangible = &IntangibleInputs{}
	}
	switch id {
	case "name":
		c.Name = full.Name
	case "acquisition":
		c.Acquisition = full.Acquisition
	case "purposes":
		c.Purposes = full.Purposes
	case "controlled":
		c.Controlled = full.Controlled
	case "identifiable":
		c.Identifiable = full.Identifiable
	case "probable_benefit":
		c.ProbableBenefit = full.ProbableBenefit
	case "cost_reliable":
		c.CostReliable = full.CostReliable
	case "costs":
		c.Costs = full.Costs
	case "available_date":
		c.AvailableDate = full.AvailableDate
	case "indefinite_life":
		c.Intangible.IndefiniteLife = full.Intangible.IndefiniteLife
	case "life_months":
		c.Intangible.LifeMonths = full.Intangible.LifeMonths
	case "method":
		c.Intangible.Method = full.Intangible.Method
	case "residual":
		c.Intangible.Residual = full.Intangible.Residual
	case "period_start":
		c.PeriodStart = full.PeriodStart
	case "period_end":
		c.PeriodEnd = full.PeriodEnd
	default:
		panic("unexpected question " + id)
	}
}

func TestDetermineUndetermined(t *testing.T) {
	d := Determine(Case{Acquisition: AcqDeveloped, Purposes: []string{PurposeInternal}, Controlled: boolp(true)})
	if d.Outcome != OutcomeUndetermined {
		t.Fatalf("outcome %s", d.Outcome)
	}
	var fields []string
	for _, m := range d.Missing {
		fields = append(fields, m.Field)
	}
	if strings.Join(fields, ",") != "identifiable,probable_benefit,cost_reliable" {
		t.Errorf("missing %v", fields)
	}
	// An incomplete case evaluates to the determination so far and no figures.
	r := evaluate(t, Case{Acquisition: AcqPurchase})
	if r.Complete || r.Measurement != nil || r.Presentation != nil || r.Disclosure != nil {
		t.Errorf("half-computed result: %+v", r)
	}
}
