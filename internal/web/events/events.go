package events

import (
	"context"
	"database/sql"
	"datalex/internal/account"
	"datalex/internal/events"
	"datalex/internal/web"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// EventsDeps is what the 盛会 module needs besides the server.
type EventsDeps struct {
	// BaseURL is the absolute site root used in calendars; empty derives
	// it from each request.
	BaseURL string
}

type eventsModule struct {
	s       *web.Server
	db      *sql.DB
	baseURL string
	pages   map[string]*template.Template
}

// MountEvents serves 数据资产盛会集锦 under /events and its iCalendar
// feeds. Call it once, after web.New and before serving.
func MountEvents(srv *web.Server, deps EventsDeps) error {
	m := &eventsModule{s: srv, db: srv.DB(), baseURL: deps.BaseURL}
	var err error
	if m.pages, err = web.ParsePages(templateFS, nil, "templates/*.html"); err != nil {
		return err
	}
	srv.SetModule("events", "/events")
	const (
		anyone = ""
		editor = account.RoleEditor
	)
	h := srv.Handle
	h("GET /events", anyone, m.eventList)
	h("GET /events.ics", anyone, m.eventsICS)
	h("GET /events/new", editor, m.eventNew)
	h("POST /events", editor, m.eventCreate)
	h("GET /events/{id}", anyone, m.eventPage) // also {id}.ics
	h("GET /events/{id}/edit", editor, m.eventEdit)
	h("POST /events/{id}/edit", editor, m.eventSave)
	h("POST /events/{id}/delete", editor, m.eventDelete)
	return nil
}

// page renders one of this module's templates in the site layout.
func (m *eventsModule) page(w http.ResponseWriter, r *http.Request, code int, tmpl, title, active string, d any) {
	m.s.Render(w, r, code, tmpl, m.pages[tmpl], &web.View{Title: title, Active: active, D: d, Flash: web.FlashOf(r), NoIndex: r.URL.Query().Has("page")})
}

// fieldErrors places a validation error next to its field; other errors
// go to the top of the form.
func fieldErrors(err error) (map[string]string, string) {
	if ee := eventValidation(err); ee != nil {
		return ee, ""
	}
	return map[string]string{}, err.Error()
}

// 数据资产盛会集锦: upcoming and past events, iCalendar feeds and the
// editors' quick form.

func eventValidation(err error) map[string]string {
	var ve *events.ValidationError
	if errors.As(err, &ve) {
		return map[string]string{ve.Field: ve.Msg}
	}
	return nil
}

type eventListData struct {
	Upcoming []*events.Event
	Past     []*events.Event
	Today    string
	Pager    web.Pager
}

func (m *eventsModule) eventList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := eventListData{Today: events.Today()}
	var err error
	if d.Upcoming, err = events.Upcoming(ctx, m.db, d.Today, 100); err != nil {
		m.s.ServerError(w, r, "读取活动失败", err)
		return
	}
	const per = 20
	page := web.PageOf(r)
	// One more than a page tells whether there is a next page.
	if d.Past, err = events.Past(ctx, m.db, d.Today, per+1, (page-1)*per); err != nil {
		m.s.ServerError(w, r, "读取活动失败", err)
		return
	}
	d.Pager = web.Pager{Page: page, Pages: page, Query: r.URL.Query()}
	if len(d.Past) > per {
		d.Past, d.Pager.Pages = d.Past[:per], page+1
	}
	m.page(w, r, http.StatusOK, "events", "数据资产盛会集锦", "events", d)
}

type eventData struct {
	Event    *events.Event
	Works    []web.WorkLink
	Upcoming bool
}

func (m *eventsModule) eventPage(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("id")
	ics := strings.HasSuffix(raw, ".ics")
	id, err := strconv.ParseInt(strings.TrimSuffix(raw, ".ics"), 10, 64)
	var e *events.Event
	if err == nil {
		e, err = events.Get(r.Context(), m.db, id)
	}
	if err != nil {
		if errors.Is(err, events.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange) {
			m.s.Fail(w, r, http.StatusNotFound, "未找到该活动。")
			return
		}
		m.s.ServerError(w, r, "读取活动失败", err)
		return
	}
	if ics {
		body := events.EventICS(e, events.ICSOptions{BaseURL: m.s.SiteURL(r, m.baseURL)})
		ncWriteCalendar(w, body, fmt.Sprintf("datalex-event-%d.ics", e.ID), true)
		return
	}
	// AgendaHTML was sanitised by the events package.
	m.page(w, r, http.StatusOK, "events_item", e.Title, "events",
		eventData{Event: e, Works: m.s.WorkLinks(e.RelatedWorks), Upcoming: e.Upcoming(events.Today())})
}

func (m *eventsModule) eventsICS(w http.ResponseWriter, r *http.Request) {
	all, err := events.All(r.Context(), m.db)
	if err != nil {
		m.s.ServerError(w, r, "读取活动失败", err)
		return
	}
	ncWriteCalendar(w, events.ICS(all, events.ICSOptions{BaseURL: m.s.SiteURL(r, m.baseURL)}), "datalex-events.ics", false)
}

// ncWriteCalendar serves iCalendar data; a single event is a download, the
// whole calendar is also meant for subscription.
func ncWriteCalendar(w http.ResponseWriter, body []byte, name string, download bool) {
	disp := "inline"
	if download {
		disp = "attachment"
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", disp+`; filename="`+name+`"`)
	w.Write(body)
}

type eventFormData struct {
	Event   *events.Event
	Reports string
	Works   string
	Errs    map[string]string
	Error   string
	Action  string
}

func (m *eventsModule) eventNew(w http.ResponseWriter, r *http.Request) {
	// A month ahead is the usual lead time of a conference announcement.
	start := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	e := &events.Event{StartDate: start, EndDate: start, City: "北京"}
	m.page(w, r, http.StatusOK, "events_form", "添加活动", "events", eventFormData{Event: e, Errs: map[string]string{}, Action: "/events"})
}

func (m *eventsModule) eventFromForm(r *http.Request, e *events.Event) (eventFormData, bool) {
	f := r.PostFormValue
	e.Title, e.StartDate, e.EndDate = f("title"), f("start_date"), f("end_date")
	e.City, e.Venue, e.Organiser, e.URL, e.Agenda = f("city"), f("venue"), f("organiser"), f("url"), f("agenda")
	d := eventFormData{Event: e, Reports: f("reports"), Works: f("related_works"), Errs: map[string]string{}}
	links, bad := events.ParseReportLines(f("reports"))
	e.Reports = links
	if len(bad) > 0 {
		d.Errs["reports"] = "这些行没有 http(s) 网址：" + strings.Join(bad, "；")
	}
	works, badWorks := m.s.ParseWorks(f("related_works"))
	e.RelatedWorks = works
	if badWorks != "" {
		d.Errs["related_works"] = badWorks
	}
	return d, len(d.Errs) == 0
}

func (m *eventsModule) eventCreate(w http.ResponseWriter, r *http.Request) {
	e := &events.Event{CreatedBy: web.CurrentUser(r).ID}
	d, ok := m.eventFromForm(r, e)
	d.Action = "/events"
	if ok {
		id, err := events.Create(r.Context(), m.db, e)
		if err == nil {
			m.s.Audit(r, "event.create", e.Title)
			web.RedirectDone(w, r, events.EventPath(id), "created")
			return
		}
		d.Errs, d.Error = fieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "events_form", "添加活动", "events", d)
}

func (m *eventsModule) loadEvent(w http.ResponseWriter, r *http.Request) *events.Event {
	e, _ := web.LoadByID(m.s, w, r, events.ErrNotFound, "活动", "未找到该活动。",
		func(ctx context.Context, id int64) (*events.Event, error) { return events.Get(ctx, m.db, id) })
	return e
}

func (m *eventsModule) eventEdit(w http.ResponseWriter, r *http.Request) {
	e := m.loadEvent(w, r)
	if e == nil {
		return
	}
	var reports []string
	for _, l := range e.Reports {
		reports = append(reports, l.Title+" "+l.URL)
	}
	m.page(w, r, http.StatusOK, "events_form", "编辑活动", "events", eventFormData{Event: e, Reports: strings.Join(reports, "\n"),
		Works: web.WorksText(e.RelatedWorks), Errs: map[string]string{}, Action: e.Path() + "/edit"})
}

func (m *eventsModule) eventSave(w http.ResponseWriter, r *http.Request) {
	e := m.loadEvent(w, r)
	if e == nil {
		return
	}
	d, ok := m.eventFromForm(r, e)
	d.Action = e.Path() + "/edit"
	if ok {
		err := events.Update(r.Context(), m.db, e)
		if err == nil {
			m.s.Audit(r, "event.update", e.Title)
			web.RedirectDone(w, r, e.Path(), "saved")
			return
		}
		d.Errs, d.Error = fieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "events_form", "编辑活动", "events", d)
}

func (m *eventsModule) eventDelete(w http.ResponseWriter, r *http.Request) {
	e := m.loadEvent(w, r)
	if e == nil {
		return
	}
	if err := events.Delete(r.Context(), m.db, e.ID); err != nil {
		m.s.ServerError(w, r, "删除活动失败", err)
		return
	}
	m.s.Audit(r, "event.delete", e.Title)
	web.RedirectDone(w, r, "/events", "deleted")
}
