package ruzhang

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in 分 (1/100 yuan). Accounting figures are kept in
// integer cents so that journal entries always balance and schedules add up
// to the cost exactly; JSON carries them as yuan (123.45).
type Money int64

// maxMoney bounds every amount: 10 万亿元 is beyond any single data resource
// and keeps products of amounts far from int64 overflow.
const maxMoney = Money(1e13 * 100)

// Yuan converts a float amount in yuan, rounding half away from zero.
func Yuan(y float64) Money { return Money(math.Round(y * 100)) }

// Float returns the amount in yuan.
func (m Money) Float() float64 { return float64(m) / 100 }

// String formats the amount with thousands separators: 1,234,567.80.
func (m Money) String() string {
	neg := m < 0
	if neg {
		m = -m
	}
	whole := strconv.FormatInt(int64(m/100), 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	cents := int64(m % 100)
	b.WriteByte('.')
	b.WriteByte(byte('0' + cents/10))
	b.WriteByte(byte('0' + cents%10))
	return b.String()
}

// MarshalJSON writes the amount as a decimal number of yuan.
func (m Money) MarshalJSON() ([]byte, error) {
	s := strings.ReplaceAll(m.String(), ",", "")
	return []byte(s), nil
}

var errMoneyFormat = errors.New("金额格式不正确：应为以元为单位的数字，最多两位小数")

// UnmarshalJSON reads a number (or numeric string) of yuan with at most two
// decimals. It parses the decimal text itself so 0.1+0.2 style float error
// never reaches the books.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return errMoneyFormat
		}
		s = strings.ReplaceAll(strings.TrimSpace(str), ",", "")
	}
	v, err := parseCents(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

func parseCents(s string) (Money, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, errMoneyFormat
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, errMoneyFormat
			}
		}
	}
	if len(whole) > 15 {
		return 0, errors.New("金额超出合理范围")
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := Money(w*100 + f)
	if neg {
		v = -v
	}
	return v, nil
}

// ratio returns m×num/den rounded half away from zero, computed in integer
// arithmetic when it cannot overflow.
func ratio(m Money, num, den int64) Money {
	if den == 0 {
		return 0
	}
	if num == 0 {
		return 0
	}
	if math.Abs(float64(m))*math.Abs(float64(num)) < 9e18 {
		p := int64(m) * num
		q := p / den
		r := p % den
		if 2*abs64(r) >= abs64(den) {
			if (p < 0) != (den < 0) {
				q--
			} else {
				q++
			}
		}
		return Money(q)
	}
	return Money(math.Round(float64(m) * float64(num) / float64(den)))
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
