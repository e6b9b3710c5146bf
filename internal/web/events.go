package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"datalex/internal/events"
)

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
	Pager    ncPager
}

func (m *ncModule) eventList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := eventListData{Today: events.Today()}
	var err error
	if d.Upcoming, err = events.Upcoming(ctx, m.db, d.Today, 100); err != nil {
		m.serverError(w, r, "读取活动失败", err)
		return
	}
	const per = 20
	page := ncPageOf(r)
	// One more than a page tells whether there is a next page.
	if d.Past, err = events.Past(ctx, m.db, d.Today, per+1, (page-1)*per); err != nil {
		m.serverError(w, r, "读取活动失败", err)
		return
	}
	d.Pager = ncPager{Page: page, Pages: page, Query: r.URL.Query()}
	if len(d.Past) > per {
		d.Past, d.Pager.Pages = d.Past[:per], page+1
	}
	m.page(w, r, http.StatusOK, "events", "数据资产盛会集锦", "events", d)
}

type eventData struct {
	Event    *events.Event
	Works    []ncWorkLink
	Upcoming bool
}

func (m *ncModule) eventPage(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("id")
	ics := strings.HasSuffix(raw, ".ics")
	id, err := strconv.ParseInt(strings.TrimSuffix(raw, ".ics"), 10, 64)
	var e *events.Event
	if err == nil {
		e, err = events.Get(r.Context(), m.db, id)
	}
	if err != nil {
		if errors.Is(err, events.ErrNotFound) || errors.Is(err, strconv.ErrSyntax) || errors.Is(err, strconv.ErrRange) {
			m.s.fail(w, r, http.StatusNotFound, "未找到该活动。")
			return
		}
		m.serverError(w, r, "读取活动失败", err)
		return
	}
	if ics {
		body := events.EventICS(e, events.ICSOptions{BaseURL: m.siteURL(r)})
		ncWriteCalendar(w, body, fmt.Sprintf("datalex-event-%d.ics", e.ID), true)
		return
	}
	// AgendaHTML was sanitised by the events package.
	m.page(w, r, http.StatusOK, "events_item", e.Title, "events",
		eventData{Event: e, Works: m.workLinks(e.RelatedWorks), Upcoming: e.Upcoming(events.Today())})
}

func (m *ncModule) eventsICS(w http.ResponseWriter, r *http.Request) {
	all, err := events.All(r.Context(), m.db)
	if err != nil {
		m.serverError(w, r, "读取活动失败", err)
		return
	}
	ncWriteCalendar(w, events.ICS(all, events.ICSOptions{BaseURL: m.siteURL(r)}), "datalex-events.ics", false)
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

func (m *ncModule) eventNew(w http.ResponseWriter, r *http.Request) {
	// A month ahead is the usual lead time of a conference announcement.
	start := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	e := &events.Event{StartDate: start, EndDate: start, City: "北京"}
	m.page(w, r, http.StatusOK, "events_form", "添加活动", "events", eventFormData{Event: e, Errs: map[string]string{}, Action: "/events"})
}

func (m *ncModule) eventFromForm(r *http.Request, e *events.Event) (eventFormData, bool) {
	f := r.PostFormValue
	e.Title, e.StartDate, e.EndDate = f("title"), f("start_date"), f("end_date")
	e.City, e.Venue, e.Organiser, e.URL, e.Agenda = f("city"), f("venue"), f("organiser"), f("url"), f("agenda")
	d := eventFormData{Event: e, Reports: f("reports"), Works: f("related_works"), Errs: map[string]string{}}
	links, bad := events.ParseReportLines(f("reports"))
	e.Reports = links
	if len(bad) > 0 {
		d.Errs["reports"] = "这些行没有 http(s) 网址：" + strings.Join(bad, "；")
	}
	works, badWorks := m.parseWorks(f("related_works"))
	e.RelatedWorks = works
	if badWorks != "" {
		d.Errs["related_works"] = badWorks
	}
	return d, len(d.Errs) == 0
}

func (m *ncModule) eventCreate(w http.ResponseWriter, r *http.Request) {
	e := &events.Event{CreatedBy: CurrentUser(r).ID}
	d, ok := m.eventFromForm(r, e)
	d.Action = "/events"
	if ok {
		id, err := events.Create(r.Context(), m.db, e)
		if err == nil {
			m.audit(r, "event.create", e.Title)
			ncRedirect(w, r, events.EventPath(id), "created")
			return
		}
		d.Errs, d.Error = ncFieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "events_form", "添加活动", "events", d)
}

func (m *ncModule) loadEvent(w http.ResponseWriter, r *http.Request) *events.Event {
	id, ok := ncPathID(r)
	var e *events.Event
	err := events.ErrNotFound
	if ok {
		e, err = events.Get(r.Context(), m.db, id)
	}
	if errors.Is(err, events.ErrNotFound) {
		m.s.fail(w, r, http.StatusNotFound, "未找到该活动。")
		return nil
	}
	if err != nil {
		m.serverError(w, r, "读取活动失败", err)
		return nil
	}
	return e
}

func (m *ncModule) eventEdit(w http.ResponseWriter, r *http.Request) {
	e := m.loadEvent(w, r)
	if e == nil {
		return
	}
	var reports []string
	for _, l := range e.Reports {
		reports = append(reports, l.Title+" "+l.URL)
	}
	m.page(w, r, http.StatusOK, "events_form", "编辑活动", "events", eventFormData{Event: e, Reports: strings.Join(reports, "\n"),
		Works: worksText(e.RelatedWorks), Errs: map[string]string{}, Action: e.Path() + "/edit"})
}

func (m *ncModule) eventSave(w http.ResponseWriter, r *http.Request) {
	e := m.loadEvent(w, r)
	if e == nil {
		return
	}
	d, ok := m.eventFromForm(r, e)
	d.Action = e.Path() + "/edit"
	if ok {
		err := events.Update(r.Context(), m.db, e)
		if err == nil {
			m.audit(r, "event.update", e.Title)
			ncRedirect(w, r, e.Path(), "saved")
			return
		}
		d.Errs, d.Error = ncFieldErrors(err)
	}
	m.page(w, r, http.StatusUnprocessableEntity, "events_form", "编辑活动", "events", d)
}

func (m *ncModule) eventDelete(w http.ResponseWriter, r *http.Request) {
	e := m.loadEvent(w, r)
	if e == nil {
		return
	}
	if err := events.Delete(r.Context(), m.db, e.ID); err != nil {
		m.serverError(w, r, "删除活动失败", err)
		return
	}
	m.audit(r, "event.delete", e.Title)
	ncRedirect(w, r, "/events", "deleted")
}
