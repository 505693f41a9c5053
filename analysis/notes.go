package analysis

import (
	"strings"

	"github.com/faultline/faultline/incident"
)

// lessonPrefix starts a line of a reviewer's note that states a lesson.
const lessonPrefix = "lesson:"

// NoteLessons returns the lessons reviewers wrote in the notes of incs:
// each line of a live note that starts with "Lesson:" (any case, after a
// list marker), less the prefix, for Lessons to merge with the items.
func NoteLessons(incs []incident.Incident) []Note {
	var out []Note
	for _, in := range incs {
		for _, note := range in.Triage.LiveNotes() {
			for _, line := range strings.Split(note.Text, "\n") {
				line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-*"))
				if len(line) > len(lessonPrefix) && strings.EqualFold(line[:len(lessonPrefix)], lessonPrefix) {
					out = append(out, Note{Incident: in.ID, Text: strings.TrimSpace(line[len(lessonPrefix):])})
				}
			}
		}
	}
	return out
}
