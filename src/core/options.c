// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parsing. One table describes every option: getopt_long's
 * table and --help are both made from it, and tests/unit/docs.sh compares
 * it with the man page and the examples file. Which options go together
 * is checked afterwards, in options_check.c.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend.h"
#include "options.h"
#include "options_check.h"
#include "options_usage.h"
#include "src/lib/util.h"

#ifndef DRSNOOP_VERSION
#define DRSNOOP_VERSION "unknown"
#endif

enum {
	OPT_BACKEND = 0x100,
	OPT_DEBUG,
	OPT_MEMCG,
	OPT_THROTTLE,
	OPT_COMPACTION,
	OPT_HIGH,
	OPT_ALL,
	OPT_CGROUP,
	OPT_LINES,
	OPT_USER_STACK,
	OPT_FOLDED,
	OPT_INTERVAL,
	OPT_METRICS,
	OPT_METRICS_BY,
	OPT_REPORT,
	OPT_FLAMEGRAPH,
	OPT_RECORD,
};

struct dr_option {
	int key; /* short option, or OPT_* */
	const char *name; /* long option */
	const char *arg; /* argument name, NULL when none */
	const char *help;
};

static const struct dr_option option_table[] = {
	{ 'h', "help", NULL, "show this help message and exit" },
	{ 'T', "timestamp", NULL, "include timestamp on output" },
	{ 'U', "print-uid", NULL, "print UID column" },
	{ 'p', "pid", "PID", "trace this PID only" },
	{ 't', "tid", "TID", "trace this TID only" },
	{ 'u', "uid", "UID", "trace this UID only" },
	{ 'd', "duration", "DURATION", "total duration of trace in seconds" },
	{ 'n', "name", "NAME",
	  "only print process names containing this name" },
	{ 'v', "verbose", NULL, "show system memory state (FREE(KB) column)" },
	{ 'e', "extended", NULL, "same as -v (libbpf-tools' spelling)" },
	{ 'i', "input", "FILE",
	  "analyse a trace.dat or perf.data recording instead of tracing "
	  "live" },
	{ OPT_MEMCG, "memcg", NULL,
	  "also trace reclaim at memory cgroup limits" },
	{ OPT_THROTTLE, "throttle", NULL,
	  "also trace reclaim throttling (its sleeps)" },
	{ OPT_COMPACTION, "compaction", NULL,
	  "also trace direct compaction attempts" },
	{ OPT_HIGH, "high", NULL,
	  "also trace memory.high penalties (needs kprobes or fentry)" },
	{ OPT_ALL, "all", NULL,
	  "trace every kind of stall this kernel can show" },
	{ OPT_CGROUP, "cgroup", "PATH",
	  "only trace tasks in this cgroup or below it" },
	{ 'g', "gfp", NULL, "add ORDER and GFP (allocation flags) columns" },
	{ 's', "summary", NULL,
	  "print per-process totals and a histogram at exit" },
	{ OPT_LINES, "lines", NULL,
	  "with -s, --folded, --metrics, --report: lines too" },
	{ 'K', "kernel-stack", NULL, "print the kernel stack of each stall" },
	{ OPT_USER_STACK, "user-stack", NULL,
	  "print the user stack of each stall" },
	{ OPT_FOLDED, "folded", NULL,
	  "print folded stacks for flame graphs at exit" },
	{ OPT_REPORT, "report", "FILE",
	  "write an HTML report (heat map, tables, flame graph)" },
	{ OPT_FLAMEGRAPH, "flamegraph", "FILE",
	  "write an SVG flame graph of stall time at exit" },
	{ OPT_RECORD, "record", "FILE",
	  "with --backend=ftrace: also write the raw events as a trace.dat" },
	{ OPT_INTERVAL, "interval", "SECONDS",
	  "a summary (-s) or files written every SECONDS" },
	{ OPT_METRICS, "metrics", "FILE",
	  "write Prometheus metrics to FILE every 15 seconds" },
	{ OPT_METRICS_BY, "metrics-by", "LABEL",
	  "label metrics by cgroup (top 10, the rest \"other\")" },
	{ 'j', "json", NULL, "print JSON, one object per line" },
	{ OPT_BACKEND, "backend", "BACKEND",
	  "where events come from: auto (default), bpf or ftrace" },
	{ OPT_DEBUG, "debug", NULL, "print library diagnostics on stderr" },
	{ 'V', "version", NULL, "print the version and exit" },
};

static const char examples[] =
	"examples:\n"
	"    drsnoop           # trace all direct reclaim\n"
	"    drsnoop -T        # include timestamps\n"
	"    drsnoop -U        # include UID\n"
	"    drsnoop -p 181    # only trace PID 181\n"
	"    drsnoop -t 123    # only trace TID 123\n"
	"    drsnoop -u 1000   # only trace UID 1000\n"
	"    drsnoop -d 10     # trace for 10 seconds only\n"
	"    drsnoop -n main   # only print process names containing \"main\"\n"
	"    drsnoop -v        # show free memory at each stall\n"
	"    drsnoop -i trace.dat  # analyse a trace-cmd or perf recording\n"
	"    drsnoop --memcg   # include reclaim at memory cgroup limits\n"
	"    drsnoop --memcg --cgroup /docker  # only tasks in /docker or "
	"below\n"
	"    drsnoop --throttle  # include reclaim's throttling sleeps\n"
	"    drsnoop --compaction  # include direct compaction attempts\n"
	"    drsnoop --all -s  # every kind of stall, summed, with PSI\n"
	"    drsnoop -g        # show allocation order and gfp flags\n"
	"    drsnoop -s -d 10  # per-process summary and histogram after 10s\n"
	"    drsnoop -j | jq .lat_ms  # JSON lines for scripts\n"
	"    drsnoop -K        # show the kernel stack of each stall\n"
	"    drsnoop -K --user-stack -s  # top stacks by total stall time\n"
	"    drsnoop --folded -d 10 | flamegraph.pl >stalls.svg  # a flame "
	"graph\n"
	"    drsnoop -K --user-stack -d 60 --report stalls.html  # a report "
	"to open\n"
	"    drsnoop --flamegraph stalls.svg -d 10  # a flame graph\n"
	"    drsnoop -s --interval 5  # a summary every 5 seconds\n"
	"    drsnoop --memcg --metrics /var/lib/prometheus/node-exporter/"
	"drsnoop.prom\n"
	"                      # metrics for node_exporter every 15 seconds\n";

#define NR_OPTIONS  ARRAY_SIZE(option_table)
#define HELP_COLUMN 24

static int option_label(const struct dr_option *opt, char *buf, size_t len)
{
	if (opt->key < 0x100 && opt->arg)
		return snprintf(buf, len, "-%c %s, --%s %s", opt->key, opt->arg,
				opt->name, opt->arg);
	if (opt->key < 0x100)
		return snprintf(buf, len, "-%c, --%s", opt->key, opt->name);
	if (opt->arg)
		return snprintf(buf, len, "--%s %s", opt->name, opt->arg);
	return snprintf(buf, len, "--%s", opt->name);
}

static void print_usage_line(FILE *f)
{
	static const char lead[] = "usage: drsnoop";
	int col = sizeof(lead) - 1;
	char item[64];
	size_t i;

	fputs(lead, f);
	for (i = 0; i < NR_OPTIONS; i++) {
		const struct dr_option *opt = &option_table[i];
		int n;

		if (opt->key >= 0x100)
			n = snprintf(item, sizeof(item), "[--%s%s%s]",
				     opt->name, opt->arg ? " " : "",
				     opt->arg ? opt->arg : "");
		else
			n = snprintf(item, sizeof(item), "[-%c%s%s]", opt->key,
				     opt->arg ? " " : "",
				     opt->arg ? opt->arg : "");
		if (col + 1 + n > 79) {
			fprintf(f, "\n%*s", (int)sizeof(lead) - 1, "");
			col = sizeof(lead) - 1;
		}
		fprintf(f, " %s", item);
		col += 1 + n;
	}
	fputc('\n', f);
}

void options_help(FILE *f)
{
	char label[64];
	size_t i;

	print_usage_line(f);
	fputs("\nTrace direct reclaim\n\noptions:\n", f);
	for (i = 0; i < NR_OPTIONS; i++) {
		int n = option_label(&option_table[i], label, sizeof(label));

		if (n + 2 >= HELP_COLUMN)
			fprintf(f, "  %s\n%*s%s\n", label, HELP_COLUMN, "",
				option_table[i].help);
		else
			fprintf(f, "  %-*s%s\n", HELP_COLUMN - 2, label,
				option_table[i].help);
	}
	fprintf(f, "\n%s", examples);
}

/* A decimal number in [min, max], all of the string and nothing else. */
static int parse_number(const char *s, unsigned long min, unsigned long max,
			unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_id(const char *s, const char *what, unsigned long min,
		    unsigned long max, uint32_t *out, bool *has)
{
	unsigned long v;
	char fmt[64];

	if (parse_number(s, min, max, &v)) {
		snprintf(fmt, sizeof(fmt), "invalid %s: '%%s'", what);
		options_usage_error(fmt, s);
		return OPTIONS_USAGE;
	}
	*out = v;
	*has = true;
	return 0;
}

static int parse_name(struct dr_options *o, const char *s)
{
	size_t len = strlen(s);

	if (!len) {
		options_usage_error("invalid NAME: '%s' (empty)", s);
		return OPTIONS_USAGE;
	}
	if (len >= DR_COMM_LEN) {
		options_usage_error(
			"invalid NAME: '%s' (task names have at most 15 "
			"characters)",
			s);
		return OPTIONS_USAGE;
	}
	memcpy(o->name, s, len + 1);
	return 0;
}

static int parse_duration(struct dr_options *o, const char *s)
{
	unsigned long v;

	if (parse_number(s, 1, INT_MAX, &v)) {
		options_usage_error(
			"invalid DURATION: '%s' (whole seconds, at least 1)",
			s);
		return OPTIONS_USAGE;
	}
	o->duration = v;
	return 0;
}

static int parse_interval(struct dr_options *o, const char *s)
{
	unsigned long v;

	if (parse_number(s, 1, INT_MAX, &v)) {
		options_usage_error(
			"invalid SECONDS: '%s' (whole seconds, at least 1)", s);
		return OPTIONS_USAGE;
	}
	o->interval = v;
	return 0;
}

static int parse_metrics_by(struct dr_options *o, const char *s)
{
	if (strcmp(s, "cgroup")) {
		options_usage_error("invalid LABEL: '%s' (cgroup)", s);
		return OPTIONS_USAGE;
	}
	o->metrics_by_cgroup = true;
	return 0;
}

static int parse_backend(struct dr_options *o, const char *s)
{
	if (strcmp(s, "auto") && !backend_find(s)) {
		options_usage_error(
			"invalid BACKEND: '%s' (auto, bpf or ftrace)", s);
		return OPTIONS_USAGE;
	}
	o->backend = s;
	return 0;
}

static int apply_option(struct dr_options *o, int key, const char *arg)
{
	switch (key) {
	case 'h':
		options_help(stdout);
		return OPTIONS_EXIT;
	case 'V':
		printf("drsnoop %s\n", DRSNOOP_VERSION);
		return OPTIONS_EXIT;
	case 'T':
		o->timestamp = true;
		return 0;
	case 'U':
		o->print_uid = true;
		return 0;
	case 'v':
	case 'e':
		o->free_mem = true;
		return 0;
	case 'p':
		return parse_id(arg, "PID", 1, INT_MAX, &o->pid, &o->has_pid);
	case 't':
		return parse_id(arg, "TID", 1, INT_MAX, &o->tid, &o->has_tid);
	case 'u':
		/* (uid_t)-1 means "no uid" to the kernel */
		return parse_id(arg, "UID", 0, UINT32_MAX - 1, &o->uid,
				&o->has_uid);
	case 'd':
		return parse_duration(o, arg);
	case 'n':
		return parse_name(o, arg);
	case 'i':
		o->input = arg;
		return 0;
	case OPT_MEMCG:
		o->memcg = true;
		return 0;
	case OPT_THROTTLE:
		o->throttle = true;
		return 0;
	case OPT_COMPACTION:
		o->compaction = true;
		return 0;
	case OPT_HIGH:
		o->high = true;
		return 0;
	case OPT_ALL:
		o->all = o->memcg = o->throttle = o->compaction = o->high =
			true;
		return 0;
	case OPT_CGROUP:
		o->has_cgroup = true;
		if (snprintf(o->cgroup_path, sizeof(o->cgroup_path), "%s",
			     arg) >= (int)sizeof(o->cgroup_path)) {
			options_usage_error("invalid PATH: '%s' (too long)",
					    arg);
			return OPTIONS_USAGE;
		}
		return 0;
	case 'g':
		o->gfp = true;
		return 0;
	case 's':
		o->summary = true;
		return 0;
	case OPT_LINES:
		o->lines = true;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case 'K':
		o->kernel_stack = true;
		return 0;
	case OPT_USER_STACK:
		o->user_stack = true;
		return 0;
	case OPT_FOLDED:
		o->folded = true;
		return 0;
	case OPT_REPORT:
		o->report = arg;
		return 0;
	case OPT_FLAMEGRAPH:
		o->flamegraph = arg;
		return 0;
	case OPT_RECORD:
		o->record = arg;
		return 0;
	case OPT_INTERVAL:
		return parse_interval(o, arg);
	case OPT_METRICS:
		o->metrics = arg;
		return 0;
	case OPT_METRICS_BY:
		return parse_metrics_by(o, arg);
	case OPT_BACKEND:
		return parse_backend(o, arg);
	case OPT_DEBUG:
		o->debug = true;
		return 0;
	}
	return OPTIONS_USAGE;
}

/*
 * getopt's optopt names a bad short option; a long one (whose optopt is
 * 0 or its OPT_* key) is spelt in argv.
 */
static void bad_option(int key, const char *arg)
{
	char opt[3] = { '-', (char)optopt, '\0' };
	bool is_short = optopt > 0 && optopt < 0x100;

	options_usage_error(key == '?' ? "unknown option '%s'" :
					 "option '%s' needs a value",
			    is_short ? opt : arg);
}

static void build_getopt(struct option *longs, char *shorts)
{
	size_t i;

	for (i = 0; i < NR_OPTIONS; i++) {
		const struct dr_option *opt = &option_table[i];

		longs[i] = (struct option){ opt->name,
					    opt->arg ? required_argument :
						       no_argument,
					    NULL, opt->key };
		if (opt->key >= 0x100)
			continue;
		*shorts++ = opt->key;
		if (opt->arg)
			*shorts++ = ':';
	}
	longs[NR_OPTIONS] = (struct option){ 0 };
	*shorts = '\0';
}

int options_parse(struct dr_options *o, int argc, char **argv)
{
	struct option longs[NR_OPTIONS + 1];
	char shorts[2 * NR_OPTIONS + 2] = ":";
	int key, ret;

	*o = (struct dr_options){ .backend = "auto",
				  .argc = argc,
				  .argv = argv };
	build_getopt(longs, shorts + 1);
	opterr = 0;
	optind = 1;
	while ((key = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (key == '?' || key == ':') {
			bad_option(key, argv[optind - 1]);
			return OPTIONS_USAGE;
		}
		ret = apply_option(o, key, optarg);
		if (ret)
			return ret;
	}
	if (optind < argc) {
		options_usage_error("unexpected argument '%s'", argv[optind]);
		return OPTIONS_USAGE;
	}
	return options_check(o);
}
