package analysis

import (
	"reflect"
	"testing"
	"time"

	"github.com/faultline/faultline/incident"
)

func TestNoteLessons(t *testing.T) {
	st := incident.Stamp{By: "ana", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	tests := []struct {
		name string
		note string
		want []Note
	}{
		{"none", "just a thought", nil},
		{"one", "Lesson: stage the rollout", []Note{{"a", "stage the rollout"}}},
		{"case and list marker", "seen before\n- LESSON:  test the backups \n* lesson:restore drills", []Note{{"a", "test the backups"}, {"a", "restore drills"}}},
		{"empty lesson", "Lesson:", nil},
		{"inside a sentence", "the lesson: none", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := incident.Incident{ID: "a"}
			in.Triage.SetNote(tt.note, st)
			if got := NoteLessons([]incident.Incident{in}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
