package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"datalex/internal/account"
	"datalex/internal/ingest"
	"datalex/internal/library"
	"datalex/internal/store"
)

type adminData struct {
	Stats     library.Stats
	Withdrawn []withdrawnRow
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	d := adminData{Stats: s.library().stats}
	d.Withdrawn, _ = listWithdrawn(r.Context(), s.cfg.Store.DB())
	v := &view{Title: "管理后台", Active: "admin", NoIndex: true, D: d}
	switch r.URL.Query().Get("done") {
	case "withdrawn":
		v.Flash = "文档已撤下，不再出现在资料库与检索中。"
	case "restored":
		v.Flash = "文档已恢复。"
	}
	s.render(w, r, http.StatusOK, "admin", v)
}

type uploadData struct {
	Name     string
	Token    string
	Parsed   *ingest.Parsed
	V        *library.Version
	Preview  []*library.Provision
	More     int
	MaxMB    int64
	Warnings []string
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "upload", &view{Title: "上传文档", Active: "admin", NoIndex: true, D: uploadData{MaxMB: s.cfg.MaxUpload >> 20}})
}

// Upload errors shown to editors.
var (
	errUploadMissing = errors.New("请选择要上传的文件。")
	errUploadType    = errors.New("只接受 .txt、.md、.docx、.pdf 文件。")
)

// cleanFileName reduces an uploaded file name to a safe base name: no
// directories (either slash), no control characters, no leading dots.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == ':' || r == '<' || r == '>' || r == '"' || r == '|' || r == '?' || r == '*' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if utf8.RuneCountInString(name) > 120 {
		// Keep a real extension; an absurdly long one is part of the name.
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimLeft(string(stem[:120-utf8.RuneCountInString(ext)])+ext, ".")
	}
	if name == "" || name == "." {
		return "upload.txt"
	}
	return name
}

// sniffUpload checks that the content is what the extension claims,
// independently of the browser's Content-Type.
func sniffUpload(name string, data []byte) error {
	ext := strings.ToLower(path.Ext(name))
	ct := http.DetectContentType(data)
	switch ext {
	case ".pdf":
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			return fmt.Errorf("文件扩展名为 .pdf，但内容不是 PDF（检测为 %s）。", ct)
		}
	case ".docx":
		if !bytes.HasPrefix(data, []byte("PK\x03\x04")) || !bytes.Contains(data, []byte("word/")) {
			return fmt.Errorf("文件扩展名为 .docx，但内容不是 Word 文档（检测为 %s）。", ct)
		}
	case ".txt", ".md":
		// Any text type (Markdown may hold HTML); unrecognised bytes go on
		// to the parser, which tells encodings from binary data.
		if !strings.HasPrefix(ct, "text/") && ct != "application/octet-stream" {
			return fmt.Errorf("文件扩展名为 %s，但内容不是纯文本（检测为 %s）。", ext, ct)
		}
	default:
		return errUploadType
	}
	return nil
}

func (s *Server) uploadPreview(w http.ResponseWriter, r *http.Request) {
	d := uploadData{MaxMB: s.cfg.MaxUpload >> 20}
	bad := func(code int, msg string) {
		s.render(w, r, code, "upload", &view{Title: "上传文档", Active: "admin", NoIndex: true, Error: msg, D: d})
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			bad(http.StatusRequestEntityTooLarge, fmt.Sprintf("文件超过 %d MB 的上限。", d.MaxMB))
			return
		}
		bad(http.StatusBadRequest, errUploadMissing.Error())
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUpload+1))
	if err != nil {
		bad(http.StatusBadRequest, "读取上传文件失败。")
		return
	}
	if int64(len(data)) > s.cfg.MaxUpload {
		bad(http.StatusRequestEntityTooLarge, fmt.Sprintf("文件超过 %d MB 的上限。", d.MaxMB))
		return
	}
	name := cleanFileName(hdr.Filename)
	d.Name = name
	if len(data) == 0 {
		bad(http.StatusBadRequest, "文件为空。")
		return
	}
	if err := sniffUpload(name, data); err != nil {
		bad(http.StatusUnsupportedMediaType, err.Error())
		return
	}
	parsed, err := ingest.ParseFileContext(r.Context(), name, data)
	if err != nil {
		bad(http.StatusUnprocessableEntity, "无法解析："+err.Error())
		return
	}
	if len(parsed.Versions) == 0 {
		bad(http.StatusUnprocessableEntity, "文件中没有可导入的文档。")
		return
	}
	d.Parsed, d.V, d.Warnings = parsed, parsed.Versions[0], parsed.Warnings
	d.Preview = d.V.Provisions
	if len(d.Preview) > 400 {
		d.More = len(d.Preview) - 400
		d.Preview = d.Preview[:400]
	}
	// The preview is kept in the store, so the commit may reach any node.
	tok, err := s.cfg.Store.PutUploadPreview(r.Context(), store.UploadPreview{UserID: currentUser(r).ID, Name: name, Title: d.V.Title, Data: data})
	if err != nil {
		s.log.Error("保存上传预览失败", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "保存预览失败，请稍后重试。")
		return
	}
	d.Token = tok
	s.render(w, r, http.StatusOK, "upload", &view{Title: "确认导入", Active: "admin", NoIndex: true, D: d})
}

func (s *Server) uploadCommit(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	up, err := s.cfg.Store.TakeUploadPreview(r.Context(), r.PostFormValue("token"), u.ID)
	if err != nil {
		s.log.Error("读取上传预览失败", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "读取预览失败，请稍后重试。")
		return
	}
	if up == nil {
		s.fail(w, r, http.StatusBadRequest, "预览已过期或不存在，请重新上传。")
		return
	}
	if s.cfg.Import == nil {
		s.fail(w, r, http.StatusServiceUnavailable, "导入功能未启用。")
		return
	}
	if err := s.cfg.Import(r.Context(), up.Name, up.Data); err != nil {
		s.log.Error("导入失败", "file", up.Name, "err", err)
		s.fail(w, r, http.StatusUnprocessableEntity, "导入失败，资料库未改变："+err.Error())
		return
	}
	title := up.Title
	if err := s.acc.Audit(r.Context(), nil, u.Username, "document.import", title, "文件 "+up.Name); err != nil {
		s.log.Error("写审计日志失败", "err", err)
	}
	if err := s.Reload(r.Context()); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "导入成功，但刷新资料库失败："+err.Error())
		return
	}
	// Find the new version: the one whose first source is this file.
	snap := s.library()
	for _, v := range snap.cat.Versions {
		for _, src := range v.Sources {
			if src.File == up.Name && v.Title == title {
				http.Redirect(w, r, "/documents/"+v.ID+"?imported=1", http.StatusSeeOther)
				return
			}
		}
	}
	http.Redirect(w, r, "/library", http.StatusSeeOther)
}

type editData struct {
	V        *library.Version
	Statuses []string
	Levels   []string
	Regions  []string
}

var (
	editStatuses = []string{library.StatusInForce, library.StatusTrial, library.StatusInterim, library.StatusDraft, library.StatusBill,
		library.StatusRepealed, library.StatusSuperseded}
	editLevels = []string{library.LevelLaw, library.LevelAdminRegs, library.LevelDeptRules, library.LevelNormative, library.LevelLocalRegs,
		library.LevelLocalRules, library.LevelNationalStd, library.LevelSectorStd, library.LevelLocalStd, library.LevelGroupStd,
		library.LevelPolicy, library.LevelPartyRegs, library.LevelJudicial, library.LevelPlanningGuide, library.LevelCommentary}
)

func regionList() []string {
	out := make([]string, len(provinceOrder))
	for n, i := range provinceOrder {
		out[i] = n
	}
	return out
}

func (s *Server) editPage(w http.ResponseWriter, r *http.Request) {
	v := s.library().cat.Version(r.PathValue("id"))
	if v == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该版本。")
		return
	}
	s.render(w, r, http.StatusOK, "edit", &view{Title: "编辑元数据 · " + v.Title, Active: "admin", NoIndex: true,
		D: editData{V: v, Statuses: editStatuses, Levels: editLevels, Regions: regionList()}})
}

func (s *Server) editSave(w http.ResponseWriter, r *http.Request) {
	v := s.library().cat.Version(r.PathValue("id"))
	if v == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该版本。")
		return
	}
	m, err := metadataFromForm(r)
	if err == nil {
		err = updateMetadata(r.Context(), s.cfg.Store.DB(), s.acc, currentUser(r).Username, v.ID, m)
	}
	if err == nil {
		// Other serving nodes reload on this (PostgreSQL); a failure only
		// delays them until the next change, so it is logged, not shown.
		if nerr := s.cfg.Store.NotifyLibraryChanged(r.Context()); nerr != nil {
			s.log.Warn("通知其他节点失败", "err", nerr)
		}
	}
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "edit", &view{Title: "编辑元数据 · " + v.Title, Active: "admin", NoIndex: true, Error: err.Error(),
			D: editData{V: v, Statuses: editStatuses, Levels: editLevels, Regions: regionList()}})
		return
	}
	if err := s.Reload(r.Context()); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "已保存，但刷新资料库失败。")
		return
	}
	http.Redirect(w, r, "/documents/"+v.ID+"?edited=1", http.StatusSeeOther)
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	restore := r.PostFormValue("restore") != ""
	if !restore && s.library().cat.Version(id) == nil {
		s.fail(w, r, http.StatusNotFound, "未找到该版本。")
		return
	}
	if err := s.cfg.Store.SetWithdrawn(r.Context(), id, !restore); err != nil {
		s.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	action := "document.withdraw"
	if restore {
		action = "document.restore"
	}
	if err := s.acc.Audit(r.Context(), nil, currentUser(r).Username, action, id, r.PostFormValue("reason")); err != nil {
		s.log.Error("写审计日志失败", "err", err)
	}
	if err := s.Reload(r.Context()); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "已保存，但刷新资料库失败。")
		return
	}
	if restore {
		http.Redirect(w, r, "/admin?done=restored", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/admin?done=withdrawn", http.StatusSeeOther)
}

type usersData struct {
	Users []*account.User
	Roles []string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	users, err := s.acc.List(r.Context())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "读取用户失败。")
		return
	}
	v := &view{Title: "用户管理", Active: "admin", NoIndex: true, D: usersData{Users: users, Roles: account.Roles}}
	if r.URL.Query().Get("done") != "" {
		v.Flash = "角色已更新。"
	}
	s.render(w, r, http.StatusOK, "users", v)
}

func (s *Server) setRole(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r)
	target, role := r.PathValue("username"), r.PostFormValue("role")
	if target == me.Username && role != account.RoleAdmin {
		s.fail(w, r, http.StatusBadRequest, "不能降低自己的角色：请由另一位管理员操作，以免系统失去管理员。")
		return
	}
	if err := s.acc.SetRole(r.Context(), me.Username, target, role); err != nil {
		code := http.StatusBadRequest
		if errors.Is(err, account.ErrNoUser) {
			code = http.StatusNotFound
		}
		s.fail(w, r, code, err.Error())
		return
	}
	http.Redirect(w, r, "/admin/users?done=1", http.StatusSeeOther)
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	entries, err := s.acc.AuditLog(r.Context(), 500)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "读取审计日志失败。")
		return
	}
	s.render(w, r, http.StatusOK, "audit", &view{Title: "审计日志", Active: "admin", NoIndex: true, D: entries})
}
