package ui

import "github.com/charmbracelet/lipgloss"

// Theme colours, each adaptive so the same theme reads on light and dark
// terminals. NO_COLOR is honoured by lipgloss' renderer, which then draws
// plain text; every state the styles show is also shown by a glyph.
var (
	colorAccent  = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B4A7FF"}
	colorMatch   = lipgloss.AdaptiveColor{Light: "#B8005C", Dark: "#FF7AB6"}
	colorSubtle  = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	colorFaint   = lipgloss.AdaptiveColor{Light: "#B0B0B0", Dark: "#4A4A4A"}
	colorText    = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E6E6E6"}
	colorSelBg   = lipgloss.AdaptiveColor{Light: "#E4DEFF", Dark: "#3A3260"}
	colorWarn    = lipgloss.AdaptiveColor{Light: "#A35200", Dark: "#FFB454"}
	colorError   = lipgloss.AdaptiveColor{Light: "#C00000", Dark: "#FF6B6B"}
	colorStar    = lipgloss.AdaptiveColor{Light: "#A67C00", Dark: "#FFD75F"}
	colorBar     = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#8F7CFF"}
	colorChipBg  = lipgloss.AdaptiveColor{Light: "#E8E8E8", Dark: "#333333"}
	colorHeading = lipgloss.AdaptiveColor{Light: "#2B5FAA", Dark: "#7FB2FF"}
)

// Styles holds every style the explorer draws with, named by role.
type Styles struct {
	App        lipgloss.Style // the title bar
	AppPath    lipgloss.Style
	Prompt     lipgloss.Style // the query line's prompt
	Title      lipgloss.Style // incident titles in the list
	Selected   lipgloss.Style // the row under the cursor
	Cursor     lipgloss.Style // the cursor glyph
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
	PanelFocus lipgloss.Style // border of the focused panel
	Panel      lipgloss.Style
}

// DefaultStyles builds the styles from the theme for renderer r.
func DefaultStyles(r *lipgloss.Renderer) Styles {
	s := r.NewStyle
	return Styles{
		App:        s().Bold(true).Foreground(colorAccent),
		AppPath:    s().Foreground(colorSubtle),
		Prompt:     s().Bold(true).Foreground(colorAccent),
		Title:      s().Foreground(colorText),
		Selected:   s().Bold(true).Background(colorSelBg),
		Cursor:     s().Bold(true).Foreground(colorAccent),
		Match:      s().Bold(true).Underline(true).Foreground(colorMatch),
		Subtle:     s().Foreground(colorSubtle),
		Faint:      s().Foreground(colorFaint),
		Heading:    s().Bold(true).Foreground(colorHeading),
		Tab:        s().Foreground(colorSubtle),
		ActiveTab:  s().Bold(true).Reverse(true),
		Chip:       s().Foreground(colorText).Background(colorChipBg),
		Status:     s().Bold(true),
		Info:       s().Foreground(colorAccent),
		Warn:       s().Foreground(colorWarn),
		Error:      s().Bold(true).Foreground(colorError),
		Star:       s().Foreground(colorStar),
		Bar:        s().Foreground(colorBar),
		Label:      s().Bold(true).Foreground(colorSubtle),
		Code:       s().Foreground(colorText).Background(colorChipBg),
		Emphasis:   s().Italic(true),
		Strong:     s().Bold(true),
		Link:       s().Underline(true).Foreground(colorAccent),
		PanelFocus: s().Foreground(colorAccent),
		Panel:      s().Foreground(colorFaint),
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
