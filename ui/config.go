package ui

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/pelletier/go-toml/v2"
)

// The user's config file (config.toml) picks a theme and rebinds keys:
//
//	theme = "dark"            # auto, dark or light
//	[colors]
//	accent = "#FF8800"        # any role of Palette: "#RRGGBB" or 0-255
//	[keys.list]
//	open_detail = ["enter", "o"]
//
// Keys are named by the fields of KeyMap, in snake case, so every binding
// can be rebound and a new binding needs no entry here. The file is
// untrusted input: anything it gets wrong is refused whole, with the line,
// and the defaults are used.

// Config is what a config file sets.
type Config struct {
	Theme   string
	Palette Palette
	Keys    KeyMap
}

// DefaultConfig is the configuration without a config file.
func DefaultConfig() Config {
	return Config{Theme: ThemeAuto, Palette: ThemePalette(ThemeAuto), Keys: DefaultKeyMap()}
}

// ConfigError is a config file refused: the line (1-based, 0 unknown)
// and what is wrong there.
type ConfigError struct {
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// maxConfigSize bounds what is read of a config file.
const maxConfigSize = 1 << 20

// paletteRoles names the fields of Palette, as the [colors] table does.
var paletteRoles = func() []string {
	t := reflect.TypeOf(Palette{})
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = snake(t.Field(i).Name)
	}
	return out
}()

// configType is the shape the file is decoded into, built from KeyMap and
// Palette so that it cannot fall out of step with them: theme, a [colors]
// table of strings and a [keys.GROUP] table of key lists per group.
var configType = func() reflect.Type {
	strType, listType := reflect.TypeOf(""), reflect.TypeOf([]string(nil))
	var colors []reflect.StructField
	for i, role := range paletteRoles {
		colors = append(colors, reflect.StructField{Name: reflect.TypeOf(Palette{}).Field(i).Name, Type: strType, Tag: tag(role)})
	}
	var groups []reflect.StructField
	km := reflect.TypeOf(KeyMap{})
	for i := range km.NumField() {
		g := km.Field(i)
		var binds []reflect.StructField
		for j := range g.Type.NumField() {
			f := g.Type.Field(j)
			binds = append(binds, reflect.StructField{Name: f.Name, Type: listType, Tag: tag(snake(f.Name))})
		}
		groups = append(groups, reflect.StructField{Name: g.Name, Type: reflect.StructOf(binds), Tag: tag(snake(g.Name))})
	}
	return reflect.StructOf([]reflect.StructField{
		{Name: "Theme", Type: strType, Tag: tag("theme")},
		{Name: "Colors", Type: reflect.StructOf(colors), Tag: tag("colors")},
		{Name: "Keys", Type: reflect.StructOf(groups), Tag: tag("keys")},
	})
}()

func tag(name string) reflect.StructTag { return reflect.StructTag(`toml:"` + name + `"`) }

// snake turns a Go field name into the config's: OpenDetail is
// open_detail, CopyID copy_id.
func snake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

var colourValue = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(#[0-9a-fA-F]{6}|[0-9]{1,3})$`) })

// ParseConfig reads the content of a config file. Unknown settings,
// values of the wrong kind, unknown themes, colours and keys that cannot
// be, and two bindings of one screen on the same key are refused.
func ParseConfig(data []byte) (Config, error) {
	cfg := DefaultConfig()
	if len(data) > maxConfigSize {
		return cfg, &ConfigError{Msg: fmt.Sprintf("larger than %d bytes", maxConfigSize)}
	}
	raw := reflect.New(configType)
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(raw.Interface()); err != nil {
		return DefaultConfig(), decodeError(err)
	}
	v := raw.Elem()
	if theme := v.Field(0).String(); theme != "" {
		if theme != ThemeAuto && theme != ThemeDark && theme != ThemeLight {
			return DefaultConfig(), &ConfigError{lineOf(data, "", "theme"), fmt.Sprintf("theme %q: want auto, dark or light", theme)}
		}
		cfg.Theme, cfg.Palette = theme, ThemePalette(theme)
	}
	colors, pal := v.Field(1), reflect.ValueOf(&cfg.Palette).Elem()
	for i, role := range paletteRoles {
		c := colors.Field(i).String()
		if c == "" {
			continue
		}
		if !colourValue().MatchString(c) || (c[0] != '#' && len(c) == 3 && c > "255") {
			return DefaultConfig(), &ConfigError{lineOf(data, "colors", role), fmt.Sprintf("colors.%s %q: want \"#RRGGBB\" or a terminal colour 0-255", role, c)}
		}
		pal.Field(i).Set(reflect.ValueOf(lipgloss.TerminalColor(lipgloss.Color(c))))
	}
	if err := applyKeys(&cfg.Keys, v.Field(2), data); err != nil {
		return DefaultConfig(), err
	}
	return cfg, nil
}

// decodeError turns the TOML library's error into one with the line.
func decodeError(err error) error {
	var derr *toml.DecodeError
	var serr *toml.StrictMissingError
	switch {
	case errors.As(err, &serr) && len(serr.Errors) > 0:
		e := serr.Errors[0]
		row, _ := e.Position()
		return &ConfigError{row, "unknown setting " + strings.Join(e.Key(), ".")}
	case errors.As(err, &derr):
		row, _ := derr.Position()
		return &ConfigError{row, derr.Error()}
	}
	return &ConfigError{Msg: err.Error()}
}

// applyKeys sets the bindings the file names, keeping their help text.
func applyKeys(km *KeyMap, groups reflect.Value, data []byte) error {
	kv := reflect.ValueOf(km).Elem()
	for i := range groups.NumField() {
		gname := snake(kv.Type().Field(i).Name)
		for j := range groups.Field(i).NumField() {
			keys, _ := groups.Field(i).Field(j).Interface().([]string)
			if keys == nil {
				continue
			}
			name := snake(kv.Field(i).Type().Field(j).Name)
			for _, k := range keys {
				if k == "" || len(k) > 24 || strings.IndexFunc(k, func(r rune) bool { return unicode.IsControl(r) || r == unicode.ReplacementChar }) >= 0 {
					return &ConfigError{lineOf(data, "keys."+gname, name), fmt.Sprintf("keys.%s.%s: %q is not a key", gname, name, k)}
				}
			}
			b := kv.Field(i).Field(j).Addr().Interface().(*key.Binding)
			*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(keysHelp(keys), b.Help().Desc))
			if len(keys) == 0 {
				b.SetEnabled(false)
			}
		}
	}
	return checkConflicts(km, data)
}

// keysHelp is how the help shows a list of keys.
func keysHelp(keys []string) string {
	pretty := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", " ": "space", "pgdown": "pgdn", "backspace": "⌫"}
	out := make([]string, len(keys))
	for i, k := range keys {
		if p, ok := pretty[k]; ok {
			k = p
		}
		out[i] = k
	}
	return strings.Join(out, "/")
}

// screens are the groups of bindings live at once; a key may mean one
// thing only among them. Find's next and previous match take n and N only
// while a find is shown, and the stats' filter by cell only while the
// cross-tab is (where filter by bar is not), and so do not count.
var screens = [][]string{
	{"app", "nav", "triage", "list"},
	{"app", "nav", "triage", "detail"},
	{"nav", "stats"}, // app's stats key is not live on the stats screen: back is
	{"app", "nav", "lessons"},
	{"query"}, {"facets", "nav"}, {"editor"}, {"picker", "nav"}, {"confirm"},
}

var modal = map[string]bool{"detail.next_match": true, "detail.prev_match": true, "stats.filter_by_cell": true}

// shadows are bindings that take their keys from another on their screen
// (see KeyMap.listNav): the list's g groups events, where elsewhere it
// goes to the top.
var shadows = map[string]string{"list.group_events": "nav.top"}

// shadowed reports whether bindings a and b may share a key.
func shadowed(a, b string) bool { return shadows[a] == b || shadows[b] == a }

func checkConflicts(km *KeyMap, data []byte) error {
	kv := reflect.ValueOf(*km)
	byGroup := map[string]reflect.Value{}
	for i := range kv.NumField() {
		byGroup[snake(kv.Type().Field(i).Name)] = kv.Field(i)
	}
	for _, screen := range screens {
		seen := map[string]string{}
		for _, g := range screen {
			gv := byGroup[g]
			for j := range gv.NumField() {
				name := g + "." + snake(gv.Type().Field(j).Name)
				if modal[name] {
					continue
				}
				for _, k := range gv.Field(j).Interface().(key.Binding).Keys() {
					if other, ok := seen[k]; ok && other != name && !shadowed(other, name) {
						table, field, _ := strings.Cut(name, ".")
						return &ConfigError{lineOf(data, "keys."+table, field), fmt.Sprintf("keys.%s and keys.%s both use %q", other, name, k)}
					}
					seen[k] = name
				}
			}
		}
	}
	return nil
}

// lineOf finds the line that sets name in table ("" for the top level),
// 0 when it is not written there as such (the defaults conflict).
func lineOf(data []byte, table, name string) int {
	current := ""
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[") {
			current = strings.Trim(strings.TrimSpace(strings.SplitN(t, "#", 2)[0]), "[] ")
			continue
		}
		k, _, ok := strings.Cut(t, "=")
		if ok && current == table && strings.Trim(strings.TrimSpace(k), `"'`) == name {
			return i + 1
		}
	}
	return 0
}

// DefaultConfigFile is a config file that sets every setting to its
// default, each commented out with what it does: a start for one's own.
func DefaultConfigFile() string {
	var b strings.Builder
	b.WriteString(`# faultline's explorer settings: $XDG_CONFIG_HOME/faultline/config.toml
# (~/.config/faultline/config.toml). Every setting below is the default,
# commented out; uncomment and change what you want. A file with a mistake
# is refused, with its line, and the defaults are used.

# theme: auto (the terminal's background chooses), dark or light.
# theme = "auto"

# Colours of the theme's roles, each "#RRGGBB" or a terminal colour 0-255;
# these are the dark theme's.
[colors]
`)
	dark := themeColours[0]
	values := []string{dark.accent, dark.match, dark.subtle, dark.faint, dark.text, dark.selection, dark.warn, dark.err, dark.star, dark.bar, dark.chip, dark.heading}
	for i, role := range paletteRoles {
		fmt.Fprintf(&b, "# %-9s = %q\n", role, values[i])
	}
	b.WriteString(`
# Keys, by screen. Each binding takes a list of keys as Bubble Tea names
# them: "a", "A", "enter", "esc", "tab", "shift+tab", "space" is " ",
# "up", "pgdown", "ctrl+x", "alt+x". An empty list [] switches it off.
# Two bindings of one screen may not share a key.
`)
	kv := reflect.ValueOf(DefaultKeyMap())
	for i := range kv.NumField() {
		g := kv.Field(i)
		fmt.Fprintf(&b, "\n[keys.%s]\n", snake(kv.Type().Field(i).Name))
		for j := range g.NumField() {
			bind := g.Field(j).Interface().(key.Binding)
			quoted := make([]string, len(bind.Keys()))
			for k, s := range bind.Keys() {
				quoted[k] = fmt.Sprintf("%q", s)
			}
			line := fmt.Sprintf("# %s = [%s]", snake(g.Type().Field(j).Name), strings.Join(quoted, ", "))
			fmt.Fprintf(&b, "%-44s # %s\n", line, bind.Help().Desc)
		}
	}
	return b.String()
}
