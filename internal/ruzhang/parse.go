package ruzhang

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ParseCases reads one case (a JSON object), several (a JSON array), or
// JSON Lines. Unknown fields are rejected so that a misspelt answer is not
// silently dropped.
func ParseCases(data []byte) ([]Case, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(data) == 0 {
		return nil, errors.New("案例文件为空")
	}
	if data[0] == '[' {
		var cs []Case
		if err := decodeStrict(data, &cs); err != nil {
			return nil, err
		}
		if len(cs) == 0 {
			return nil, errors.New("案例数组为空")
		}
		return cs, nil
	}
	// A single object, or JSON Lines (any whitespace between objects).
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cs []Case
	for {
		var c Case
		err := dec.Decode(&c)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("第 %d 个案例 JSON 解析失败：%w", len(cs)+1, err)
		}
		cs = append(cs, c)
	}
	return cs, nil
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("JSON 解析失败：%w", err)
	}
	if dec.More() {
		return errors.New("JSON 解析失败：对象之后还有多余内容")
	}
	return nil
}
