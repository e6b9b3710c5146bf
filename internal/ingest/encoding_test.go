package ingest

import (
	"bytes"
	"errors"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDecodeText(t *testing.T) {
	const zh = "第一条 为了规范数据处理活动，保障数据安全，制定本法。\n"
	gb18030, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(zh + "𠀀"))
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(zh))
	for _, tc := range []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"utf8", []byte(zh), zh, nil},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, zh...), zh, nil},
		{"utf16le bom", utf16Bytes(zh, false, true), zh, nil},
		{"utf16be bom", utf16Bytes(zh, true, true), zh, nil},
		{"utf16le ascii no bom", utf16Bytes("Article 1 data law\n", false, false), "Article 1 data law\n", nil},
		{"gbk", gbk, zh, nil},
		{"gb18030 4-byte", gb18030, zh + "𠀀", nil},
		{"ascii", []byte("plain text"), "plain text", nil},
		{"empty", nil, "", ErrEmpty},
		{"whitespace", []byte(" \r\n\t "), "", ErrEmpty},
		{"utf16 whitespace", utf16Bytes("  \n ", false, true), "", ErrEmpty},
		{"nul bytes", []byte("abc\x00\x00\x00def\x00ghi\x01\x02"), "", ErrBinary},
		{"control chars", bytes.Repeat([]byte{0x01, 0x02, 'a'}, 50), "", ErrBinary},
		{"bad bom utf8", []byte{0xEF, 0xBB, 0xBF, 0xff, 0xfe, 0xfd}, "", ErrEncoding},
		{"latin1", []byte("caf\xe9 na\xefve r\xe9sum\xe9 d\xe9j\xe0 vu"), "", ErrEncoding},
		{"too large", make([]byte, MaxFileSize+1), "", ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeText(tc.in)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorsAreChinese(t *testing.T) {
	for _, err := range []error{ErrEmpty, ErrBinary, ErrTooLarge, ErrEncoding, ErrUnsupported, ErrMislabelled, ErrCorrupt, ErrNoPDFTool} {
		if !encLooksChinese(err.Error()) && !bytes.ContainsAny([]byte(err.Error()), "文件") {
			t.Errorf("%q is not a Chinese message", err)
		}
	}
}
