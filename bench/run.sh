#!/usr/bin/env bash
# bench/run.sh measures trustgap against its speed-and-scale goals.
#
#   bench/run.sh                                   # 100k and 1M, plus R at 200k
#   SIZES="100000 1000000 10000000" bench/run.sh   # the full run (10M: ~1.6 GB disk)
#   SIZES="" R_N=200000 bench/run.sh               # only the R comparison
#
# Environment:
#   SIZES      respondent counts to measure (default "100000 1000000")
#   RUNS       runs per command; the median is reported (default 3)
#   R_N        study size of the R survey comparison, "" to skip (default 200000)
#   R_RUNS     runs of the R script (default 1; it is slow)
#   OUT        work directory (default bench/out; studies are reused if present)
#   REGEN=1    regenerate studies even if present
#   SKIP_BUILD=1  use the binaries already in OUT
#   MEM_CAP_MB stop a measured command (kill by its pid) once its resident
#              set passes this many MB, so that a run too big for a shared
#              machine is reported instead of exhausting it (default: no cap)
#
# For every N it generates `trustgap generate --n N --seed 1 --out OUT/studyN`
# and times, with /usr/bin/time -v, the csvread baseline (encoding/csv, one
# column parsed), `trustgap paradox --format json`, `trustgap trust --format
# json` and `trustgap report --out DIR` (when the command exists), RUNS
# rounds of the four in turn, and gives report − paradox round by round. It
# prints a markdown report and writes it to OUT/results.md.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
SIZES=${SIZES-"100000 1000000"}
RUNS=${RUNS:-3}
R_N=${R_N-200000}
R_RUNS=${R_RUNS:-1}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
TG=$OUT/trustgap
CSVREAD=$OUT/csvread
RESULTS=$OUT/results.md
LOG=$OUT/run.log
: >"$LOG"

log() { echo "$*" >&2; echo "$*" >>"$LOG"; }
die() { log "run.sh: $*"; exit 1; }

# ---- tools -------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
	log "installing GNU time"
	(apt-get update -qq && apt-get install -y -qq time) >>"$LOG" 2>&1 || die "GNU time (/usr/bin/time) is missing and could not be installed"
fi

# build retries: other people may be mid-edit in the same tree.
build() {
	local i
	for i in 1 2 3 4 5; do
		if go build -o "$TG" ./cmd/trustgap 2>>"$LOG" && go build -o "$CSVREAD" ./bench/csvread 2>>"$LOG"; then
			return 0
		fi
		log "build failed (attempt $i); retrying in 30 s (see $LOG)"
		sleep 30
	done
	return 1
}
if [[ -z ${SKIP_BUILD:-} ]]; then
	log "building trustgap and csvread"
	build || die "go build failed"
fi
[[ -x $TG && -x $CSVREAD ]] || die "missing $TG or $CSVREAD"

# ---- helpers -----------------------------------------------------------------
# elapsed_s "h:mm:ss" or "m:ss.ss" -> seconds
elapsed_s() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }' <<<"$1"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "NA"; exit } if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# run_capped TIMEFILE CMD...: /usr/bin/time -v CMD; with MEM_CAP_MB, polls
# the command's VmRSS twice a second and kills it (by pid) past the cap,
# setting CAPPED.
run_capped() {
	local tf=$1; shift
	/usr/bin/time -v -o "$tf" "$@" &
	local tpid=$! cpid kb
	if [[ -n ${MEM_CAP_MB:-} ]]; then
		while kill -0 "$tpid" 2>/dev/null; do
			cpid=$(awk '{ print $1 }' "/proc/$tpid/task/$tpid/children" 2>/dev/null)
			if [[ -n $cpid ]]; then
				kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$cpid/status" 2>/dev/null)
				if [[ -n $kb ]] && ((kb > MEM_CAP_MB * 1024)); then
					echo "run.sh: stopped: RSS ${kb} kB passed MEM_CAP_MB=$MEM_CAP_MB" >&2
					kill "$cpid" 2>/dev/null
					CAPPED=1
					break
				fi
			fi
			sleep 0.5
		done
	fi
	wait "$tpid"
}

# run_once NAME R CMD...: runs CMD once (run R of NAME) under
# /usr/bin/time -v and appends its wall s, CPU s (user+sys) and peak RSS kB
# to W_NAME, C_NAME and S_NAME (indexed by NAME in the associative arrays
# RUN_W, RUN_C, RUN_S); a failure is kept in RUN_FAIL.
declare -A RUN_W RUN_C RUN_S RUN_FAIL
run_once() {
	local name=$1 r=$2; shift 2
	[[ -n ${RUN_FAIL[$name]:-} ]] && return 1
	local tf=$OUT/time.$name.$r.txt out=$OUT/stdout.$name.$r st
	CAPPED=
	run_capped "$tf" "$@" >"$out" 2>"$OUT/stderr.$name.$r"
	st=$?
	if [[ $st -ne 0 ]]; then
		RUN_FAIL[$name]="failed (exit $st)"
		if [[ -n $CAPPED ]]; then
			RUN_FAIL[$name]="stopped: RSS passed MEM_CAP_MB=$MEM_CAP_MB after $(elapsed_s "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf")") s"
		fi
		log "  $name run $r failed (exit $st): $(tail -3 "$OUT/stderr.$name.$r" | tr '\n' ' ')"
		return 1
	fi
	local w u s m c
	w=$(elapsed_s "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf")")
	u=$(sed -n 's/.*User time (seconds): //p' "$tf")
	s=$(sed -n 's/.*System time (seconds): //p' "$tf")
	m=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf")
	c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	RUN_W[$name]+="$w "
	RUN_C[$name]+="$c "
	RUN_S[$name]+="$m "
	log "  $name run $r: wall ${w}s cpu ${c}s rss $((m / 1024))MB load $(loadavg)"
}

# summarize NAME sets M_WALL (median wall s), M_CPU (median CPU s), M_RSS
# (largest peak RSS MB) and M_STATUS ("ok" or the failure) of NAME's runs.
summarize() {
	local name=$1
	M_STATUS=${RUN_FAIL[$name]:-ok}
	if [[ $M_STATUS != ok ]]; then
		M_WALL=NA M_CPU=NA M_RSS=NA
		return
	fi
	M_WALL=$(tr ' ' '\n' <<<"${RUN_W[$name]}" | grep . | median)
	M_CPU=$(tr ' ' '\n' <<<"${RUN_C[$name]}" | grep . | median)
	M_RSS=$(tr ' ' '\n' <<<"${RUN_S[$name]}" | grep . | sort -g | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')
}

# measure NAME CMD...: runs CMD RUNS times in a row and summarizes them.
measure() {
	local name=$1; shift
	local r
	for ((r = 1; r <= RUNS; r++)); do
		run_once "$name" "$r" "$@" || break
	done
	summarize "$name"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.2f", a / b }'; }

# generate N: OUT/studyN with enough disk.
generate() {
	local n=$1 dir=$OUT/study$1
	if [[ -z ${REGEN:-} && -s $dir/responses.csv && -s $dir/codebook.yaml && -f $dir/.complete ]]; then
		log "reusing $dir"
		return 0
	fi
	local need_kb=$((n * 175 / 1024 + 65536)) avail_kb
	avail_kb=$(df -Pk "$OUT" | awk 'NR == 2 { print $4 }')
	if ((avail_kb < need_kb)); then
		log "skipping N=$n: needs ~$((need_kb / 1024)) MB of disk, $((avail_kb / 1024)) MB available"
		return 1
	fi
	log "generating N=$n (load $(loadavg))"
	rm -f "$dir/.complete"
	local t0=$SECONDS
	"$TG" generate --n "$n" --seed 1 --out "$dir" --quiet >>"$LOG" 2>&1 || { log "generate N=$n failed"; return 1; }
	touch "$dir/.complete"
	log "  generated in $((SECONDS - t0)) s, $(du -h "$dir/responses.csv" | cut -f1)"
}

# describe N: rows, columns, strata, PSUs and size of OUT/studyN (the
# generated file has no quoted commas, so awk -F, suffices).
describe() {
	local f=$OUT/study$1/responses.csv
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "region") r = i; if ($i == "psu") p = i } cols = NF; next }
		{ rows++; s[$r] = 1; u[$r SUBSEP $p] = 1 }
		END { ns = 0; for (k in s) ns++; np = 0; for (k in u) np++; printf "%d rows, %d columns, %d strata, %d PSUs", rows, cols, ns, np }' "$f"
	echo ", $(du -h "$f" | cut -f1)"
}

has_report() { "$TG" report --help >/dev/null 2>&1; }

# ---- machine -----------------------------------------------------------------
{
	echo "## Machine"
	echo
	echo '```'
	echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "uname -a:  $(uname -a)"
	echo "nproc:     $(nproc)"
	echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "go:        $(go version)"
	echo "trustgap:  $TG built $(date -u -r "$TG" '+%Y-%m-%d %H:%M:%S UTC'), sha256 $(sha256sum "$TG" | cut -c1-16)"
	if command -v Rscript >/dev/null; then
		echo "R:         $(Rscript -e 'cat(R.version.string); if (requireNamespace("survey", quietly = TRUE)) cat(", survey", as.character(packageVersion("survey")))' 2>/dev/null)"
	else
		echo "R:         not installed"
	fi
	echo "loadavg:   $(loadavg) (at start)"
	echo "free -g:"
	free -g
	echo '```'
	echo
} >"$RESULTS"

# ---- scale -------------------------------------------------------------------
REPORT_GAPS=
if [[ -n $SIZES ]]; then
	: >"$OUT/studies.txt"
	{
		echo "## Scale (median of $RUNS runs; peak RSS is the largest of the runs)"
		echo
		echo "| N | command | median wall s | median CPU s (user+sys) | peak RSS MB | wall / csvread | CPU / csvread | load avg (1/5/15 min) |"
		echo "|---:|---|---:|---:|---:|---:|---:|---|"
	} >>"$RESULTS"
	for n in $SIZES; do
		generate "$n" || { echo "| $n | (not generated: see run.log) | | | | | | |" >>"$RESULTS"; continue; }
		dir=$OUT/study$n
		echo "$n: $(describe "$n")" >>"$OUT/studies.txt"
		data=(--data "$dir/responses.csv" --codebook "$dir/codebook.yaml")
		# The commands take turns, round by round, so that the VM's drift
		# over minutes reaches each of them alike and report − paradox can
		# be read round by round.
		cmds=(csvread paradox trust)
		has_report && cmds+=(report)
		rm -rf "$OUT/report$n"
		for ((r = 1; r <= RUNS; r++)); do
			for cmd in "${cmds[@]}"; do
				case $cmd in
				csvread) args=("$CSVREAD" -col weight "$dir/responses.csv") ;;
				report) args=("$TG" report "${data[@]}" --out "$OUT/report$n") ;;
				*) args=("$TG" "$cmd" --format json "${data[@]}") ;;
				esac
				log "N=$n $cmd (round $r)"
				run_once "$cmd.$n" "$r" "${args[@]}"
			done
		done
		summarize "csvread.$n"
		base_wall=$M_WALL base_cpu=$M_CPU
		echo "| $n | csvread (encoding/csv, parse \`weight\`) | $M_WALL | $M_CPU | $M_RSS | 1.00 | 1.00 | $(loadavg) |" >>"$RESULTS"
		for cmd in paradox trust report; do
			case $cmd in
			report)
				if ! has_report; then
					echo "| $n | trustgap report | (no \`report\` command in this build) | | | | | |" >>"$RESULTS"
					continue
				fi
				label="trustgap report --out DIR"
				;;
			*) label="trustgap $cmd --format json" ;;
			esac
			summarize "$cmd.$n"
			if [[ $M_STATUS != ok ]]; then
				echo "| $n | $label | $M_STATUS | | | | | $(loadavg) |" >>"$RESULTS"
				continue
			fi
			echo "| $n | $label | $M_WALL | $M_CPU | $M_RSS | $(ratio "$M_WALL" "$base_wall") | $(ratio "$M_CPU" "$base_cpu") | $(loadavg) |" >>"$RESULTS"
		done
		# report − paradox in each round (the goal: at most 10 s at 10M).
		if [[ -z ${RUN_FAIL[report.$n]:-} && -z ${RUN_FAIL[paradox.$n]:-} && -n ${RUN_W[report.$n]:-} ]]; then
			diffs=$(paste -d' ' <(tr ' ' '\n' <<<"${RUN_W[report.$n]}" | grep .) <(tr ' ' '\n' <<<"${RUN_W[paradox.$n]}" | grep .) |
				awk '{ printf "%.2f\n", $1 - $2 }')
			REPORT_GAPS+="$n: report − paradox wall s by round: $(tr '\n' ' ' <<<"$diffs")(median $(median <<<"$diffs"))"$'\n'
		fi
	done
	echo >>"$RESULTS"
	echo "Studies (\`trustgap generate --n N --seed 1\`):" >>"$RESULTS"
	echo >>"$RESULTS"
	echo '```' >>"$RESULTS"
	for n in $SIZES; do grep "^$n: " "$OUT/studies.txt" | tail -1; done >>"$RESULTS"
	echo '```' >>"$RESULTS"
	echo >>"$RESULTS"
	if [[ -n $REPORT_GAPS ]]; then
		{
			echo "Round by round (each round runs csvread, paradox, trust and report in turn):"
			echo
			echo '```'
			printf '%s' "$REPORT_GAPS"
			echo '```'
			echo
		} >>"$RESULTS"
	fi
fi

# ---- R survey comparison -------------------------------------------------------
if [[ -n $R_N ]]; then
	echo "## R survey comparison at N = $R_N (paradox table by region)" >>"$RESULTS"
	echo >>"$RESULTS"
	if ! command -v Rscript >/dev/null; then
		log "Rscript not found: skipping the R comparison (apt-get install -y r-base-core r-cran-survey r-cran-jsonlite r-cran-yaml)"
		echo "Skipped: Rscript is not installed." >>"$RESULTS"
	elif generate "$R_N"; then
		dir=$OUT/study$R_N
		log "N=$R_N trustgap paradox --by region"
		measure "paradox_region.$R_N" "$TG" paradox --format json --by region --data "$dir/responses.csv" --codebook "$dir/codebook.yaml"
		tg_wall=$M_WALL tg_cpu=$M_CPU tg_rss=$M_RSS tg_status=$M_STATUS
		tg_json=$OUT/stdout.paradox_region.$R_N.1
		rlines=()
		for ((r = 1; r <= R_RUNS; r++)); do
			log "N=$R_N R survey run $r (load $(loadavg))"
			/usr/bin/time -v -o "$OUT/time.R.$R_N.$r.txt" Rscript bench/paradox.R "$dir/responses.csv" "$dir/codebook.yaml" \
				"$OUT/r_paradox.$R_N.json" "$tg_json" >"$OUT/stdout.R.$R_N.$r" 2>"$OUT/stderr.R.$R_N.$r"
			cat "$OUT/stdout.R.$R_N.$r" >>"$LOG"
			rlines+=("$OUT/stdout.R.$R_N.$r")
		done
		if grep -q '^R_SKIP' "${rlines[0]}"; then
			echo "Skipped: $(grep '^R_SKIP' "${rlines[0]}" | cut -d' ' -f2-)" >>"$RESULTS"
		elif ! grep -q '^R_TIMING' "${rlines[0]}"; then
			echo "R script failed: see $OUT/stderr.R.$R_N.1" >>"$RESULTS"
			log "R script failed: $(tail -5 "$OUT/stderr.R.$R_N.1")"
		else
			# key=value from the R_TIMING / R_CPU lines, median over runs
			rget() { local line=$1 key=$2; for f in "${rlines[@]}"; do grep "^$line " "$f" | tr ' ' '\n' | sed -n "s/^$key=//p"; done | median; }
			rproc=$(for ((r = 1; r <= R_RUNS; r++)); do elapsed_s "$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/time.R.$R_N.$r.txt")"; echo; done | median)
			r_total=$(rget R_TIMING total) r_est=$(rget R_TIMING estimate) r_read=$(rget R_TIMING read)
			r_score=$(rget R_TIMING score) r_design=$(rget R_TIMING design)
			rc_total=$(rget R_CPU total) rc_est=$(rget R_CPU estimate)
			cmpline=$(grep -h '^R_COMPARE' "${rlines[@]}" | tail -1)
			{
				echo "| what | wall s | CPU s | R / trustgap (wall) | R / trustgap (CPU) |"
				echo "|---|---:|---:|---:|---:|"
				echo "| trustgap paradox --format json --by region (whole process, median of $RUNS; peak RSS $tg_rss MB) | $tg_wall | $tg_cpu | | |"
				echo "| R: read (data.table::fread, all text) | $r_read | | | |"
				echo "| R: score constructs | $r_score | | | |"
				echo "| R: svydesign | $r_design | | | |"
				echo "| R: estimates (svyciprop/svymean, 5 statistics x (total + regions)) | $r_est | $rc_est | $(ratio "$r_est" "$tg_wall") | $(ratio "$rc_est" "$tg_cpu") |"
				echo "| R: read + score + svydesign + estimates | $r_total | $rc_total | $(ratio "$r_total" "$tg_wall") | $(ratio "$rc_total" "$tg_cpu") |"
				echo "| R: whole Rscript process (incl. loading packages, JSON, comparison) | $rproc | | $(ratio "$rproc" "$tg_wall") | |"
				echo
				echo "Figures (R median of $R_RUNS run(s)). Agreement of every estimate, se, ci_low, ci_high, deff, weighted_n (relative 1e-6) and n, df (exact), for all rows of R's table against trustgap's JSON:"
				echo
				echo '```'
				echo "$cmpline"
				grep -h '^R_MISMATCH' "${rlines[@]}" | head -20
				grep -h '^R_INFO' "${rlines[0]}"
				echo '```'
			} >>"$RESULTS"
			[[ $tg_status == ok ]] || echo "trustgap paradox failed: $tg_status" >>"$RESULTS"
		fi
	else
		echo "Skipped: could not generate the study." >>"$RESULTS"
	fi
	echo >>"$RESULTS"
fi

echo "loadavg at end: $(loadavg)" >>"$RESULTS"
cat "$RESULTS"
