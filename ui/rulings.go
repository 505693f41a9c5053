package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/faultline/faultline/analysis"
	"github.com/faultline/faultline/incident"
	"github.com/faultline/faultline/search"
)

// Reviewers' rulings on events: split an incident from its event, join
// it to another's. A ruling is triage (incident.Triage.Event), saved,
// merged and undone like any other change; the root lays the rulings over
// the grouping and works the events out again, in a command.

// eventsLoaded takes the grouping read from the backend, with the rulings
// of the incidents ruled on here laid over it again as the index has them
// (a save may not have reached the database the read saw; a reload may
// bring a colleague's later ruling).
func (m model) eventsLoaded(msg eventsLoadedMsg) (tea.Model, tea.Cmd) {
	if msg.tag != m.eventsTag {
		return m, nil
	}
	if msg.err != nil {
		// a grouping read before stays: it is of fewer incidents, not wrong
		m.c.eventsErr = oneLine(msg.err.Error())
		return m, m.c.setStatus(statusWarn, "events not read: "+m.c.eventsErr)
	}
	m.c.grouping, m.c.events, m.c.eventsErr = msg.grouping, msg.set, ""
	if len(m.ruled) == 0 {
		return m, tea.Batch(m.list.refresh(), m.detail.regrouped(), m.recountLessons())
	}
	// the screens show the events once the rulings are laid over
	rulings := make(map[string]string, len(m.ruled))
	for id := range m.ruled {
		in, _ := m.c.summary(id)
		rulings[id] = in.Triage.Event.Value
	}
	m.groupTag++
	return m, regroupCmd(m.c.grouping, rulings, m.groupTag)
}

// eventsGrouped takes the events worked out after a ruling.
func (m model) eventsGrouped(msg eventsGroupedMsg) (tea.Model, tea.Cmd) {
	if msg.tag != m.groupTag {
		return m, nil
	}
	m.c.events = msg.set
	return m, tea.Batch(m.list.refresh(), m.detail.regrouped(), m.recountLessons())
}

// recountLessons counts the lessons shown again by the events as they are
// now.
func (m *model) recountLessons() tea.Cmd {
	if m.state != stateLessons {
		return nil
	}
	return m.lessons.gather(m.list.query(), m.list.ids(), m.list.resultTag)
}

// setTriage puts t as id's triage in the index, and in rulings its ruling
// on the event when that changed.
func (m *model) setTriage(id string, t incident.Triage, rulings map[string]string) {
	if prev, ok := m.c.summary(id); ok && prev.Triage.Event.Value != t.Event.Value {
		rulings[id] = t.Event.Value
	}
	m.c.index.SetTriage(id, t)
}

// regroup lays rulings over the grouping in a command; before the
// grouping is read they wait, to be laid over it then.
func (m *model) regroup(rulings map[string]string) tea.Cmd {
	if len(rulings) == 0 {
		return nil
	}
	for id := range rulings {
		m.ruled[id] = true
	}
	if m.c.grouping == nil {
		return nil
	}
	m.groupTag++
	return regroupCmd(m.c.grouping, rulings, m.groupTag)
}

// rulingSummary says in a few words what a change of rulings did.
func rulingSummary(ch change, n string, title func(id string) string) string {
	d, _ := analysis.ParseDecision(ch.after.Event.Value)
	switch {
	case d.Alone:
		return "split from its event" + n
	case d.With != "":
		return fmt.Sprintf("joined%s to the event of %s", n, title(d.With))
	}
	return "back in its event as found" + n
}

// split takes the incidents of r out of their events, or puts them back
// in them as found when every one was split already.
func (m model) split(r request) (tea.Model, tea.Cmd) {
	if r.scope == scopeEvent {
		return m, m.c.setStatus(statusInfo, "split a report, not the event: "+m.c.keys.List.ExpandEvent.Help().Key+" shows them")
	}
	ruling := analysis.Decision{Alone: true}.String()
	split := true
	for _, id := range r.ids {
		if in, ok := m.c.summary(id); !ok || in.Triage.Event.Value != ruling {
			split = false
		}
	}
	if split {
		ruling = "" // as found
	} else if len(r.ids) == 1 && m.c.events != nil {
		if in, _ := m.c.summary(r.ids[0]); in.Triage.Event.Value == "" && len(m.c.events.others(r.ids[0])) == 0 {
			return m, m.c.setStatus(statusInfo, "no other report is in its event: nothing to split")
		}
	}
	m.list.allArmed = false
	return m.changeTriage(r.ids, "event", func(t *incident.Triage, st incident.Stamp) { t.SetEvent(ruling, st) })
}

// join puts the marked incidents in the event of the first of them, or
// for one incident (or event) looks for the incidents it may report the
// same failure as, to pick one in a picker.
func (m model) join(r request) (tea.Model, tea.Cmd) {
	if m.c.backend.ReadOnly() {
		return m, m.c.setStatus(statusWarn, readOnlyNotice)
	}
	if r.scope == scopeMarked && len(r.ids) > 1 {
		anchor := r.ids[0]
		var ids []string
		for _, id := range r.ids[1:] {
			in, _ := m.c.summary(id)
			if in.Triage.Event.Value == "" && m.c.events.eventID(id) == m.c.events.eventID(anchor) {
				continue // together already, as found
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return m, m.c.setStatus(statusInfo, "the marked incidents are in one event already")
		}
		ruling := analysis.Decision{With: anchor}.String()
		return m.changeTriage(ids, "event", func(t *incident.Triage, st incident.Stamp) { t.SetEvent(ruling, st) })
	}
	id := r.ids[0]
	return m, joinCandidatesCmd(m.c.index, m.c.events, id)
}

// joinCandidatesCmd finds the incidents most like id outside its event,
// one per event: the event is what is joined.
func joinCandidatesCmd(ix *search.Index, events *eventSet, id string) tea.Cmd {
	return func() tea.Msg {
		msg := joinCandidatesFoundMsg{id: id}
		seen := map[string]bool{}
		for _, r := range ix.Related(id, 3*joinChoices, events.others(id)...) {
			if ev := events.eventID(r.ID); !seen[ev] && len(msg.candidates) < joinChoices {
				seen[ev] = true
				msg.candidates = append(msg.candidates, r)
			}
		}
		return msg
	}
}

// joinChoices is how many incidents the join picker offers.
const joinChoices = 9

// pickJoin opens the picker of the incidents to join id's event with:
// those most like it, and going back to the event as found when a ruling
// is in force.
func (m model) pickJoin(msg joinCandidatesFoundMsg) (tea.Model, tea.Cmd) {
	if m.state != stateList && m.state != stateDetail {
		return m, nil // the user moved on
	}
	in, _ := m.c.summary(msg.id)
	var items []pickItem
	if in.Triage.Event.Value != "" {
		items = append(items, pickItem{value: "", label: "as found", desc: "withdraw the ruling (" + oneLine(in.Triage.Event.Value) + "): the event grouping finds"})
	}
	for _, c := range msg.candidates {
		other, ok := m.c.summary(c.ID)
		if !ok {
			continue
		}
		label := truncate(oneLine(other.Title), 48)
		desc := orDash(oneLine(other.Published))
		if n := len(m.c.events.others(c.ID)); n > 0 {
			desc += fmt.Sprintf(" · an event of %d", n+1)
		}
		items = append(items, pickItem{value: analysis.Decision{With: c.ID}.String(), label: label, desc: desc + " · " + oneLine(c.Reason)})
	}
	if len(items) == 0 {
		return m, m.c.setStatus(statusInfo, "no incident like it to join: mark two (space) and press "+m.c.keys.Triage.JoinEvent.Help().Key)
	}
	m.under, m.state = m.state, statePicker
	m.picker.start(pickJoin, "Join "+m.c.titleOf(msg.id)+" with the event of…", items, []string{msg.id}, "")
	return m, nil
}
