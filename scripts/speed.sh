#!/usr/bin/env bash
# speed.sh measures faultline as whole processes on a generated corpus:
# import, a one-shot search against rg and fzf over the same incidents,
# and the explorer's time to its first screen.
#
#   scripts/speed.sh [N]        # N incidents, default 10000
#
# Needs hyperfine, rg, fzf and tmux on PATH; works in $TMPDIR/faultline-speed.
set -euo pipefail

n=${1:-10000}
dir=${TMPDIR:-/tmp}/faultline-speed
word=outage
mkdir -p "$dir"
cd "$(dirname "$0")/.."

for tool in hyperfine rg fzf tmux; do
	command -v "$tool" >/dev/null || { echo "speed.sh: $tool is not on PATH" >&2; exit 1; }
done

go build -o "$dir/faultline" .
bin=$dir/faultline
db=$dir/n$n.db
pages=$dir/pages-$n
if [ ! -d "$pages" ]; then
	go run ./cmd/gencorpus -n "$n" -format page -out "$pages"
fi

echo "== import of $n pages into a new database"
rm -f "$db"
/usr/bin/time -f "%e s wall, %M KB peak RSS" "$bin" import --db "$db" "$pages"
echo "== the same import again"
/usr/bin/time -f "%e s wall, %M KB peak RSS" "$bin" import --db "$db" "$pages"

# titles alone, one a line: drop the id and date columns of search's lines
"$bin" search --db "$db" --limit 0 '' | cut -c27- > "$dir/titles-$n.txt"

echo "== one-shot search for '$word'"
hyperfine -w 5 -r 40 \
	"$bin search --db $db $word" \
	"rg -il $word $pages" \
	"fzf --filter $word < $dir/titles-$n.txt"
/usr/bin/time -f "faultline search: %M KB peak RSS" "$bin" search --db "$db" "$word" >/dev/null

echo "== explorer: launch to first list screen (ms), five runs"
for _ in 1 2 3 4 5; do
	tmux kill-session -t faultline-speed 2>/dev/null || true
	start=$(date +%s%N)
	tmux new-session -d -s faultline-speed -x 120 -y 36 "$bin --db $db"
	until tmux capture-pane -t faultline-speed -p 2>/dev/null | grep -q "of [0-9]* incidents"; do
		sleep 0.002
	done
	echo $((($(date +%s%N) - start) / 1000000))
	tmux kill-session -t faultline-speed
done
