package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"datalex/internal/account"
)

type authData struct {
	Next     string
	Username string
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", &view{Title: "登录", NoIndex: true, D: authData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	name, pw := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	d := authData{Next: safeNext(r.PostFormValue("next")), Username: name}
	unavailable := func(err error) {
		s.log.Error("登录失败", "err", err)
		s.render(w, r, http.StatusInternalServerError, "login", &view{Title: "登录", Error: "登录暂时不可用，请稍后再试。", D: d})
	}
	if ok, err := s.limiter.Allow(r.Context(), clientIP(r)); err != nil {
		unavailable(err)
		return
	} else if !ok {
		s.render(w, r, http.StatusTooManyRequests, "login", &view{Title: "登录", Error: "登录尝试过于频繁，请一分钟后再试。", D: d})
		return
	}
	// Throttle by the name as typed and the address, whether or not the
	// name exists: the reply never tells which accounts exist, and nobody
	// can lock an account for its owner from another address.
	ip, key := clientIP(r), strings.ToLower(name)
	if wait, err := s.backoff.Wait(r.Context(), key, ip); err != nil {
		unavailable(err)
		return
	} else if wait > 0 {
		s.render(w, r, http.StatusTooManyRequests, "login", &view{Title: "登录", Error: throttledMessage(wait), D: d})
		return
	}
	u, err := s.acc.Authenticate(r.Context(), name, pw)
	if err != nil {
		code := http.StatusUnauthorized
		msg := err.Error()
		if errors.Is(err, account.ErrBadCredentials) {
			if _, err := s.backoff.Fail(r.Context(), key, ip); err != nil {
				s.log.Error("记录登录失败次数失败", "err", err)
			}
		} else {
			s.log.Error("登录失败", "err", err)
			code, msg = http.StatusInternalServerError, "登录暂时不可用，请稍后再试。"
		}
		s.render(w, r, code, "login", &view{Title: "登录", Error: msg, D: d})
		return
	}
	if err := s.backoff.Succeed(r.Context(), key, ip); err != nil {
		s.log.Error("清除登录失败次数失败", "err", err)
	}
	if err := s.startSession(w, r, u); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "无法创建会话。")
		return
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// startSession ends any session the browser came with and issues a new
// token, so a session id planted before login is worthless (fixation).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *account.User) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.acc.EndSession(r.Context(), c.Value)
	}
	sess, err := s.acc.NewSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	s.setCookie(w, sessionCookie, sess.Token, account.SessionTTL)
	// A new CSRF nonce as well: tokens issued before login stop working.
	s.setCookie(w, csrfCookie, randomToken(), 0)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.acc.EndSession(r.Context(), c.Value)
	}
	s.clearCookie(w, sessionCookie)
	s.setCookie(w, csrfCookie, randomToken(), 0)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "register", &view{Title: "注册", NoIndex: true, D: authData{}})
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	name, pw := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	d := authData{Username: name}
	if ok, err := s.limiter.Allow(r.Context(), clientIP(r)); err != nil {
		s.log.Error("注册失败", "err", err)
		s.render(w, r, http.StatusInternalServerError, "register", &view{Title: "注册", Error: "注册暂时不可用，请稍后再试。", D: d})
		return
	} else if !ok {
		s.render(w, r, http.StatusTooManyRequests, "register", &view{Title: "注册", Error: "操作过于频繁，请一分钟后再试。", D: d})
		return
	}
	if pw != r.PostFormValue("password2") {
		s.render(w, r, http.StatusBadRequest, "register", &view{Title: "注册", Error: "两次输入的密码不一致。", D: d})
		return
	}
	u, err := s.acc.Create(r.Context(), name, pw, account.RoleMember)
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "register", &view{Title: "注册", Error: err.Error(), D: d})
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "无法创建会话。")
		return
	}
	http.Redirect(w, r, "/account?welcome=1", http.StatusSeeOther)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	v := &view{Title: "我的账号", Active: "account", NoIndex: true}
	switch r.URL.Query().Get("done") {
	case "password":
		v.Flash = "密码已修改。"
	}
	if r.URL.Query().Get("welcome") != "" {
		v.Flash = "注册成功，欢迎使用 DataLex。"
	}
	s.render(w, r, http.StatusOK, "account", v)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	v := &view{Title: "我的账号", Active: "account", NoIndex: true}
	ip, key := clientIP(r), strings.ToLower(u.Username)
	if wait, err := s.backoff.Wait(r.Context(), key, ip); err != nil {
		s.log.Error("修改密码失败", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "暂时无法修改密码，请稍后再试。")
		return
	} else if wait > 0 {
		v.Error = throttledMessage(wait)
		s.render(w, r, http.StatusTooManyRequests, "account", v)
		return
	}
	if _, err := s.acc.Authenticate(r.Context(), u.Username, r.PostFormValue("current")); err != nil {
		if _, err := s.backoff.Fail(r.Context(), key, ip); err != nil {
			s.log.Error("记录密码错误次数失败", "err", err)
		}
		v.Error = "当前密码不正确。"
		s.render(w, r, http.StatusBadRequest, "account", v)
		return
	}
	if err := s.backoff.Succeed(r.Context(), key, ip); err != nil {
		s.log.Error("清除密码错误次数失败", "err", err)
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		v.Error = "两次输入的新密码不一致。"
		s.render(w, r, http.StatusBadRequest, "account", v)
		return
	}
	if err := s.acc.SetPassword(r.Context(), u.ID, pw); err != nil {
		v.Error = err.Error()
		s.render(w, r, http.StatusBadRequest, "account", v)
		return
	}
	// SetPassword ended every session; keep this browser logged in with a
	// fresh one.
	if err := s.startSession(w, r, u); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "无法创建会话。")
		return
	}
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
}

// throttledMessage tells how long to wait, rounded up to whole seconds or
// minutes; it is the same text for every name.
func throttledMessage(wait time.Duration) string {
	if wait < time.Minute {
		return fmt.Sprintf("%s（约 %d 秒后可再试）。", account.ErrThrottled.Error(), int(wait.Seconds())+1)
	}
	return fmt.Sprintf("%s（约 %d 分钟后可再试）。", account.ErrThrottled.Error(), int(wait.Minutes())+1)
}
