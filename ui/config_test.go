package ui

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name string
		file string
		line int    // of the error, 0 for none
		msg  string // in the error
	}{
		{name: "empty", file: ""},
		{name: "theme", file: `theme = "dark"`},
		{name: "comments only", file: "# nothing\n\n# set\n"},
		{name: "rebind", file: "[keys.list]\nopen_detail = [\"x\"]\n"},
		{name: "switch off", file: "[keys.app]\nexport = []\n"},
		{name: "colours", file: "[colors]\naccent = \"#112233\"\nmatch = \"9\"\n"},
		{name: "unknown theme", file: "\n\ntheme = \"solarized\"\n", line: 3, msg: "want auto, dark or light"},
		{name: "unknown setting", file: "theme = \"dark\"\nfont = \"mono\"\n", line: 2, msg: "unknown setting font"},
		{name: "unknown binding", file: "[keys.list]\n\nopen = [\"o\"]\n", line: 3, msg: "unknown setting keys.list.open"},
		{name: "unknown group", file: "[keys.lsit]\nopen_detail = [\"o\"]\n", line: 1, msg: "keys.lsit"},
		{name: "key not a list", file: "[keys.list]\nsort = \"s\"\n", line: 2},
		{name: "bad colour", file: "[colors]\naccent = \"orange\"\n", line: 2, msg: "colors.accent"},
		{name: "colour out of range", file: "[colors]\nstar = \"300\"\n", line: 2, msg: "0-255"},
		{name: "empty key", file: "[keys.nav]\nup = [\"\"]\n", line: 2, msg: "is not a key"},
		{name: "control character key", file: "[keys.nav]\nup = [\"\\u001b[A\"]\n", line: 2, msg: "is not a key"},
		{name: "syntax", file: "theme = \n", line: 1},
		{name: "conflict", file: "[keys.list]\nsort = [\"t\"]\n", line: 2, msg: `keys.triage.cycle_status and keys.list.sort both use "t"`},
		{name: "conflict across the detail", file: "[keys.detail]\ncorrect = [\"e\"]\n", line: 2, msg: "both use \"e\""},
		{name: "find keys are modal", file: "[keys.detail]\nnext_match = [\"p\"]\n"},
		{name: "grouping events takes top's key on the list", file: "[keys.list]\ngroup_events = [\"home\"]\n"},
		{name: "but no other navigation key", file: "[keys.list]\ngroup_events = [\"j\"]\n", line: 2, msg: `keys.nav.down and keys.list.group_events both use "j"`},
		{name: "conflict on the lessons screen", file: "[keys.lessons]\nopen = [\"?\"]\n", line: 2, msg: `keys.app.help and keys.lessons.open both use "?"`},
		{name: "lessons key against the list", file: "[keys.app]\nlessons = [\"o\"]\n", line: 0, msg: `keys.app.lessons and keys.list.sort both use "o"`},
		{name: "conflict in the cross-tab", file: "[keys.stats]\nnext_column = [\"j\"]\n", line: 2, msg: `keys.nav.down and keys.stats.next_column both use "j"`},
		{name: "filter by cell is modal", file: "[keys.stats]\nfilter_by_cell = [\"enter\"]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte(tt.file))
			if tt.line == 0 && tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			if ce.Line != tt.line || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("err = line %d %q, want line %d holding %q", ce.Line, ce.Msg, tt.line, tt.msg)
			}
			if !reflect.DeepEqual(cfg.Keys.List.Sort.Keys(), DefaultKeyMap().List.Sort.Keys()) || cfg.Theme != ThemeAuto {
				t.Error("a refused file still changed the configuration")
			}
		})
	}
}

func TestConfigApplies(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "config", "mine.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Theme != ThemeLight || cfg.Palette.Accent != lipgloss.Color("#FF8800") || cfg.Palette.Match != lipgloss.Color("201") {
		t.Errorf("theme %q, palette %v %v", cfg.Theme, cfg.Palette.Accent, cfg.Palette.Match)
	}
	if cfg.Palette.Heading != lipgloss.Color(themeColours[1].heading) {
		t.Errorf("heading %v, want the light theme's", cfg.Palette.Heading)
	}
	k := cfg.Keys
	if !reflect.DeepEqual(k.List.OpenDetail.Keys(), []string{"enter", "o"}) || k.List.OpenDetail.Help().Key != "enter/o" ||
		k.List.OpenDetail.Help().Desc != "open" {
		t.Errorf("open_detail = %v %+v", k.List.OpenDetail.Keys(), k.List.OpenDetail.Help())
	}
	if k.Triage.EditTags.Enabled() {
		t.Error("edit_tags = [] left the binding on")
	}
	// the explorer takes the rebound key
	b := newFakeBackend(testIncidents())
	d := drivenWith(t, b, 100, 30, Options{Config: &cfg})
	d.send(keyMsg("o"))
	if d.root().state != stateDetail {
		t.Errorf("o did not open: state %v", d.root().state)
	}
}

func TestDefaultConfigFileIsTheDefault(t *testing.T) {
	text := DefaultConfigFile()
	cfg, err := ParseConfig([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.Keys, DefaultKeyMap()) {
		t.Error("the commented default parses to other keys")
	}
	// uncommented, every setting in it is valid and the default
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "# ") && strings.Contains(l, " = ") {
			l = strings.TrimPrefix(l, "# ")
		}
		lines = append(lines, l)
	}
	cfg, err = ParseConfig([]byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatalf("uncommented default refused: %v", err)
	}
	if !reflect.DeepEqual(cfg.Keys.List.OpenDetail.Keys(), DefaultKeyMap().List.OpenDetail.Keys()) || cfg.Theme != ThemeAuto {
		t.Error("the uncommented default is not the default")
	}
	for _, want := range []string{"[keys.list]", "# open_detail = [\"enter\"]", "# theme = \"auto\"", "[colors]", "# accent"} {
		if !strings.Contains(text, want) {
			t.Errorf("default config lacks %q", want)
		}
	}
}

// FuzzParseConfig feeds the config reader files it never saw: it must
// refuse or accept, never panic, and a refusal names a line within the
// file.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(DefaultConfigFile()))
	if data, err := os.ReadFile(filepath.Join("testdata", "config", "mine.toml")); err == nil {
		f.Add(data)
	}
	for _, s := range []string{"", "theme = ", "[keys]\nlist = 1", "[keys.list]\nsort = [1, 2]", "[colors]\naccent = \"#zzzzzz\"",
		"[[keys.nav]]\nup = [\"k\"]", "theme = \"dark\"\ntheme = \"light\"", "\x00\xff[keys.list]", "[keys.nav]\nup = [\"\\u0000\"]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ParseConfig(data)
		var ce *ConfigError
		if err != nil && (!errors.As(err, &ce) || ce.Line < 0 || ce.Line > strings.Count(string(data), "\n")+1) {
			t.Errorf("ParseConfig(%q) = %v", data, err)
		}
	})
}
