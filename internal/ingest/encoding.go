package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// MaxFileSize is the largest user file accepted (50 MB). The whole bundled
// corpus is about 8 MB; anything far larger is almost certainly not a single
// regulation and would only tie up memory during a one-transaction import.
const MaxFileSize = 50 << 20

// Errors returned for input that cannot be imported. They are distinct so the
// caller (CLI, web upload) can tell them apart with errors.Is; the messages are
// shown to users as they are.
var (
	ErrEmpty       = errors.New("文件为空或只有空白字符，没有可导入的文字")
	ErrBinary      = errors.New("文件是二进制数据而不是文本，无法导入")
	ErrTooLarge    = fmt.Errorf("文件超过 %d MB 的上限，无法导入", MaxFileSize>>20)
	ErrEncoding    = errors.New("无法识别文件编码：既不是 UTF-8、UTF-16，也不是 GBK/GB18030 中文文本")
	ErrUnsupported = errors.New("不支持的文件格式：仅支持 .txt、.md、.docx、.pdf")
	ErrMislabelled = errors.New("文件内容与扩展名不符")
	ErrCorrupt     = errors.New("文件已损坏或不完整，无法读取")
	ErrNoPDFTool   = errors.New("未找到 pdftotext，无法读取 PDF：请安装 poppler-utils（apt-get install poppler-utils）")
)

// DecodeText returns data as a UTF-8 string. It accepts UTF-8 (a leading BOM
// is dropped), UTF-16 with a BOM (or obvious UTF-16 without one), and
// GB18030/GBK when the decoded text looks like Chinese; anything else is
// refused with one of the errors above.
func DecodeText(data []byte) (string, error) {
	if len(data) > MaxFileSize {
		return "", ErrTooLarge
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmpty
	}
	var s string
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		s = string(data[3:])
		if !utf8.ValidString(s) {
			return "", ErrEncoding
		}
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		s = encDecodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s = encDecodeUTF16(data[2:], true)
	case encLooksUTF16(data, false):
		s = encDecodeUTF16(data, false)
	case encLooksUTF16(data, true):
		s = encDecodeUTF16(data, true)
	case bytes.IndexByte(data, 0) >= 0:
		return "", ErrBinary
	case utf8.Valid(data):
		s = string(data)
	default:
		gb, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !encLooksChinese(string(gb)) {
			if encControlRatio(data) > 0.05 {
				return "", ErrBinary
			}
			return "", ErrEncoding
		}
		s = string(gb)
	}
	if strings.TrimFunc(s, encIsBlank) == "" {
		return "", ErrEmpty
	}
	if encBadRuneRatio(s) > 0.02 {
		return "", ErrBinary
	}
	return s, nil
}

// encDecodeUTF16 decodes UTF-16 without a BOM; an odd trailing byte is dropped.
func encDecodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return strings.TrimPrefix(string(utf16.Decode(u)), "\uFEFF")
}

// encLooksUTF16 spots BOM-less UTF-16: text where most code units have a zero
// high byte (ASCII) or, for Chinese, where the zero bytes fall consistently on
// one side. It requires NUL bytes, so UTF-8 and GBK never match.
func encLooksUTF16(b []byte, bigEndian bool) bool {
	if len(b) < 4 || len(b)%2 != 0 {
		return false
	}
	n := min(len(b)/2, 4096)
	zeroSide, zeroOther := 0, 0
	for i := 0; i < n; i++ {
		hi, lo := b[2*i+1], b[2*i]
		if bigEndian {
			hi, lo = b[2*i], b[2*i+1]
		}
		if hi == 0 {
			zeroSide++
		}
		if lo == 0 {
			zeroOther++
		}
	}
	if zeroSide == 0 || zeroOther*10 > zeroSide {
		return false
	}
	s := encDecodeUTF16(b[:2*n], bigEndian)
	return encBadRuneRatio(s) < 0.02 && zeroSide*4 >= n/2
}

// encLooksChinese accepts a GB18030 decoding only when it reads as text: no
// replacement characters to speak of, few control characters and a fair share
// of Han characters (random bytes decode to a scatter of rare symbols).
func encLooksChinese(s string) bool {
	var total, han, bad int
	for _, r := range s {
		total++
		switch {
		case r == utf8.RuneError:
			bad++
		case unicode.Is(unicode.Han, r):
			han++
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f':
			bad++
		case r >= 0x80 && !unicode.IsPrint(r):
			bad++
		}
	}
	if total == 0 {
		return false
	}
	return bad*100 <= total && han*5 >= total-encASCIICount(s)
}

func encASCIICount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 {
			n++
		}
	}
	return n
}

// encBadRuneRatio is the share of replacement and control characters in s.
func encBadRuneRatio(s string) float64 {
	var total, bad int
	for _, r := range s {
		total++
		if r == utf8.RuneError || r == 0 || (r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v') {
			bad++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(bad) / float64(total)
}

// encControlRatio is the share of control bytes other than whitespace.
func encControlRatio(b []byte) float64 {
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			bad++
		}
	}
	return float64(bad) / float64(len(b))
}

// encIsBlank also treats the ideographic space and the BOM as blank.
func encIsBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u3000' || r == '\uFEFF' || r == '\u200B'
}
