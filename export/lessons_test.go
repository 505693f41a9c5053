package export

import (
	"strings"
	"testing"

	"github.com/faultline/faultline/analysis"
)

func TestWriteLessons(t *testing.T) {
	lessons := []analysis.Lesson{
		{Text: "Automated, verified deployments [200012].", Events: 2},
		{Text: "Escape *this* <b>and</b> `that`\x1b[2J", Events: 1},
		{Text: "# not a heading", Events: 1},
	}
	tests := []struct {
		name, query string
		want        []string
	}{
		{"every incident", "", []string{
			"# Lessons\n\nWhat would have prevented these failures, from every incident (9), most often said first.\n\n",
			"- [ ] Automated, verified deployments [200012]. (2 failures)\n",
			"- [ ] Escape \\*this\\* \\<b\\>and\\</b\\> \\`that\\`␛ (1 failure)\n",
			"- [ ] \\# not a heading (1 failure)\n",
		}},
		{"a query", "domain:finance `x`", []string{"from the incidents matching domain:finance \\`x\\` (9)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteLessons(&b, tt.query, 9, lessons); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("lacks %q:\n%s", w, b.String())
				}
			}
		})
	}
}
