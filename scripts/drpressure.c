// SPDX-License-Identifier: GPL-2.0
/*
 * drpressure - a child process that stalls in direct reclaim on purpose.
 *
 * The kernel tests and benchmarks of drsnoop need real direct reclaim in a
 * task whose name, pid and tids they know. Order-9 allocations get there
 * within seconds once free memory is short and page cache is reclaimable:
 *
 *   1. growing the hugetlb pool (/proc/sys/vm/nr_hugepages) beyond the free
 *      memory, from this process, so the reclaim is charged to its main
 *      thread (tid == pid);
 *   2. faulting anonymous memory marked MADV_HUGEPAGE from worker threads:
 *      every THP fault is an order-9 allocation that direct-reclaims, unless
 *      kswapd happens to be ahead. That race makes the count of one pass
 *      vary a lot, so the pass can be repeated (-R), re-reading the cache
 *      file in between, until allocstall has risen by -s.
 *
 * Sizing is the caller's job (see scripts/reclaim-pressure). This program
 * only makes sure it is the OOM killer's first choice, and gives back what
 * it took: the memory, and the nr_hugepages value it found, also when it is
 * stopped by SIGINT, SIGTERM or SIGHUP.
 *
 * Output on stdout, flushed:  pid <tgid> / tid <tid> (one per worker) /
 * ready / done.  With -w it waits between "ready" and the work for a byte on
 * stdin or a SIGUSR1, so that a tracer can be started first; with -k it
 * waits again after "done", its threads alive, so that a tracer which reads
 * a task's identity from /proc can drain its stalls first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define HPAGE_SIZE    (2UL << 20) /* PMD size: one THP fault */
#define NR_HUGEPAGES  "/proc/sys/vm/nr_hugepages"
#define OOM_SCORE_ADJ "/proc/self/oom_score_adj"
#define VMSTAT	      "/proc/vmstat"
#define MEMINFO	      "/proc/meminfo"
#define MAX_THREADS   256
#define POOL_WRITES   8 /* tries to grow the pool while it progresses */
#define REGROW_MIB    128 /* after a round without stalls, beyond free */
#define CACHE_CHECK   (8 * HPAGE_SIZE) /* -c is checked this often */
#define WAIT_LIMIT_S  300 /* -w gives up after this long */
#define STR_(x)	      #x
#define STR(x)	      STR_(x)

static const char usage_str[] =
	"usage: drpressure [-kvw] [-n NAME] [-H PAGES] [-F MIB] [-m MIB]\n"
	"                  [-j THREADS] [-R ROUNDS] [-s STALLS] [-c MIB] [-u "
	"UID]\n"
	"                  [-r FILE]\n"
	"\n"
	"    -n NAME     comm of the process and its threads (default "
	"drpressure)\n"
	"    -H PAGES    grow the default-size hugetlb pool by PAGES (0 = "
	"skip)\n"
	"    -F MIB      grow it further by MemFree + MIB (MIB may be "
	"negative),\n"
	"                with MemFree read when the step runs\n"
	"    -m MIB      fault MIB of MADV_HUGEPAGE anonymous memory (0 = "
	"skip)\n"
	"    -j THREADS  split the THP faulting across THREADS threads "
	"(default 1)\n"
	"    -R ROUNDS   fault the -m memory up to ROUNDS times (default 1), "
	"freeing\n"
	"                it and re-reading FILE in between, until -s is "
	"reached\n"
	"    -s STALLS   stop once allocstall rose by STALLS since the work "
	"began\n"
	"                (0 = never)\n"
	"    -c MIB      end a round once the page cache (Active(file) + "
	"Inactive(file))\n"
	"                falls below MIB (0 = never)\n"
	"    -u UID      the -m threads run as UID/GID (real and effective) "
	"from\n"
	"                their start; the hugetlb step stays root's\n"
	"    -r FILE     read FILE before \"ready\" to fill the page cache\n"
	"    -w          after \"ready\", wait for a byte on stdin or SIGUSR1\n"
	"                (at most " STR(
		WAIT_LIMIT_S) " s, then fail)\n"
			      "    -k          after \"done\", keep the "
			      "threads until another byte "
			      "or\n"
			      "                SIGUSR1 (same limit)\n"
			      "    -v          report the pool size and each "
			      "round on stderr\n";

struct options {
	const char *name;
	const char *read_path;
	long hugepages;
	long beyond_free; /* -F, MiB */
	bool grow_free; /* -F given */
	long mib;
	long threads;
	long rounds;
	long stalls;
	long cache_floor; /* -c, MiB */
	long uid; /* -1: keep */
	bool wait;
	bool keep; /* -k */
	bool verbose;
};

struct worker {
	pthread_t thread;
	pid_t tid;
	size_t len; /* bytes to fault per round */
	size_t faulted; /* bytes touched, all rounds */
	int err; /* errno of a failed mmap, 0 if fine */
};

static struct options opts = {
	.name = "drpressure",
	.threads = 1,
	.rounds = 1,
	.uid = -1,
};

static struct worker workers[MAX_THREADS];
/* Workers have their tid / may fault a round / have faulted it. */
static pthread_barrier_t started, go, finished;
static bool stopping; /* read by workers after go */
static sigset_t handled; /* signals the signal thread takes */
static int usr1_pipe[2] = { -1, -1 };
static unsigned long long stalls_base; /* allocstall sum when work began */
static atomic_bool cache_short; /* the page cache fell below -c */

/* The pool size we found and must write back, guarded by pool_lock. */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static long pool_found = -1;

static void restore_pool(void);

/* Report a fatal error, git style, giving back the hugetlb pages first. */
static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	restore_pool();
	fputs("drpressure: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	va_list ap;

	if (!opts.verbose)
		return;
	fputs("drpressure: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long parse_num(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "drpressure: invalid %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void parse_options(int argc, char **argv)
{
	const long max_mib = 1L << 30;
	int c;

	while ((c = getopt(argc, argv, "n:H:F:m:j:R:s:c:u:r:wkvh")) != -1) {
		switch (c) {
		case 'n':
			opts.name = optarg;
			break;
		case 'H':
			opts.hugepages =
				parse_num(optarg, "page count", 0, INT_MAX);
			break;
		case 'F':
			opts.beyond_free =
				parse_num(optarg, "size", -max_mib, max_mib);
			opts.grow_free = true;
			break;
		case 'm':
			opts.mib = parse_num(optarg, "size", 0, max_mib);
			break;
		case 'j':
			opts.threads = parse_num(optarg, "thread count", 1,
						 MAX_THREADS);
			break;
		case 'R':
			opts.rounds =
				parse_num(optarg, "round count", 1, INT_MAX);
			break;
		case 's':
			opts.stalls =
				parse_num(optarg, "stall count", 0, INT_MAX);
			break;
		case 'c':
			opts.cache_floor =
				parse_num(optarg, "size", 0, max_mib);
			break;
		case 'u':
			opts.uid = parse_num(optarg, "uid", 0, INT_MAX - 1);
			break;
		case 'r':
			opts.read_path = optarg;
			break;
		case 'w':
			opts.wait = true;
			break;
		case 'k':
			opts.keep = true;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'h':
			fputs(usage_str, stdout);
			exit(0);
		default:
			fputs(usage_str, stderr);
			exit(2);
		}
	}
	if (optind != argc) {
		fputs(usage_str, stderr);
		exit(2);
	}
}

/* Write a whole string to a /proc file; returns 0 or an errno value. */
static int write_file(const char *path, const char *s)
{
	ssize_t len = strlen(s);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, s, len) != len)
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	return err;
}

static int write_long_file(const char *path, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld\n", v);
	return write_file(path, buf);
}

static long read_long_file(const char *path)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open '%s': %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		die("cannot read '%s': %s", path, strerror(errno));
	close(fd);
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* A "Key:   value kB" line of /proc/meminfo, in KiB. */
static long meminfo_kb(const char *key)
{
	size_t len = strlen(key);
	char line[256];
	long kb = -1;
	FILE *f;

	f = fopen(MEMINFO, "re");
	if (!f)
		die("cannot open '%s': %s", MEMINFO, strerror(errno));
	while (kb < 0 && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			kb = strtol(line + len + 1, NULL, 10);
	fclose(f);
	if (kb < 0)
		die("no %s in '%s'", key, MEMINFO);
	return kb;
}

/*
 * Sum of the allocstall_* lines of /proc/vmstat: the kernel's count of
 * direct reclaim passes, system-wide. Returns 0 if it cannot be read.
 */
static unsigned long long read_stalls(int fd)
{
	char buf[16384], *line;
	unsigned long long sum = 0;
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (line = strstr(buf, "allocstall_"); line;
	     line = strstr(line + 1, "\nallocstall_")) {
		char *sp = strchr(line, ' ');

		if (sp)
			sum += strtoull(sp + 1, NULL, 10);
	}
	return sum;
}

static unsigned long long open_read_stalls(void)
{
	unsigned long long sum = 0;
	int fd;

	fd = open(VMSTAT, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		sum = read_stalls(fd);
		close(fd);
	}
	return sum;
}

/* allocstall rise since the work began. */
static unsigned long long stalls_now(void)
{
	unsigned long long sum = open_read_stalls();

	return sum > stalls_base ? sum - stalls_base : 0;
}

/*
 * Give the hugetlb pages back. Called by the main thread at the end and by
 * the signal thread, both root; whoever comes first does it.
 */
static void restore_pool(void)
{
	int err;

	pthread_mutex_lock(&pool_lock);
	if (pool_found >= 0) {
		err = write_long_file(NR_HUGEPAGES, pool_found);
		if (err)
			fprintf(stderr,
				"drpressure: cannot restore '%s' to %ld: %s\n",
				NR_HUGEPAGES, pool_found, strerror(err));
		pool_found = -1;
	}
	pthread_mutex_unlock(&pool_lock);
}

/*
 * Huge pages in the free memory now (not when a script sized us: memory
 * moves, and -w may have waited long) and in MIB more, which is the part
 * the allocation has to reclaim.
 */
static long free_pages_beyond(long mib)
{
	long pages = (meminfo_kb("MemFree") + mib * 1024) /
		     meminfo_kb("Hugepagesize");

	return pages > 0 ? pages : 0;
}

/* How many pages to add first: -H, plus with -F the free ones and MIB. */
static long pool_pages(void)
{
	long pages = opts.hugepages;

	if (opts.grow_free)
		pages += free_pages_beyond(opts.beyond_free);
	return pages;
}

/*
 * Grow the pool by pages from this thread: the allocation's reclaim is
 * charged here. The kernel stops growing at the first huge page it fails
 * to get (e.g. a compaction that gave up), so write again while that still
 * makes progress. A pool that stays short is not an error. The size found
 * by the first growth is the one to restore. Returns the pages added.
 */
static long grow_pool(long pages)
{
	long found, target, have = -1, last;
	int err, writes = 0;

	if (!pages)
		return 0;
	found = read_long_file(NR_HUGEPAGES);
	pthread_mutex_lock(&pool_lock);
	if (pool_found < 0)
		pool_found = found;
	pthread_mutex_unlock(&pool_lock);
	target = found + pages;
	/* Not under pool_lock: a signal must be able to restore meanwhile. */
	do {
		last = have;
		err = write_long_file(NR_HUGEPAGES, target);
		if (err)
			die("cannot write '%s': %s", NR_HUGEPAGES,
			    strerror(err));
		have = read_long_file(NR_HUGEPAGES);
	} while (++writes < POOL_WRITES && have < target && have > last);
	note("hugetlb pool %ld -> %ld pages (asked %ld, %d writes), allocstall "
	     "+%llu",
	     found, have, target, writes, stalls_now());
	return have > found ? have - found : 0;
}

/* Give back pages that grow_pool() added, for the page cache to refill. */
static void shrink_pool(long pages)
{
	int err;

	if (!pages)
		return;
	err = write_long_file(NR_HUGEPAGES,
			      read_long_file(NR_HUGEPAGES) - pages);
	if (err)
		die("cannot write '%s': %s", NR_HUGEPAGES, strerror(err));
}

/*
 * All handled signals are blocked in every thread and taken here, so a
 * worker deep in a page fault never runs a handler, and cleanup can use
 * ordinary (non async-signal-safe) code.
 */
static void *signal_thread(void *arg)
{
	int sig;

	(void)arg;
	for (;;) {
		if (sigwait(&handled, &sig))
			continue;
		if (sig == SIGUSR1) {
			/* A full pipe means a wake-up is pending anyway. */
			ssize_t n = write(usr1_pipe[1], "", 1);

			(void)n;
			continue;
		}
		restore_pool();
		/* Die of the signal itself, as the caller's shell expects. */
		signal(sig, SIG_DFL);
		pthread_sigmask(SIG_UNBLOCK, &handled, NULL);
		raise(sig);
		_exit(128 + sig);
	}
	return NULL;
}

static void start_signal_thread(void)
{
	pthread_t t;
	int err;

	sigemptyset(&handled);
	sigaddset(&handled, SIGINT);
	sigaddset(&handled, SIGTERM);
	sigaddset(&handled, SIGHUP);
	sigaddset(&handled, SIGUSR1);
	/*
	 * A shell starts background jobs with SIGINT ignored, and an ignored
	 * signal never reaches sigwait(): make kill -INT clean up as well.
	 */
	signal(SIGINT, SIG_DFL);
	/* Blocked before any thread exists, so every thread inherits it. */
	pthread_sigmask(SIG_BLOCK, &handled, NULL);
	if (pipe2(usr1_pipe, O_CLOEXEC | O_NONBLOCK))
		die("cannot create pipe: %s", strerror(errno));
	err = pthread_create(&t, NULL, signal_thread, NULL);
	if (err)
		die("cannot create thread: %s", strerror(err));
	pthread_detach(t);
}

/*
 * Run this thread as uid/gid UID, real and effective, which is what a uid
 * filter sees: raw syscalls, which change the calling thread only (glibc's
 * apply to every thread). Done before "ready", so a task's uid never
 * changes while it is traced: a tracer that reads it from /proc later
 * gets the one it stalled with. The main and signal threads stay root.
 */
static void worker_uid(void)
{
	if (opts.uid < 0)
		return;
	if (syscall(SYS_setresgid, opts.uid, opts.uid, opts.uid))
		die("cannot set gid %ld: %s", opts.uid, strerror(errno));
	if (syscall(SYS_setresuid, opts.uid, opts.uid, opts.uid))
		die("cannot set uid %ld: %s", opts.uid, strerror(errno));
}

/* With -s, has allocstall risen enough since the work began? */
static bool budget_spent(int vmstat_fd)
{
	return opts.stalls && vmstat_fd >= 0 &&
	       read_stalls(vmstat_fd) >= stalls_base + opts.stalls;
}

/*
 * With -c, has the page cache fallen below the floor in this round?
 * Reclaim that finds next to nothing to take retries, and the kernel
 * counts each of its passes in allocstall, where the tracepoints see one
 * reclaim: stop the round before that.
 */
static bool cache_spent(void)
{
	long kb;

	if (!opts.cache_floor)
		return false;
	if (atomic_load(&cache_short))
		return true;
	kb = meminfo_kb("Active(file)") + meminfo_kb("Inactive(file)");
	if (kb >= opts.cache_floor * 1024)
		return false;
	atomic_store(&cache_short, true);
	return true;
}

/*
 * Read -r FILE to the end, which puts it in the page cache. It stays open:
 * after -u the file may no longer be ours to open.
 *
 * Between rounds (vmstat_fd >= 0) the cache is dropped first: a page read
 * a second time moves to the active list, and reclaim that finds only
 * active pages fails its first pass and retries, which counts one more
 * allocstall without a second reclaim begin/end pair. This read also
 * competes for the memory the round freed and can stall, so it watches the
 * stall budget.
 */
static void read_cache_file(int vmstat_fd)
{
	static char buf[1 << 20];
	static int fd = -1;
	long long total = 0;
	long t0 = now_ms();
	ssize_t n = 0;

	if (fd < 0)
		fd = open(opts.read_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open '%s': %s", opts.read_path, strerror(errno));
	if (vmstat_fd >= 0)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	while (!budget_spent(vmstat_fd) &&
	       (n = pread(fd, buf, sizeof(buf), total)) > 0)
		total += n;
	if (n < 0)
		die("cannot read '%s': %s", opts.read_path, strerror(errno));
	note("read %lld MiB of '%s' in %ld ms", total >> 20, opts.read_path,
	     now_ms() - t0);
}

/*
 * Fault len bytes of MADV_HUGEPAGE memory, one write per 4 KiB page, then
 * free it. The first write into each 2 MiB extent is the THP fault; the
 * mapping is over-allocated by one huge page so the extents can be
 * PMD-aligned. With -s, stop as soon as the stall budget is used up.
 *
 * Not inlined: mmap() and munmap() can stall too, and a frame-pointer
 * unwind from libc's wrapper skips its caller's frame. Out of line, that
 * caller is this function, and worker_main stays in the user stack.
 */
static __attribute__((noinline)) int fault_thp(size_t len, size_t *faulted)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t map_len = len + HPAGE_SIZE;
	char *map, *p;
	size_t off;
	int fd;

	map = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return errno;
	p = (char *)(((unsigned long)map + HPAGE_SIZE - 1) & ~(HPAGE_SIZE - 1));
	/* Without THP support this only loses the order-9 faults. */
	madvise(p, len, MADV_HUGEPAGE);
	fd = open(VMSTAT, O_RDONLY | O_CLOEXEC);
	for (off = 0; off < len; off += page) {
		if (off % HPAGE_SIZE == 0 && budget_spent(fd))
			break;
		if (off % CACHE_CHECK == 0 && cache_spent())
			break;
		((volatile char *)p)[off] = 1;
	}
	*faulted += off;
	if (fd >= 0)
		close(fd);
	munmap(map, map_len);
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->tid = gettid();
	worker_uid();
	pthread_barrier_wait(&started);
	for (;;) {
		pthread_barrier_wait(&go);
		if (stopping)
			break;
		if (!w->err)
			w->err = fault_thp(w->len, &w->faulted);
		pthread_barrier_wait(&finished);
	}
	return NULL;
}

/* Start the workers and wait until each knows its tid. */
static void start_workers(void)
{
	size_t total = (size_t)opts.mib << 20;
	/* Whole huge pages each, the rest to the last one. */
	size_t per = total / opts.threads / HPAGE_SIZE * HPAGE_SIZE;
	long i;
	int err;

	pthread_barrier_init(&started, NULL, opts.threads + 1);
	pthread_barrier_init(&go, NULL, opts.threads + 1);
	pthread_barrier_init(&finished, NULL, opts.threads + 1);
	for (i = 0; i < opts.threads; i++) {
		workers[i].len = per;
		if (i == opts.threads - 1)
			workers[i].len = total - per * i;
		err = pthread_create(&workers[i].thread, NULL, worker_main,
				     &workers[i]);
		if (err)
			die("cannot create thread: %s", strerror(err));
	}
	pthread_barrier_wait(&started);
}

static size_t faulted_mib(void)
{
	size_t sum = 0;
	long i;

	for (i = 0; i < opts.threads; i++)
		sum += workers[i].faulted;
	return sum >> 20;
}

static int workers_failed(void)
{
	int ret = 0;
	long i;

	for (i = 0; i < opts.threads; i++) {
		if (workers[i].err) {
			fprintf(stderr,
				"drpressure: cannot map %zu bytes: %s\n",
				workers[i].len, strerror(workers[i].err));
			ret = 1;
		}
	}
	return ret;
}

/*
 * How far beyond the free memory the pool grows after a round without a
 * stall: REGROW_MIB, past the watermarks' slack, but at most a quarter of
 * what -r FILE holds beyond the THP memory, which the next round still
 * takes from the cache.
 */
static long regrow_mib(void)
{
	struct stat st;
	long spare;

	if (!opts.read_path || stat(opts.read_path, &st))
		return 0;
	spare = ((long)(st.st_size >> 20) - opts.mib) / 4;
	if (spare <= 0)
		return 0;
	return spare < REGROW_MIB ? spare : REGROW_MIB;
}

/*
 * Let the workers fault their share, round after round, until the stall
 * budget is used up or the rounds are; a round ends early if the page
 * cache runs short. Between rounds the freed memory is turned back into
 * page cache, so the next round has to reclaim again. A round without a
 * stall means kswapd kept ahead of the faults: with -F, the pool takes what
 * is free before the next round, and regrow_mib() more, which its
 * allocation must reclaim itself (it allocates far faster than kswapd
 * frees); it gives that back after the round, so that the cache keeps its
 * size.
 */
static int run_rounds(void)
{
	int ret, fd = open(VMSTAT, O_RDONLY | O_CLOEXEC);
	unsigned long long start, end;
	long round, lent = 0;

	for (round = 1;; round++) {
		atomic_store(&cache_short, false);
		start = stalls_now();
		pthread_barrier_wait(&go);
		pthread_barrier_wait(&finished);
		end = stalls_now();
		note("round %ld: faulted %zu MiB of THP memory in all, "
		     "allocstall +%llu%s",
		     round, faulted_mib(), end,
		     atomic_load(&cache_short) ?
			     " (cut short: page cache low)" :
			     "");
		shrink_pool(lent);
		lent = 0;
		ret = workers_failed();
		if (ret || round >= opts.rounds || budget_spent(fd))
			break;
		if (opts.read_path)
			read_cache_file(fd);
		if (opts.grow_free && end == start)
			lent = grow_pool(free_pages_beyond(regrow_mib()));
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Let the workers, waiting for the next round, exit. */
static void stop_workers(void)
{
	long i;

	stopping = true;
	pthread_barrier_wait(&go);
	for (i = 0; i < opts.threads; i++)
		pthread_join(workers[i].thread, NULL);
}

/*
 * Wait for a byte on stdin or SIGUSR1. EOF on stdin (e.g. /dev/null under
 * CI) is not a go: only the signal can start us then. A caller that died
 * before giving the go must not leave us (and the lock our script holds)
 * behind for ever, hence the time limit.
 */
static void wait_for_go(void)
{
	struct pollfd fds[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = usr1_pipe[0], .events = POLLIN },
	};
	long left, deadline = now_ms() + WAIT_LIMIT_S * 1000L;
	int ready;
	char buf[64];

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			die("no go (byte on stdin or SIGUSR1) within %d s",
			    WAIT_LIMIT_S);
		ready = poll(fds, 2, (int)left);
		if (ready < 0 && errno != EINTR)
			die("cannot poll: %s", strerror(errno));
		if (ready <= 0)
			continue;
		/* Whole writes ("go\n") are taken: -k waits for another. */
		if (fds[1].revents && read(usr1_pipe[0], buf, sizeof(buf)) > 0)
			return;
		if (!fds[0].revents)
			continue;
		if (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
			return;
		fds[0].fd = -1; /* EOF or error: stop watching stdin */
	}
}

static void print_ids(void)
{
	long i;

	printf("pid %d\n", getpid());
	for (i = 0; opts.mib && i < opts.threads; i++)
		printf("tid %d\n", workers[i].tid);
	printf("ready\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int err, ret = 0;

	parse_options(argc, argv);
	/* If the sizing is wrong, the OOM killer takes us and nothing else. */
	err = write_file(OOM_SCORE_ADJ, "1000\n");
	if (err)
		die("cannot write '%s': %s", OOM_SCORE_ADJ, strerror(err));
	/* Before any thread exists: threads copy the comm at creation. */
	if (prctl(PR_SET_NAME, opts.name, 0, 0, 0))
		die("cannot set name '%s': %s", opts.name, strerror(errno));
	start_signal_thread();
	if (opts.mib)
		start_workers();
	if (opts.read_path)
		read_cache_file(-1);
	print_ids();
	if (opts.wait)
		wait_for_go();

	stalls_base = open_read_stalls();
	grow_pool(pool_pages());
	if (opts.mib)
		ret = run_rounds();
	restore_pool();
	if (!ret) {
		printf("done\n");
		fflush(stdout);
		if (opts.keep)
			wait_for_go();
	}
	if (opts.mib)
		stop_workers();
	return ret;
}
