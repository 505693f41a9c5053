// Package importer reads incidents from every form the data comes in: FAIL
// page text, FAIL CSV exports, Django dumpdata JSON, our own JSON and
// JSON Lines exports, and postmortems in Markdown. Run walks files and
// directories, detects each file's format, parses files in parallel and
// hands records to a sink in batches; what cannot be read is refused with
// the file and, where known, the line.
//
// A Markdown postmortem (ParseMarkdown) may open with YAML front matter:
// title; the date from date, start_time, published or source_published_at,
// the first present that is a date; company or org as both organisations;
// product or system; url; summary; categories, keywords and tags as labels.
// Every other key, and a known key another one won over, is kept as
// written in a "Front matter" block at the end of the Body. Without front
// matter the title is the first level-1 heading and the date a "Date:"
// line before the first section. A heading names its section's field when
// its words (numbering and parentheses left out) start with a phrase of
// mdHeadings: Summary, Overview, What happened (summary); Impact
// (impacts); Root cause, Causes, Contributing factors, Trigger (causes);
// Timeline; Resolution, Remediation, Mitigation, Fixes (fixes); Action
// items, Follow-ups, Prevention, Lessons learned (preventions);
// References, Links (references). Causes are software causes unless a word
// of the heading is organisational, organizational, process, procedural,
// human, people or non(-software): then they are non-software causes.
// A section runs to the next heading of its level or above, or to the
// next known heading; list items, table rows (first cell, then the others
// as "Header: value") and paragraphs become its numbered items, and in a
// timeline every line is one. When several sections fill one field, each
// item starts with its section's heading. Everything else, Detection
// included, stays in the Body as Markdown. A record of a collection
// without a title (front matter, no heading) is named "Company: first
// sentence of the summary"; without a summary the first paragraph of
// prose is the summary.
//
// A Markdown list of postmortems (ParseMarkdownList) is one incident per
// paragraph or list item that starts with a link to a web page:
// "[Company](https://…). What happened." gives the organisation, URL and
// summary; the heading above is a label; the title is derived the same way.
package importer

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Options left zero.
const (
	DefaultMaxFileSize = 16 << 20
	DefaultMaxField    = 1 << 20
	DefaultBatchSize   = 256
)

// Options bound an import. Zero values take the defaults.
// See limits.go for how they apply.
type Options struct {
	MaxFileSize int64 // a file read whole, and any one record, at most this
	MaxField    int   // any one text of a record at most this
	Workers     int   // files parsed at once; default GOMAXPROCS
	BatchSize   int   // records per sink call
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxField <= 0 {
		o.MaxField = DefaultMaxField
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	return o
}

// Progress is the state of a running import.
type Progress struct {
	FilesDone  int
	FilesTotal int
	Records    int // records handed to the sink
	Refused    int // files and records refused so far
	Elapsed    time.Duration
}

// Summary is what an import did.
type Summary struct {
	Files        int            // files found
	FilesRefused int            // files refused whole, or cut short by an error
	Formats      map[Format]int // files read, by format
	Imported     int            // records handed to the sink
	Refused      []FileError    // files and records that could not be read
	Warnings     []FileError    // records read with something to say (unknown option, ...)
	Skipped      int            // dumpdata objects of models that are neither incidents nor articles
	SkippedFiles []string       // documentation met in directories (README.md, COPYING, …)
	Elapsed      time.Duration
}

// progressEvery throttles progress calls.
const progressEvery = 100 * time.Millisecond

// Run imports the files and directories named by paths. It hands records
// to sink in batches of about opts.BatchSize, one call at a time, in the
// order they are read. A file that cannot be read is refused (listed in
// the Summary) and never stops the others; an error from sink or the end of
// ctx stops the import and is returned with the Summary so far. progress,
// when not nil, is called now and then and once at the end.
func Run(ctx context.Context, paths []string, opts Options, sink func([]Record) error, progress func(Progress)) (Summary, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := &collector{start: time.Now(), progress: progress, sum: Summary{Formats: map[Format]int{}}}
	files, skipped, refused := walk(ctx, paths)
	c.sum.Files, c.sum.Refused, c.sum.SkippedFiles = len(files), refused, skipped
	c.prog = Progress{FilesTotal: len(files), Refused: len(refused)}
	c.report(true)

	results := parseAll(ctx, files, opts)
	w := startWriter(ctx, cancel, sink)
	var pending []Record
	for msg := range results {
		if ctx.Err() != nil {
			continue // drain until the workers see the end
		}
		pending = append(pending, msg.records...)
		if len(pending) >= opts.BatchSize {
			w.write(pending)
			pending = nil
		}
		c.fileDone(msg.done)
		c.prog.Records = int(w.imported.Load())
		c.report(false)
	}
	if len(pending) > 0 && ctx.Err() == nil {
		w.write(pending)
	}
	err := w.close()
	c.finish(int(w.imported.Load()))
	if err == nil {
		err = ctx.Err()
	}
	return c.sum, err
}

// parseAll parses files on opts.Workers goroutines and sends what they
// read to the returned channel, which is closed when all are done.
func parseAll(ctx context.Context, files []string, opts Options) <-chan message {
	jobs := make(chan string)
	results := make(chan message, opts.Workers*8)
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range jobs {
				results <- message{done: parseFile(ctx, path, opts, results)}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	return results
}

// writer calls the sink from its own goroutine, a batch or two behind the
// collector, so files are parsed while a batch is being written. Batches
// reach the sink one at a time, in the order written.
type writer struct {
	ctx      context.Context
	batches  chan []Record
	done     chan struct{}
	imported atomic.Int64
	err      error // set by the sink goroutine, read after done
}

func startWriter(ctx context.Context, cancel func(), sink func([]Record) error) *writer {
	w := &writer{ctx: ctx, batches: make(chan []Record, 2), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for b := range w.batches {
			if w.err != nil || ctx.Err() != nil {
				continue // drain
			}
			if err := sink(b); err != nil {
				w.err = fmt.Errorf("importer: %w: %w", ErrSink, err)
				cancel()
				continue
			}
			w.imported.Add(int64(len(b)))
		}
	}()
	return w
}

func (w *writer) write(b []Record) {
	select {
	case w.batches <- b:
	case <-w.ctx.Done():
	}
}

// close waits for the batches written so far and returns the sink's error.
func (w *writer) close() error {
	close(w.batches)
	<-w.done
	return w.err
}

// collector gathers what files report into the Summary and Progress.
type collector struct {
	start      time.Time
	sum        Summary
	prog       Progress
	progress   func(Progress)
	lastReport time.Time
}

func (c *collector) fileDone(d *fileDone) {
	if d == nil {
		return
	}
	c.prog.FilesDone++
	if d.format != "" {
		c.sum.Formats[d.format]++
	}
	if d.failed {
		c.sum.FilesRefused++
	}
	c.sum.Refused = append(c.sum.Refused, d.refused...)
	c.sum.Warnings = append(c.sum.Warnings, d.warnings...)
	c.sum.Skipped += d.skipped
	c.prog.Refused += len(d.refused)
}

// report calls progress, at most every progressEvery unless forced.
func (c *collector) report(force bool) {
	if c.progress == nil {
		return
	}
	now := time.Now()
	if !force && now.Sub(c.lastReport) < progressEvery {
		return
	}
	c.lastReport = now
	c.prog.Elapsed = now.Sub(c.start)
	c.progress(c.prog)
}

// finish completes the summary and reports the last progress.
func (c *collector) finish(imported int) {
	// files finish in any order: list what they said in path and line order
	byPlace := func(a, b FileError) int {
		return cmp.Or(strings.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
	}
	slices.SortStableFunc(c.sum.Refused, byPlace)
	slices.SortStableFunc(c.sum.Warnings, byPlace)
	c.sum.Imported, c.prog.Records = imported, imported
	c.sum.Elapsed = time.Since(c.start)
	c.report(true)
}

// message goes from a worker to the collector: records read so far, and
// when done is set, the end of a file.
type message struct {
	records []Record
	done    *fileDone
}

type fileDone struct {
	format   Format
	failed   bool
	refused  []FileError
	warnings []FileError
	skipped  int
}

// fileReport is what a format reader reports into while it reads one file.
type fileReport struct {
	ctx      context.Context
	path     string
	format   Format
	opts     Options
	pending  []Record
	send     func([]Record) error
	refused  []FileError
	warnings []FileError
	skipped  int

	moreRefused, moreWarnings int // past maxReports
}

// maxReports bounds the refusals and the warnings kept for one file, so a
// file of a million bad rows cannot fill memory with reasons.
const maxReports = 1000

func (r *fileReport) refuse(line int, format string, args ...any) {
	if len(r.refused) >= maxReports {
		r.moreRefused++
		return
	}
	r.refused = append(r.refused, FileError{Path: r.path, Line: line, Reason: fmt.Sprintf(format, args...)})
}

func (r *fileReport) warn(line int, reason string) {
	if len(r.warnings) >= maxReports {
		r.moreWarnings++
		return
	}
	r.warnings = append(r.warnings, FileError{Path: r.path, Line: line, Reason: reason})
}

// close adds a line for what was past maxReports.
func (r *fileReport) close() {
	if r.moreRefused > 0 {
		r.refused = append(r.refused, FileError{Path: r.path, Reason: fmt.Sprintf("%d more records refused", r.moreRefused)})
	}
	if r.moreWarnings > 0 {
		r.warnings = append(r.warnings, FileError{Path: r.path, Reason: fmt.Sprintf("%d more warnings", r.moreWarnings)})
	}
}

// add queues a record, sending a batch when enough are queued.
func (r *fileReport) add(rec Record) error {
	rec.Path, rec.Format = r.path, r.format
	var err error
	if rec.Article != nil {
		err = r.opts.checkArticle(rec.Article)
	} else {
		err = r.opts.checkRecord(&rec.Incident)
	}
	if err != nil {
		r.refuse(rec.Line, "%s", reasonOf(err))
		return nil
	}
	r.pending = append(r.pending, rec)
	if len(r.pending) >= r.opts.BatchSize {
		return r.flush()
	}
	return nil
}

func (r *fileReport) flush() error {
	if len(r.pending) == 0 {
		return nil
	}
	recs := r.pending
	r.pending = nil
	return r.send(recs)
}

// draft finishes a tabular record and adds it, or refuses it.
func (r *fileReport) draft(d *draft, line int) error {
	in, warnings, err := d.finish()
	for _, w := range warnings {
		r.warn(line, w)
	}
	if err != nil {
		r.refuse(line, "%s", reasonOf(err))
		return nil
	}
	return r.add(Record{Incident: in, Line: line})
}

func reasonOf(err error) string {
	var le *lineError
	if errors.As(err, &le) {
		return le.reason
	}
	return err.Error()
}

// parseFile reads one file and sends its records to results as it goes.
func parseFile(ctx context.Context, path string, opts Options, results chan<- message) *fileDone {
	rep := &fileReport{ctx: ctx, path: path, opts: opts}
	rep.send = func(recs []Record) error {
		select {
		case results <- message{records: recs}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// Records read before a failure are whole: they are kept.
	format, err := readFile(rep)
	if ferr := rep.flush(); err == nil {
		err = ferr
	}
	rep.close()
	done := &fileDone{format: format, refused: rep.refused, warnings: rep.warnings, skipped: rep.skipped}
	if err != nil && ctx.Err() == nil {
		done.failed = true
		fe := FileError{Path: path, Reason: reasonOf(err), Err: err}
		var le *lineError
		if errors.As(err, &le) {
			fe.Line = le.line
		}
		done.refused = append(done.refused, fe)
	}
	return done
}

// readFile opens, sizes, detects and parses one file.
func readFile(rep *fileReport) (Format, error) {
	f, err := os.Open(rep.path)
	if err != nil {
		return "", errors.New("cannot open: " + osReason(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", errors.New("cannot read: " + osReason(err))
	}
	if !info.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	max := rep.opts.MaxFileSize
	// a small buffer: enough to detect; the streaming readers add their own
	guard := &sizeGuard{r: f}
	br := bufio.NewReaderSize(guard, HeadSize)
	head, err := br.Peek(HeadSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return "", readError(err)
	}
	format, err := Detect(rep.path, head)
	if err != nil {
		return "", err
	}
	rep.format = format
	if format.readWhole() {
		if info.Size() > max {
			return "", tooLarge(info.Size(), max)
		}
		guard.limit = max
	}
	switch format {
	case Page:
		err = readPage(br, info.Size(), rep)
	case CSV:
		err = readCSV(br, rep)
	case Dumpdata:
		err = readDumpdata(br, rep)
	case JSONL:
		err = readJSONL(br, rep)
	case JSON:
		err = readJSON(br, rep)
	case Markdown:
		err = readMarkdown(br, info.Size(), rep)
	case MarkdownList:
		err = readMarkdownList(br, info.Size(), rep)
	}
	return format, readError(err)
}

// readWhole reports whether files of the form are read whole, and so
// bounded by Options.MaxFileSize, rather than streamed record by record.
func (f Format) readWhole() bool {
	return f == Page || f == Markdown || f == MarkdownList
}

// readError gives a reason to a read failure that has none yet.
func readError(err error) error {
	var le *lineError
	if err == nil || errors.As(err, &le) || errors.Is(err, ErrTooLarge) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return errors.New("cannot read: " + osReason(err))
}

// readAll reads a file of about size bytes whole.
func readAll(r io.Reader, size int64) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(size) + bytes.MinRead)
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readPage reads one page file whole and parses it.
func readPage(r io.Reader, size int64, rep *fileReport) error {
	data, err := readAll(r, size)
	if err != nil {
		return err
	}
	in, warnings, err := ParsePage(data)
	for _, w := range warnings {
		rep.warn(0, w)
	}
	if err != nil {
		return err
	}
	return rep.add(Record{Incident: in})
}

func tooLarge(size, max int64) error {
	return fmt.Errorf("%w: %s, over the %s limit", ErrTooLarge, sizeText(size), sizeText(max))
}

// sizeGuard fails a read that goes past the size limit, for a file that
// grows while it is read; a limit of 0 is none.
type sizeGuard struct {
	r     io.Reader
	read  int64
	limit int64
}

func (g *sizeGuard) Read(p []byte) (int, error) {
	if g.limit > 0 {
		if g.read > g.limit {
			return 0, fmt.Errorf("%w: grew past the limit while being read", ErrTooLarge)
		}
		if room := g.limit - g.read + 1; int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	if g.limit > 0 && g.read > g.limit {
		return 0, fmt.Errorf("%w: grew past the limit while being read", ErrTooLarge)
	}
	return n, err
}
