#!/usr/bin/env bash
# compare.sh measures faultline on a generated corpus of N incidents against
# SQLite FTS5 over the same pages (fts5(title, fixes, domain, body), queried
# with the sqlite3 command), ripgrep over the page files and fzf over the
# titles, and prints, in one run:
#   - each query class one-shot, as whole processes (hyperfine), with the
#     ratio of faultline's mean time to each other tool's;
#   - a full import (wall, CPU, peak RSS, file size), then an import of 1%
#     new incidents into a copy of that file (the same, and what the file
#     grew by);
#   - the explorer: launch to first list screen in tmux, and its RSS.
#
#   scripts/compare.sh [N]        # default 10000
#
# Installs sqlite3, ripgrep, fzf, hyperfine and tmux with apt-get where they
# are missing. The corpus, its FTS5 table and the 1% extra pages are made
# once per N and kept in $TMPDIR/faultline-compare; databases are made anew.
set -euo pipefail

n=${1:-10000}
runs=${RUNS:-10}
dir=${TMPDIR:-/tmp}/faultline-compare
mkdir -p "$dir"
cd "$(dirname "$0")/.."

need=()
for tool in sqlite3:sqlite3 rg:ripgrep fzf:fzf hyperfine:hyperfine tmux:tmux jq:jq; do
	command -v "${tool%%:*}" >/dev/null || need+=("${tool##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
	apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

go build -o "$dir/faultline" .
bin=$dir/faultline
pages=$dir/pages-$n
more=$dir/more-$n
fts=$dir/fts-$n.db
extra=$((n / 100))
if [ ! -d "$pages" ]; then
	go run ./cmd/gencorpus -n "$n" -format page -out "$pages.tmp" && mv "$pages.tmp" "$pages"
fi
if [ ! -d "$more" ]; then
	go run ./cmd/gencorpus -n $((n + extra)) -from "$n" -format page -out "$more.tmp" && mv "$more.tmp" "$more"
fi
if [ ! -f "$fts" ]; then
	go run ./cmd/gencorpus -n "$n" -format fts -out "$dir/fts-$n.tmp"
	rm -f "$fts.tmp"
	sqlite3 "$fts.tmp" <<-EOF
		CREATE VIRTUAL TABLE t USING fts5(title, fixes, domain, body);
		.import --csv --skip 1 $dir/fts-$n.tmp/fts.csv t
		INSERT INTO t(t) VALUES('optimize');
	EOF
	rm -r "$dir/fts-$n.tmp"
	mv "$fts.tmp" "$fts"
fi

# measure CMD...: prints "wall cpu peak-MB" of one run of CMD.
measure() {
	/usr/bin/time -f "%e %U %S %M" -o "$dir/time.out" "$@" >/dev/null 2>&1
	awk '{ printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$dir/time.out"
}
mb() { echo $(($(stat -c %s "$1") / 1048576)); }

db=$dir/n$n.db
rm -f "$db" "$db.more"
read -r iw ic im < <(measure "$bin" import --db "$db" "$pages")
isize=$(mb "$db")
cp "$db" "$db.more"
read -r mw mc mm < <(measure "$bin" import --db "$db.more" "$more")
msize=$(mb "$db.more")

"$bin" search --db "$db" --limit 0 '' | cut -c27- >"$dir/titles-$n.txt"

# Query classes: name, faultline query, FTS5 MATCH, rg arguments, fzf
# pattern ("-" where the tool has no equivalent). FTS5 has no
# abbreviations: the fuzzy class is compared with its prefix query.
classes=(
	"common word|outage|outage|-il outage|outage"
	"rare word|sluice|sluice|-il sluice|sluice"
	"two words|ransomware attack|ransomware attack|-|ransomware attack"
	"phrase, rare|\"sluice gate\"|\"sluice gate\"|-il sluice.gate|-"
	"phrase, common|\"software failure\"|\"software failure\"|-il software.failure|-"
	"field|fixes:encryption|fixes:encryption|-|-"
	"facet|domain:finance|domain:finance|-|-"
	"fuzzy|smrt mtr|smart* meter*|-|smrt mtr"
)

echo "# faultline against FTS5, rg and fzf: $n incidents, $(nproc) cores, $(date -u +%F)"
echo
echo "| query | faultline | FTS5 | × FTS5 | rg | × rg | fzf | × fzf |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for c in "${classes[@]}"; do
	IFS='|' read -r name fq sq rq zq <<<"$c"
	cmds=("$bin search --db $db --limit 20 '$fq'"
		"sqlite3 $fts \"SELECT rowid, title FROM t WHERE t MATCH '${sq//\"/\\\"}' ORDER BY rank LIMIT 20\"")
	[ "$rq" != "-" ] && cmds+=("rg $rq $pages")
	[ "$zq" != "-" ] && cmds+=("fzf --filter '$zq' --no-sort < $dir/titles-$n.txt")
	hyperfine -w 1 -r "$runs" --export-json "$dir/q.json" "${cmds[@]}" >/dev/null 2>&1
	jq -r --arg name "$name" --arg rq "$rq" --arg zq "$zq" '
		def ms: . * 1000 | if . < 10 then (. * 10 | round / 10) else round end | tostring + " ms";
		.results as $r | ($r[0].mean) as $f |
		def col(i): if i < ($r | length) then ($r[i].mean | ms) + " | " + ($f / $r[i].mean * 100 | round / 100 | tostring) else "— | —" end;
		"| \($name) | \($f | ms) | \(col(1)) | " +
		(if $rq == "-" then "— | —" else col(2) end) + " | " +
		(if $zq == "-" then "— | —" elif $rq == "-" then col(2) else col(3) end) + " |"' "$dir/q.json"
done
read -r _ _ sm < <(measure "$bin" search --db "$db" --limit 20 '"software failure"')
read -r _ _ fm < <(measure sqlite3 "$fts" "SELECT rowid, title FROM t WHERE t MATCH '\"software failure\"' ORDER BY rank LIMIT 20")
echo
echo "Peak RSS of the common phrase: faultline $sm MB, sqlite3 $fm MB."

echo
echo "| import | wall | CPU | peak RSS | file |"
echo "| --- | --- | --- | --- | --- |"
echo "| $n pages into a new database | $iw s | $ic s | $im MB | $isize MB |"
echo "| then $extra new pages (1%) | $mw s | $mc s ($(awk -v a="$mc" -v b="$ic" 'BEGIN { printf "%.1f", 100 * a / b }')% of the full import's) | $mm MB | $msize MB (+$(awk -v a="$msize" -v b="$isize" 'BEGIN { printf "%.1f", 100 * (a - b) / b }')%) |"
echo "| FTS5 table of the same pages | | | | $(mb "$fts") MB |"

# The explorer: launch to the first list screen, then its resident memory
# there, after typing queries (single letters and phrases included), and
# three seconds later, once it has given back what it could (see Idle).
# tmux on a server of its own, so that no other session is touched
tm() { tmux -L faultline-compare "$@"; }
session=faultline-compare-$$
times=() first=() typed=() peak=() idle=()
for _ in 1 2 3; do
	tm kill-session -t "$session" 2>/dev/null || true
	start=$(date +%s%N)
	tm new-session -d -s "$session" -x 120 -y 36 "$bin --db $db"
	until tm capture-pane -t "$session" -p 2>/dev/null | grep -q "of [0-9]* incidents"; do
		sleep 0.002
	done
	times+=($((($(date +%s%N) - start) / 1000000)))
	pid=$(tm list-panes -t "$session" -F '#{pane_pid}')
	first+=($(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status"))
	tm send-keys -t "$session" /
	for q in s sluice outage "smrt mtr" '"sluice gate"' '"software failure"' "domain:finance phase:design"; do
		tm send-keys -t "$session" -l "$q"
		sleep 1
		tm send-keys -t "$session" C-u
	done
	typed+=($(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status"))
	peak+=($(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status"))
	sleep 3
	idle+=($(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status"))
	tm kill-session -t "$session"
done
echo
echo "Explorer (in tmux, three runs, tmux's own start included): first list screen after $(printf '%s ' "${times[@]}")ms;" \
	"resident $(printf '%s ' "${first[@]}")MB there, $(printf '%s ' "${typed[@]}")MB after typing seven queries," \
	"peak $(printf '%s ' "${peak[@]}")MB, $(printf '%s ' "${idle[@]}")MB three seconds later."
