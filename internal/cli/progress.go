package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/faultline/faultline/importer"
)

// progressBar draws import progress on a terminal's stderr, redrawing one
// line in place at most ten times a second. On anything but a terminal it
// draws nothing, so logs and pipes get only the summary.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, on: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progressBar) update(pr importer.Progress) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && pr.FilesDone != pr.FilesTotal {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\r\x1b[K%s", progressLine(pr, 24))
	p.drawn = true
}

func (p *progressBar) done() {
	if p.on && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// progressLine renders one line of import progress with a bar of the
// given width; a total of zero means it is not known yet.
func progressLine(pr importer.Progress, width int) string {
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.FilesDone) / s
	}
	bar := strings.Repeat("░", width)
	count := fmt.Sprintf("%d files", pr.FilesDone)
	if pr.FilesTotal > 0 {
		filled := pr.FilesDone * width / pr.FilesTotal
		filled = min(max(filled, 0), width)
		bar = strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
		count = fmt.Sprintf("%d/%d files", pr.FilesDone, pr.FilesTotal)
	}
	return fmt.Sprintf("importing %s %s  %d incidents  %.0f files/s  %d refused", bar, count, pr.Records, rate, pr.Refused)
}
