package ruzhang

import "errors"

// BatchItem is the outcome of one case in a batch: a result, or the field
// errors that stopped it.
type BatchItem struct {
	Index  int          `json:"index"` // 1-based position in the input
	ID     string       `json:"id,omitempty"`
	Result *Result      `json:"result,omitempty"`
	Errors []FieldError `json:"errors,omitempty"`
}

// EvaluateBatch evaluates every case independently. With strict set, a case
// that still has unanswered questions counts as failed and its questions
// become field errors. It returns the items and the number that failed.
func EvaluateBatch(cases []Case, strict bool) ([]BatchItem, int) {
	items := make([]BatchItem, 0, len(cases))
	failed := 0
	for i, c := range cases {
		it := BatchItem{Index: i + 1, ID: c.ID}
		res, err := Evaluate(c)
		var verr *ValidationError
		switch {
		case errors.As(err, &verr):
			it.Errors = verr.Errors
		case err != nil:
			it.Errors = []FieldError{{Field: "", Message: err.Error()}}
		case strict && !res.Complete:
			it.Result = res
			for _, q := range res.Questions {
				it.Errors = append(it.Errors, FieldError{Field: q.Field, Message: "请回答：" + q.Prompt})
			}
		default:
			it.Result = res
		}
		if len(it.Errors) > 0 {
			failed++
		}
		items = append(items, it)
	}
	return items, failed
}
