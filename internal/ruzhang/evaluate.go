package ruzhang

// Result is everything the engine says about one case. When answers are
// still missing it carries the determination so far and the next
// questions, and no figures (nothing half-computed).
type Result struct {
	Case          Case             `json:"case"`
	Complete      bool             `json:"complete"`
	Questions     []Question       `json:"questions,omitempty"` // still to answer
	Determination Determination    `json:"determination"`
	Measurement   *Measurement     `json:"measurement,omitempty"`
	Presentation  *Presentation    `json:"presentation,omitempty"`
	Movements     *Movements       `json:"movements,omitempty"`
	Disclosure    []Table          `json:"disclosure,omitempty"`
	Notes         []DisclosureNote `json:"disclosure_notes,omitempty"`
	Valuation     *ValuationResult `json:"valuation,omitempty"`
	Citations     []CitationItem   `json:"citations"`
	// Checks are the plausibility findings (warnings; errors stop the case).
	Checks []Check `json:"checks,omitempty"`
	// Periods is the roll-forward of a multi-period case (ledger.go).
	Periods []PeriodResult `json:"periods,omitempty"`
}

// CitationItem is one provision cited in the result. ProvisionID is empty
// here; the web layer fills it with Resolve to link into the library.
type CitationItem struct {
	Ref         Ref    `json:"ref"`
	Citation    string `json:"citation"`
	ProvisionID string `json:"provision_id,omitempty"`
}

// effectiveDate is when the 暂行规定 took effect (四、).
var effectiveDate = mustDate("2024-01-01")

// Evaluate validates the case and computes everything it can. Invalid
// input returns a *ValidationError listing every field error and no result.
func Evaluate(c Case) (*Result, error) {
	switch {
	case c.Contract != nil:
		return evaluateContract(c)
	case len(c.Periods) > 0:
		return evaluateLedger(c)
	case (c.OrgType == OrgGovernment || len(c.Events) > 0) && c.PeriodStart != "" && c.PeriodEnd != "":
		// A 行政事业单位 always goes through the ledger (its entries
		// differ), and so do events: the single-period engine has none.
		c.Periods = []Period{{Start: c.PeriodStart, End: c.PeriodEnd}}
		return evaluateLedger(c)
	}
	return evaluateSingle(c)
}

// evaluateSingle is the single-period engine.
func evaluateSingle(c Case) (*Result, error) {
	if errs := Validate(c); len(errs) > 0 {
		return nil, &ValidationError{Errors: errs}
	}
	r := &Result{Case: c, Determination: Determine(c), Questions: NextQuestions(c)}
	r.Complete = len(r.Questions) == 0
	if r.Complete {
		if errs := validateMeasured(&c, r.Determination.Outcome); len(errs) > 0 {
			return nil, &ValidationError{Errors: errs}
		}
		m := measure(&c, r.Determination.Outcome)
		r.Measurement = m
		p := present(&c, r.Determination.Outcome, m)
		r.Presentation = &p
		if r.Determination.Outcome == OutcomeIntangible || r.Determination.Outcome == OutcomeInventory {
			mv := movements(&c, r.Determination.Outcome, m)
			r.Movements = &mv
			r.Disclosure = DisclosureTables([]Movements{mv})
		}
		r.Notes = disclosureNotes(&c, r.Determination.Outcome, m)
		if mustDate(c.PeriodStart).Before(effectiveDate) || (c.AvailableDate != "" && mustDate(c.AvailableDate).Before(effectiveDate)) {
			r.Notes = append(r.Notes, DisclosureNote{Topic: "施行日期与衔接",
				Text: "本规定自 2024 年 1 月 1 日起施行，采用未来适用法；施行前已经费用化计入损益的数据资源相关支出不再调整。", Ref: refTransition})
		}
	}
	r.Valuation = Value(c.Valuation)
	r.Checks = Checks(&c, r.Determination.Outcome)
	if errs := checkErrors(r.Checks); len(errs) > 0 {
		return nil, &ValidationError{Errors: errs}
	}
	r.Citations = citations(r)
	return r, nil
}

// validateMeasured checks what depends on the classification of costs:
// the residual value and prior allowance against the capitalised cost.
func validateMeasured(c *Case, outcome string) []FieldError {
	if outcome != OutcomeIntangible && outcome != OutcomeInventory && outcome != OutcomeDevelopment {
		return nil
	}
	v := &validator{}
	capitalised := sumLines(classifyCosts(c, outcome), TreatCapitalise)
	if capitalised <= 0 {
		v.add("costs", "没有可计入%s成本的支出，请检查支出类别或阶段", outcomeLabels[outcome])
	}
	if outcome == OutcomeIntangible && c.Intangible.Residual != nil && *c.Intangible.Residual > 0 && *c.Intangible.Residual >= capitalised {
		v.add("intangible.residual", "残值 %s 元不应大于或等于资本化成本 %s 元", *c.Intangible.Residual, capitalised)
	}
	if outcome == OutcomeInventory && c.Inventory.PriorAllowance > 0 && !mustDate(c.AvailableDate).Before(mustDate(c.PeriodStart)) {
		v.add("inventory.prior_allowance", "本期新取得的数据资源存货不应有期初存货跌价准备")
	}
	if outcome == OutcomeInventory && c.Inventory.PriorAllowance > capitalised {
		v.add("inventory.prior_allowance", "期初存货跌价准备 %s 元不应超过存货成本 %s 元", c.Inventory.PriorAllowance, capitalised)
	}
	return v.errs
}

// measure computes the cost build-up, the subsequent measurement and the
// entries for a complete case.
func measure(c *Case, outcome string) *Measurement {
	m := &Measurement{CostLines: classifyCosts(c, outcome)}
	m.Capitalised = sumLines(m.CostLines, TreatCapitalise)
	m.Expensed = sumLines(m.CostLines, TreatExpense)
	m.DeductibleVAT = sumLines(m.CostLines, TreatTax)
	switch outcome {
	case OutcomeIntangible:
		in := c.Intangible
		if *in.IndefiniteLife {
			m.IndefiniteLife = true
		} else {
			m.Amortisation = amortise(c, m.Capitalised)
		}
		if in.RecoverableAmount != nil {
			carrying := m.Capitalised
			if m.Amortisation != nil {
				carrying -= m.Amortisation.AccumulatedClosing
			}
			im := &Impairment{Carrying: carrying, Recoverable: *in.RecoverableAmount, Ref: refCAS6Impairment}
			if im.Recoverable < carrying {
				im.Loss = carrying - im.Recoverable
			}
			m.Impairment = im
		}
	case OutcomeInventory:
		m.Inventory = measureInventory(c, m.Capitalised)
	}
	m.Entries = buildEntries(c, outcome, m)
	return m
}

// citations collects every provision the result relies on, first use first.
func citations(r *Result) []CitationItem {
	var out []CitationItem
	seen := map[Ref]bool{}
	add := func(refs ...Ref) {
		for _, ref := range refs {
			if ref.Doc == "" || seen[ref] {
				continue
			}
			seen[ref] = true
			out = append(out, CitationItem{Ref: ref, Citation: ref.Citation()})
		}
	}
	for _, x := range r.Determination.Reasons {
		add(x.Ref)
	}
	for _, q := range r.Questions {
		add(q.Ref)
	}
	if m := r.Measurement; m != nil {
		for _, l := range m.CostLines {
			add(l.Ref)
		}
		if m.IndefiniteLife {
			add(refCAS6Indefinite)
		}
		if m.Amortisation != nil {
			add(m.Amortisation.Refs...)
		}
		if m.Impairment != nil {
			add(m.Impairment.Ref)
		}
		if m.Inventory != nil {
			add(m.Inventory.Refs...)
		}
		for _, e := range m.Entries {
			add(e.Ref)
		}
	}
	if r.Presentation != nil {
		add(r.Presentation.Ref)
	}
	for _, t := range r.Disclosure {
		add(t.Ref)
	}
	for _, n := range r.Notes {
		add(n.Ref)
	}
	for _, p := range r.Periods {
		for _, l := range p.Entries {
			add(l.Ref)
		}
		for _, e := range p.Events {
			add(e.Ref)
		}
		for _, t := range p.Tables {
			add(t.Ref)
		}
		for _, d := range p.Disclosures {
			add(d.Ref)
		}
	}
	for _, ch := range r.Checks {
		add(ch.Ref)
	}
	if v := r.Valuation; v != nil {
		for _, a := range v.Approaches {
			add(a.Refs...)
		}
		for _, n := range v.Notes {
			add(n.Ref)
		}
	}
	return out
}

// Link fills the provision ids of the citations from a Resolve result, so
// the report can link each citation into the library.
func (r *Result) Link(ids map[Ref]string) {
	for i := range r.Citations {
		r.Citations[i].ProvisionID = ids[r.Citations[i].Ref]
	}
}
