package ui

import "github.com/charmbracelet/lipgloss"

// Palette is the colour of each role the explorer draws; a theme is a
// palette. Every state the styles show is also shown by a glyph or a
// bracket, so NO_COLOR (lipgloss' renderer then draws plain text) loses
// nothing.
type Palette struct {
	Accent, Match, Subtle, Faint, Text, Selection lipgloss.TerminalColor
	Warn, Error, Star, Bar, Chip, Heading         lipgloss.TerminalColor
}

// palette is one colour per role for dark and light backgrounds.
type palette [2]struct {
	accent, match, subtle, faint, text, selection string
	warn, err, star, bar, chip, heading           string
}

var themeColours = palette{
	{"#B4A7FF", "#FF7AB6", "#8A8A8A", "#4A4A4A", "#E6E6E6", "#3A3260", "#FFB454", "#FF6B6B", "#FFD75F", "#8F7CFF", "#333333", "#7FB2FF"}, // dark
	{"#5A3FC0", "#B8005C", "#6B6B6B", "#B0B0B0", "#1A1A1A", "#E4DEFF", "#A35200", "#C00000", "#A67C00", "#5A3FC0", "#E8E8E8", "#2B5FAA"}, // light
}

// Themes a config may name.
const (
	ThemeAuto  = "auto" // the terminal's background chooses dark or light
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// ThemePalette returns the palette of a theme: auto adapts to the
// terminal's background.
func ThemePalette(theme string) Palette {
	d, l := themeColours[0], themeColours[1]
	pick := func(dark, light string) lipgloss.TerminalColor {
		switch theme {
		case ThemeDark:
			return lipgloss.Color(dark)
		case ThemeLight:
			return lipgloss.Color(light)
		}
		return lipgloss.AdaptiveColor{Dark: dark, Light: light}
	}
	return Palette{
		Accent: pick(d.accent, l.accent), Match: pick(d.match, l.match), Subtle: pick(d.subtle, l.subtle),
		Faint: pick(d.faint, l.faint), Text: pick(d.text, l.text), Selection: pick(d.selection, l.selection),
		Warn: pick(d.warn, l.warn), Error: pick(d.err, l.err), Star: pick(d.star, l.star),
		Bar: pick(d.bar, l.bar), Chip: pick(d.chip, l.chip), Heading: pick(d.heading, l.heading),
	}
}

// Styles holds every style the explorer draws with, named by role.
type Styles struct {
	App        lipgloss.Style // the title bar
	AppPath    lipgloss.Style
	Prompt     lipgloss.Style // the query line's prompt
	Title      lipgloss.Style // incident titles in the list
	Selected   lipgloss.Style // the row under the cursor
	Cursor     lipgloss.Style // the cursor glyph of the focused panel
	Marked     lipgloss.Style // the mark of a row marked for a bulk change
	Match      lipgloss.Style // matched characters and words
	Subtle     lipgloss.Style // dates, counts, secondary text
	Faint      lipgloss.Style // rules and empty states
	Heading    lipgloss.Style // section and category headings
	Tab        lipgloss.Style
	ActiveTab  lipgloss.Style
	Chip       lipgloss.Style // an active filter in the status line
	Status     lipgloss.Style // the "N of M" count
	Info       lipgloss.Style // transient messages
	Warn       lipgloss.Style // read-only and lock notices
	Error      lipgloss.Style
	Star       lipgloss.Style
	Bar        lipgloss.Style // stats and histogram bars
	Label      lipgloss.Style // field labels in the detail view
	Code       lipgloss.Style // code in a Markdown body
	Emphasis   lipgloss.Style // *emphasis* in a Markdown body
	Strong     lipgloss.Style // **strong emphasis** in a Markdown body
	Link       lipgloss.Style // a link's text in a Markdown body
	PanelFocus lipgloss.Style // the heading of the focused panel
	Panel      lipgloss.Style // the heading of a panel without focus
	Corrected  lipgloss.Style // a reviewer's correction of the taxonomy
}

// DefaultStyles builds the styles of the auto theme for renderer r.
func DefaultStyles(r *lipgloss.Renderer) Styles { return NewStyles(r, ThemePalette(ThemeAuto)) }

// NewStyles builds the styles of palette p for renderer r.
func NewStyles(r *lipgloss.Renderer, p Palette) Styles {
	s := r.NewStyle
	return Styles{
		App:        s().Bold(true).Foreground(p.Accent),
		AppPath:    s().Foreground(p.Subtle),
		Prompt:     s().Bold(true).Foreground(p.Accent),
		Title:      s().Foreground(p.Text),
		Selected:   s().Bold(true).Background(p.Selection),
		Cursor:     s().Bold(true).Foreground(p.Accent),
		Marked:     s().Bold(true).Foreground(p.Match),
		Match:      s().Bold(true).Underline(true).Foreground(p.Match),
		Subtle:     s().Foreground(p.Subtle),
		Faint:      s().Foreground(p.Faint),
		Heading:    s().Bold(true).Foreground(p.Heading),
		Tab:        s().Foreground(p.Subtle),
		ActiveTab:  s().Bold(true).Reverse(true),
		Chip:       s().Foreground(p.Text).Background(p.Chip),
		Status:     s().Bold(true),
		Info:       s().Foreground(p.Accent),
		Warn:       s().Foreground(p.Warn),
		Error:      s().Bold(true).Foreground(p.Error),
		Star:       s().Foreground(p.Star),
		Bar:        s().Foreground(p.Bar),
		Label:      s().Bold(true).Foreground(p.Subtle),
		Code:       s().Foreground(p.Text).Background(p.Chip),
		Emphasis:   s().Italic(true),
		Strong:     s().Bold(true),
		Link:       s().Underline(true).Foreground(p.Accent),
		PanelFocus: s().Bold(true).Reverse(true).Foreground(p.Accent),
		Panel:      s().Foreground(p.Subtle),
		Corrected:  s().Bold(true).Foreground(p.Star),
	}
}

// mark renders matched text; it has the shape the render functions take.
func (s Styles) mark(t string) string { return s.Match.Render(t) }

// with adapts a style to the shape the render functions take.
func with(st lipgloss.Style) func(string) string {
	return func(t string) string { return st.Render(t) }
}

// paint returns st as a render func, on the selection's background and
// weight when selected. Each part of a selected row is painted this way:
// wrapping a row of styled parts in Selected would lose the background
// after the first part's reset.
func (s Styles) paint(st lipgloss.Style, selected bool) func(string) string {
	if selected {
		st = st.Inherit(s.Selected)
	}
	return with(st)
}
